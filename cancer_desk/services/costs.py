"""A patient's cost items and the support each one gets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from cancer_desk.core.costs import CostItemInput, NoSupport, Support, clean_cost_item, support_for
from cancer_desk.models import Assessment, CostItem, FormularyDrug, Patient
from cancer_desk.services.errors import NotFoundError, StaleRecordError


@dataclass(frozen=True)
class CostItemRecord:
    id: int
    version: int
    patient_id: int
    item: CostItemInput
    drug_name: str  # the formulary name, or "" for free text
    on_formulary: bool
    assessment_id: int | None
    assessment_date: dt.date | None
    support: Support

    @property
    def title(self) -> str:
        """What the item is: the drug's name, or the description."""
        return self.drug_name or self.item.description


@dataclass(frozen=True)
class CostTotals:
    total_amount: int
    total_support: int
    items: int
    unsupported_items: int


def _record(row: CostItem, assessment_date: dt.date | None) -> CostItemRecord:
    item = CostItemInput(
        item_date=row.item_date, kind=row.kind, amount=row.amount, quantity=row.quantity,
        drug_id=row.drug_id, description=row.description,
        under_insurance=row.under_insurance, pharmacy=row.pharmacy)
    reason = NoSupport(row.no_support_reason) if row.no_support_reason else None
    return CostItemRecord(
        id=row.id, version=row.version, patient_id=row.patient_id, item=item,
        drug_name=row.drug.name if row.drug is not None else "",
        on_formulary=row.drug is not None,
        assessment_id=row.assessment_id, assessment_date=assessment_date,
        support=Support(row.support_amount, row.coverage_percent, reason))


class CostService:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def list(self, patient_id: int) -> list[CostItemRecord]:
        with self._sessions() as session:
            rows = session.execute(
                select(CostItem, Assessment.assessed_on)
                .outerjoin(Assessment, Assessment.id == CostItem.assessment_id)
                .where(CostItem.patient_id == patient_id)
                .order_by(CostItem.item_date, CostItem.id))
            return [_record(row, date) for row, date in rows]

    def totals(self, patient_id: int) -> CostTotals:
        with self._sessions() as session:
            amount, support, items, unsupported = session.execute(
                select(func.coalesce(func.sum(CostItem.amount), 0),
                       func.coalesce(func.sum(CostItem.support_amount), 0),
                       func.count(CostItem.id),
                       func.count(CostItem.no_support_reason))
                .where(CostItem.patient_id == patient_id)).one()
            return CostTotals(amount, support, items, unsupported)

    def add(self, patient_id: int, item: CostItemInput) -> CostItemRecord:
        """Save a cost item with the band of the patient's latest assessment."""
        item = clean_cost_item(vars(item))
        with self._sessions.begin() as session:
            if session.get(Patient, patient_id) is None:
                raise NotFoundError(f"patient {patient_id} does not exist")
            row = CostItem(patient_id=patient_id)
            latest = session.scalar(
                select(Assessment).where(Assessment.patient_id == patient_id)
                .order_by(Assessment.assessed_on.desc(), Assessment.id.desc()).limit(1))
            row.assessment_id = latest.id if latest is not None else None
            row.coverage_percent = latest.coverage_percent if latest is not None else None
            self._apply(session, row, item)
            session.add(row)
            session.flush()
            session.refresh(row)
            return _record(row, latest.assessed_on if latest is not None else None)

    def update(self, item_id: int, item: CostItemInput, expected_version: int) -> CostItemRecord:
        """Change an item; it keeps the band it was saved with (or takes the latest
        one if it had none)."""
        item = clean_cost_item(vars(item))
        try:
            with self._sessions.begin() as session:
                row = session.get(CostItem, item_id)
                if row is None:
                    raise NotFoundError(f"cost item {item_id} does not exist")
                if row.version != expected_version:
                    raise StaleRecordError(f"cost item {item_id} changed since it was opened")
                if row.assessment_id is None:
                    latest = session.scalar(
                        select(Assessment).where(Assessment.patient_id == row.patient_id)
                        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
                        .limit(1))
                    if latest is not None:
                        row.assessment_id = latest.id
                        row.coverage_percent = latest.coverage_percent
                self._apply(session, row, item)
                session.flush()
                session.refresh(row)
                date = session.scalar(select(Assessment.assessed_on).where(
                    Assessment.id == row.assessment_id)) if row.assessment_id else None
                return _record(row, date)
        except StaleDataError as exc:
            raise StaleRecordError(f"cost item {item_id} changed") from exc

    def delete(self, item_id: int, expected_version: int) -> None:
        with self._sessions.begin() as session:
            row = session.get(CostItem, item_id)
            if row is None:
                raise NotFoundError(f"cost item {item_id} does not exist")
            if row.version != expected_version:
                raise StaleRecordError(f"cost item {item_id} changed since it was opened")
            session.delete(row)

    @staticmethod
    def _apply(session: Session, row: CostItem, item: CostItemInput) -> None:
        drug = session.get(FormularyDrug, item.drug_id) if item.drug_id is not None else None
        if item.drug_id is not None and drug is None:
            raise NotFoundError(f"drug {item.drug_id} is not on the formulary")
        row.item_date = item.item_date
        row.kind = item.kind
        row.drug_id = drug.id if drug is not None else None
        row.description = item.description
        row.quantity = item.quantity
        row.amount = item.amount
        row.under_insurance = item.under_insurance
        row.pharmacy = item.pharmacy
        support = support_for(item.amount, coverage_percent=row.coverage_percent,
                              under_insurance=item.under_insurance, kind=item.kind,
                              on_formulary=drug is not None and drug.active)
        row.support_amount = support.amount
        row.no_support_reason = support.reason.value if support.reason else None
