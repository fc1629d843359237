"""The roll-up's work done by a named person: merging packages, accepting a hub's new key,
taking an unsigned package, removing a package — each checked against the person's roles
and written to the roll-up's own audit trail (its tables are audited like a hospital's).

A roll-up database has accounts and roles as a hospital's has: an administrator decides
what only trust can decide (a new key for a hub, after comparing its fingerprint by
phone; an unsigned package; a removal), and an administrator or a director imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Action
from cancer_desk.core.errors import InputError
from cancer_desk.core.persian import normalize_text, to_ascii_digits, to_persian_digits
from cancer_desk.db.engine import take_write_lock
from cancer_desk.models import RollupHubKey, RollupPackage
from cancer_desk.models.base import utc_now
from cancer_desk.services import audit
from cancer_desk.services.access import Access
from cancer_desk.services.errors import NotFoundError

if TYPE_CHECKING:
    from cancer_desk.exchange.rollup import ImportOutcome

# The exchange modules (and the cryptography library they bring) are loaded when a
# package is first handled, not when the program starts: a hospital's window never needs
# them to appear.

MIN_REASON_LENGTH = 5


@dataclass(frozen=True)
class HubKeyRecord:
    hub_key: str
    hospital: str
    fingerprint: str
    pinned_at: dt.datetime
    pinned_by: str
    reason: str
    replaced_at: dt.datetime | None

    @property
    def display(self) -> str:
        from cancer_desk.core.keys import display_fingerprint

        return display_fingerprint(self.fingerprint)


@dataclass(frozen=True)
class KeyAcceptance:
    hub_key: str
    hospital: str
    fingerprint: str
    replaced: str  # the fingerprint it replaces, "" for a hub with none pinned


def _reason(text: str, field: str = "reason") -> str:
    reason = normalize_text(text)
    if len(reason) < MIN_REASON_LENGTH:
        raise InputError(field, "a reason is needed",
                         f"«دلیل» را بنویسید (دست‌کم {to_persian_digits(MIN_REASON_LENGTH)} "
                         "نویسه).")
    return reason


# Letters people misread on paper or over the phone, and what they must have meant.
_MISHEARD = str.maketrans("OILU", "011V")


def _same_fingerprint(typed: str, display: str) -> bool:
    """What a person typed after the phone call against the display form: dashes,
    spaces and case aside, and O/I/L read as 0/1/1."""
    def letters(text: str) -> str:
        return re.sub(r"[\s\-_]", "", to_ascii_digits(text)).upper().translate(_MISHEARD)
    return bool(typed.strip()) and letters(typed) == letters(display)


class RollupService:
    def __init__(self, session_factory: sessionmaker[Session], access: Access) -> None:
        self._sessions = session_factory
        self._access = access

    def import_files(self, paths: list[Path], *, password: str | None = None,
                     unsigned_reason: str = "",
                     on_outcome: Callable[[ImportOutcome], None] | None = None
                     ) -> list[ImportOutcome]:
        """Merge each file in turn. ``unsigned_reason`` takes packages without a
        signature (format 1-3), for hubs whose key is not pinned: an administrator's."""

        from cancer_desk.exchange.rollup import Importer, import_files

        actor = self._access.require(Action.IMPORT_PACKAGES)
        if unsigned_reason:
            self._access.require(Action.MANAGE_ROLLUP)
            unsigned_reason = _reason(unsigned_reason, "unsigned_reason")
        return import_files(self._sessions, paths, password=password,
                            importer=Importer(actor.display_name, unsigned_reason),
                            on_outcome=on_outcome)

    def hub_keys(self) -> list[HubKeyRecord]:
        self._access.require(Action.IMPORT_PACKAGES)
        with self._sessions() as session:
            rows = session.scalars(select(RollupHubKey).order_by(RollupHubKey.hospital,
                                                                 RollupHubKey.id))
            return [HubKeyRecord(r.hub_key, r.hospital, r.fingerprint, r.pinned_at,
                                 r.pinned_by, r.reason, r.replaced_at) for r in rows]

    def accept_hub_key(self, path: Path, *, typed_fingerprint: str, reason: str,
                       password: str | None = None) -> KeyAcceptance:
        """A hub's new key, from a package signed under it: taken only when the person
        types the fingerprint they heard from the hub by phone, with a reason. The key
        before stays on record, replaced."""

        from cancer_desk.exchange.rollup import hub_key, read_package_file
        from cancer_desk.exchange.verify import verify_bytes

        actor = self._access.require(Action.MANAGE_ROLLUP)
        reason = _reason(reason)
        try:
            data = read_package_file(path)
        except (OSError, ValueError) as exc:
            raise InputError("file", f"cannot read the package: {exc}",
                             "«پرونده بسته» خوانده نشد.") from exc
        report = verify_bytes(data, password)
        signature = report.signature
        if not report.ok or report.manifest is None or signature is None \
                or not signature.valid:
            problem = "; ".join(report.describe()) or (
                signature.problem if signature is not None else "the package is unsigned")
            raise InputError("file", f"the package does not show a hub key: {problem}",
                             "«پرونده بسته» کلید قطبی را نشان نمی‌دهد: بسته سالم و امضاشده "
                             "نیست.")
        if not _same_fingerprint(typed_fingerprint, signature.hub_display):
            raise InputError("fingerprint", "the fingerprint typed is not the package's "
                                            f"({signature.hub_display})",
                             "«اثر انگشت کلید» که نوشتید با کلید این بسته یکی نیست؛ آن را "
                             "دوباره از قطب بپرسید.")
        key = hub_key(report.manifest["hub"])
        with self._sessions.begin() as session:
            take_write_lock(session)
            session.info[audit.REASON_KEY] = reason
            pinned = session.scalar(select(RollupHubKey).where(
                RollupHubKey.hub_key == key, RollupHubKey.replaced_at.is_(None)))
            if pinned is not None and pinned.fingerprint == signature.hub_fingerprint:
                return KeyAcceptance(key, pinned.hospital, pinned.fingerprint,
                                     pinned.fingerprint)
            replaced = ""
            if pinned is not None:
                replaced = pinned.fingerprint
                pinned.replaced_at = utc_now()
                session.flush()  # one key in force per hub, at every moment
            session.add(RollupHubKey(hub_key=key, hospital=report.manifest["hub"]["hospital"],
                                     public_key=signature.hub_public_key,
                                     fingerprint=signature.hub_fingerprint,
                                     pinned_by=actor.display_name, reason=reason))
        return KeyAcceptance(key, report.manifest["hub"]["hospital"],
                             signature.hub_fingerprint, replaced)

    def remove(self, package_id: int, reason: str) -> None:
        """Take a package out of the roll-up's sums; the row stays, with who and why."""
        actor = self._access.require(Action.MANAGE_ROLLUP)
        reason = _reason(reason)
        with self._sessions.begin() as session:
            take_write_lock(session)
            row = session.get(RollupPackage, package_id)
            if row is None or row.removed_at is not None:
                raise NotFoundError(f"no package {package_id} in the roll-up")
            session.info[audit.REASON_KEY] = reason
            row.current = False
            row.removed_at = utc_now()
            row.removed_by = actor.display_name
            row.remove_reason = reason
