"""The audit trail: every change to the hub's records, written in the transaction that
makes it, chained by hashes (cancer_desk.core.audit_chain).

Changes made through the ORM are caught after each flush (:func:`install`), field by
field with the old and the new value; bulk inserts that bypass the ORM (patient import,
demo data) call :func:`append` themselves. Sign-ins and refusals are events
(:func:`record_event`) in a transaction of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, event, insert, inspect, select, text
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from cancer_desk.core.access import Action, Actor
from cancer_desk.core.audit_chain import (
    GENESIS,
    AuditEntryData,
    ChainReport,
    entry_hash,
    verify_chain,
)
from cancer_desk.models import (
    Account,
    Allocation,
    Assessment,
    AuditEntry,
    CaseRecordRow,
    CostItem,
    FormSeal,
    FormularyDrug,
    FormularyPeriod,
    HubKeySlot,
    HubSettings,
    KeyEndorsement,
    Patient,
    QuarterClosure,
    Referral,
    RollupHubKey,
    RollupPackage,
    SigningKey,
)
from cancer_desk.models.base import utc_now

if TYPE_CHECKING:
    from cancer_desk.services.access import Access

# Tables whose every change is recorded, by model.
AUDITED_MODELS = (Patient, Assessment, CaseRecordRow, CostItem, Referral, FormularyDrug,
                  FormularyPeriod, HubSettings, Account, QuarterClosure, Allocation, FormSeal,
                  SigningKey, KeyEndorsement, HubKeySlot, RollupHubKey, RollupPackage)
# Bookkeeping that changes with every save and says nothing about who changed what.
UNRECORDED_FIELDS = frozenset({"id", "created_at", "updated_at", "version", "search_key",
                               "sort_key", "name_key"})
# Per table: fields recorded as events of their own (sign-in, lock) or not at all.
UNRECORDED_BY_TABLE = {
    "accounts": frozenset({"failed_attempts", "locked_until", "last_sign_in_at"}),
    "quarter_closures": frozenset({"snapshot"}),
    "rollup_packages": frozenset({"manifest"}),  # the package itself is kept beside
}
# Recorded as "changed", never the value: a password's hash, a private key wrapped under
# a password (encrypted, but the trail has no need of it and must not spread it).
SECRET_FIELDS = frozenset({"password_hash", "wrapped"})
REDACTED = "•••"

ACTOR_KEY = "audit_actor"  # session.info: an Actor overriding the signed-in one
REASON_KEY = "audit_reason"  # session.info: the reason asked for this change
ACCESS_KEY = "access"  # session.info: the Access whose actor is signed in
ANONYMOUS = "—"


class UnattributedChangeError(RuntimeError):
    """A change to audited data with nobody signed in: refused, not recorded as no one."""


@dataclass(frozen=True)
class Draft:
    action: str
    table_name: str
    record_id: str
    patient_id: int | None
    changes: dict[str, Any]


def json_value(value: Any) -> Any:
    """A value as the trail keeps it: plain JSON."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return str(value)


def _patient_id(obj: Any) -> int | None:
    if isinstance(obj, Patient):
        return obj.id
    return getattr(obj, "patient_id", None)


def _record_id(obj: Any) -> str:
    identity = inspect(obj).identity
    if identity:
        return ",".join(str(part) for part in identity)
    mapper = inspect(obj).mapper
    return ",".join(str(getattr(obj, c.key)) for c in mapper.primary_key)


def _recorded_columns(obj: Any) -> Iterator[str]:
    mapper = inspect(obj).mapper
    skipped = UNRECORDED_FIELDS | UNRECORDED_BY_TABLE.get(mapper.local_table.name, frozenset())
    for attr in mapper.column_attrs:
        if attr.key not in skipped:
            yield attr.key


def _shown(key: str, value: Any) -> Any:
    if key in SECRET_FIELDS:
        return REDACTED if value else None
    return json_value(value)


def _family(rows: Iterable[Any]) -> list[list[str]]:
    return [[row.cancer_type, row.relation] for row in rows]


