"""Persian text: digits, stored-text normalisation, search keys and collation keys.

Social workers type on Persian keyboards, Arabic keyboards and Excel sheets that mix
the two, so the same name arrives as «علي», «علی» or «عـلی». Everything stored goes
through :func:`normalize_text`; everything searched goes through :func:`search_key`.
"""

from __future__ import annotations

import re
import unicodedata

ZWNJ = "\u200c"
TATWEEL = "\u0640"

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

_TO_ASCII_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN_DIGITS = str.maketrans(ASCII_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)

# Letters that Arabic keyboards and old software produce instead of the Persian ones.
# NFC/NFKC do not unify these, so they are mapped by hand.
_ARABIC_TO_PERSIAN_LETTERS = str.maketrans(
    {
        "ي": "ی",  # U+064A Arabic yeh
        "ى": "ی",  # U+0649 alef maksura
        "ك": "ک",  # U+0643 Arabic kaf
        "ە": "ه",  # U+06D5 ae
    }
)

# Direction marks and every other format character (Unicode's category Cf: word joiner,
# soft hyphen, the Arabic letter mark, tag characters...) hide in pasted text and break
# equality without being visible. ZWNJ and ZWJ are spelling in Persian, and stay. The
# combining grapheme joiner is no format character but as invisible. Format characters
# The table learns each character the first time text holds it: building it whole from
# the Unicode database cost every start of the program a scan of 135,000 characters.
_KEPT_FORMAT = {ord(ZWNJ), 0x200D}


class _InvisibleTable(dict[int, "int | None"]):
    def __missing__(self, point: int) -> int | None:
        hidden = point not in _KEPT_FORMAT and unicodedata.category(chr(point)) == "Cf"
        self[point] = None if hidden else point
        return self[point]


_INVISIBLE = _InvisibleTable({0x034F: None, ord(TATWEEL): None})

# Search keys also fold hamza-carrying and madda forms of alef, teh marbuta and
# heh-with-yeh so that «آرش»/«ارش» and «خانۀ»/«خانه» find each other.
_SEARCH_FOLD = str.maketrans(
    {
        "آ": "ا",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "ة": "ه",
        "ۀ": "ه",
        ZWNJ: None,
        " ": None,
        "\u0654": None,  # hamza above, as in ه + ٔ
    }
)
_HARAKAT = re.compile("[\u064b-\u065f\u0670]")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_ZWNJ_RUNS = re.compile(f"{ZWNJ}{{2,}}")
_ASCII_DIGITS = re.compile(r"[0-9]+")

# Persian alphabetical order. Python compares code points, which puts پ چ ژ گ after
# every Arabic letter; a collation key maps each letter to its rank instead.
PERSIAN_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_COLLATION_BASE = 0x1000


def _build_collation_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for rank, letter in enumerate(PERSIAN_ALPHABET, start=1):
        table[ord(letter)] = chr(_COLLATION_BASE + rank)
    # Folded variants sort with their base letter.
    for variant, base in (("أ", "ا"), ("إ", "ا"), ("ؤ", "و"), ("ئ", "ی"), ("ة", "ه"), ("ۀ", "ه")):
        table[ord(variant)] = table[ord(base)]
    # A word boundary sorts before any letter: «علی رضایی» before «علیرضا».
    table[ord(" ")] = chr(_COLLATION_BASE)
    table[ord(ZWNJ)] = None
    return table


_COLLATION_TABLE = _build_collation_table()


