"""Keeping each person's signing key, and the hub's, in the database — wrapped under
passwords, never in the clear — and using them while the person is signed in.

When keys are made and endorsed (cancer_desk.core.keys says what an endorsement is):

- **first run**: the first administrator's password wraps a new hub key (their slot)
  and their own key, which the hub key endorses;
- **a new account, a reset**: the administrator, holding the hub key, makes the person a
  *provisional* key under the temporary password and endorses it; an administrator's
  account also gets a slot of the hub key under that password;
- **the person picks their own password**: a provisional key is replaced by a fresh one,
  endorsed by the provisional key (so the administrator, who knew the temporary password,
  never knows the password of the key the person signs with); a settled key is re-wrapped;
- **roles change**: the hub key endorses the key again with the new roles; an account
  that stops being an administrator loses its slot; a disabled account's key is retired;
- **an account older than keys** gets its key at its next sign-in; it is endorsed only if
  that person holds the hub key (an administrator; the first administrator to sign in
  after the upgrade makes the hub key). Anyone else's stays unendorsed until an
  administrator resets their password.

A retired key's public part stays, so that what it signed can still be checked; its
wrapped private part is cleared, so that nobody who knows the old password signs again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cancer_desk.core import keys as core_keys
from cancer_desk.core.access import Role, parse_roles
from cancer_desk.core.keys import (
    PURPOSE_HUB_KEY,
    PURPOSE_PERSON_KEY,
    Endorsement,
    KdfParameters,
    KeyStanding,
    Unwrapper,
    WrongSecretError,
)
from cancer_desk.models import Account, AuditEntry, HubKeySlot, KeyEndorsement, SigningKey
from cancer_desk.models.base import utc_now
from cancer_desk.models.keys import AuditCheckpoint
from cancer_desk.services.access import AccessDeniedError

KIND_PERSON = "person"
KIND_HUB = "hub"


class HubKeyMissingError(AccessDeniedError):
    """Vouching for a person's key needs the hub key, which this administrator lacks."""

    def __init__(self) -> None:
        super().__init__(
            "the signed-in account does not hold the hub key",
            "کلید قطب در دست این حساب نیست، پس کلید امضای حساب دیگری را نمی‌تواند تأیید "
            "کند. از مدیر سامانه‌ای که کلید قطب را دارد بخواهید گذرواژه شما را بازنشانی "
            "کند؛ با گذرواژه تازه کلید قطب به شما هم سپرده می‌شود.")


class UnendorsedKeyError(AccessDeniedError):
    """The person's signing key is not endorsed by the hub key: what they signed would
    not check, so nothing is signed."""

    def __init__(self) -> None:
        super().__init__(
            "the signed-in person's signing key is not endorsed by the hub key",
            "کلید امضای شما هنوز به تأیید کلید قطب نرسیده است و امضای شما پذیرفته "
            "نمی‌شود. از مدیر سامانه بخواهید گذرواژه شما را بازنشانی کند؛ پس از گزینش "
            "گذرواژه تازه، کلید شما تأییدشده خواهد بود.")


@dataclass(frozen=True)
class KeyRing:
    """The signed-in person's unwrapped keys, in memory only, until sign-out."""

    account_id: int
    key_id: int
    fingerprint: str
    private_key: Ed25519PrivateKey
    hub_key_id: int | None
    hub_fingerprint: str
    hub_private_key: Ed25519PrivateKey | None  # only an administrator holding a slot

    def sign(self, payload: dict[str, Any]) -> str:
        return core_keys.sign(self.private_key, payload)


def kdf_parameters() -> KdfParameters:
    """Argon2id's cost for wrapping: sign-in's (tests make both cheap together)."""
    from cancer_desk.services import accounts

    hasher = accounts.PASSWORD_HASHER
    return KdfParameters(hasher.time_cost, hasher.memory_cost, hasher.parallelism)


# --- reading -------------------------------------------------------------------------


def hub_key(session: Session) -> SigningKey | None:
    return session.scalar(select(SigningKey).where(SigningKey.kind == KIND_HUB,
                                                   SigningKey.retired_at.is_(None))
                          .order_by(SigningKey.id).limit(1))


def current_key(session: Session, account_id: int) -> SigningKey | None:
    return session.scalar(select(SigningKey).where(
        SigningKey.kind == KIND_PERSON, SigningKey.account_id == account_id,
        SigningKey.retired_at.is_(None)).order_by(SigningKey.id.desc()).limit(1))


