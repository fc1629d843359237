"""Recording eligibility assessments and reading a patient's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Action
from cancer_desk.core.errors import InputError
from cancer_desk.core.jalali import MIN_YEAR, format_jalali, from_jalali
from cancer_desk.core.records import AssessmentRecord
from cancer_desk.core.rules import RuleBook
from cancer_desk.core.scoring import score
from cancer_desk.db.engine import take_write_lock
from cancer_desk.models import Assessment, Patient
from cancer_desk.services.access import Access
from cancer_desk.services.costs import reband_patient
from cancer_desk.services.errors import NotFoundError
from cancer_desk.services.period_lock import ensure_open
from cancer_desk.services.seals import ensure_unsealed


def _record(row: Assessment) -> AssessmentRecord:
    return AssessmentRecord(
        id=row.id,
        patient_id=row.patient_id,
        ruleset_id=row.ruleset_id,
        answers=dict(row.answers),
        points=dict(row.points),
        score=row.score,
        coverage_percent=row.coverage_percent,
        assessed_on=row.assessed_on,
        assessor=row.assessor,
        created_at=row.created_at,
    )


class AssessmentService:
    def __init__(self, session_factory: sessionmaker[Session], rulebook: RuleBook,
                 access: Access) -> None:
        self._sessions = session_factory
        self._rules = rulebook
        self._access = access

    def record(
        self,
        patient_id: int,
        answers: Mapping[str, object],
        *,
        assessed_on: dt.date | None = None,
        ruleset_id: str | None = None,
    ) -> AssessmentRecord:
        """Score ``answers`` here (never trusting a score computed elsewhere) and save,
        with the signed-in social worker as the assessor.

        Raises :class:`~cancer_desk.core.scoring.ScoringError` for an incomplete
        answer set and :class:`InputError` for a bad date.
        """
        actor = self._access.require(Action.ASSESS)
        today = dt.date.today()
        assessed_on = assessed_on or today
        if assessed_on > today:
            raise InputError("assessed_on", "is in the future",
                             "«تاریخ ارزیابی» نمی‌تواند در آینده باشد.")
        if assessed_on < from_jalali(MIN_YEAR, 1, 1):
            raise InputError("assessed_on", "is too early", "«تاریخ ارزیابی» درست نیست.")
        ruleset = self._rules[ruleset_id] if ruleset_id else self._rules.active(assessed_on)
        if assessed_on < ruleset.effective_from:
            raise InputError(
                "assessed_on", f"before rule set {ruleset.id} took effect",
                f"«تاریخ ارزیابی» پیش از اجرای «{ruleset.name}» "
                f"({format_jalali(ruleset.effective_from)}) است.")
        result = score(ruleset, answers)
        with self._sessions.begin() as session:
            take_write_lock(session)  # the closed-quarter check holds until commit
            if session.get(Patient, patient_id) is None:
                raise NotFoundError(f"patient {patient_id} does not exist")
            ensure_open(session, assessed_on)
            ensure_unsealed(session, patient_id)
            row = Assessment(
                patient_id=patient_id,
                ruleset_id=result.ruleset_id,
                answers=dict(result.answers),
                points=dict(result.points),
                score=result.score,
                coverage_percent=result.coverage_percent,
                assessed_on=assessed_on,
                assessor=actor.display_name,
            )
            session.add(row)
            session.flush()
            reband_patient(session, patient_id)  # costs now in this band's time
            return _record(row)

    def history(self, patient_id: int, *, limit: int | None = None) -> list[AssessmentRecord]:
        """Newest first."""
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            rows = session.scalars(
                select(Assessment)
                .where(Assessment.patient_id == patient_id)
                .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
                .limit(limit)
            )
            return [_record(r) for r in rows]

