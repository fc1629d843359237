"""Closed quarters, the hub's allocation, and the roll-up of packages from many hubs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cancer_desk.models.base import Base, utc_now


class QuarterClosure(Base):
    """One export of a quarter. Version 1 is the first; a reopened quarter's next
    export is an amendment (version 2 …) that says what changed."""

    __tablename__ = "quarter_closures"
    __table_args__ = (UniqueConstraint("year", "quarter", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    quarter: Mapped[int] = mapped_column(SmallInteger)
    version: Mapped[int] = mapped_column(SmallInteger)
    closed_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    closed_by: Mapped[str] = mapped_column(String(120))
    package_sha256: Mapped[str] = mapped_column(String(64))
    manifest_sha256: Mapped[str] = mapped_column(String(64))  # its identity in a roll-up
    # The package as sent: exporting a closed quarter again writes these very bytes,
    # whoever asks and whatever has changed in the settings or the program since.
    package: Mapped[bytes] = mapped_column(LargeBinary)
    # Hashes of each record and the Form 2 numbers as exported: what the next
    # amendment is compared with.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    reopened_at: Mapped[dt.datetime | None] = mapped_column()
    reopened_on: Mapped[dt.date | None] = mapped_column(Date)  # the local day, for people
    reopened_by: Mapped[str] = mapped_column(String(120), default="")
    reopen_reason: Mapped[str] = mapped_column(Text, default="")


class Allocation(Base):
    """The hub's allocation from the budget line for one programme year, in tomans."""

    __tablename__ = "allocations"

    programme_year: Mapped[int] = mapped_column(Integer, primary_key=True,
                                                autoincrement=False)
    amount: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class RollupPackage(Base):
    """A hub's quarterly package merged into a university's or the ministry's roll-up."""

    __tablename__ = "rollup_packages"
    __table_args__ = (
        Index("ix_rollup_packages_period", "year", "quarter"),
        # One current package per hub and quarter, even with two importers at once.
        Index("uq_rollup_packages_current", "hub_key", "year", "quarter", unique=True,
              sqlite_where=text("current = 1"), postgresql_where=text("current")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_key: Mapped[str] = mapped_column(String(300), index=True)
    hub_number: Mapped[int | None] = mapped_column(Integer)
    university: Mapped[str] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(60))
    hospital: Mapped[str] = mapped_column(String(120))
    year: Mapped[int] = mapped_column(SmallInteger)
    quarter: Mapped[int] = mapped_column(SmallInteger)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(SmallInteger)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    current: Mapped[bool] = mapped_column(Boolean, default=True)  # not replaced by an amendment
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON)
    imported_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    imported_by: Mapped[str] = mapped_column(String(120), default="")
    # Signed by the hub (format 4 on): the signer's name and key, the hub key it chains to.
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    signer: Mapped[str] = mapped_column(String(120), default="")
    signer_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    hub_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    # An unsigned package (format 1-3) is taken only by a named person saying why.
    unsigned_reason: Mapped[str] = mapped_column(Text, default="")
    # Taken out of the roll-up by a named person, with a reason (the row stays).
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    removed_by: Mapped[str] = mapped_column(String(120), default="")
    remove_reason: Mapped[str] = mapped_column(Text, default="")

    rows: Mapped[list[RollupRow]] = relationship(cascade="all, delete-orphan")


class RollupHubKey(Base):
    """A hub's key as the roll-up trusts it: pinned from the hub's first signed package,
    replaced only by a named roll-up administrator with a reason (the old row stays,
    ``replaced_at`` set, so packages signed under it remain explained)."""

    __tablename__ = "rollup_hub_keys"
    __table_args__ = (
        Index("uq_rollup_hub_keys_in_force", "hub_key", unique=True,
              sqlite_where=text("replaced_at IS NULL"),
              postgresql_where=text("replaced_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_key: Mapped[str] = mapped_column(String(300), index=True)  # exchange.rollup.hub_key
    hospital: Mapped[str] = mapped_column(String(120))
    public_key: Mapped[str] = mapped_column(String(60))
    fingerprint: Mapped[str] = mapped_column(String(64))
    pinned_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    pinned_by: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")  # "first package", or the person's
    replaced_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class RollupRow(Base):
    __tablename__ = "rollup_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("rollup_packages.id", ondelete="CASCADE"),
                                            index=True)
    group_id: Mapped[int] = mapped_column(SmallInteger)
    seen: Mapped[int] = mapped_column(Integer)
    covered: Mapped[int] = mapped_column(Integer)
    spent: Mapped[int] = mapped_column(BigInteger)
