"""Moving a hospital's database to a server (or back to a file): every table copied
whole, in one transaction on the new database, and checked there before it is used.

A ward that outgrows one PC starts with its SQLite file and moves it to the department's
PostgreSQL server; after that only the connection setting changes. The copy is exact:
ids, versions, the audit trail with its hash chain, sealed forms' codes and closed
quarters' stored bytes are the same on both sides.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from sqlalchemy import URL, Connection, Engine, func, inspect, select, text
from sqlalchemy.exc import OperationalError

from cancer_desk.core.access import Action
from cancer_desk.db.database import Database
from cancer_desk.db.engine import make_engine, make_session_factory
from cancer_desk.db.migrate import (
    MIGRATION_LOCK_KEY,
    alembic_config,
    current_revision,
    head_revision,
    migrate_connection,
)
from cancer_desk.models import Base
from cancer_desk.paths import keep_database_private, sqlite_path
from cancer_desk.services import audit
from cancer_desk.services.access import Access

BATCH_ROWS = 2_000


class CopyRefusedError(RuntimeError):
    def __init__(self, message: str, message_fa: str) -> None:
        super().__init__(message)
        self.message_fa = message_fa


@dataclass(frozen=True)
class CopyReport:
    target: str  # where it went, without a password
    counts: dict[str, int]  # rows per table, the same on both sides
    trail_head: str  # seq:hash of the audit trail, the same on both sides


def _location(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _counts(connection: Connection) -> dict[str, int]:
    return {table.name: connection.execute(select(func.count()).select_from(table))
            .scalar_one() for table in Base.metadata.sorted_tables}


def _trail_head(connection: Connection) -> str:
    from cancer_desk.models import AuditEntry

    row = connection.execute(select(AuditEntry.seq, AuditEntry.entry_hash)
                             .order_by(AuditEntry.seq.desc()).limit(1)).first()
    return f"{row[0]}:{row[1]}" if row else "0:"


def copy_database(source: Database, access: Access, target_url: str) -> CopyReport:
    """Copy the database in use to the empty database at ``target_url`` (administrator).
    Refused, with nothing written, unless the target is empty; the source is only read.
    Both databases' trails record the copy."""
    actor = access.require(Action.BACKUP)
    target = make_engine(target_url)
    where = _location(target.url)
    try:
        with _connect(target) as connection:
            on_server = connection.dialect.name == "postgresql"
            if on_server:  # a PC starting meanwhile waits for the copy, as for a migration
                _advisory(connection, "pg_advisory_lock")
            try:
                counts, head = _copy_locked(source, connection)
            finally:
                if on_server:
                    _advisory(connection, "pg_advisory_unlock")
    finally:
        target.dispose()
    audit.record_event(source.session_factory, actor, "copy", "database", "",
                       changes={"copied_to": [None, where]})
    target = make_engine(target_url)
    try:
        audit.record_event(make_session_factory(target), None, "copy", "database", "",
                           actor_label=actor.label,
                           changes={"copied_from": [None, source.location]})
    finally:
        target.dispose()
    return CopyReport(where, counts, head)


def _connect(target: Engine) -> Connection:
    try:
        return target.connect()
    except (OperationalError, OSError) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise CopyRefusedError(
            f"cannot reach {_location(target.url)}: {reason}",
            "پایگاه داده مقصد در دسترس نیست (نشانی، شبکه یا پوشه را بررسی کنید).") from exc


def _advisory(connection: Connection, function: str) -> None:
    connection.execute(text(f"SELECT {function}(:key)"), {"key": MIGRATION_LOCK_KEY})
    connection.commit()


def _copy_locked(source: Database, connection: Connection) -> tuple[dict[str, int], str]:
    _refuse_unless_empty(source, connection)
    connection.rollback()  # the look was read-only; what follows has transactions of its own
    if connection.dialect.name == "sqlite":
        connection.execution_options(cancer_desk_begin="IMMEDIATE")
    if (target_file := sqlite_path(connection.engine.url.render_as_string(False))):
        keep_database_private(target_file)  # patients' records: the program's account only
    try:
        migrate_connection(connection, None, None)  # the schema, with the server's own triggers
        reading = source.engine.connect()
        if reading.dialect.name == "postgresql":
            # One snapshot of the whole database, read in batches from the server rather
            # than each table whole into memory.
            reading = reading.execution_options(isolation_level="REPEATABLE READ",
                                                stream_results=True)
        with reading, connection.begin():  # (SQLite: one snapshot as it is)
            _copy_rows(reading, connection)
            counts = _counts(reading)
            head = _trail_head(reading)
            if _counts(connection) != counts or _trail_head(connection) != head:
                raise CopyRefusedError("the copy does not match the database it was made "
                                       "from; nothing was kept",
                                       "رونوشت با پایگاه داده اصلی یکی نبود و نگه داشته "
                                       "نشد.")
    except BaseException:
        _empty_again(connection)
        raise
    return counts, head


def _refuse_unless_empty(source: Database, target: Connection) -> None:
    url = target.engine.url
    same_file = (source.sqlite_file is not None and target.dialect.name == "sqlite"
                 and url.database
                 and Path(url.database).resolve() == source.sqlite_file.resolve())
    if same_file or url == source.engine.url:
        raise CopyRefusedError("that is the database in use",
                               "این همان پایگاه داده‌ای است که برنامه با آن کار می‌کند.")
    if inspect(target).get_table_names():
        raise CopyRefusedError(
            f"{_location(url)} already holds tables; copy into an empty database",
            "پایگاه داده مقصد خالی نیست؛ برای انتقال، یک پایگاه داده تازه و خالی بسازید.")
    if current_revision(source.engine) != head_revision():
        raise CopyRefusedError("the database in use is not at this program's schema",
                               "پایگاه داده فعلی به نسخه این برنامه به‌روز نیست.")


def _copy_rows(reading: Connection, writing: Connection) -> None:
    # A migration may seed rows (reference tables); the copy replaces them. Children go
    # first, parents after: the foreign keys hold at every step.
    for table in reversed(Base.metadata.sorted_tables):
        if table.name != "audit_log":  # append-only, and empty on a new database
            writing.execute(table.delete())
    for table in Base.metadata.sorted_tables:
        result = reading.execute(select(table)).mappings()
        while batch := result.fetchmany(BATCH_ROWS):
            writing.execute(table.insert(), [dict(row) for row in batch])
    if writing.dialect.name == "postgresql":
        # Explicit ids do not move a serial's sequence; the next new record must not
        # take an id that came with the copy.
        for table in Base.metadata.sorted_tables:
            for column in table.primary_key.columns:
                sequence = writing.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                           {"t": table.name, "c": column.name}).scalar()
                if sequence:
                    top = writing.execute(select(func.max(column))).scalar() or 0
                    writing.execute(text("SELECT setval(:s, :n, false)"),
                                    {"s": sequence, "n": top + 1})


def _empty_again(connection: Connection) -> None:
    """A copy that failed half-way leaves no half-made database behind to be mistaken
    for a good one: its tables go (the rows went with the rolled-back transaction). Only
    ever called on a database found empty under the lock."""
    # The migrations' own way back (functions and triggers included). If even this fails,
    # the error that stopped the copy is still the one reported.
    with contextlib.suppress(Exception):
        if connection.in_transaction():
            connection.rollback()
        with connection.begin():
            config = alembic_config(connection.engine)
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
