"""Consistent copies of an SQLite database through SQLite's online backup API.

A plain file copy of a database in WAL mode can miss committed pages that still sit
in the -wal file; the backup API copies what a reader sees, page by page.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from cancer_desk.core.progress import NO_PROGRESS, Cancelled, Progress
from cancer_desk.paths import keep_private


class BackupError(RuntimeError):
    def __init__(self, message: str, message_fa: str = "") -> None:
        super().__init__(message)
        self.message_fa = message_fa or ("نسخه پشتیبان نوشته نشد؛ پوشه پشتیبان و جای خالی "
                                         "دیسک را بررسی کنید.")


class DatabaseBusyError(BackupError):
    def __init__(self) -> None:
        super().__init__("the database is held by another program or PC; try again",
                         "پایگاه داده در دست رایانه یا برنامه دیگری است؛ کمی بعد دوباره "
                         "بکوشید.")


BUSY_TIMEOUT_S = 15.0
# How often a long check of a database asks whether it is to stop, in SQLite's virtual
# machine instructions (a few milliseconds' worth).
STOP_CHECK_INSTRUCTIONS = 100_000


def copy_pages(src: sqlite3.Connection, dst: sqlite3.Connection, *,
               timeout: float | None = None, progress: Progress = NO_PROGRESS) -> None:
    """``src.backup(dst)``, but giving up after ``timeout`` seconds of the database being
    busy (Python's own backup waits for ever while another program holds the lock).
    ``progress`` counts the pages; if it cancels, SQLite abandons the copy and rolls the
    destination's write back, so ``dst`` is as it was."""
    import time

    deadline = time.monotonic() + (BUSY_TIMEOUT_S if timeout is None else timeout)

    def on_step(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and \
                time.monotonic() > deadline:
            raise DatabaseBusyError()
        progress.step(total - remaining, total)

    src.backup(dst, pages=1024, progress=on_step, sleep=0.05)


def integrity_problems(path: Path, progress: Progress = NO_PROGRESS) -> list[str]:
    """``PRAGMA integrity_check`` on a file; an empty list means it is sound.
    ``progress`` may cancel it (a big database takes seconds)."""
    cancelled = False

    def keep_going() -> int:  # SQLite's progress handler: non-zero interrupts the check
        nonlocal cancelled
        try:
            progress.check()
        except Cancelled:
            cancelled = True
            return 1
        return 0

    try:
        with contextlib.closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro",
                                                uri=True)) as db:
            db.set_progress_handler(keep_going, STOP_CHECK_INSTRUCTIONS)
            rows = db.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:  # too damaged for the check to run through
        if cancelled:
            raise Cancelled() from None
        return [str(exc)]
    problems = [row[0] for row in rows]
    return [] if problems == ["ok"] else problems


def backup_sqlite(source: Path, destination: Path, *, require_sound: bool = True,
                  progress: Progress = NO_PROGRESS) -> Path:
    """Copy ``source`` to ``destination`` (which must not exist) and check the copy.

    ``require_sound=False`` keeps a copy that fails the check too: what is there before
    a damaged database is replaced is worth keeping, damaged or not. ``progress``
    counts the pages copied; cancelled, the copy leaves nothing behind."""
    if destination.exists():
        raise BackupError(f"{destination} already exists",
                          "پرونده‌ای با همین نام در پوشه پشتیبان هست.")
    partial = destination.with_name(destination.name + ".partial")
    try:
        if not destination.parent.exists():  # made here: a copy of every patient's file
            keep_private(destination.parent, folder=True)
        partial.unlink(missing_ok=True)
        keep_private(partial)
        with (contextlib.closing(sqlite3.connect(source)) as src,
              contextlib.closing(sqlite3.connect(partial)) as dst):
            progress.step(0, 0, "رونوشت برداشتن از پایگاه داده…")
            copy_pages(src, dst, progress=progress)
            dst.execute("PRAGMA journal_mode = DELETE")
        progress.step(0, 0, "بررسی سلامت رونوشت…")
        problems = integrity_problems(partial, progress)
        if problems and require_sound:
            raise BackupError(
                f"the copy of {source} fails integrity_check: {problems[:3]}",
                "پایگاه داده بررسی سلامت را نمی‌گذراند و نسخه پشتیبان آن نگه داشته نشد؛ از "
                "آخرین پشتیبان سالم بازگردانی کنید (پشتیبان‌گیری ← بازگردانی).")
        partial.replace(destination)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"could not back up {source}: {exc}") from exc
    except (BackupError, Cancelled):
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
    path: Path | str  # a file, or a server database's URL without its password
    revision: str | None
    problems: tuple[str, ...]  # integrity_check's findings; empty when sound
    counts: dict[str, int]
    integrity_checked: bool = True  # False on a server: PostgreSQL checks its own pages

    @property
    def sound(self) -> bool:
        return not self.problems


def inspect_server(engine: Engine, location: str) -> DatabaseFacts:
    """Schema version and counts of a database on a server, read in one snapshot."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        tables = set(inspect(connection).get_table_names())
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        counts = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                  for table in COUNTED_TABLES if table in tables}
    return DatabaseFacts(location, revision, (), counts, integrity_checked=False)


def inspect_database(path: Path, known_revisions: set[str],
                     progress: Progress = NO_PROGRESS) -> DatabaseFacts:
    """What a file holds, read only: refuses anything but a sound Cancer Desk database of
    a schema this program knows (an older one is fine: it is migrated on opening).
    ``progress`` may cancel the integrity check."""
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
        problems = integrity_problems(path, progress)
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
