"""Iranian national code (کد ملی): normalisation and check digit."""

from __future__ import annotations

import random

from cancer_desk.core.errors import InputError
from cancer_desk.core.persian import is_ascii_digits, normalize_identifier

FIELD = "national_code"
LABEL_FA = "کد ملی"


def check_digit(first_nine: str) -> int:
    """The tenth digit that makes ``first_nine`` a valid code."""
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(first_nine)) % 11
    return remainder if remainder < 2 else 11 - remainder


def normalize(text: object) -> str:
    """A typed or imported code → its 10 ASCII digits, or :class:`InputError`.

    Persian/Arabic digits become ASCII; dashes, spaces and direction marks go;
    8 or 9 digits are left-padded with zeros (Excel drops leading zeros).
    """
    raw = normalize_identifier(str(text) if text is not None else "").replace("-", "")
    if not raw:
        raise InputError(FIELD, "is empty", f"{LABEL_FA} را وارد کنید.")
    if not is_ascii_digits(raw):
        raise InputError(FIELD, "must contain digits only", f"{LABEL_FA} فقط باید رقم باشد.")
    if len(raw) in (8, 9):
        raw = raw.zfill(10)
    if len(raw) != 10:
        raise InputError(FIELD, "must have 10 digits", f"{LABEL_FA} باید ۱۰ رقم باشد.")
    if len(set(raw)) == 1:
        raise InputError(
            FIELD, "ten equal digits is not a code", f"{LABEL_FA} با ده رقم یکسان معتبر نیست."
        )
    if int(raw[9]) != check_digit(raw[:9]):
        raise InputError(
            FIELD, "check digit does not match", f"{LABEL_FA} معتبر نیست (رقم کنترل نادرست است)."
        )
    return raw


def is_valid(text: str | int | None) -> bool:
    try:
        normalize(text)
    except InputError:
        return False
    return True


def generate(rng: random.Random) -> str:
    """A random valid code, for demo data and tests."""
    while True:
        first_nine = f"{rng.randrange(1, 10**9):09d}"
        code = first_nine + str(check_digit(first_nine))
        if len(set(code)) > 1:
            return code
