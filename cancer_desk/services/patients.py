"""Registering, changing and finding patients."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from cancer_desk.core.access import Action
from cancer_desk.core.errors import InputError
from cancer_desk.core.patient import FIELDS, PatientIdentity, clean_identity
from cancer_desk.core.persian import (
    collation_key,
    is_ascii_digits,
    normalize_identifier,
    search_key,
    to_persian_digits,
)
from cancer_desk.core.records import PatientRecord, PatientSummary
from cancer_desk.core.reference import ReferenceData
from cancer_desk.models import Assessment, Patient
from cancer_desk.services.access import Access
from cancer_desk.services.costs import reband_patient
from cancer_desk.services.errors import DuplicateNationalCodeError, NotFoundError, StaleRecordError
from cancer_desk.services.seals import ensure_unsealed

NAME_SEPARATOR = "|"


def patient_search_key(first_name: str, last_name: str) -> str:
    # The separator is taken out of typed words (search_filter), so a word cannot
    # match across the boundary between the first and the last name.
    return f"{search_key(first_name)}{NAME_SEPARATOR}{search_key(last_name)}"


def patient_sort_key(first_name: str, last_name: str) -> str:
    return collation_key(f"{last_name} {first_name}")


def _checked(identity: PatientIdentity, reference: ReferenceData | None) -> PatientIdentity:
    """Whoever built the identity, what is stored is checked and normalised here
    (raises :class:`~cancer_desk.core.errors.ValidationErrors`)."""
    return clean_identity(identity.as_dict(), reference=reference)


def _record(row: Patient) -> PatientRecord:
    identity = PatientIdentity(**{name: getattr(row, name) for name in FIELDS})
    return PatientRecord(row.id, row.version, identity, row.created_at, row.updated_at)


def _apply(row: Patient, identity: PatientIdentity) -> None:
    for name, value in dataclasses.asdict(identity).items():
        setattr(row, name, value)
    row.search_key = patient_search_key(identity.first_name, identity.last_name)
    row.sort_key = patient_sort_key(identity.first_name, identity.last_name)


_LIKE_SPECIAL = re.compile(r"([\\%_])")


def _like_escape(text: str) -> str:
    return _LIKE_SPECIAL.sub(r"\\\1", text)


# A name and a national code typed together fit many times over; a longer text is a
# paste gone wrong, and each of its words would be one more condition for the database.
MAX_SEARCH_CHARS = 100


def check_search(query: str) -> None:
    """Raise :class:`InputError` for a search text longer than anyone types."""
    if len(query) > MAX_SEARCH_CHARS:
        raise InputError("search", f"longer than {MAX_SEARCH_CHARS} characters",
                         f"متن جست‌وجو بیش از {to_persian_digits(MAX_SEARCH_CHARS)} نویسه "
                         "است؛ نام، نام خانوادگی یا کد ملی را کوتاه‌تر بنویسید.")


def search_filter(query: str) -> ColumnElement[bool] | None:
    """The WHERE clause for a typed query: digits search national codes by prefix,
    anything else must find every word in the names. A query longer than
    ``MAX_SEARCH_CHARS`` raises :class:`InputError`."""
    check_search(query)
    digits = normalize_identifier(query).replace("-", "")
    if is_ascii_digits(digits):
        # A prefix as a range of the unique index (LIKE … ESCAPE cannot use an index).
        following = digits[:-1] + chr(ord(digits[-1]) + 1)  # "0012" → "0013"; "9" → ":"
        prefix = and_(Patient.national_code >= digits, Patient.national_code < following)
        if len(digits) in (8, 9):  # Excel drops leading zeros: 499370899 is 0499370899
            return or_(prefix, Patient.national_code == digits.zfill(10))
        return prefix
    words = [search_key(w).replace(NAME_SEPARATOR, "") for w in query.split()]
    words = [w for w in words if w]
    if not words:
        return None
    return and_(*(Patient.search_key.like(f"%{_like_escape(w)}%", escape="\\") for w in words))


class PatientService:
    def __init__(self, session_factory: sessionmaker[Session], access: Access,
                 reference: ReferenceData | None = None) -> None:
        self._sessions = session_factory
        self._access = access
        self._reference = reference  # with it, the group is checked against the ICD-10 code

    # --- writing ---------------------------------------------------------------------

    def create(self, identity: PatientIdentity) -> PatientRecord:
        """Register a patient; a national code already on file raises
        :class:`DuplicateNationalCodeError` naming whose it is."""
        self._access.require(Action.EDIT_PATIENTS)
        identity = _checked(identity, self._reference)
        try:
            with self._sessions.begin() as session:
                self._refuse_duplicate(session, identity.national_code, None)
                row = Patient()
                _apply(row, identity)
                session.add(row)
                session.flush()
                return _record(row)
        except IntegrityError as exc:  # a second PC saved the same code meanwhile
            existing = self.find_by_national_code(identity.national_code)
            if existing is None:
                raise
            raise DuplicateNationalCodeError(identity.national_code, existing.id,
                                             existing.full_name) from exc

    def update(self, patient_id: int, identity: PatientIdentity,
               expected_version: int) -> PatientRecord:
        """Change a patient's identity; refused if someone saved it since it was read,
        or while their Form 1 is sealed."""
        self._access.require(Action.EDIT_PATIENTS)
        identity = _checked(identity, self._reference)
        try:
            with self._sessions.begin() as session:
                row = session.get(Patient, patient_id)
                if row is None:
                    raise NotFoundError(f"patient {patient_id} does not exist")
                if row.version != expected_version:
                    raise StaleRecordError(f"patient {patient_id} changed since it was opened")
                ensure_unsealed(session, patient_id)
                self._refuse_duplicate(session, identity.national_code, patient_id)
                regrouped = row.cancer_group_id != identity.cancer_group_id
                _apply(row, identity)
                session.flush()
                if regrouped:  # into or out of «outside the groups»: support follows
                    reband_patient(session, patient_id)
                return _record(row)
        except StaleDataError as exc:
            raise StaleRecordError(f"patient {patient_id} changed since it was opened") from exc

    @staticmethod
    def _refuse_duplicate(session: Session, code: str, own_id: int | None) -> None:
        other = session.scalar(select(Patient).where(Patient.national_code == code))
        if other is not None and other.id != own_id:
            raise DuplicateNationalCodeError(code, other.id,
                                             f"{other.first_name} {other.last_name}")

    # --- reading ---------------------------------------------------------------------

    def get(self, patient_id: int) -> PatientRecord:
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            row = session.get(Patient, patient_id)
            if row is None:
                raise NotFoundError(f"patient {patient_id} does not exist")
            return _record(row)

    def find_by_national_code(self, code: str) -> PatientRecord | None:
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            row = session.scalar(select(Patient).where(Patient.national_code == code))
            return _record(row) if row is not None else None

    def similar(self, identity: PatientIdentity, exclude_id: int | None = None
                ) -> list[PatientRecord]:
        """Other patients with the same name, father's name and birth date after
        normalisation: possibly the same person under another national code."""
        self._access.require(Action.VIEW_PATIENTS)
        key = patient_search_key(identity.first_name, identity.last_name)
        father = search_key(identity.father_name)
        with self._sessions() as session:
            rows = session.scalars(select(Patient).where(
                Patient.search_key == key, Patient.birth_date == identity.birth_date))
            return [_record(r) for r in rows
                    if r.id != exclude_id and search_key(r.father_name) == father]

    def count(self, query: str = "") -> int:
        self._access.require(Action.VIEW_PATIENTS)
        statement = select(func.count()).select_from(Patient)
        condition = search_filter(query)
        if condition is not None:
            statement = statement.where(condition)
        with self._sessions() as session:
            return session.scalar(statement) or 0

    def search(self, query: str = "", *, offset: int = 0, limit: int = 200) -> list[PatientSummary]:
        """Patients matching ``query`` in Persian alphabetical order (last name first)."""
        return self.search_page(query, offset=offset, limit=limit)[1]

    def search_page(self, query: str = "", *, offset: int = 0,
                    limit: int = 200) -> tuple[int, list[PatientSummary]]:
        """How many patients match ``query``, and one page of them in Persian order: what
        the list needs at each keystroke, in one pass over the matches.

        First the page's ids, from the narrow search index (the total comes with them);
        only then the page's own rows with their latest assessment. Asking for those
        rows straight away would walk the whole table in sort order when few match."""
        self._access.require(Action.VIEW_PATIENTS)
        condition = search_filter(query)
        order = (Patient.sort_key, Patient.id)
        with self._sessions() as session:
            if condition is None:
                total = session.scalar(select(func.count()).select_from(Patient)) or 0
                ids = list(session.scalars(select(Patient.id).order_by(*order)
                                           .offset(offset).limit(limit)))
            else:
                found = session.execute(select(Patient.id, func.count().over())
                                        .where(condition).order_by(*order)
                                        .offset(offset).limit(limit)).all()
                ids = [row[0] for row in found]
                if found:
                    total = found[0][1]
                else:  # past the end (or nothing): the total needs asking for
                    total = 0 if offset == 0 else session.scalar(
                        select(func.count()).select_from(Patient).where(condition)) or 0
            if not ids:
                return total, []
            rows = session.execute(self._summary_query().where(Patient.id.in_(ids)))
            return total, [PatientSummary(*row) for row in rows]

    @staticmethod
    def _summary_query() -> Select[*tuple[Any, ...]]:
        latest = (
            select(Assessment.id)
            .where(Assessment.patient_id == Patient.id)
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
            .limit(1)
            .correlate(Patient)
            .scalar_subquery()
        )
        statement = (
            select(
                Patient.id,
                Patient.national_code,
                Patient.first_name,
                Patient.last_name,
                Patient.father_name,
                Patient.cancer_group_id,
                Assessment.score,
                Assessment.coverage_percent,
                Assessment.assessed_on,
            )
            .outerjoin(Assessment, Assessment.id == latest)
            .order_by(Patient.sort_key, Patient.id)
        )
        return statement
