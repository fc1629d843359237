"""Accounts, the audit trail and sealed forms: who did what, and what a director signed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cancer_desk.models.base import Base, utc_now


class Account(Base):
    """A person who signs in. Never deleted (the audit trail names them): deactivated."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # Argon2id, in the PHC string format (parameters and salt included); never the password.
    password_hash: Mapped[str] = mapped_column(String(200))
    # Comma-separated role names, e.g. "social_worker,director".
    roles: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when an administrator resets the password: the person picks their own at sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AuditEntry(Base):
    """One change, sign-in or refusal. Append-only: the database refuses UPDATE and
    DELETE on this table (triggers), and the hash chain shows any change made around
    them (see cancer_desk.core.audit_chain)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_patient", "patient_id", "seq"),
        Index("ix_audit_log_record", "table_name", "record_id"),
    )

    # Assigned by the program (last + 1), not by the database: the chain needs it gapless.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    account_id: Mapped[int | None] = mapped_column(Integer)  # no FK: entries outlive nothing
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(60))
    patient_id: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    # Unique: two writers can never both continue the chain from the same entry.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    entry_hash: Mapped[str] = mapped_column(String(64))


class FormSeal(Base):
    """A director's approval of a patient's Form 1: the hash of what it said then.

    While a patient has a current seal (``unsealed_at`` NULL) their Form 1 is read-only.
    Unsealing keeps the row, with who, when and why: a printout carrying its code then
    checks as superseded.
    """

    __tablename__ = "form_seals"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="RESTRICT"),
                                            index=True)
    # Sealing the same content again gives the same hash and code: the printout is
    # then still true, so the code keeps checking as current.
    content_sha256: Mapped[str] = mapped_column(String(64))
    content_version: Mapped[int] = mapped_column(Integer, default=1)  # core.seal versions
    # What the printout must say, for the person checking it to compare with the paper:
    # a code only proves that some form was approved, not that this paper is that form.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    code: Mapped[str] = mapped_column(String(20), index=True)
    sealed_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    sealed_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    sealed_by: Mapped[str] = mapped_column(String(120))
    unsealed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    unsealed_by: Mapped[str] = mapped_column(String(120), default="")
    unseal_reason: Mapped[str] = mapped_column(Text, default="")
    # The director's signature (core.keys) over ``signed``: the seal's particulars and the
    # content hash. NULL for a seal made before seals were signed.
    signed: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    signature: Mapped[str | None] = mapped_column(String(100))
    key_id: Mapped[int | None] = mapped_column(ForeignKey("signing_keys.id"))
