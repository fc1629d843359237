"""Form 1 beyond identity: the case record of each patient."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from cancer_desk.core.access import Action
from cancer_desk.core.case import CASE_FIELDS, CaseRecord, FamilyCancer, clean_case
from cancer_desk.core.reference import Form1Lists
from cancer_desk.models import CaseRecordRow, FamilyCancerRow, Patient
from cancer_desk.models.base import utc_now
from cancer_desk.services.access import Access
from cancer_desk.services.errors import NotFoundError, StaleRecordError
from cancer_desk.services.seals import ensure_unsealed

_COLUMNS = tuple(name for name in CASE_FIELDS if name != "family_cancers")


@dataclass(frozen=True)
class CaseState:
    """A case as read: the record and the version to hand back when saving."""

    record: CaseRecord
    version: int | None  # None: no case saved yet


def _record(row: CaseRecordRow) -> CaseRecord:
    values = {name: getattr(row, name) for name in _COLUMNS}
    family = tuple(FamilyCancer(f.cancer_type, f.relation) for f in row.family_cancers)
    return CaseRecord(**values, family_cancers=family)


class CaseService:
    def __init__(self, session_factory: sessionmaker[Session], lists: Form1Lists,
                 access: Access) -> None:
        self._sessions = session_factory
        self._lists = lists
        self._access = access

    def get(self, patient_id: int) -> CaseState:
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            row = session.scalar(select(CaseRecordRow).where(CaseRecordRow.patient_id
                                                             == patient_id))
            if row is None:
                return CaseState(CaseRecord(), None)
            return CaseState(_record(row), row.version)

    def save(self, patient_id: int, case: CaseRecord, expected_version: int | None) -> CaseState:
        """Check the record again (dates against the patient's birth) and save it whole,
        family rows included, in one transaction. «نام تکمیل‌کننده فرم» is the
        signed-in person, whatever ``case`` says."""
        actor = self._access.require(Action.EDIT_CASE)
        case = dataclasses.replace(case, completed_by=actor.display_name)
        try:
            with self._sessions.begin() as session:
                patient = session.get(Patient, patient_id)
                if patient is None:
                    raise NotFoundError(f"patient {patient_id} does not exist")
                case = clean_case(case.as_dict(), lists=self._lists,
                                  birth_date=patient.birth_date)
                row = session.scalar(select(CaseRecordRow).where(
                    CaseRecordRow.patient_id == patient_id))
                current = row.version if row is not None else None
                if current != expected_version:
                    raise StaleRecordError(f"the case of patient {patient_id} changed "
                                           "since it was opened")
                ensure_unsealed(session, patient_id)
                if row is None:
                    row = CaseRecordRow(patient_id=patient_id)
                    session.add(row)
                for name in _COLUMNS:
                    setattr(row, name, getattr(case, name))
                row.family_cancers = [
                    FamilyCancerRow(position=i, cancer_type=f.cancer_type, relation=f.relation)
                    for i, f in enumerate(case.family_cancers)
                ]
                # A change to the family rows alone issues no UPDATE of this row, and so
                # no new version: touching it makes every save bump the version.
                row.updated_at = utc_now()
                session.flush()
                return CaseState(dataclasses.replace(case), row.version)
        except StaleDataError as exc:
            raise StaleRecordError(f"the case of patient {patient_id} changed") from exc