def public_keys(session: Session) -> dict[str, str]:
    return dict(session.execute(select(SigningKey.fingerprint, SigningKey.public_key)).all())


def endorsements(session: Session) -> list[Endorsement]:
    return [Endorsement(payload, signature) for payload, signature in session.execute(
        select(KeyEndorsement.payload, KeyEndorsement.signature))]


def standing(session: Session, fingerprint: str, *, at: dt.datetime | str | None = None
             ) -> KeyStanding:
    """Whether the key is endorsed by this database's hub key (as of ``at``)."""
    hub = hub_key(session)
    if hub is None:
        return KeyStanding(fingerprint, False, "this database has no hub key yet",
                           "این پایگاه داده هنوز کلید قطب ندارد.")
    when = at.isoformat(timespec="microseconds") if isinstance(at, dt.datetime) else at
    return core_keys.check_endorsed(fingerprint, hub.fingerprint, hub.public_key,
                                    public_keys(session), endorsements(session), at=when)


def account_standing(session: Session, account_id: int) -> KeyStanding | None:
    """The account's key in force and how it stands; None when it has none yet."""
    key = current_key(session, account_id)
    return standing(session, key.fingerprint) if key is not None else None


# --- making and endorsing --------------------------------------------------------------


def _add_key(session: Session, kind: str, account_id: int | None,
             private_key: Ed25519PrivateKey, wrapped: dict[str, Any] | None, *,
             provisional: bool = False) -> SigningKey:
    public = core_keys.public_text(private_key)
    row = SigningKey(kind=kind, account_id=account_id, public_key=public,
                     fingerprint=core_keys.fingerprint(public), wrapped=wrapped,
                     provisional=provisional)
    session.add(row)
    session.flush()
    return row


def _endorse(session: Session, key: SigningKey, account: Account, reason: str,
             endorser: SigningKey, endorser_private: Ed25519PrivateKey,
             hub: SigningKey) -> None:
    now = utc_now()
    payload = core_keys.endorsement_payload(
        public_key=key.public_key, account_id=account.id, username=account.username,
        display_name=account.display_name, roles=sorted(parse_roles(account.roles)),
        reason=reason, made_at=now, endorser_fingerprint=endorser.fingerprint,
        hub_fingerprint=hub.fingerprint)
    session.add(KeyEndorsement(key_id=key.id, endorser_key_id=endorser.id, payload=payload,
                               signature=core_keys.sign(endorser_private, payload),
                               made_at=now))
    session.flush()


def _retire(session: Session, key: SigningKey | None, reason: str) -> None:
    if key is not None and key.retired_at is None:
        key.retired_at = utc_now()
        key.retired_reason = reason
        key.wrapped = None
        session.flush()


def _new_person_key(session: Session, account: Account, unwrapper: Unwrapper,
                    salt: bytes, parameters: KdfParameters, *, provisional: bool
                    ) -> tuple[SigningKey, Ed25519PrivateKey]:
    private = core_keys.new_private_key()
    wrapped = unwrapper.wrap(private, salt, parameters, PURPOSE_PERSON_KEY)
    return _add_key(session, KIND_PERSON, account.id, private, wrapped,
                    provisional=provisional), private


def _write_hub_slot(session: Session, account: Account, hub: SigningKey,
                    hub_private: Ed25519PrivateKey, unwrapper: Unwrapper, salt: bytes,
                    parameters: KdfParameters) -> None:
    wrapped = unwrapper.wrap(hub_private, salt, parameters, PURPOSE_HUB_KEY)
    slot = session.scalar(select(HubKeySlot).where(HubKeySlot.account_id == account.id))
    if slot is None:
        session.add(HubKeySlot(hub_key_id=hub.id, account_id=account.id, wrapped=wrapped))
    else:
        slot.hub_key_id = hub.id
        slot.wrapped = wrapped
    session.flush()


def _drop_hub_slot(session: Session, account_id: int) -> None:
    session.execute(delete(HubKeySlot).where(HubKeySlot.account_id == account_id))


def _is_administrator(account: Account) -> bool:
    return Role.ADMINISTRATOR in parse_roles(account.roles)


