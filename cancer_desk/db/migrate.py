"""Alembic migrations, applied at start-up after the database file is copied aside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from cancer_desk.db.backup import backup_sqlite
from cancer_desk.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration (a test holds it to the migration files). A database already
# there is opened without loading Alembic at all: a tenth of a second at every start.
HEAD_REVISION = "0011"
MIGRATION_LOCK_KEY = 1388007  # PostgreSQL advisory lock: one PC migrates at a time


class SchemaError(RuntimeError):
    """The database was written by a newer program, or is not a Cancer Desk database."""


@dataclass(frozen=True)
class MigrationReport:
    before: str | None
    after: str
    backup: Path | None


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if engine is not None:
        config.set_main_option("sqlalchemy.url",
                               engine.url.render_as_string(hide_password=False)
                               .replace("%", "%%"))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _stored_revision(connection)


def _stored_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def migrate(engine: Engine, sqlite_file: Path | None, backup_dir: Path | None) -> MigrationReport:
    """Bring the database to the newest schema.

    An SQLite file that already holds data is first backed up (online backup API),
    so a failed or unwanted migration can be undone by restoring that copy. On a server,
    PCs starting together take turns: the first migrates, the others find it done.
    """
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":  # held across the transactions below
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()
            try:
                return migrate_connection(connection, sqlite_file, backup_dir)
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                   {"key": MIGRATION_LOCK_KEY})
                connection.commit()
        # SQLite: the write lock from the first look at the version to the commit, so a
        # second program opening the same new file waits, then finds the work done.
        connection.execution_options(cancer_desk_begin="IMMEDIATE")
        return migrate_connection(connection, sqlite_file, backup_dir)


def migrate_connection(connection: Connection, sqlite_file: Path | None,
             backup_dir: Path | None) -> MigrationReport:
    """Check, back up and upgrade in one transaction of ``connection``."""
    with connection.begin():
        before = _stored_revision(connection)
        if before == HEAD_REVISION:
            return MigrationReport(before, HEAD_REVISION, None)
        from alembic import command

        head = head_revision()
        if before is not None and before not in known_revisions():
            raise SchemaError(
                f"the database is at schema {before}, which this version of the program "
                f"does not know; it was probably written by a newer version"
            )
        if before is None and _has_tables(connection):
            raise SchemaError("the database holds tables but no Cancer Desk schema "
                              "version; it is not a Cancer Desk database")
        backup = None
        if sqlite_file is not None and before is not None and backup_dir is not None:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = backup_sqlite(
                sqlite_file, backup_dir / f"{sqlite_file.stem}-before-{head}-{stamp}.sqlite3"
            )
        config = alembic_config(connection.engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return MigrationReport(before, head, backup)


def _has_tables(connection: Connection) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(connection).get_table_names())
