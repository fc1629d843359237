"""The lock on closed quarters: a record dated in a quarter that has been exported (and
not reopened) cannot be added, changed or deleted. Checked inside the writer's own
transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.models import QuarterClosure


class PeriodClosedError(RuntimeError):
    """A record dated in a closed quarter cannot change until the quarter is reopened."""

    def __init__(self, quarter: JalaliQuarter) -> None:
        super().__init__(f"quarter {quarter.year}-Q{quarter.quarter} is closed")
        self.quarter = quarter
        self.message_fa = (f"{quarter.label} بسته شده و بسته آن برای وزارت فرستاده شده است؛ "
                           "برای تغییر، نخست آن فصل را (با ذکر دلیل) بازگشایی کنید.")


def closed_quarter(session: Session, day: dt.date) -> JalaliQuarter | None:
    """The closed quarter ``day`` falls in, if it is closed (exported, not reopened)."""
    quarter = JalaliQuarter.containing(day)
    latest = session.scalar(
        select(QuarterClosure).where(QuarterClosure.year == quarter.year,
                                     QuarterClosure.quarter == quarter.quarter)
        .order_by(QuarterClosure.version.desc()).limit(1))
    return quarter if latest is not None and latest.reopened_at is None else None


def ensure_open(session: Session, *days: dt.date | None) -> None:
    """Refuse a change touching any of ``days`` in a closed quarter (same transaction)."""
    for day in days:
        if day is not None and (quarter := closed_quarter(session, day)) is not None:
            raise PeriodClosedError(quarter)
