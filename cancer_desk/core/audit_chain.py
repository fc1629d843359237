"""The audit trail's hash chain, apart from how entries are stored.

Each entry's hash covers its own content and the hash of the entry before it, so an
entry edited, deleted or moved in the stored table no longer fits the chain, and
:func:`verify_chain` says which entry is the first that does not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cancer_desk.core.persian import to_persian_digits

GENESIS = "0" * 64  # the "hash before" the first entry

# The fields an entry's hash covers, in this order; storage adds nothing else.
HASHED_FIELDS = ("seq", "at", "account_id", "actor", "action", "table_name", "record_id",
                 "patient_id", "changes", "reason", "prev_hash")


@dataclass(frozen=True)
class AuditEntryData:
    seq: int
    at: dt.datetime  # naive UTC
    account_id: int | None
    actor: str
    action: str
    table_name: str
    record_id: str
    patient_id: int | None
    changes: Mapping[str, Any]  # field → [old, new]; plain JSON values only
    reason: str
    prev_hash: str
    entry_hash: str = ""


def hashed_json(value: Any) -> str:
    """The JSON text whose SHA-256 is taken (an audit entry, a sealed Form 1): compact,
    keys sorted, non-ASCII as is. Changing a byte of it breaks every stored hash."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _hashed_value(entry: AuditEntryData, name: str) -> Any:
    if name == "at":
        return entry.at.isoformat(timespec="microseconds")
    return getattr(entry, name)


def entry_hash(entry: AuditEntryData) -> str:
    """SHA-256 of the entry's HASHED_FIELDS, as a JSON list in that order."""
    content = [_hashed_value(entry, name) for name in HASHED_FIELDS]
    return hashlib.sha256(hashed_json(content).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int  # the stored entry where the chain breaks (0: the table itself)
    kind: str  # "changed", "missing", "out_of_order", "broken_link"
    detail: str

    def describe(self) -> str:
        return f"entry {self.seq}: {self.detail}"

    def describe_fa(self) -> str:
        number = to_persian_digits(self.seq)
        return {
            "changed": f"ردیف {number} سابقه پس از ثبت دست خورده است.",
            "missing": f"پیش از ردیف {number} سابقه، ردیف‌هایی پاک شده است.",
            "out_of_order": f"ترتیب ردیف {number} سابقه جابه‌جا شده است.",
            "broken_link": f"ردیف {number} سابقه به ردیف پیش از خود نمی‌خورد.",
        }[self.kind]


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head_seq: int
    head_hash: str
    problems: tuple[ChainProblem, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(entries: Iterable[AuditEntryData]) -> ChainReport:
    """Check entries read in storage order (by ``seq``).

    Every problem is listed, not only the first: an edited entry shows as ``changed``;
    a deleted one as ``missing`` at the entry after the gap; two entries swapped show
    as ``changed``/``out_of_order`` at both places.
    """
    problems: list[ChainProblem] = []
    expected_seq = 1
    previous_hash = GENESIS
    count = 0
    head_seq, head_hash = 0, GENESIS
    for entry in entries:
        count += 1
        recomputed = entry_hash(entry)
        if recomputed != entry.entry_hash:
            problems.append(ChainProblem(entry.seq, "changed",
                                         "its content does not match its hash (edited)"))
        if entry.seq > expected_seq:
            problems.append(ChainProblem(
                entry.seq, "missing",
                f"entries {expected_seq}–{entry.seq - 1} are missing (deleted)"))
        elif entry.seq < expected_seq:
            problems.append(ChainProblem(entry.seq, "out_of_order",
                                         f"comes after entry {expected_seq - 1}"))
        elif entry.prev_hash != previous_hash and recomputed == entry.entry_hash:
            problems.append(ChainProblem(
                entry.seq, "broken_link",
                "does not follow the entry before it (moved or the one before was replaced)"))
        expected_seq = max(expected_seq, entry.seq + 1)
        previous_hash = entry.entry_hash
        head_seq, head_hash = entry.seq, entry.entry_hash
    return ChainReport(count, head_seq, head_hash, tuple(problems))