def set_up_first(session: Session, account: Account, password: str) -> KeyRing:
    """The first administrator: the hub key, their own key endorsed by it, their slot."""
    parameters, salt = kdf_parameters(), core_keys.new_salt()
    unwrapper = Unwrapper(password)
    hub_private = core_keys.new_private_key()
    hub = _add_key(session, KIND_HUB, None, hub_private, None)
    key, private = _new_person_key(session, account, unwrapper, salt, parameters,
                                   provisional=False)
    _endorse(session, key, account, core_keys.ENDORSED_CREATED, hub, hub_private, hub)
    _write_hub_slot(session, account, hub, hub_private, unwrapper, salt, parameters)
    return KeyRing(account.id, key.id, key.fingerprint, private, hub.id, hub.fingerprint,
                   hub_private)


def _open_hub_slot(session: Session, account: Account, hub: SigningKey | None,
                   unwrapper: Unwrapper) -> Ed25519PrivateKey | None:
    if hub is None or not _is_administrator(account):
        return None
    slot = session.scalar(select(HubKeySlot).where(HubKeySlot.account_id == account.id,
                                                   HubKeySlot.hub_key_id == hub.id))
    if slot is None:
        return None
    try:
        private = unwrapper.open(slot.wrapped, PURPOSE_HUB_KEY)
    except WrongSecretError:
        return None
    return private if core_keys.public_text(private) == hub.public_key else None


def unlock(session: Session, account: Account, password: str) -> KeyRing:
    """At sign-in, the password just checked: the person's keys, unwrapped.

    A key that does not open with the account's own password was not wrapped by this
    program for this person (put in the file by someone else): it is retired, and a new
    one made. An account without a key (older than keys) gets one here."""
    unwrapper = Unwrapper(password)
    hub = hub_key(session)
    key = current_key(session, account.id)
    private: Ed25519PrivateKey | None = None
    if key is not None:
        try:
            private = unwrapper.open(key.wrapped or {}, PURPOSE_PERSON_KEY)
            if core_keys.public_text(private) != key.public_key:
                raise WrongSecretError("another key inside")
        except WrongSecretError:
            _retire(session, key, "did not open with the account's password")
            key, private = None, None
    hub_private = _open_hub_slot(session, account, hub, unwrapper)
    if key is None or private is None:
        parameters, salt = kdf_parameters(), core_keys.new_salt()
        key, private = _new_person_key(session, account, unwrapper, salt, parameters,
                                       provisional=bool(account.must_change_password))
        if hub is None and _is_administrator(account):
            # The first administrator to sign in after the upgrade makes the hub key.
            hub_private = core_keys.new_private_key()
            hub = _add_key(session, KIND_HUB, None, hub_private, None)
            _write_hub_slot(session, account, hub, hub_private, unwrapper, salt, parameters)
        if hub is not None and hub_private is not None:
            _endorse(session, key, account, core_keys.ENDORSED_UPGRADE, hub, hub_private, hub)
    return KeyRing(account.id, key.id, key.fingerprint, private,
                   hub.id if hub is not None else None,
                   hub.fingerprint if hub is not None else "", hub_private)


def change_password(session: Session, account: Account, new_password: str,
                    ring: KeyRing | None) -> KeyRing | None:
    """Re-wrap the person's keys under their new password; a provisional key (made under
    a password someone else chose) is replaced by a fresh one it endorses."""
    if ring is None:
        return None
    parameters, salt = kdf_parameters(), core_keys.new_salt()
    unwrapper = Unwrapper(new_password)
    key = session.get(SigningKey, ring.key_id)
    assert key is not None
    private = ring.private_key
    if key.provisional:
        old_key, old_private = key, private
        key, private = _new_person_key(session, account, unwrapper, salt, parameters,
                                       provisional=False)
        hub = hub_key(session)
        if hub is not None and standing(session, old_key.fingerprint).endorsed:
            _endorse(session, key, account, core_keys.ENDORSED_ROTATED, old_key,
                     old_private, hub)
        _retire(session, old_key, "replaced when the person chose their own password")
    else:
        key.wrapped = unwrapper.wrap(private, salt, parameters, PURPOSE_PERSON_KEY)
        session.flush()
    hub = session.get(SigningKey, ring.hub_key_id) if ring.hub_key_id else None
    if hub is not None and ring.hub_private_key is not None:
        _write_hub_slot(session, account, hub, ring.hub_private_key, unwrapper, salt,
                        parameters)
    return KeyRing(account.id, key.id, key.fingerprint, private, ring.hub_key_id,
                   ring.hub_fingerprint, ring.hub_private_key)


