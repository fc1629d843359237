from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cancer_desk.core.persian import (
    ZWNJ,
    collation_key,
    format_number,
    normalize_identifier,
    normalize_text,
    parse_int,
    search_key,
    to_ascii_digits,
    to_persian_digits,
)


def test_digits_both_ways() -> None:
    assert to_ascii_digits("۱۲۳٤٥٦abc") == "123456abc"
    assert to_persian_digits(1403) == "۱۴۰۳"
    assert to_persian_digits("٣ و 4") == "۳ و ۴"


@pytest.mark.parametrize(("raw", "stored"), [
    ("علي", "علی"),
    ("كاظم", "کاظم"),
    ("مـــحمد", "محمد"),
    ("  زهرا   کریمی  ", "زهرا کریمی"),
    (f"می{ZWNJ}خواهم", f"می{ZWNJ}خواهم"),  # ZWNJ is spelling: kept
    (f"علی{ZWNJ}{ZWNJ}اصغر", f"علی{ZWNJ}اصغر"),
    (f"{ZWNJ}رضا{ZWNJ}", "رضا"),
    ("\u200fرضا\u200e", "رضا"),
    ("مُحَمَّد", "محمد"),
    ("خانه\u0654", "خانۀ"),
])
def test_normalize_text(raw: str, stored: str) -> None:
    assert normalize_text(raw) == stored


def test_zwnj_space_and_joined_spellings_share_a_search_key() -> None:
    assert search_key(f"می{ZWNJ}خواهم") == search_key("میخواهم") == search_key("مي خواهم")
    assert search_key("آرش") == search_key("ارش")
    assert search_key("علي") == search_key("علی")
    assert search_key("كريمي") == search_key("کریمی")
    assert search_key("۱۲۳") == "123"


def test_persian_alphabetical_order() -> None:
    names = ["یزدانی", "گودرزی", "چراغی", "کریمی", "ژاله", "پاکزاد", "وحیدی", "هاشمی", "آقایی",
             "احمدی", "ابراهیمی", "بهرامی"]
    expected = ["آقایی", "ابراهیمی", "احمدی", "بهرامی", "پاکزاد", "چراغی", "ژاله", "کریمی",
                "گودرزی", "وحیدی", "هاشمی", "یزدانی"]
    assert sorted(names, key=collation_key) == expected
    assert sorted(names) != expected  # code-point order gets it wrong


def test_word_boundary_sorts_first() -> None:
    assert collation_key("علی رضایی") < collation_key("علیرضا")


@pytest.mark.parametrize(("text", "value"), [
    ("۱۲", 12), ("٣٤", 34), ("1,250", 1250), ("۱٬۲۵۰", 1250), (" -۵ ", -5), (7, 7)])
def test_parse_int(text, value) -> None:
    assert parse_int(text) == value


@pytest.mark.parametrize("text", ["", "۱۲a", "1.5", None, "--1"])
def test_parse_int_refuses(text) -> None:
    with pytest.raises(ValueError):
        parse_int(text)


def test_format_number() -> None:
    assert format_number(1234567) == "۱٬۲۳۴٬۵۶۷"


def test_normalize_identifier() -> None:
    assert normalize_identifier(" ۰۰۱ ۲۳\u200f4 ") == "001234"


persian_text = st.text(
    alphabet=st.sampled_from([
        *"ابپتثجچحخدرزژسشصعغفقکگلمنوهیيكـ ۀآأإئؤة\u0654\u064e",
        ZWNJ, "\u200f", " ", "\t", "1", "۲",
    ]),
    max_size=30,
)


@example("1\u200c \u200c1")  # a ZWNJ on each side of a space: once was not enough
@given(persian_text)
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert search_key(search_key(text)) == search_key(text)


@given(persian_text)
def test_normalised_text_has_no_arabic_letters_or_stray_marks(text: str) -> None:
    once = normalize_text(text)
    assert not set(once) & set("يكىـ\u200f")
    assert not once.startswith((" ", ZWNJ)) and not once.endswith((" ", ZWNJ))
    assert "  " not in once
