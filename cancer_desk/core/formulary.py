"""The formulary in force on a day: each drug's periods of coverage.

A drug cost is supported when its drug was covered on the item's date, not when it is
covered now: a drug withdrawn from the list keeps the support of the costs dated
before the withdrawal. A period runs from ``covered_from`` to ``covered_until``, both
days included; an open period (``covered_until`` is None) is the drug's coverage now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cancer_desk.core.jalali import format_jalali, from_jalali

# A drug added without a start date has been covered since the programme's 1387
# protocol revision: every cost the programme can hold falls after it.
PROGRAMME_START = from_jalali(1387, 1, 1)
# The list is "stale" when nobody has added, withdrawn or re-listed a drug for this long:
# the ministry revises its list more often than once a year.
STALE_AFTER_DAYS = 365

EMPTY_WARNING = "فهرست داروهای تحت پوشش خالی است؛ هیچ هزینهٔ دارویی حمایت نمی‌شود."


@dataclass(frozen=True)
class CoveragePeriod:
    covered_from: dt.date
    covered_until: dt.date | None = None  # None: still covered
    recorded_by: str = ""
    recorded_on: dt.date | None = None
    reason: str = ""

    def contains(self, day: dt.date) -> bool:
        return self.covered_from <= day and (self.covered_until is None
                                             or day <= self.covered_until)

    @property
    def label(self) -> str:
        """``از ۱۴۰۵/۰۱/۰۱ تا ۱۴۰۵/۰۲/۳۱`` or ``از ۱۴۰۵/۰۱/۰۱ (تاکنون)``"""
        start = f"از {format_jalali(self.covered_from)}"
        if self.covered_until is None:
            return f"{start} (تاکنون)"
        return f"{start} تا {format_jalali(self.covered_until)}"


def covered_on(periods: Sequence[CoveragePeriod], day: dt.date) -> bool:
    """Was the drug on the formulary on ``day``?"""
    return any(period.contains(day) for period in periods)


def open_period(periods: Sequence[CoveragePeriod]) -> CoveragePeriod | None:
    return next((p for p in periods if p.covered_until is None), None)


def withdrawal_problem(periods: Sequence[CoveragePeriod], day: dt.date) -> str | None:
    """Why the drug cannot be withdrawn from ``day`` (it is then no longer covered on
    ``day``), or None. A withdrawal on the first day of the open period ends it empty."""
    current = open_period(periods)
    if current is None:
        return "این دارو اکنون در فهرست نیست."
    if day < current.covered_from:
        return (f"تاریخ خروج پیش از آغاز پوشش کنونی دارو "
                f"({format_jalali(current.covered_from)}) است.")
    return None


def relisting_problem(periods: Sequence[CoveragePeriod], day: dt.date) -> str | None:
    """Why the drug cannot be listed again from ``day``, or None."""
    if open_period(periods) is not None:
        return "این دارو اکنون در فهرست است."
    ends = [p.covered_until for p in periods if p.covered_until is not None]
    if ends and day <= max(ends):
        return (f"تاریخ بازگشت باید پس از پایان آخرین دورهٔ پوشش "
                f"({format_jalali(max(ends))}) باشد.")
    return None


def status_label(periods: Sequence[CoveragePeriod], today: dt.date) -> str:
    """What the formulary window says of a drug today."""
    if covered_on(periods, today):
        return "در فهرست"
    if any(p.covered_from > today for p in periods):
        return "از تاریخی آینده در فهرست"
    if not periods:
        return "هرگز در فهرست نبوده"
    return "خارج از فهرست"


def not_covered_reading(periods: Sequence[CoveragePeriod], day: dt.date) -> str:
    """Why a drug was not on the list on an item's date: its periods, read out."""
    if not periods:
        return "این دارو هیچ دورهٔ پوششی ندارد"
    shown = "، ".join(p.label for p in periods)
    return f"در تاریخ {format_jalali(day)} در فهرست نبود (پوشش: {shown})"


def formulary_warning(covered_now: int, last_change: dt.date | None,
                      today: dt.date) -> str | None:
    """What to tell the social workers about the list itself, or None when it is fine."""
    if covered_now == 0:
        return EMPTY_WARNING
    if last_change is None or (today - last_change).days > STALE_AFTER_DAYS:
        since = format_jalali(last_change) if last_change else "—"
        return ("فهرست داروهای تحت پوشش بیش از یک سال است تغییری "
                f"نکرده (آخرین تغییر: {since})؛ با فهرست تازهٔ وزارت بهداشت مقایسه کنید.")
    return None


def last_change(drug_periods: Sequence[Sequence[CoveragePeriod]]) -> dt.date | None:
    """The last day a period was opened or closed, over the whole list."""
    return max((p.recorded_on for periods in drug_periods for p in periods
                if p.recorded_on is not None), default=None)


def list_warning(drug_periods: Sequence[Sequence[CoveragePeriod]],
                 today: dt.date) -> str | None:
    """:func:`formulary_warning` for a list given as each drug's periods."""
    covered = sum(covered_on(periods, today) for periods in drug_periods)
    return formulary_warning(covered, last_change(drug_periods), today)
