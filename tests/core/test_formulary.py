"""Is a day covered by a drug's periods; when is the list empty or stale."""

from __future__ import annotations

import datetime as dt

from cancer_desk.core.formulary import (
    EMPTY_WARNING,
    CoveragePeriod,
    covered_on,
    list_warning,
    not_covered_reading,
    relisting_problem,
    status_label,
    withdrawal_problem,
)
from cancer_desk.core.jalali import from_jalali

FIRST = CoveragePeriod(from_jalali(1400, 1, 1), from_jalali(1405, 2, 31))
AGAIN = CoveragePeriod(from_jalali(1405, 5, 1))


def test_both_ends_of_a_period_are_covered_and_the_gap_is_not() -> None:
    periods = [FIRST, AGAIN]
    assert covered_on(periods, from_jalali(1400, 1, 1))
    assert covered_on(periods, from_jalali(1405, 2, 31))
    assert not covered_on(periods, from_jalali(1405, 3, 1))
    assert not covered_on(periods, from_jalali(1405, 4, 31))
    assert covered_on(periods, from_jalali(1405, 5, 1))
    assert covered_on(periods, from_jalali(1420, 1, 1))  # open: still covered
    assert not covered_on(periods, from_jalali(1399, 12, 29))
    assert not covered_on([], from_jalali(1405, 1, 1))


def test_withdrawing_and_relisting_are_checked_against_the_periods() -> None:
    assert withdrawal_problem([FIRST], from_jalali(1405, 6, 1)) == "این دارو اکنون در فهرست نیست."
    assert "پیش از آغاز" in (withdrawal_problem([FIRST, AGAIN], from_jalali(1405, 4, 1)) or "")
    assert withdrawal_problem([FIRST, AGAIN], from_jalali(1405, 5, 1)) is None
    assert relisting_problem([FIRST, AGAIN], from_jalali(1406, 1, 1)) \
        == "این دارو اکنون در فهرست است."
    assert "۱۴۰۵/۰۲/۳۱" in (relisting_problem([FIRST], from_jalali(1405, 2, 31)) or "")
    assert relisting_problem([FIRST], from_jalali(1405, 3, 1)) is None


def test_status_and_reading() -> None:
    today = from_jalali(1405, 4, 1)
    assert status_label([FIRST], today) == "خارج از فهرست"
    assert status_label([FIRST, AGAIN], today) == "از تاریخی آینده در فهرست"
    assert status_label([AGAIN], from_jalali(1405, 6, 1)) == "در فهرست"
    assert status_label([], today) == "هرگز در فهرست نبوده"
    assert not_covered_reading([FIRST], today) == (
        "در تاریخ ۱۴۰۵/۰۴/۰۱ در فهرست نبود (پوشش: از ۱۴۰۰/۰۱/۰۱ تا ۱۴۰۵/۰۲/۳۱)")


def test_the_list_is_empty_when_no_drug_is_covered_today_and_stale_after_a_year() -> None:
    today = dt.date(2026, 12, 2)
    assert list_warning([], today) == EMPTY_WARNING
    assert list_warning([[FIRST]], today) == EMPTY_WARNING  # withdrawn: none covered
    recent = CoveragePeriod(dt.date(2020, 1, 1), recorded_on=today - dt.timedelta(days=365))
    assert list_warning([[recent]], today) is None  # exactly a year: not yet stale
    old = CoveragePeriod(dt.date(2020, 1, 1), recorded_on=today - dt.timedelta(days=366))
    warning = list_warning([[old]], today)
    assert warning is not None and "بیش از یک سال" in warning and "۱۴۰۴/۰۹/۱۰" in warning