def _hub_of(session: Session, ring: KeyRing | None) -> tuple[SigningKey, Ed25519PrivateKey]:
    if ring is None or ring.hub_private_key is None or ring.hub_key_id is None:
        raise HubKeyMissingError()
    hub = session.get(SigningKey, ring.hub_key_id)
    if hub is None or hub.retired_at is not None:
        raise HubKeyMissingError()
    return hub, ring.hub_private_key


def provision(session: Session, account: Account, temporary_password: str,
              administrator: KeyRing | None, reason: str) -> None:
    """A new account or a reset: a provisional key under the temporary password, endorsed
    by the hub key the administrator holds; an administrator's account gets a slot."""
    hub, hub_private = _hub_of(session, administrator)
    _retire(session, current_key(session, account.id),
            "password reset" if reason == core_keys.ENDORSED_RESET else "replaced")
    parameters, salt = kdf_parameters(), core_keys.new_salt()
    unwrapper = Unwrapper(temporary_password)
    key, _ = _new_person_key(session, account, unwrapper, salt, parameters,
                             provisional=True)
    _endorse(session, key, account, reason, hub, hub_private, hub)
    if _is_administrator(account):
        _write_hub_slot(session, account, hub, hub_private, unwrapper, salt, parameters)
    else:
        _drop_hub_slot(session, account.id)


def after_account_update(session: Session, account: Account, *, roles_changed: bool,
                         disabled: bool, administrator: KeyRing | None) -> None:
    """Roles changed: the key endorsed again with them (an account no longer an
    administrator loses its hub key slot). Disabled: its key retired and slot dropped."""
    if disabled:
        _retire(session, current_key(session, account.id), "account disabled")
        _drop_hub_slot(session, account.id)
        return
    if not roles_changed:
        return
    if not _is_administrator(account):
        _drop_hub_slot(session, account.id)
    key = current_key(session, account.id)
    if key is None:
        return
    hub, hub_private = _hub_of(session, administrator)
    _endorse(session, key, account, core_keys.ENDORSED_ROLES, hub, hub_private, hub)


def settle(session: Session, account_id: int) -> None:
    """The demo's accounts keep the password they were given: their keys are theirs."""
    key = current_key(session, account_id)
    if key is not None:
        key.provisional = False


def require_endorsed(session: Session, ring: KeyRing | None) -> KeyStanding:
    """The signed-in person's key, endorsed: else nothing is signed with it."""
    if ring is None:
        raise UnendorsedKeyError()
    result = standing(session, ring.fingerprint)
    if not result.endorsed:
        raise UnendorsedKeyError()
    return result


# --- checkpoints of the audit trail ------------------------------------------------------


CHECKPOINT_REASONS = ("sign_out", "backup", "quarter_close")


def checkpoint_payload(*, hub_fingerprint: str, seq: int, head_hash: str, at: dt.datetime,
                       reason: str, signer_fingerprint: str, signer: str) -> dict[str, Any]:
    return {"kind": core_keys.CHECKPOINT_KIND, "version": 1, "hub_key": hub_fingerprint,
            "seq": seq, "head_hash": head_hash,
            "at": at.isoformat(timespec="microseconds"), "reason": reason,
            "signer_key": signer_fingerprint, "signer": signer}


def write_checkpoint(session: Session, ring: KeyRing | None, signer: str,
                     reason: str) -> AuditCheckpoint | None:
    """The trail's head as it stands in ``session``'s transaction, signed by the person
    signed in. Nothing when nobody's keys are open or the trail is empty."""
    assert reason in CHECKPOINT_REASONS
    if ring is None:
        return None
    last = session.execute(select(AuditEntry.seq, AuditEntry.entry_hash)
                           .order_by(AuditEntry.seq.desc()).limit(1)).first()
    if last is None:
        return None
    now = utc_now()
    payload = checkpoint_payload(hub_fingerprint=ring.hub_fingerprint, seq=last[0],
                                 head_hash=last[1], at=now, reason=reason,
                                 signer_fingerprint=ring.fingerprint, signer=signer)
    row = AuditCheckpoint(seq=last[0], head_hash=last[1], at=now, reason=reason,
                          key_id=ring.key_id, account_id=ring.account_id, signer=signer,
                          payload=payload, signature=ring.sign(payload))
    session.add(row)
    session.flush()
    return row


def checkpoints(session: Session) -> Iterable[AuditCheckpoint]:
    return session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id))
