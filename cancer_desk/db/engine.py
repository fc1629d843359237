"""Engine creation with the pragmas that make SQLite safe on a PC that loses power."""

from __future__ import annotations

import warnings

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SAWarning
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
    """Start ``session``'s transaction so that what it reads cannot be changed by another
    writer before it commits: SQLite's write lock (BEGIN IMMEDIATE), or SERIALIZABLE on
    a server database. Must be the first thing the session does."""
    dialect = session.get_bind().dialect.name
    options = ({_BEGIN_MODE: "IMMEDIATE"} if dialect == "sqlite"
               else {"isolation_level": "SERIALIZABLE"})
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


def make_engine(url: str, **kwargs) -> Engine:
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services hand plain values to the UI after commit.
    return sessionmaker(engine, expire_on_commit=False)
