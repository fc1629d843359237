"""Engine creation with the pragmas that make SQLite safe on a PC that loses power, and
the one-writer-at-a-time lock on SQLite and on a PostgreSQL server alike."""

from __future__ import annotations

import sqlite3
import time
import warnings
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import SAWarning
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

# How long a save waits for another PC's save to finish before it is refused as busy.
WRITE_WAIT_MS = 10_000
# PostgreSQL: the advisory lock the programme's guarded writers queue on (any number, the
# same in every copy of the program; the audit trail's own lock is another).
WRITE_LOCK_KEY = 1388001


# A DB-API connection (PEP 249 has no types): sqlite3's or psycopg's.
_DBAPIConnection = Any


def _sqlite_pragmas(dbapi_connection: _DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # Python's sqlite3 module opens transactions on its own and not before DDL, so a
    # failed migration would leave half a schema behind. Let SQLAlchemy say BEGIN
    # itself instead (the documented pysqlite recipe): every transaction, DDL included,
    # then commits or rolls back whole.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # Foreign keys are off by default in SQLite; WAL keeps readers and one writer
        # apart; synchronous=FULL makes a committed save survive a power cut.
        cursor.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """Switching a new file to WAL needs it alone for a moment, and SQLite says «database
    is locked» at once, busy timeout or not, if another program opening the same new
    file holds it just then: so wait and try again, as the busy timeout would."""
    deadline = time.monotonic() + WRITE_WAIT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


_BEGIN_MODE = "cancer_desk_begin"
_LOCKED_KEY = "cancer_desk_write_locked"  # session.info: the transaction holding the lock


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_BEGIN_MODE, "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def take_write_lock(session: Session) -> None:
    """Start ``session``'s transaction so that what it reads cannot be changed by another
    writer before it commits: SQLite's write lock (BEGIN IMMEDIATE), or on PostgreSQL an
    advisory lock every such writer takes first. Must be the first thing the session
    does. Waits up to WRITE_WAIT_MS for another writer, then raises OperationalError.

    On PostgreSQL the transaction stays READ COMMITTED: each statement after the lock sees
    what the writer before committed, as under SQLite's lock. (SERIALIZABLE would instead
    fail some saves at random with «could not serialize access», to be retried.)"""
    transaction = session.get_transaction()
    if transaction is not None and session.info.get(_LOCKED_KEY) is transaction:
        return  # this transaction holds the lock already
    dialect = session.get_bind().dialect.name
    options = {_BEGIN_MODE: "IMMEDIATE" if dialect == "sqlite" else "advisory lock"}
    with warnings.catch_warnings():
        # SQLAlchemy only warns when a transaction already under way ignores the options.
        warnings.simplefilter("error", SAWarning)
        try:
            connection = session.connection(execution_options=options)
        except SAWarning as exc:
            raise RuntimeError("take_write_lock must come before the session's first "
                               "query") from exc
    if any(connection.get_execution_options().get(k) != v for k, v in options.items()):
        raise RuntimeError("take_write_lock must come before the session's first query")
    if dialect == "postgresql":
        connection.execute(text(f"SET LOCAL lock_timeout = {int(WRITE_WAIT_MS)}"))
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": WRITE_LOCK_KEY})
    session.info[_LOCKED_KEY] = session.get_transaction()


class _WritingSession(Session):
    """A transaction opened with ``begin()`` (``sessions.begin()``: a save) takes the
    write lock at once, and so waits its turn behind another PC's save; reads
    (``sessions()``) stay lock-free.

    On SQLite (BEGIN IMMEDIATE): begun as a reader and written later, a save would be
    refused at once with «database is locked» whenever another save committed in
    between, busy timeout or not. On PostgreSQL (the advisory lock): a save checks one
    table and writes another (a Form 1 is not sealed, then the Form 1 is saved), and
    without the lock a seal committed in between would not stop it; saves taking row
    locks and the audit trail's lock in different orders could also deadlock."""

    def begin(self, nested: bool = False) -> SessionTransaction:
        transaction = super().begin(nested=nested)
        if not nested:
            take_write_lock(self)
        return transaction


def _postgresql_session_settings(dbapi_connection: _DBAPIConnection,
                                  _record: ConnectionPoolEntry) -> None:
    # Any lock, not only the write lock, is waited for WRITE_WAIT_MS at most: a PC that
    # lost power mid-save holds its locks until the server notices it is gone.
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {int(WRITE_WAIT_MS)}")
    dbapi_connection.commit()


SERVER_CONNECT_TIMEOUT_S = 10


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("postgresql"):
        # A server restarted meanwhile: the pool's old connections are tested and
        # replaced, not handed out broken. An unreachable one: refused in seconds, not
        # after the operating system's TCP time-out.
        kwargs.setdefault("pool_pre_ping", True)
        connect_args = kwargs.setdefault("connect_args", {})
        connect_args.setdefault("connect_timeout", SERVER_CONNECT_TIMEOUT_S)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_session_settings)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services hand plain values to the UI after commit.
    return sessionmaker(engine, class_=_WritingSession, expire_on_commit=False)
