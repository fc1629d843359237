"""Line order against an independent implementation of the bidi algorithm.

The HarfBuzz comparison checks shaping given the levels; it would not notice a wrong
level. Here the order comes from python-bidi's compiled implementation (the Rust
unicode-bidi crate, which implements bracket pairs) and must equal ours, brackets
aside: that implementation does not mirror them, ours must.
"""

from __future__ import annotations

import pytest
from bidi import get_display as reference_display
from hypothesis import given, settings
from hypothesis import strategies as st

from cancer_desk.print.bidi_order import display

BRACKETS = str.maketrans(dict.fromkeys("()[]{}", "•"))


def order(text: str) -> str:
    return text.replace("\u200c", "").translate(BRACKETS)


MIXED = [
    "رژیم FOLFOX-6 (۱۲ دوره)",
    "سایر: آزمایش PET-CT (نوبت ۲)",
    "شیمی‌درمانی AC-T (۴ دوره)",
    "داروی X (۲ ویال)",
    "(سهامی خاص) [بند ۲] {الف}",
    "کد C50.9 (پستان) و C18 (روده)",
    "ICD-10 (C50.9) برای پستان",
    "تراستوزوماب (Trastuzumab، ویال ۴۴۰)",
    "نتیجه: ۷۶ از ۱۰۰ (پوشش ۷۰ درصد)",
    "((تو در تو) و [ترکیب (Latin) شده])",
]


@pytest.mark.parametrize("text", MIXED)
def test_order_equals_the_reference_algorithm(text: str) -> None:
    assert order(display(text)) == order(reference_display(text, base_dir="R"))


@pytest.mark.parametrize(("text", "visual"), [
    ("(سهامی خاص)", "(صاخ یماهس)"),
    ("رژیم FOLFOX-6 (۱۲ دوره)", "(هرود ۱۲) FOLFOX-6 میژر"),
    ("داروی X (۲ ویال)", "(لایو ۲) X یوراد"),
    ("کد (C50) ثبت", "تبث (C50) دک"),
])
def test_brackets_face_the_right_way(text: str, visual: str) -> None:
    assert display(text) == visual


WORDS = st.sampled_from(["سلام", "دوره", "پستان", "AC-T", "PET", "X", "۱۲", "۴۰۰",
                         "12", "C50.9", "ویال", "دارو", "Trastuzumab", "-", ":", "،"])
PIECES = st.one_of(WORDS, st.sampled_from(["(", ")", "[", "]", " "]))


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=14))
def test_random_mixed_lines_order_like_the_reference(pieces: list[str]) -> None:
    text = " ".join(pieces)
    assert order(display(text)) == order(reference_display(text, base_dir="R"))
