"""A director's approval of Form 1, and checking a printed form against the record.

Approving seals the record: the hash of its canonical content (cancer_desk.core.seal) is
stored, and while the seal stands nothing that Form 1 shows can change — the patient's
identity, the case record, assessments and costs are refused (:func:`ensure_unsealed`,
called inside each writer's own transaction). Unsealing needs a director and a reason;
the seal row stays, so its code then checks as superseded.

Only a complete Form 1 is sealed: an incomplete one is refused, naming the items still
empty. A director's stamp says the form is complete; a sealed form cannot be completed
until it is unsealed, and meanwhile it keeps the quarter from closing.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Action
from cancer_desk.core.audit_chain import hashed_json
from cancer_desk.core.case import CASE_FIELDS, REQUIRED_FOR_COMPLETE, CaseRecord, name_list
from cancer_desk.core.errors import InputError
from cancer_desk.core.patient import FIELDS as IDENTITY_FIELDS
from cancer_desk.core.persian import normalize_text, to_persian_digits
from cancer_desk.core.seal import (
    CONTENT_VERSION,
    content_sha256,
    form1_content,
    parse_check_input,
    short_code,
)
from cancer_desk.db.engine import take_write_lock
from cancer_desk.models import CaseRecordRow, CostItem, FormSeal, Patient
from cancer_desk.models.base import utc_now
from cancer_desk.services import audit
from cancer_desk.services.access import Access
from cancer_desk.services.errors import NotFoundError

MIN_REASON_LENGTH = 5


class SealedRecordError(RuntimeError):
    """The patient's Form 1 is approved and sealed; a director must unseal it first."""

    def __init__(self, patient_id: int, code: str) -> None:
        super().__init__(f"the Form 1 of patient {patient_id} is sealed ({code})")
        self.patient_id = patient_id
        self.code = code
        self.message_fa = (f"فرم شماره ۱ این بیمار تأیید و مهر شده است (کد {code})؛ برای "
                           "تغییر آن، نخست رئیس بیمارستان باید با ذکر دلیل مهر را بردارد.")


