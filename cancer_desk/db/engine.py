"""Engine creation with the pragmas that make SQLite safe on a PC that loses power."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Python's sqlite3 module opens transactions on its own and not before DDL, so a
    # failed migration would leave half a schema behind. Let SQLAlchemy say BEGIN
    # itself instead (the documented pysqlite recipe): every transaction, DDL included,
    # then commits or rolls back whole.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # Foreign keys are off by default in SQLite; WAL keeps readers and one writer
        # apart; synchronous=FULL makes a committed save survive a power cut.
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


_BEGIN_MODE = "cancer_desk_sqlite_begin"


def _sqlite_begin(connection) -> None:
    mode = connection.get_execution_options().get(_BEGIN_MODE, "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def take_write_lock(session: Session) -> None:
    """Start ``session``'s transaction holding SQLite's write lock (BEGIN IMMEDIATE),
    so what it reads cannot be changed by another writer before it commits. Must be
    the first thing the session does."""
    if session.in_transaction() and session.get_transaction().connections:
        raise RuntimeError("take_write_lock must come before the session's first query")
    session.connection(execution_options={_BEGIN_MODE: "IMMEDIATE"})


def make_engine(url: str, **kwargs) -> Engine:
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services hand plain values to the UI after commit.
    return sessionmaker(engine, expire_on_commit=False)
