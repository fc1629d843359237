"""Signing keys, their endorsements, the hub key's slots and signed checkpoints of the
audit trail (cancer_desk.core.keys says what each is for).

Rows here are never deleted: a key replaced or retired stays, so that whatever it signed
before can still be checked. Only the wrapped private key of a retired key is cleared,
so that nobody who still knows its old password can sign with it again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cancer_desk.models.base import Base, utc_now


class SigningKey(Base):
    """An Ed25519 key pair: a person's (``account_id`` set) or the hub's (NULL)."""

    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "person" or "hub"
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    public_key: Mapped[str] = mapped_column(String(60))  # 32 raw bytes, base64
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    # A person's private key under their password (core.keys.wrap); NULL for the hub's
    # key (its slots hold it) and once the key is retired.
    wrapped: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Made under a password an administrator chose (a new account, a reset): replaced by
    # a fresh key when the person picks their own password.
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    retired_reason: Mapped[str] = mapped_column(Text, default="")


class KeyEndorsement(Base):
    """A key's public part, whose it is and their roles, signed by the endorser's key."""

    __tablename__ = "key_endorsements"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("signing_keys.id"), index=True)
    endorser_key_id: Mapped[int] = mapped_column(ForeignKey("signing_keys.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # core.keys.endorsement_payload
    signature: Mapped[str] = mapped_column(String(100))
    made_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class HubKeySlot(Base):
    """The hub's private key wrapped under one administrator's password."""

    __tablename__ = "hub_key_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_key_id: Mapped[int] = mapped_column(ForeignKey("signing_keys.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), unique=True)
    wrapped: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class AuditCheckpoint(Base):
    """The audit trail's head, signed: at a sign-out, a backup, a quarter's close.
    Append-only, as the trail is."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    head_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(20))  # "sign_out", "backup", "quarter_close"
    key_id: Mapped[int] = mapped_column(ForeignKey("signing_keys.id"))
    account_id: Mapped[int | None] = mapped_column(Integer)
    signer: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # core.keys checkpoint payload
    signature: Mapped[str] = mapped_column(String(100))
