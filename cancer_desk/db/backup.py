"""Consistent copies of an SQLite database through SQLite's online backup API.

A plain file copy of a database in WAL mode can miss committed pages that still sit
in the -wal file; the backup API copies what a reader sees, page by page.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cancer_desk.paths import keep_private


class BackupError(RuntimeError):
    pass


def integrity_problems(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` on a file; an empty list means it is sound."""
    with contextlib.closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)) as db:
        rows = db.execute("PRAGMA integrity_check").fetchall()
    problems = [row[0] for row in rows]
    return [] if problems == ["ok"] else problems


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy ``source`` to ``destination`` (which must not exist) and check the copy."""
    if destination.exists():
        raise BackupError(f"{destination} already exists")
    partial = destination.with_name(destination.name + ".partial")
    try:
        keep_private(destination.parent, folder=True)  # a copy of every patient's file
        partial.unlink(missing_ok=True)
        keep_private(partial)
        with (contextlib.closing(sqlite3.connect(source)) as src,
              contextlib.closing(sqlite3.connect(partial)) as dst):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        problems = integrity_problems(partial)
        if problems:
            raise BackupError(f"the copy of {source} fails integrity_check: {problems[:3]}")
        partial.replace(destination)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"could not back up {source}: {exc}") from exc
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    return destination


SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables every Cancer Desk database has had since its first schema.
CORE_TABLES = ("patients", "assessments", "hub_settings", "alembic_version")
COUNTED_TABLES = ("patients", "assessments", "cases", "cost_items", "referrals",
                  "accounts", "audit_log", "quarter_closures", "form_seals")


class NotADatabaseError(BackupError):
    """A file that is not a Cancer Desk database this program can open."""

    def __init__(self, message: str, message_fa: str) -> None:
        super().__init__(message)
        self.message_fa = message_fa


@dataclass(frozen=True)
class DatabaseFacts:
    path: Path
    revision: str | None
    problems: tuple[str, ...]  # integrity_check's findings; empty when sound
    counts: dict[str, int]

    @property
    def sound(self) -> bool:
        return not self.problems


def inspect_database(path: Path, known_revisions: set[str]) -> DatabaseFacts:
    """What a file holds, read only: refuses anything but a sound Cancer Desk database of
    a schema this program knows (an older one is fine: it is migrated on opening)."""
    try:
        with path.open("rb") as stream:
            header = stream.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise NotADatabaseError(f"cannot read {path}: {exc}",
                                f"پرونده خوانده نشد: {exc}") from exc
    if header != SQLITE_MAGIC:
        raise NotADatabaseError(f"{path} is not an SQLite database",
                                "این پرونده پایگاه داده میز حمایت نیست.")
    try:
        problems = integrity_problems(path)
        with contextlib.closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro",
                                                uri=True)) as db:
            tables = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not set(CORE_TABLES) <= tables:
                raise NotADatabaseError(f"{path} is not a Cancer Desk database",
                                        "این پرونده پایگاه داده میز حمایت نیست.")
            revision = db.execute("SELECT version_num FROM alembic_version").fetchone()
            counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                      for table in COUNTED_TABLES if table in tables}
    except sqlite3.Error as exc:
        raise NotADatabaseError(f"{path} cannot be read as a database: {exc}",
                                "این پرونده خراب است و خوانده نمی‌شود.") from exc
    revision = revision[0] if revision else None
    if revision not in known_revisions:
        raise NotADatabaseError(
            f"{path} is at schema {revision}, which this version of the program does not "
            "know (a newer program wrote it)",
            "این پرونده را نسخه تازه‌تری از برنامه نوشته است؛ این نسخه آن را نمی‌شناسد.")
    return DatabaseFacts(path, revision, tuple(problems), counts)
