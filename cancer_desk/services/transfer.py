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
from sqlalchemy import Connection, Engine, func, inspect, select, text

from cancer_desk.core.access import Action
from cancer_desk.db.database import Database
from cancer_desk.db.engine import make_engine, make_session_factory
from cancer_desk.db.migrate import alembic_config, current_revision, head_revision, migrate
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


def _location(url) -> str:
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
    if (target_file := sqlite_path(target_url)) is not None:
        keep_database_private(target_file)  # patients' records: the program's account only
    target = make_engine(target_url)
    try:
        _refuse_unless_empty(source, target)
    except BaseException:
        target.dispose()
        raise
    try:
        migrate(target, None, None)  # the schema, with the server's own triggers
        reading = source.engine.connect()
        if reading.dialect.name == "postgresql":  # one snapshot of the whole database
            reading = reading.execution_options(isolation_level="REPEATABLE READ")
        with reading, target.begin() as writing:  # (SQLite: one snapshot as it is)
            _copy_rows(reading, writing)
            counts = _counts(reading)
            head = _trail_head(reading)
            if _counts(writing) != counts or _trail_head(writing) != head:
                raise CopyRefusedError("the copy does not match the database it was made "
                                       "from; nothing was kept",
                                       "رونوشت با پایگاه داده اصلی یکی نبود و نگه داشته "
                                       "نشد.")
    except BaseException:
        _empty_again(target)
        target.dispose()
        raise
    where = _location(target.url)
    audit.record_event(source.session_factory, actor, "copy", "database", "",
                       changes={"copied_to": [None, where]})
    audit.record_event(make_session_factory(target), None, "copy", "database", "",
                       actor_label=actor.label,
                       changes={"copied_from": [None, source.location]})
    target.dispose()
    return CopyReport(where, counts, head)


def _refuse_unless_empty(source: Database, target: Engine) -> None:
    same_file = (source.sqlite_file is not None and target.dialect.name == "sqlite"
                 and target.url.database
                 and Path(target.url.database).resolve() == source.sqlite_file.resolve())
    if same_file or target.url == source.engine.url:
        raise CopyRefusedError("that is the database in use",
                               "این همان پایگاه داده‌ای است که برنامه با آن کار می‌کند.")
    if inspect(target).get_table_names():
        raise CopyRefusedError(
            f"{_location(target.url)} already holds tables; copy into an empty database",
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


def _empty_again(target) -> None:
    """A copy that failed half-way leaves no half-made database behind to be mistaken
    for a good one: its tables go (the rows went with the rolled-back transaction)."""
    # The migrations' own way back (functions and triggers included). If even this fails,
    # the error that stopped the copy is still the one reported.
    with contextlib.suppress(Exception), target.begin() as connection:
        config = alembic_config(target)
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