class SealRefusedError(ValueError):
    def __init__(self, message: str, message_fa: str,
                 missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.message_fa = message_fa
        self.missing = missing or []  # labels of the Form 1 items still empty, if that is why


@dataclass(frozen=True)
class SealRecord:
    id: int
    patient_id: int
    code: str
    content_sha256: str
    summary: dict[str, Any]
    sealed_at: dt.datetime
    sealed_by: str
    unsealed_at: dt.datetime | None
    unsealed_by: str
    unseal_reason: str

    @property
    def current(self) -> bool:
        return self.unsealed_at is None


class SealStatus(enum.StrEnum):
    CURRENT = "current"  # the printout is what the record says now
    CHANGED = "changed"  # sealed, but the record no longer hashes the same
    SUPERSEDED = "superseded"  # unsealed since: the printout is out of date
    UNKNOWN = "unknown"  # no form was ever sealed with this code
    MALFORMED = "malformed"  # not a code at all


STATUS_FA = {
    SealStatus.CURRENT: "این برگه با پرونده کنونی یکی است.",
    SealStatus.CHANGED: "این برگه مهر شده، ولی پرونده از آن پس تغییر کرده است.",
    SealStatus.SUPERSEDED: "این برگه باطل شده است: پس از آن مهر برداشته شده است.",
    SealStatus.UNKNOWN: "هیچ فرمی با این کد مهر نشده است.",
    SealStatus.MALFORMED: "این کد درست نیست؛ کد دوازده‌نویسه‌ای زیر کد QR را وارد کنید.",
}


@dataclass(frozen=True)
class SealCheck:
    status: SealStatus
    code: str
    seal: SealRecord | None = None
    patient_name: str = ""
    national_code: str = ""
    current_code: str | None = None  # the patient's seal in force now, if any

    @property
    def message_fa(self) -> str:
        return STATUS_FA[self.status]


def _record(row: FormSeal) -> SealRecord:
    return SealRecord(row.id, row.patient_id, row.code, row.content_sha256,
                      dict(row.summary or {}), row.sealed_at,
                      row.sealed_by, row.unsealed_at, row.unsealed_by, row.unseal_reason)


def current_seal(session: Session, patient_id: int) -> FormSeal | None:
    return session.scalar(select(FormSeal).where(FormSeal.patient_id == patient_id,
                                                 FormSeal.unsealed_at.is_(None)))


def ensure_unsealed(session: Session, patient_id: int) -> None:
    """Refuse, in the writer's transaction, a change to what a sealed Form 1 shows."""
    seal = current_seal(session, patient_id)
    if seal is not None:
        raise SealedRecordError(patient_id, seal.code)


def _json_ready(values: dict[str, Any]) -> dict[str, Any]:
    return {k: audit.json_value(v) for k, v in values.items()}


def form1_sha256(session: Session, patient_id: int, version: int = CONTENT_VERSION) -> str:
    """The hash of what the patient's Form 1 says now, as seals of ``version`` cover it."""
    return content_sha256(form1_state(session, patient_id, version))


def form1_state(session: Session, patient_id: int,
                version: int = CONTENT_VERSION) -> dict[str, Any]:
    """The canonical content of the patient's Form 1 now (cancer_desk.core.seal)."""
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFoundError(f"patient {patient_id} does not exist")
    case = session.scalar(select(CaseRecordRow).where(CaseRecordRow.patient_id == patient_id))
    case_values: dict[str, Any] = {}
    if case is not None:
        case_values = {name: getattr(case, name) for name in CASE_FIELDS
                       if name != "family_cancers"}
        case_values["family_cancers"] = [[f.cancer_type, f.relation]
                                         for f in case.family_cancers]
    amount, support = session.execute(
        select(func.coalesce(func.sum(CostItem.amount), 0),
               func.coalesce(func.sum(CostItem.support_amount), 0))
        .where(CostItem.patient_id == patient_id)).one()
    identity = {name: getattr(patient, name) for name in IDENTITY_FIELDS}
    content = form1_content(patient_id, _json_ready(identity), _json_ready(case_values),
                            int(amount), int(support), version=version)
    hashed_json(content)  # fails here, not later, if a value is not plain JSON
    return content


SUMMARY_FIELDS = ("diagnosis_date", "completed_on", "completed_by")


def printed_summary(content: dict[str, Any]) -> dict[str, Any]:
    """A few things the sealed printout says, to compare with the paper in hand."""
    case = content.get("case") or {}
    return {"total_amount": content["total_amount"],
            "total_support": content["total_support"],
            **{name: case.get(name) for name in SUMMARY_FIELDS}}


def matches_seal(session: Session, seal: FormSeal) -> bool:
    return form1_sha256(session, seal.patient_id, seal.content_version) == seal.content_sha256


def _check_sealable(session: Session, patient_id: int) -> None:
    """Raise :class:`SealRefusedError` unless the patient's Form 1 can be sealed now."""
    if session.get(Patient, patient_id) is None:
        raise NotFoundError(f"patient {patient_id} does not exist")
    existing = current_seal(session, patient_id)
    if existing is not None:
        raise SealRefusedError(
            f"patient {patient_id}'s Form 1 is sealed already ({existing.code})",
            f"فرم شماره ۱ این بیمار پیش‌تر تأیید شده است (کد {existing.code}).")
    case = session.scalar(select(CaseRecordRow).where(CaseRecordRow.patient_id == patient_id))
    if case is None:
        raise SealRefusedError(
            f"patient {patient_id} has no Form 1 case record to approve",
            "بخش‌های «ب» و «ج» فرم شماره ۱ هنوز پر نشده است؛ فرمی برای تأیید نیست.")
    refuse_incomplete(patient_id, CaseRecord(**{
        name: getattr(case, name) for name in REQUIRED_FOR_COMPLETE}))


def refuse_incomplete(patient_id: int, case: CaseRecord) -> None:
    """An incomplete Form 1 is not sealed: the director's stamp says the form is complete,
    and a sealed form cannot be completed (nor the quarter closed) until it is unsealed."""
    missing = case.missing_labels()
    if missing:
        raise SealRefusedError(
            f"patient {patient_id}'s Form 1 lacks {len(missing)} required item(s)",
            f"فرم شماره ۱ این بیمار هنوز کامل نیست و تأیید نمی‌شود. این موارد لازم خالی "
            f"است: {name_list(missing)}. نخست مددکار فرم را کامل کند، سپس آن را تأیید کنید.",
            missing)


class SealService:
    def __init__(self, session_factory: sessionmaker[Session], access: Access) -> None:
        self._sessions = session_factory
        self._access = access

    def current(self, patient_id: int) -> SealRecord | None:
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            row = current_seal(session, patient_id)
            return _record(row) if row is not None else None

    def in_force(self, patient_id: int) -> tuple[SealRecord | None, bool]:
        """The seal in force and whether the record still hashes as it did when sealed
        (a printout must not claim an approval for content that has moved since)."""
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            row = current_seal(session, patient_id)
            if row is None:
                return None, False
            return _record(row), matches_seal(session, row)

    def history(self, patient_id: int) -> list[SealRecord]:
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            rows = session.scalars(select(FormSeal).where(FormSeal.patient_id == patient_id)
                                   .order_by(FormSeal.id.desc()))
            return [_record(r) for r in rows]

    def refusal(self, patient_id: int) -> SealRefusedError | None:
        """Why approving the patient's Form 1 now would be refused, if it would: to say so
        before asking the director to confirm."""
        self._access.require(Action.APPROVE_FORMS)
        with self._sessions() as session:
            try:
                _check_sealable(session, patient_id)
            except SealRefusedError as exc:
                return exc
            return None

    def approve(self, patient_id: int) -> SealRecord:
        """The director approves the patient's Form 1 as it stands."""
        actor = self._access.require(Action.APPROVE_FORMS)
        with self._sessions.begin() as session:
            take_write_lock(session)
            _check_sealable(session, patient_id)
            content = form1_state(session, patient_id)
            sha = content_sha256(content)
            row = FormSeal(patient_id=patient_id, content_sha256=sha, code=short_code(sha),
                           content_version=CONTENT_VERSION, summary=printed_summary(content),
                           sealed_by_id=actor.account_id, sealed_by=actor.display_name)
            session.add(row)
            session.flush()
            return _record(row)

    def unseal(self, patient_id: int, reason: str) -> SealRecord:
        actor = self._access.require(Action.APPROVE_FORMS)
        reason = normalize_text(reason)
        if len(reason) < MIN_REASON_LENGTH:
            raise InputError("reason", "a reason is needed",
                             f"«دلیل برداشتن مهر» را بنویسید (دست‌کم "
                             f"{to_persian_digits(MIN_REASON_LENGTH)} نویسه).")
        with self._sessions.begin() as session:
            take_write_lock(session)
            row = current_seal(session, patient_id)
            if row is None:
                raise SealRefusedError(f"patient {patient_id}'s Form 1 is not sealed",
                                       "فرم شماره ۱ این بیمار مهر نشده است.")
            session.info[audit.REASON_KEY] = reason
            row.unsealed_at = utc_now()
            row.unsealed_by = actor.display_name
            row.unseal_reason = reason
            session.flush()
            return _record(row)

    def check(self, text: str) -> SealCheck:
        """Whether a printout with this code (or QR payload) matches the record now.

        Needs no account: the answer only confirms what the paper in hand says."""
        code, full_hash = parse_check_input(text)
        if code is None:
            return SealCheck(SealStatus.MALFORMED, text.strip())
        with self._sessions() as session:
            statement = select(FormSeal).where(FormSeal.code == code)
            if full_hash is not None:
                statement = statement.where(FormSeal.content_sha256 == full_hash)
            row = session.scalar(statement.order_by(FormSeal.id.desc()).limit(1))
            if row is None:
                return SealCheck(SealStatus.UNKNOWN, code)
            patient = session.get(Patient, row.patient_id)
            assert patient is not None
            now = current_seal(session, row.patient_id)
            name = f"{patient.first_name} {patient.last_name}"
            if row.unsealed_at is not None and (now is None or now.content_sha256
                                                != row.content_sha256):
                status = SealStatus.SUPERSEDED
            elif form1_sha256(session, row.patient_id, row.content_version) != \
                    row.content_sha256:
                status = SealStatus.CHANGED
            else:
                status = SealStatus.CURRENT
            return SealCheck(status, code, _record(row), name, patient.national_code,
                             now.code if now is not None else None)
