"""Opening a database: engine, migrations, session factory."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.db.backup import BackupError
from cancer_desk.db.engine import make_engine, make_session_factory
from cancer_desk.db.migrate import MigrationReport, SchemaError, migrate
from cancer_desk.paths import keep_database_private, sqlite_path


class DatabaseOpenError(RuntimeError):
    """The database cannot be opened; the message says why in plain words."""


@dataclass
class Database:
    url: str
    engine: Engine
    session_factory: sessionmaker[Session]
    sqlite_file: Path | None
    migration: MigrationReport

    @property
    def location(self) -> str:
        """Where the data is, for people: a file path or the URL without password."""
        if self.sqlite_file is not None:
            return str(self.sqlite_file)
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str) -> Database:
    """Open (creating if need be) and migrate the database at ``url``.

    Backups taken before a migration go to a ``backups`` folder beside the file.
    """
    sqlite_file = sqlite_path(url)
    backup_dir = None
    if sqlite_file is not None:
        if sqlite_file.is_dir():
            raise DatabaseOpenError(f"{sqlite_file} is a folder, not a database file")
        try:
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            # Created private before SQLite first writes to it; SQLite gives its -wal and
            # -shm files the same permissions as the database file.
            keep_database_private(sqlite_file)
        except OSError as exc:
            raise DatabaseOpenError(
                f"cannot create the database {sqlite_file}: {exc}") from exc
        backup_dir = sqlite_file.parent / "backups"
    engine = make_engine(url)
    try:
        report = migrate(engine, sqlite_file, backup_dir)
    except (SchemaError, BackupError) as exc:
        engine.dispose()
        raise DatabaseOpenError(str(exc)) from exc
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        reason = getattr(exc, "orig", exc)
        raise DatabaseOpenError(f"cannot open the database {url}: {reason}") from exc
    if sqlite_file is not None:
        _refuse_foreign_code(engine)
    return Database(url, engine, make_session_factory(engine), sqlite_file, report)


def _refuse_foreign_code(engine: Engine) -> None:
    """A trigger or view the program's migrations did not make (or one of theirs
    changed or gone) can change records at every save with no line in the audit trail:
    such a database is not opened. (SQLite: a server's schema is its administrator's.)"""
    from cancer_desk.db.migrate import HEAD_REVISION
    from cancer_desk.db.schema_check import active_findings_on, summary, summary_fa

    with engine.connect() as connection:
        findings = active_findings_on(connection, HEAD_REVISION)
    if findings:
        engine.dispose()
        raise DatabaseOpenError(
            f"the database holds code this program did not write ({summary(findings)}); it "
            "is not opened — run «cancer-desk check», and restore a sound backup; "
            f"پایگاه داده کدی دارد که این برنامه ننوشته است ({summary_fa(findings)})؛ "
            "باز نمی‌شود، چون چنین کدی می‌تواند سوابق را بی‌ثبت تغییر دهد. از آخرین "
            "پشتیبان سالم بازگردانی کنید.")
