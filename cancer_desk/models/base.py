"""Declarative base with a constraint naming convention (Alembic needs stable names)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from cancer_desk.core.jalali import local_date  # noqa: F401  (stored timestamps → days)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utc_now() -> dt.datetime:
    """Naive UTC: SQLite keeps no time zone, so every timestamp is stored as UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


