"""Valid national codes that lie near each other, as a typing slip makes them: the
duplicate tests plant such pairs."""

from __future__ import annotations

import random

from cancer_desk.core import national_code


def one_digit_typo(seed: int) -> tuple[str, str]:
    """Two valid codes one digit apart. Rare: the check digit changes with any one
    digit unless both codes' sums leave 1 and 10 (both give check digit 1)."""
    rng = random.Random(seed)
    while True:
        code = national_code.generate(rng)
        for i in range(9):
            for digit in "0123456789":
                typo = code[:i] + digit + code[i + 1:]
                if typo != code and national_code.is_valid(typo):
                    return code, typo


def swapped_pair(seed: int) -> tuple[str, str]:
    """Two valid codes with two neighbouring digits swapped."""
    rng = random.Random(seed)
    while True:
        code = national_code.generate(rng)
        for i in range(9):
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            if swapped != code and national_code.is_valid(swapped):
                return code, swapped


def two_digits_apart(code: str) -> str:
    """A valid code differing from ``code`` in two digits that are not a swap."""
    for i in range(8):
        for digit in "0123456789":
            if digit == code[i]:
                continue
            changed = code[:i] + digit + code[i + 1:9]
            other = changed + str(national_code.check_digit(changed))
            differing = [k for k in range(10) if other[k] != code[k]]
            if len(differing) == 2 and differing[1] - differing[0] > 1 \
                    and national_code.is_valid(other):
                return other
    raise LookupError(f"no valid code two digits from {code}")