def to_ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits → ASCII digits; other characters untouched."""
    return text.translate(_TO_ASCII_DIGITS)


def to_persian_digits(value: object) -> str:
    """Any number or text → the same text with Persian digits, for display."""
    return str(value).translate(_TO_PERSIAN_DIGITS)


def strip_invisible(text: str) -> str:
    """Remove direction marks and the other format characters but ZWNJ and ZWJ, the
    combining grapheme joiner and tatweel."""
    return text.translate(_INVISIBLE)


def normalize_text(text: str | None) -> str:
    """The form in which free text is stored.

    Arabic yeh/kaf become Persian, tatweel and direction marks go, digits become
    ASCII only in identifiers (see :func:`normalize_identifier`), runs of spaces
    collapse, ZWNJ is kept (it is part of the spelling: «می‌خواهم»).
    """
    if text is None or text == "":
        return ""
    if not isinstance(text, str):  # a number a spreadsheet cell or a caller brought
        text = str(text)
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_ARABIC_TO_PERSIAN_LETTERS)
    text = strip_invisible(text)
    text = text.replace("ه\u0654", "ۀ")  # heh + hamza above, as some keyboards type ۀ
    text = _HARAKAT.sub("", text)
    text = _ZWNJ_RUNS.sub(ZWNJ, text)
    text = _SPACES.sub(" ", text)
    # A ZWNJ next to a space or at an edge is a typing slip, not spelling.
    # A run of them with a space in it is one space («1\u200c \u200c1» → «1 1» at once,
    # not in two passes).
    text = re.sub(f"[ {ZWNJ}]+", lambda m: " " if " " in m.group(0) else ZWNJ, text)
    return text.strip(" " + ZWNJ)


def normalize_identifier(text: object) -> str:
    """Codes and numbers typed by people: ASCII digits, no spaces or marks.

    NFKC first turns full-width and other compatibility digits («０٤») into plain ones,
    so a code cannot slip past the uniqueness check in an unusual digit form.
    """
    if text is None or text == "":
        return ""
    if not isinstance(text, str):  # a number a spreadsheet cell or a caller brought
        text = str(text)
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", strip_invisible(to_ascii_digits(text)))


def is_ascii_digits(text: str) -> bool:
    """``str.isdigit`` also accepts «²» and «٣»; identifiers must be 0–9 only."""
    return bool(_ASCII_DIGITS.fullmatch(text))


def search_key(text: str | None) -> str:
    """The key a name is found by: normalised, folded, without spaces or ZWNJ.

    ``search_key("می‌خواهم") == search_key("میخواهم") == search_key("مي خواهم")``.
    """
    return to_ascii_digits(normalize_text(text)).translate(_SEARCH_FOLD).lower()


def collation_key(text: str | None) -> str:
    """A string whose plain code-point order is Persian alphabetical order.

    Stored in the database beside names, so that an index can serve
    ``ORDER BY`` without a custom collation.
    """
    return normalize_text(text).translate(_COLLATION_TABLE)


def parse_int(text: object) -> int:
    """An integer typed with any digits; ``ValueError`` when it is not one.

    Accepts Persian, Arabic-Indic and ASCII digits, thousands separators
    («٬», «،» and «,») and a leading minus sign.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if text is None:
        raise ValueError("empty")
    cleaned = strip_invisible(to_ascii_digits(str(text))).strip()
    cleaned = re.sub(r"[\s,٬،]", "", cleaned).replace("−", "-")
    if not re.fullmatch(r"-?\d+", cleaned):
        raise ValueError(f"not an integer: {text!r}")
    return int(cleaned)


def format_number(value: int) -> str:
    """An integer with Persian digits and the Persian thousands separator «٬»."""
    return to_persian_digits(f"{value:,}".replace(",", "٬"))


# Line breaks and other control characters (C0, DEL, C1, and Unicode's own line and
# paragraph separators): none belongs in a name, an address or any one-line field, and
# a line break there splits the field's row in a CSV file or a printed form.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def one_line_problem(text: str, label: str) -> str | None:
    """The Persian reason ``text`` cannot be the one-line field ``label``, or ``None``."""
    if has_control_characters(text):
        return (f"«{label}» باید در یک سطر نوشته شود و رفتن به سطر بعد یا نویسه کنترلی "
                "(مثل Tab) نداشته باشد.")
    return None
