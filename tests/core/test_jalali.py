from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cancer_desk.core.errors import InputError
from cancer_desk.core.jalali import (
    MAX_YEAR,
    MIN_YEAR,
    JalaliQuarter,
    days_in_month,
    format_jalali,
    from_jalali,
    jalali_date,
    parse_jalali,
    to_jalali,
)


@pytest.mark.parametrize(("text", "iso"), [
    ("1403/05/25", "2024-08-15"),
    ("۱۴۰۳/۰۵/۲۵", "2024-08-15"),
    ("١٤٠٣-٥-٢٥", "2024-08-15"),
    ("1403.5.25", "2024-08-15"),
    ("1388/05/25", "2009-08-16"),
    ("1403/12/30", "2025-03-20"),  # 1403 is a leap year
    ("1300/01/01", "1921-03-21"),
    ("\u200f۱۳۶۵/۲/۳۰", "1986-05-20"),
    ("۲۵/۰۵/۱۴۰۳", "2024-08-15"),  # day first, as the paper form prints it
    ("25-5-1403", "2024-08-15"),
])
def test_parse(text, iso) -> None:
    assert parse_jalali(text).isoformat() == iso


@pytest.mark.parametrize(("text", "part"), [
    ("1402/12/30", "روز"),  # 1402 is not leap
    ("1403/13/01", "ماه"),
    ("1403/00/10", "ماه"),
    ("1403/07/31", "روز"),
    ("1299/12/29", "سال"),
    ("1436/01/01", "سال"),
    ("1403/05", "به شکل"),
    ("tomorrow", "به شکل"),
    ("", "وارد کنید"),
])
def test_impossible_dates_name_the_field(text, part) -> None:
    with pytest.raises(InputError) as caught:
        parse_jalali(text, field="birth_date", label="تاریخ تولد")
    assert caught.value.field == "birth_date"
    assert "تاریخ تولد" in caught.value.message_fa
    assert part in caught.value.message_fa


def test_format() -> None:
    assert format_jalali(dt.date(2024, 8, 15)) == "۱۴۰۳/۰۵/۲۵"
    assert format_jalali(dt.date(2024, 8, 15), persian_digits=False) == "1403/05/25"
    assert format_jalali(None) == ""


def test_month_lengths() -> None:
    assert [days_in_month(1403, m) for m in range(1, 13)] == [31] * 6 + [30] * 5 + [30]
    assert days_in_month(1402, 12) == 29


@given(st.integers(MIN_YEAR, MAX_YEAR), st.integers(1, 12), st.integers(1, 31))
def test_round_trip(year: int, month: int, day: int) -> None:
    if day > days_in_month(year, month):
        return
    value = jalali_date(year, month, day)
    assert to_jalali(value) == (year, month, day)
    assert parse_jalali(format_jalali(value)) == value
    assert parse_jalali(format_jalali(value, persian_digits=False)) == value


@given(st.dates(from_jalali(MIN_YEAR, 1, 1), from_jalali(MAX_YEAR, 12, 29)))
def test_every_date_is_in_exactly_its_quarter(value: dt.date) -> None:
    quarter = JalaliQuarter.containing(value)
    assert quarter.start <= value <= quarter.end
    month = to_jalali(value)[1]
    assert quarter.quarter == (month - 1) // 3 + 1


def test_quarter_bounds() -> None:
    q1 = JalaliQuarter(1403, 1)
    assert (q1.start, q1.end) == (dt.date(2024, 3, 20), dt.date(2024, 6, 20))
    q4 = JalaliQuarter(1403, 4)
    assert to_jalali(q4.end) == (1403, 12, 30)
    assert to_jalali(JalaliQuarter(1402, 4).end) == (1402, 12, 29)
    assert JalaliQuarter(1403, 2).start == JalaliQuarter(1403, 1).end + dt.timedelta(days=1)
    assert JalaliQuarter(1404, 1).start == q4.end + dt.timedelta(days=1)
    assert q1.label == "فصل ۱ (بهار) ۱۴۰۳"


@pytest.mark.parametrize(("year", "quarter"), [(1403, 0), (1403, 5), (1299, 1)])
def test_bad_quarters(year, quarter) -> None:
    with pytest.raises(InputError):
        JalaliQuarter(year, quarter)
