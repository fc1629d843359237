from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cancer_desk.core import national_code
from cancer_desk.core.errors import InputError


@pytest.mark.parametrize(("typed", "stored"), [
    ("0499370899", "0499370899"),
    ("۰۴۹۹۳۷۰۸۹۹", "0499370899"),
    ("٠٤٩٩٣٧٠٨٩٩", "0499370899"),
    ("049-937089-9", "0499370899"),
    (" 0499 370 899 ", "0499370899"),
    ("\u200e0499370899\u200f", "0499370899"),
    ("499370899", "0499370899"),   # Excel dropped the leading zero
    (499370899, "0499370899"),
    ("12345679", "0012345679"),
    ("０４９９３７０８９９", "0499370899"),  # full-width digits
])
def test_accepted_forms(typed, stored) -> None:
    assert national_code.normalize(typed) == stored


@pytest.mark.parametrize(("typed", "why"), [
    ("", "empty"),
    ("0499370898", "check digit"),
    ("1111111111", "equal digits"),
    ("0000000000", "equal digits"),
    ("12345", "10 digits"),
    ("12345678901", "10 digits"),
    ("04993708a9", "digits only"),
    ("049937089²", "check digit"),  # «²» is a digit to str.isdigit, not to us
])
def test_refused_with_reason(typed, why) -> None:
    with pytest.raises(InputError) as caught:
        national_code.normalize(typed)
    assert why in str(caught.value)
    assert caught.value.field == "national_code"
    assert "کد ملی" in caught.value.message_fa


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_check_digit_round_trip(first_nine: str) -> None:
    code = first_nine + str(national_code.check_digit(first_nine))
    if len(set(code)) == 1:
        assert not national_code.is_valid(code)
        return
    assert national_code.normalize(code) == code
    wrong = first_nine + str((int(code[9]) + 1) % 10)
    assert not national_code.is_valid(wrong)


def test_generate_gives_valid_codes() -> None:
    rng = random.Random(7)
    codes = [national_code.generate(rng) for _ in range(500)]
    assert all(national_code.is_valid(c) for c in codes)
