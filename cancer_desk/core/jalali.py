"""Jalali (Solar Hijri) dates: parsing, formatting and quarters.

jdatetime is the one source of truth for conversion. Qt's Jalali calendar and
jdatetime disagree on leap years from 1436 on, so every date a person enters is
limited to 1300–1435, where the two agree. Dates are stored as ISO (Gregorian)
``datetime.date`` values and shown in Jalali with Persian digits.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import jdatetime

from cancer_desk.core.errors import InputError
from cancer_desk.core.persian import strip_invisible, to_ascii_digits, to_persian_digits

MIN_YEAR = 1300
MAX_YEAR = 1435

MONTH_NAMES = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

QUARTER_NAMES = ("بهار", "تابستان", "پاییز", "زمستان")

_DATE_PATTERN = re.compile(r"(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})")


@functools.lru_cache(maxsize=65536)  # a quarter's export converts 100,000 dates, few distinct
def to_jalali(value: dt.date) -> tuple[int, int, int]:
    j = jdatetime.date.fromgregorian(date=value)
    return j.year, j.month, j.day


def from_jalali(year: int, month: int, day: int) -> dt.date:
    gregorian: dt.date = jdatetime.date(year, month, day).togregorian()
    return gregorian


def days_in_month(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def format_jalali(value: dt.date | None, *, persian_digits: bool = True) -> str:
    """``date(2024, 8, 15)`` → ``"۱۴۰۳/۰۵/۲۵"`` (or ASCII digits for files)."""
    if value is None:
        return ""
    y, m, d = to_jalali(value)
    text = f"{y:04d}/{m:02d}/{d:02d}"
    return to_persian_digits(text) if persian_digits else text


def parse_jalali(
    text: str | None,
    *,
    field: str = "date",
    label: str = "تاریخ",
    min_year: int = MIN_YEAR,
    max_year: int = MAX_YEAR,
) -> dt.date:
    """A Jalali date typed as ``YYYY/MM/DD`` (any digits, ``/ - .``) → ``datetime.date``.

    Raises :class:`InputError` whose Persian message names ``label``.
    """
    cleaned = to_ascii_digits(strip_invisible(text or "")).strip()
    if not cleaned:
        raise InputError(field, "is empty", f"«{label}» را وارد کنید.")
    match = _DATE_PATTERN.fullmatch(cleaned)
    if not match:
        raise InputError(
            field,
            f"expected YYYY/MM/DD, got {text!r}",
            f"«{label}» را به شکل سال/ماه/روز وارد کنید، مثلاً ۱۳۶۵/۰۲/۳۰.",
        )
    first, month_text, last = match.groups()
    if len(last) == 4 and len(first) <= 2:
        # روز/ماه/سال, the order the paper form prints: unambiguous with a 4-digit year.
        first, last = last, first
    year, month, day = int(first), int(month_text), int(last)
    return jalali_date(year, month, day, field=field, label=label,
                       min_year=min_year, max_year=max_year)


def jalali_date(
    year: int,
    month: int,
    day: int,
    *,
    field: str = "date",
    label: str = "تاریخ",
    min_year: int = MIN_YEAR,
    max_year: int = MAX_YEAR,
) -> dt.date:
    """Checked construction of a Jalali date, with a Persian message per part."""
    if not min_year <= year <= max_year:
        raise InputError(
            field,
            f"year {year} outside {min_year}-{max_year}",
            f"سال «{label}» باید بین {to_persian_digits(min_year)} و "
            f"{to_persian_digits(max_year)} باشد.",
        )
    if not 1 <= month <= 12:
        raise InputError(
            field, f"month {month} outside 1-12", f"ماه «{label}» باید بین ۱ و ۱۲ باشد."
        )
    last_day = days_in_month(year, month)
    if not 1 <= day <= last_day:
        raise InputError(
            field,
            f"day {day} outside 1-{last_day} for {year}/{month}",
            f"روز «{label}» در {MONTH_NAMES[month - 1]} {to_persian_digits(year)} "
            f"باید بین ۱ و {to_persian_digits(last_day)} باشد.",
        )
    return from_jalali(year, month, day)


def current_jalali_year(today: dt.date | None = None) -> int:
    return to_jalali(today or dt.date.today())[0]


@dataclass(frozen=True, order=True)
class JalaliQuarter:
    """Q1 = Farvardin–Khordad, Q2 = Tir–Shahrivar, Q3 = Mehr–Azar, Q4 = Dey–Esfand."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise InputError("quarter", f"quarter {self.quarter} outside 1-4",
                             "فصل باید بین ۱ و ۴ باشد.")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise InputError("year", f"year {self.year} outside {MIN_YEAR}-{MAX_YEAR}",
                             f"سال باید بین {to_persian_digits(MIN_YEAR)} و "
                             f"{to_persian_digits(MAX_YEAR)} باشد.")

    @classmethod
    def containing(cls, value: dt.date) -> JalaliQuarter:
        year, month, _ = to_jalali(value)
        return cls(year, (month - 1) // 3 + 1)

    @property
    def first_month(self) -> int:
        return 3 * (self.quarter - 1) + 1

    @property
    def start(self) -> dt.date:
        """First day of the quarter (inclusive)."""
        return from_jalali(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the quarter (inclusive)."""
        last_month = self.first_month + 2
        return from_jalali(self.year, last_month, days_in_month(self.year, last_month))

    def contains(self, value: dt.date) -> bool:
        return self.start <= value <= self.end

    @property
    def previous(self) -> JalaliQuarter:
        if self.quarter > 1:
            return JalaliQuarter(self.year, self.quarter - 1)
        return JalaliQuarter(self.year - 1, 4)

    @property
    def label(self) -> str:
        """``فصل ۲ (تابستان) ۱۴۰۳``"""
        return (f"فصل {to_persian_digits(self.quarter)} ({QUARTER_NAMES[self.quarter - 1]}) "
                f"{to_persian_digits(self.year)}")


def local_date(stored: dt.datetime) -> dt.date:
    """The day on this computer's calendar of a naive-UTC timestamp as the database keeps
    them (cancer_desk.models.base.utc_now)."""
    return stored.replace(tzinfo=dt.UTC).astimezone().date()
