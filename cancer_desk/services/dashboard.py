"""The figures of the monitoring dashboard (پایش و ارزیابی) for one programme year."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Action
from cancer_desk.core.jalali import days_in_month, from_jalali, to_jalali
from cancer_desk.models import Assessment, CostItem, Patient
from cancer_desk.services.access import Access


@dataclass(frozen=True)
class YearFigures:
    year: int
    spending_by_month: list[int]  # 12 Jalali months, tomans of support
    allocation: int | None
    patients_by_group: dict[int, int]  # patients seen in the year
    assessments_by_coverage: dict[int, int]  # coverage percent → assessments in the year

    @property
    def spent(self) -> int:
        return sum(self.spending_by_month)

    @property
    def remaining(self) -> int | None:
        return None if self.allocation is None else self.allocation - self.spent


class DashboardService:
    def __init__(self, session_factory: sessionmaker[Session], access: Access) -> None:
        self._sessions = session_factory
        self._access = access

    def figures(self, year: int, allocation: int | None) -> YearFigures:
        self._access.require(Action.VIEW_REPORTS)
        start, end = from_jalali(year, 1, 1), from_jalali(year, 12, days_in_month(year, 12))
        with self._sessions() as session:
            months = [0] * 12
            for day, support in session.execute(
                    select(CostItem.item_date, func.sum(CostItem.support_amount))
                    .where(CostItem.item_date.between(start, end))
                    .group_by(CostItem.item_date)):
                months[to_jalali(day)[1] - 1] += int(support or 0)
            seen = union(
                select(Assessment.patient_id).where(Assessment.assessed_on.between(start, end)),
                select(CostItem.patient_id).where(CostItem.item_date.between(start, end)),
                select(Patient.id).where(Patient.registered_on.between(start, end)),
            ).subquery()
            groups = dict(session.execute(
                select(Patient.cancer_group_id, func.count())
                .where(Patient.id.in_(select(seen.c[0])))
                .group_by(Patient.cancer_group_id)).all())
            bands = dict(session.execute(
                select(Assessment.coverage_percent, func.count())
                .where(Assessment.assessed_on.between(start, end))
                .group_by(Assessment.coverage_percent)).all())
        return YearFigures(year, months, allocation, groups, bands)
