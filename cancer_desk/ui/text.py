"""Display helpers: every number and date a person sees goes through here."""

from __future__ import annotations

import datetime as dt

from cancer_desk.core.jalali import format_jalali
from cancer_desk.core.persian import format_number, to_persian_digits


def fa(value: object) -> str:
    """Persian digits."""
    return "" if value is None else to_persian_digits(value)


def percent(value: int | None) -> str:
    """``۳۰٪`` — for a cell or label of its own. Inside a Persian sentence the bidi
    algorithm moves «٪» to the other side of the number; use :func:`percent_words`."""
    return "" if value is None else f"{to_persian_digits(value)}٪"


def percent_words(value: int) -> str:
    """``۳۰ درصد`` — for sentences."""
    return f"{to_persian_digits(value)} درصد"


def ltr(text: str) -> str:
    """Isolate a left-to-right run (a budget line, a path, a code with dashes) inside
    Persian text, so that ``۱۱-۵۲۰۰۰۰`` is not shown as ``۵۲۰۰۰۰-۱۱``."""
    return f"\u2066{text}\u2069"


def jdate(value: dt.date | None) -> str:
    return format_jalali(value) if value is not None else ""


def phone(value: str) -> str:
    """``02188776655`` → ``۰۲۱-۸۸۷۷۶۶۵۵``; mobiles ``۰۹۱۲-۳۴۵-۶۷۸۹``."""
    if len(value) != 11:
        return fa(value)
    if value.startswith("09"):
        return fa(f"{value[:4]}-{value[4:7]}-{value[7:]}")
    return fa(f"{value[:3]}-{value[3:]}")


def count(value: int) -> str:
    """Thousands separated, Persian digits: ``۱۲٬۳۴۵``."""
    return format_number(value)
