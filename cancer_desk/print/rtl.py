"""Persian text for reportlab: reshape, wrap, reorder — in that order.

reportlab draws the characters it is given, left to right, unjoined. So every line is
(1) normalised and reshaped into Arabic presentation forms, (2) wrapped on the
*reshaped* width, and only then (3) put in visual order with the Unicode bidi
algorithm, one line at a time — reordering a paragraph before wrapping prints its lines
bottom-up. Facts behind each step are in the design notes (§2).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import arabic_reshaper

from cancer_desk.core.persian import ZWNJ, to_persian_digits
from cancer_desk.print.bidi_order import display
from cancer_desk.print.fonts import string_width

LRE, PDF_MARK = "\u202a", "\u202c"
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_HARAKAT = re.compile("[\u064b-\u0652\u0670]")


@cache
def _reshaper() -> arabic_reshaper.ArabicReshaper:
    return arabic_reshaper.ArabicReshaper(configuration={
        "delete_harakat": True,
        # Vazirmatn has no isolated ۀ (U+FBA4): reportlab would silently draw nothing.
        "use_unshaped_instead_of_isolated": True,
        "support_ligatures": True,  # lam-alef, and ﷲ as HarfBuzz (the screen) draws it
    })


def ltr(text: str) -> str:
    """Keep a left-to-right run (phone, code with dashes, Latin) in its own order."""
    return f"{LRE}{text}{PDF_MARK}"


def prepare(text: str) -> str:
    """Logical text → what is reshaped: ه + hamza above as ۀ, no harakat."""
    text = text.replace("ه\u0654", "ۀ")
    return _HARAKAT.sub("", text)


def reshape(text: str) -> str:
    shaped: str = _reshaper().reshape(prepare(text))  # arabic-reshaper has no types
    return shaped


# Shaping and reordering is most of a form's drawing time, and a form's labels, its
# options and a ward's common values (places, drugs, dates) repeat across forms and
# within one (measured, then drawn): each line is worked out once.
@lru_cache(maxsize=16384)
def visual(line: str) -> str:
    """One logical line → the characters to draw left to right."""
    shown = display(reshape(line), base_dir="R")
    # Joining is done; the font has no glyphs for ZWNJ or the bidi controls.
    return _BIDI_CONTROLS.sub("", shown).replace(ZWNJ, "")


@lru_cache(maxsize=16384)
def width(line: str, font: str, size: float) -> float:
    return string_width(visual(line), font, size)


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Logical lines that fit ``max_width`` once shaped; a word too long for a line is
    broken between letters rather than clipped."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if width(candidate, font, size) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while width(word, font, size) > max_width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and width(word[:cut], font, size) > max_width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


def fa_digits(value: object) -> str:
    return to_persian_digits(value)
