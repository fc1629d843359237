"""Alembic migrations, applied at start-up after the database file is copied aside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from cancer_desk.db.backup import backup_sqlite

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaError(RuntimeError):
    """The database was written by a newer program, or is not a Cancer Desk database."""


@dataclass(frozen=True)
class MigrationReport:
    before: str | None
    after: str
    backup: Path | None


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option("sqlalchemy.url",
                               engine.url.render_as_string(hide_password=False)
                               .replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def migrate(engine: Engine, sqlite_file: Path | None, backup_dir: Path | None) -> MigrationReport:
    """Bring the database to the newest schema.

    An SQLite file that already holds data is first backed up (online backup API),
    so a failed or unwanted migration can be undone by restoring that copy.
    """
    before = current_revision(engine)
    head = head_revision()
    if before == head:
        return MigrationReport(before, head, None)
    if before is not None and before not in known_revisions():
        raise SchemaError(
            f"the database is at schema {before}, which this version of the program does "
            f"not know; it was probably written by a newer version"
        )
    if before is None and _has_tables(engine):
        raise SchemaError("the database holds tables but no Cancer Desk schema version; "
                          "it is not a Cancer Desk database")
    backup = None
    if sqlite_file is not None and before is not None and backup_dir is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = backup_sqlite(
            sqlite_file, backup_dir / f"{sqlite_file.stem}-before-{head}-{stamp}.sqlite3"
        )
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return MigrationReport(before, head, backup)


def _has_tables(engine: Engine) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(engine).get_table_names())
