"""A patient's cost items and the support each one gets.

The band of an item is the coverage of the assessment in force on the item's date: the
patient's latest assessment dated on or before it, or — for costs from before the first
assessment (entered first, assessed later) — the first assessment. It is recomputed
whenever the patient's assessments change, so the support shown is never stale; the
assessment that set it is named on the item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from cancer_desk.core.access import Action
from cancer_desk.core.costs import (
    CostItemInput,
    NoSupport,
    Support,
    clean_cost_item,
    on_formulary,
    support_for,
)
from cancer_desk.core.formulary import CoveragePeriod, covered_on
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.core.records import CostItemRecord, CostTotals
from cancer_desk.core.reference import OUTSIDE_GROUP_ID
from cancer_desk.db.engine import take_write_lock
from cancer_desk.models import Assessment, CostItem, FormularyDrug, Patient
from cancer_desk.services.access import Access
from cancer_desk.services.errors import NotFoundError, ReferredItemError, StaleRecordError
from cancer_desk.services.period_lock import closed_quarter, ensure_open
from cancer_desk.services.seals import ensure_unsealed


def _record(row: CostItem, assessment_date: dt.date | None) -> CostItemRecord:
    item = CostItemInput(
        item_date=row.item_date, kind=row.kind, amount=row.amount, quantity=row.quantity,
        drug_id=row.drug_id, description=row.description,
        insured_part=row.insured_part, pharmacy=row.pharmacy)
    reason = NoSupport(row.no_support_reason) if row.no_support_reason else None
    return CostItemRecord(
        id=row.id, version=row.version, patient_id=row.patient_id, item=item,
        drug_name=row.drug.name if row.drug is not None else "",
        on_formulary=row.kind == "drug" and on_formulary(
            row.drug is not None, drug_covered_on(row.drug, row.item_date)),
        assessment_id=row.assessment_id, assessment_date=assessment_date,
        support=Support(row.support_amount, row.coverage_percent, reason, row.insured_part),
        referral=row.referral_id)


def drug_covered_on(drug: FormularyDrug | None, day: dt.date) -> bool:
    """Was ``drug`` on the formulary on ``day`` (the item's date, not today)?"""
    return drug is not None and covered_on(
        [CoveragePeriod(p.covered_from, p.covered_until) for p in drug.periods], day)


def band_in_force(history: Sequence[tuple[dt.date, int, int]],
                  day: dt.date) -> tuple[dt.date, int, int] | None:
    """(assessed_on, assessment id, coverage) in force on ``day``; ``history`` sorted
    oldest first. Before the first assessment, the first one applies."""
    earlier = [entry for entry in history if entry[0] <= day]
    if earlier:
        return earlier[-1]
    return history[0] if history else None


def _history(session: Session, patient_id: int) -> list[tuple[dt.date, int, int]]:
    return [(assessed_on, assessment_id, coverage) for assessed_on, assessment_id, coverage
            in session.execute(
                select(Assessment.assessed_on, Assessment.id, Assessment.coverage_percent)
                .where(Assessment.patient_id == patient_id)
                .order_by(Assessment.assessed_on, Assessment.id))]


def _outside_groups(session: Session, patient_id: int) -> bool:
    """Is the patient's cancer outside the directive's nine groups (no support)?"""
    return session.scalar(select(Patient.cancer_group_id).where(
        Patient.id == patient_id)) == OUTSIDE_GROUP_ID


def _set_support(row: CostItem, band: tuple[dt.date, int, int] | None,
                 drug: FormularyDrug | None, outside_groups: bool) -> None:
    row.assessment_id = band[1] if band else None
    row.coverage_percent = band[2] if band else None
    support = support_for(row.amount, coverage_percent=row.coverage_percent,
                          insured_part=row.insured_part, kind=row.kind,
                          on_formulary=on_formulary(drug is not None,
                                                    drug_covered_on(drug, row.item_date)),
                          outside_groups=outside_groups)
    row.support_amount = support.amount
    row.no_support_reason = support.reason.value if support.reason else None


def resupport(session: Session, row: CostItem) -> None:
    """Compute ``row``'s support again as saving it would (band, group, its drug's
    coverage on its date); whether it may change is for the caller to check."""
    _set_support(row, band_in_force(_history(session, row.patient_id), row.item_date),
                 row.drug, _outside_groups(session, row.patient_id))


def reband_patient(session: Session, patient_id: int) -> int:
    """Bring every item's band in line with the patient's assessments (and its support
    with the patient's group: none outside the directive's groups), in the caller's
    transaction. Items already referred to accounting, and items in a closed quarter
    (already sent to the ministry), keep what they had. Returns how many changed.

    Raises :class:`SealedRecordError` if a change would reach a sealed Form 1 (its
    totals of support are part of what the director approved)."""
    history = _history(session, patient_id)
    outside = _outside_groups(session, patient_id)
    closed: dict[tuple[int, int], bool] = {}
    changed = 0
    for row in session.scalars(select(CostItem).where(CostItem.patient_id == patient_id)):
        band = band_in_force(history, row.item_date)
        if (band[1] if band else None) == row.assessment_id \
                and (row.no_support_reason == NoSupport.OUTSIDE_GROUPS.value) == outside:
            continue
        if row.referral_id is not None:  # referred at its band: what was asked is fixed
            continue
        quarter = JalaliQuarter.containing(row.item_date)
        key = (quarter.year, quarter.quarter)
        if key not in closed:
            closed[key] = closed_quarter(session, row.item_date) is not None
        if closed[key]:
            continue
        if not changed:
            ensure_unsealed(session, patient_id)
        _set_support(row, band, row.drug, outside)
        changed += 1
    return changed


class CostService:
    def __init__(self, session_factory: sessionmaker[Session], access: Access) -> None:
        self._sessions = session_factory
        self._access = access

    def list(self, patient_id: int, *, referral: int | None = None) -> list[CostItemRecord]:
        """A patient's items, or only those of one referral."""
        self._access.require(Action.VIEW_PATIENTS)
        condition = (CostItem.patient_id == patient_id) if referral is None else (
            CostItem.referral_id == referral)
        with self._sessions() as session:
            rows = session.execute(
                select(CostItem, Assessment.assessed_on)
                .outerjoin(Assessment, Assessment.id == CostItem.assessment_id)
                .where(condition)
                .order_by(CostItem.item_date, CostItem.id))
            return [_record(row, date) for row, date in rows]

    def totals(self, patient_id: int) -> CostTotals:
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            amount, support, items, unsupported, insured = session.execute(
                select(func.coalesce(func.sum(CostItem.amount), 0),
                       func.coalesce(func.sum(CostItem.support_amount), 0),
                       func.count(CostItem.id),
                       func.count(CostItem.no_support_reason),
                       func.coalesce(func.sum(CostItem.insured_part), 0))
                .where(CostItem.patient_id == patient_id)).one()
            return CostTotals(int(amount), int(support), items, unsupported, int(insured))

    def add(self, patient_id: int, item: CostItemInput) -> CostItemRecord:
        self._access.require(Action.EDIT_COSTS)
        item = clean_cost_item(vars(item))
        with self._sessions.begin() as session:
            take_write_lock(session)  # the closed-quarter check holds until commit
            if session.get(Patient, patient_id) is None:
                raise NotFoundError(f"patient {patient_id} does not exist")
            ensure_open(session, item.item_date)
            ensure_unsealed(session, patient_id)
            row = CostItem(patient_id=patient_id)
            self._apply(session, row, item)
            session.add(row)
            session.flush()
            session.refresh(row)
            return self._record_with_date(session, row)

    def update(self, item_id: int, item: CostItemInput, expected_version: int) -> CostItemRecord:
        self._access.require(Action.EDIT_COSTS)
        item = clean_cost_item(vars(item))
        try:
            with self._sessions.begin() as session:
                row = self._changeable(session, item_id, expected_version)
                ensure_open(session, row.item_date, item.item_date)
                self._apply(session, row, item)
                session.flush()
                session.refresh(row)
                return self._record_with_date(session, row)
        except StaleDataError as exc:
            raise StaleRecordError(f"cost item {item_id} changed") from exc

    def delete(self, item_id: int, expected_version: int) -> None:
        self._access.require(Action.EDIT_COSTS)
        with self._sessions.begin() as session:
            row = self._changeable(session, item_id, expected_version)
            ensure_open(session, row.item_date)
            session.delete(row)

    @staticmethod
    def _changeable(session: Session, item_id: int, expected_version: int) -> CostItem:
        """The item, locked for writing, if it may still be changed by the one who opened
        it at ``expected_version``, and the patient's Form 1 is not sealed; its quarter is
        for the caller to check."""
        take_write_lock(session)  # the closed-quarter check holds until commit
        row = session.get(CostItem, item_id)
        if row is None:
            raise NotFoundError(f"cost item {item_id} does not exist")
        if row.version != expected_version:
            raise StaleRecordError(f"cost item {item_id} changed since it was opened")
        if row.referral_id is not None:  # asked of accounting: fixed
            raise ReferredItemError(item_id, row.referral_id)
        ensure_unsealed(session, row.patient_id)
        return row

    @staticmethod
    def _record_with_date(session: Session, row: CostItem) -> CostItemRecord:
        date = session.scalar(select(Assessment.assessed_on).where(
            Assessment.id == row.assessment_id)) if row.assessment_id else None
        return _record(row, date)

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
        row.insured_part = item.insured_part
        row.pharmacy = item.pharmacy
        _set_support(row, band_in_force(_history(session, row.patient_id), item.item_date),
                     drug, _outside_groups(session, row.patient_id))
