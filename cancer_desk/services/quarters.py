"""Periods: Form 2 of a quarter (or any range), its checks, closing and reopening."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core import icd10
from cancer_desk.core.access import Action
from cancer_desk.core.case import CASE_FIELDS, CaseRecord
from cancer_desk.core.form2 import (
    Form2,
    Form2Problem,
    PatientActivity,
    check_form2,
    compute_form2,
    form2_notices,
)
from cancer_desk.core.jalali import JalaliQuarter, format_jalali, local_date
from cancer_desk.core.persian import normalize_text
from cancer_desk.core.records import Closure
from cancer_desk.core.reference import ReferenceData
from cancer_desk.db.engine import take_write_lock
from cancer_desk.models import (
    Allocation,
    Assessment,
    CaseRecordRow,
    CostItem,
    Patient,
    QuarterClosure,
)
from cancer_desk.models.base import utc_now
from cancer_desk.services import audit
from cancer_desk.services.access import Access
from cancer_desk.services.costs import reband_patient
from cancer_desk.services.seals import SealedRecordError

MIN_REASON_LENGTH = 5  # a word or two, not a shrug


class ReopenRefusedError(ValueError):
    """The quarter cannot be reopened as asked; ``message_fa`` says why."""

    def __init__(self, message: str, message_fa: str) -> None:
        super().__init__(message)
        self.message_fa = message_fa


@dataclass(frozen=True)
class QuarterStatus:
    quarter: JalaliQuarter
    closed: bool
    versions: int  # exports so far
    last_closed_at: dt.datetime | None
    last_closed_by: str
    reopened_reason: str  # of the latest reopening, if the quarter is open again

    @property
    def next_version(self) -> int:
        return self.versions + 1


@dataclass(frozen=True)
class PeriodReport:
    form2: Form2
    activities: list[PatientActivity]
    problems: list[Form2Problem]
    period_support: int
    notices: list[Form2Problem] = field(default_factory=list)  # told; closing goes on

    @property
    def can_close(self) -> bool:
        return not self.problems


def _latest_closure(session: Session, quarter: JalaliQuarter) -> QuarterClosure | None:
    return session.scalar(
        select(QuarterClosure).where(QuarterClosure.year == quarter.year,
                                     QuarterClosure.quarter == quarter.quarter)
        .order_by(QuarterClosure.version.desc()).limit(1))


def _closure_record(row: QuarterClosure) -> Closure:
    return Closure(version=row.version, snapshot=dict(row.snapshot),
                   package_sha256=row.package_sha256,
                   manifest_sha256=row.manifest_sha256,
                   closed_by=row.closed_by,
                   reopened_on=row.reopened_on, reopened_by=row.reopened_by or "",
                   reopen_reason=row.reopen_reason or "")


class QuarterService:
    """Form 2 of any period, and the state of each quarter. The ``*_in`` methods work
    inside a caller's session, so an export reads one consistent state."""

    def __init__(self, session_factory: sessionmaker[Session], reference: ReferenceData,
                 access: Access) -> None:
        self._sessions = session_factory
        self._reference = reference
        self._access = access

    # --- Form 2 ----------------------------------------------------------------------

    def activities(self, start: dt.date, end: dt.date) -> list[PatientActivity]:
        self._access.require(Action.VIEW_REPORTS)
        with self._sessions() as session:
            return self.activities_in(session, start, end)

    def activities_in(self, session: Session, start: dt.date,
                      end: dt.date) -> list[PatientActivity]:
        """Every patient with any dealing with the programme in [start, end]."""
        registered = select(Patient.id).where(Patient.registered_on.between(start, end))
        assessed = select(Assessment.patient_id).where(
            Assessment.assessed_on.between(start, end))
        costs = (select(CostItem.patient_id,
                        func.count(CostItem.id).label("items"),
                        func.coalesce(func.sum(CostItem.support_amount), 0).label("support"),
                        func.sum(sql_case((CostItem.assessment_id.is_(None), 1), else_=0))
                        .label("unbanded"))
                 .where(CostItem.item_date.between(start, end))
                 .group_by(CostItem.patient_id).subquery())
        cost_by_patient = {row.patient_id: row for row in session.execute(select(costs))}
        assessed_ids = set(session.scalars(assessed))
        ids = sorted(set(session.scalars(registered)) | assessed_ids | set(cost_by_patient))
        rows = self._patients_in_batches(session, ids)
        cases = self._cases_in_batches(session, ids)
        ever_assessed = self._ever_assessed(session, ids)
        activities = []
        for patient in rows:
            cost = cost_by_patient.get(patient.id)
            case = cases.get(patient.id)
            activities.append(PatientActivity(
                patient_id=patient.id,
                cancer_group_id=patient.cancer_group_id,
                registered=start <= patient.registered_on <= end,
                assessed=patient.id in assessed_ids,
                cost_items=cost.items if cost else 0,
                support=int(cost.support) if cost else 0,
                items_without_band=int(cost.unbanded or 0) if cost else 0,
                form1_missing=tuple(case.missing_labels(self._reference.form1))
                if case is not None else None,
                has_assessment=patient.id in ever_assessed,
                name=f"{patient.first_name} {patient.last_name}",
                national_code=patient.national_code,
                icd10_code=patient.icd10_code,
                group_disagrees=bool(patient.icd10_code) and icd10.group_mismatch(
                    patient.icd10_code, patient.cancer_group_id, self._reference) is not None,
            ))
        return activities

    @staticmethod
    def _patients_in_batches(session: Session, ids: list[int]) -> list[Row[Any]]:
        """The few columns Form 2 needs, as rows: whole mapped patients cost a third of
        its time on a large quarter."""
        found: list[Row[Any]] = []
        columns = (Patient.id, Patient.cancer_group_id, Patient.registered_on,
                   Patient.first_name, Patient.last_name, Patient.national_code,
                   Patient.icd10_code)
        for start in range(0, len(ids), 900):
            found += session.execute(
                select(*columns).where(Patient.id.in_(ids[start:start + 900])))
        return found

    @staticmethod
    def _cases_in_batches(session: Session, ids: list[int]) -> dict[int, CaseRecord]:
        cases: dict[int, CaseRecord] = {}
        columns = [getattr(CaseRecordRow, n) for n in CASE_FIELDS if n != "family_cancers"]
        for start in range(0, len(ids), 900):
            for row in session.execute(select(CaseRecordRow.patient_id, *columns).where(
                    CaseRecordRow.patient_id.in_(ids[start:start + 900]))):
                values = dict(zip([c.key for c in columns], row[1:], strict=True))
                cases[row[0]] = CaseRecord(**values)
        return cases

    @staticmethod
    def _ever_assessed(session: Session, ids: list[int]) -> set[int]:
        found: set[int] = set()
        for start in range(0, len(ids), 900):
            found |= set(session.scalars(select(Assessment.patient_id).distinct().where(
                Assessment.patient_id.in_(ids[start:start + 900]))))
        return found

    @staticmethod
    def period_support_in(session: Session, start: dt.date, end: dt.date) -> int:
        """Support of the period's cost items, summed on its own as a cross-check."""
        return int(session.scalar(select(func.coalesce(func.sum(CostItem.support_amount), 0))
                                  .where(CostItem.item_date.between(start, end))) or 0)

    def report(self, start: dt.date, end: dt.date) -> PeriodReport:
        self._access.require(Action.VIEW_REPORTS)
        with self._sessions() as session:
            return self.report_in(session, start, end)

    def report_in(self, session: Session, start: dt.date, end: dt.date) -> PeriodReport:
        activities = self.activities_in(session, start, end)
        form2 = compute_form2(start, end, activities, self._reference.cancer_groups,
                              self._reference.outside_group)
        support = self.period_support_in(session, start, end)
        return PeriodReport(form2, activities, check_form2(form2, activities, support), support,
                            form2_notices(activities))

    # --- closing and reopening ---------------------------------------------------------

    def status(self, quarter: JalaliQuarter) -> QuarterStatus:
        self._access.require(Action.VIEW_REPORTS)
        with self._sessions() as session:
            return self.status_in(session, quarter)

    @staticmethod
    def status_in(session: Session, quarter: JalaliQuarter) -> QuarterStatus:
        latest = _latest_closure(session, quarter)
        return QuarterStatus(
            quarter=quarter,
            closed=latest is not None and latest.reopened_at is None,
            versions=latest.version if latest else 0,
            last_closed_at=latest.closed_at if latest else None,
            last_closed_by=latest.closed_by if latest else "",
            reopened_reason=latest.reopen_reason if latest and latest.reopened_at else "",
        )

    def closed_quarters(self) -> list[JalaliQuarter]:
        """Every quarter closed now (exported and not reopened)."""
        with self._sessions() as session:
            latest = (select(QuarterClosure.year, QuarterClosure.quarter,
                             func.max(QuarterClosure.version).label("version"))
                      .group_by(QuarterClosure.year, QuarterClosure.quarter).subquery())
            rows = session.execute(
                select(QuarterClosure.year, QuarterClosure.quarter)
                .join(latest, (QuarterClosure.year == latest.c.year)
                      & (QuarterClosure.quarter == latest.c.quarter)
                      & (QuarterClosure.version == latest.c.version))
                .where(QuarterClosure.reopened_at.is_(None))
                .order_by(QuarterClosure.year, QuarterClosure.quarter)).all()
        return [JalaliQuarter(year, quarter) for year, quarter in rows]

    def closure(self, quarter: JalaliQuarter, version: int) -> Closure | None:
        """One export of a quarter: what it held, its checksum, and its reopening."""
        self._access.require(Action.VIEW_REPORTS)
        with self._sessions() as session:
            return self.closure_in(session, quarter, version)

    @staticmethod
    def closure_in(session: Session, quarter: JalaliQuarter, version: int) -> Closure | None:
        row = session.scalar(
            select(QuarterClosure).where(QuarterClosure.year == quarter.year,
                                         QuarterClosure.quarter == quarter.quarter,
                                         QuarterClosure.version == version))
        return _closure_record(row) if row is not None else None

    def reopen(self, quarter: JalaliQuarter, *, reason: str) -> int:
        """Open a closed quarter again, recording who (the signed-in director) and why.
        Support that could not follow an assessment while the quarter was closed is
        brought up to date in the same transaction; returns how many cost items that
        changed."""
        actor = self._access.require(Action.CLOSE_QUARTER)
        reason = normalize_text(reason)
        if len(reason) < MIN_REASON_LENGTH:
            raise ReopenRefusedError("a reason of at least a few words is needed",
                                     "«دلیل بازگشایی» را در چند کلمه بنویسید.")
        with self._sessions.begin() as session:
            take_write_lock(session)
            session.info[audit.REASON_KEY] = reason
            latest = _latest_closure(session, quarter)
            if latest is None or latest.reopened_at is not None:
                raise ReopenRefusedError(f"quarter {quarter} is not closed",
                                         f"{quarter.label} بسته نیست (شاید در پنجره یا رایانه "
                                         "دیگری بازگشایی شده است).")
            latest.reopened_at = utc_now()
            latest.reopened_on = local_date(latest.reopened_at)
            latest.reopened_by = actor.display_name
            latest.reopen_reason = reason
            session.flush()
            patients = session.scalars(select(CostItem.patient_id).distinct().where(
                CostItem.item_date.between(quarter.start, quarter.end)))
            rebanded = 0
            sealed: list[Patient] = []
            for patient_id in list(patients):
                try:
                    rebanded += reband_patient(session, patient_id)
                except SealedRecordError:
                    patient = session.get(Patient, patient_id)
                    assert patient is not None  # its cost items refer to it
                    sealed.append(patient)
            if sealed:  # the whole reopening is undone: nothing half-done
                names = "، ".join(f"«{p.first_name} {p.last_name}»" for p in sealed)
                raise ReopenRefusedError(
                    f"reopening would change the support on {len(sealed)} sealed Form 1(s)",
                    f"بازگشایی، حمایت ثبت‌شده در فرم ۱ تأییدشده این بیماران را تغییر می‌دهد: "
                    f"{names}. نخست مهر فرم ۱ آنان را (با ذکر دلیل) بردارید.")
            return rebanded


def period_label(start: dt.date, end: dt.date) -> str:
    return f"{format_jalali(start)} تا {format_jalali(end)}"



class AllocationService:
    """The hub's allocation from the budget line, per programme year, in tomans."""

    def __init__(self, session_factory: sessionmaker[Session], access: Access) -> None:
        self._sessions = session_factory
        self._access = access

    def get(self, programme_year: int) -> int | None:
        self._access.require(Action.VIEW_REPORTS)
        with self._sessions() as session:
            row = session.get(Allocation, programme_year)
            return row.amount if row is not None else None

    def set(self, programme_year: int, amount: int) -> None:
        self._access.require(Action.SET_ALLOCATION)
        if amount < 0:
            raise ValueError("an allocation cannot be negative")
        with self._sessions.begin() as session:
            row = session.get(Allocation, programme_year)
            if row is None:
                session.add(Allocation(programme_year=programme_year, amount=amount))
            else:
                row.amount = amount