def _insert_changes(obj: Any) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in _recorded_columns(obj):
        value = getattr(obj, key)
        if value not in (None, ""):
            changes[key] = [None, _shown(key, value)]
    if isinstance(obj, CaseRecordRow) and obj.family_cancers:
        changes["family_cancers"] = [None, _family(obj.family_cancers)]
    return changes


def _delete_changes(obj: Any) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in _recorded_columns(obj):
        value = getattr(obj, key)
        if value not in (None, ""):
            changes[key] = [_shown(key, value), None]
    return changes


def _update_changes(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for key in _recorded_columns(obj):
        history = state.attrs[key].history
        if not history.added and not history.deleted:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if key in SECRET_FIELDS:
            if history.added:
                changes[key] = [REDACTED, "changed"]
            continue
        old, new = json_value(old), json_value(new)
        if old != new:
            changes[key] = [old, new]
    if isinstance(obj, CaseRecordRow):
        history = state.attrs["family_cancers"].history
        if history.added or history.deleted:
            old = _family([*history.unchanged, *history.deleted])
            new = _family([*history.unchanged, *history.added])
            if old != new:
                changes["family_cancers"] = [old, new]
    return changes


def _table_name(obj: Any) -> str:
    return str(inspect(obj).mapper.local_table.name)


def _drafts(session: Session) -> list[Draft]:
    drafts = []
    for action, objects, describe in (("insert", session.new, _insert_changes),
                                      ("update", session.dirty, _update_changes),
                                      ("delete", session.deleted, _delete_changes)):
        for obj in objects:
            if not isinstance(obj, AUDITED_MODELS):
                continue
            if action == "update" and not session.is_modified(obj):
                continue
            changes = describe(obj)
            if action == "update" and not changes:
                continue
            drafts.append(Draft(action, _table_name(obj), _record_id(obj), _patient_id(obj),
                                changes))
    # Stable order within one flush: by table, then record.
    drafts.sort(key=lambda d: (d.table_name, d.record_id, d.action))
    return drafts


def _acting(session: Session) -> Actor | None:
    override: Actor | None = session.info.get(ACTOR_KEY)
    if override is not None:
        return override
    access: Access | None = session.info.get(ACCESS_KEY)
    return access.actor if access is not None else None


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    drafts = _drafts(session)
    if not drafts:
        return
    actor = _acting(session)
    if actor is None:
        raise UnattributedChangeError(
            "a change to audited records with nobody signed in: "
            + ", ".join(f"{d.action} {d.table_name} {d.record_id}" for d in drafts[:5]))
    append(session, actor, drafts, reason=session.info.get(REASON_KEY, ""))


def install(session_factory: sessionmaker[Session], access: Access) -> None:
    """Record every flush of ``session_factory``'s sessions, as the signed-in actor."""
    session_factory.configure(info={ACCESS_KEY: access})
    event.listen(session_factory, "after_flush", _after_flush)


def _actor_fields(actor: Actor | None, fallback: str = ANONYMOUS) -> tuple[int | None, str]:
    if actor is None:
        return None, fallback
    return (actor.account_id or None), actor.label


def append(session: Session, actor: Actor | None, drafts: Sequence[Draft], *,
           reason: str = "", actor_label: str = ANONYMOUS) -> int:
    """Write ``drafts`` at the end of the chain in ``session``'s transaction."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # one writer of the chain at a time
        connection.execute(text("SELECT pg_advisory_xact_lock(1388005)"))
    last = connection.execute(select(AuditEntry.seq, AuditEntry.entry_hash)
                              .order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, previous = (last[0], last[1]) if last is not None else (0, GENESIS)
    account_id, label = _actor_fields(actor, actor_label)
    at = utc_now()
    rows = []
    for draft in drafts:
        seq += 1
        data = AuditEntryData(seq=seq, at=at, account_id=account_id, actor=label,
                              action=draft.action, table_name=draft.table_name,
                              record_id=draft.record_id, patient_id=draft.patient_id,
                              changes=draft.changes, reason=reason, prev_hash=previous)
        previous = entry_hash(data)
        rows.append({**vars(data), "entry_hash": previous})
    # The mapped class's __table__ is typed as any FromClause; it is this Table.
    connection.execute(insert(cast(Table, AuditEntry.__table__)), rows)
    return len(rows)


def record_event(session_factory: sessionmaker[Session], actor: Actor | None, action: str,
                 table_name: str, record_id: str, *, changes: dict[str, Any] | None = None,
                 reason: str = "", actor_label: str = ANONYMOUS,
                 patient_id: int | None = None) -> None:
    """An event (sign-in, refusal …) in a transaction of its own."""
    with session_factory.begin() as session:
        append(session, actor, [Draft(action, table_name, record_id, patient_id,
                                      changes or {})],
               reason=reason, actor_label=actor_label)


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: dt.datetime
    actor: str
    action: str
    table_name: str
    record_id: str
    patient_id: int | None
    changes: dict[str, Any]
    reason: str


def _data(row: AuditEntry) -> AuditEntryData:
    return AuditEntryData(seq=row.seq, at=row.at, account_id=row.account_id, actor=row.actor,
                          action=row.action, table_name=row.table_name,
                          record_id=row.record_id, patient_id=row.patient_id,
                          changes=row.changes, reason=row.reason, prev_hash=row.prev_hash,
                          entry_hash=row.entry_hash)


def verify(session_factory: sessionmaker[Session], *, batch: int = 5_000) -> ChainReport:
    """Read the whole trail in order and check its chain (reading needs no account:
    the report names entries by number, not what they hold)."""
    def entries() -> Iterator[AuditEntryData]:
        with session_factory() as session:
            result = session.execute(select(AuditEntry).order_by(AuditEntry.seq)
                                     .execution_options(yield_per=batch))
            for row in result.scalars():
                yield _data(row)
    return verify_chain(entries())


def passes_through(session_factory: sessionmaker[Session], seq: int, hash_prefix: str) -> bool:
    """Whether entry ``seq`` still has the hash noted down earlier (at least its first
    16 hex digits). The chain alone cannot show a trail rewritten from some entry on with
    every hash recomputed; a head noted outside the PC can."""
    with session_factory() as session:
        stored = session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.seq == seq))
    return stored is not None and stored.startswith(hash_prefix.lower())


def _record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(row.seq, row.at, row.actor, row.action, row.table_name, row.record_id,
                       row.patient_id, dict(row.changes), row.reason)


def patient_history(session: Session, patient_id: int) -> list[AuditRecord]:
    """Everything recorded about one patient, newest first."""
    rows = session.scalars(select(AuditEntry).where(AuditEntry.patient_id == patient_id)
                           .order_by(AuditEntry.seq.desc()))
    return [_record(r) for r in rows]


# Entries that hold a patient's data (names, diagnoses, costs) in their values.
PATIENT_TABLES = ("patients", "assessments", "cases", "cost_items", "referrals",
                  "form_seals")


def recent(session: Session, *, limit: int = 500,
           with_patients: bool = True) -> list[AuditRecord]:
    statement = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if not with_patients:
        statement = statement.where(AuditEntry.patient_id.is_(None),
                                    AuditEntry.table_name.not_in(PATIENT_TABLES))
    return [_record(r) for r in session.scalars(statement)]


class AuditService:
    """Reading the trail: a patient's history for whoever may see the patient, the whole
    trail for those who keep watch over it; checking the chain for anyone."""

    def __init__(self, session_factory: sessionmaker[Session], access: Access) -> None:
        self._sessions = session_factory
        self._access = access

    def patient_history(self, patient_id: int) -> list[AuditRecord]:
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            return patient_history(session, patient_id)

    def recent(self, *, limit: int = 500) -> list[AuditRecord]:
        """The latest entries; for someone who may not see patients (an administrator),
        without the entries that carry patients' data."""
        actor = self._access.require(Action.VIEW_AUDIT)
        with self._sessions() as session:
            return recent(session, limit=limit,
                          with_patients=actor.may(Action.VIEW_PATIENTS))

    def verify(self) -> ChainReport:
        return verify(self._sessions)
