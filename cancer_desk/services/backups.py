"""Backups of the hospital's database: on request, once a day automatically (rotated),
and restoring one — which first backs up what is there now.

Every copy goes through SQLite's online backup API and is checked with
``PRAGMA integrity_check`` (cancer_desk.db.backup). A database on a server is backed up
with the server's own tools, not here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import update

from cancer_desk.core.access import Action
from cancer_desk.core.progress import NO_PROGRESS, Cancelled, Progress
from cancer_desk.db.backup import BackupError as BackupError  # the windows see it here
from cancer_desk.db.backup import (
    DatabaseFacts,
    NotADatabaseError,
    backup_sqlite,
    copy_pages,
    inspect_database,
    inspect_server,
)
from cancer_desk.db.database import Database
from cancer_desk.db.migrate import known_revisions, migrate
from cancer_desk.models import HubSettings
from cancer_desk.paths import keep_database_private
from cancer_desk.services import audit
from cancer_desk.services.access import Access
from cancer_desk.services.settings import SettingsService

AUTOMATIC_PREFIX = "cancer-desk-daily-"
KEEP_AUTOMATIC = 14  # two weeks of daily copies


class NotOnFileError(BackupError):
    def __init__(self) -> None:
        super().__init__("backups here are of an SQLite file; back up a server database "
                         "with the server's own tools (pg_dump)")
        self.message_fa = ("پایگاه داده روی سرور است؛ پشتیبان آن را مسئول فناوری با ابزار "
                           "خود سرور (pg_dump) می‌گیرد، نه این برنامه.")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    size: int
    modified: dt.datetime  # local time
    automatic: bool

    @property
    def kind_fa(self) -> str:
        if self.automatic:
            return "روزانه"
        if "-before-restore-" in self.path.name:
            return "پیش از بازگردانی"
        if "-before-" in self.path.name:
            return "پیش از به‌روزرسانی برنامه"
        return "دستی"


class BackupService:
    def __init__(self, database: Database, access: Access, settings: SettingsService) -> None:
        self._database = database
        self._access = access
        self._settings = settings

    # --- where ---------------------------------------------------------------------

    def _file(self) -> Path:
        if self._database.sqlite_file is None:
            raise NotOnFileError()
        return self._database.sqlite_file

    def folder(self) -> Path:
        """The administrator's backup folder, or ``backups`` beside the database."""
        settings = self._settings.get()
        if settings is not None and settings.backup_folder:
            return Path(settings.backup_folder)
        return self._file().parent / "backups"

    def list(self) -> list[BackupFile]:
        """The backups in the folder, newest first."""
        folder = self.folder()
        if not folder.is_dir():
            return []
        found = []
        for path in folder.glob("*.sqlite3"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                found.append(BackupFile(path, stat.st_size,
                                        dt.datetime.fromtimestamp(stat.st_mtime),
                                        path.name.startswith(AUTOMATIC_PREFIX)))
        return sorted(found, key=lambda b: b.modified, reverse=True)

    # --- making them -----------------------------------------------------------------

    def backup_to(self, target: Path, progress: Progress = NO_PROGRESS) -> Path:
        """A checked copy of the database at ``target`` (which must not exist). Recorded:
        it is a copy of every patient's file, wherever it goes. Cancelled through
        ``progress``, it leaves no file and no record."""
        actor = self._access.require(Action.BACKUP)
        made = backup_sqlite(self._file(), target, progress=progress)
        audit.record_event(self._database.session_factory, actor, "backup", "database", "",
                           changes={"file": [None, str(made)]})
        return made

    def backup_now(self, *, now: dt.datetime | None = None,
                   progress: Progress = NO_PROGRESS) -> Path:
        """A checked copy in the backup folder, named by the time."""
        self._access.require(Action.BACKUP)  # a refusal comes before anything else
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        return self.backup_to(self.folder() / f"cancer-desk-{stamp}.sqlite3", progress)

    def _daily_target(self, today: dt.date) -> Path:
        return self.folder() / f"{AUTOMATIC_PREFIX}{today:%Y%m%d}.sqlite3"

    def daily_due(self, *, today: dt.date | None = None) -> bool:
        """Is today's copy still to be made? Quick — nothing is copied — so the window
        asks on its own thread before it hands the copy to a worker. Raises
        :class:`NotOnFileError` for a server's database."""
        self._file()
        return not self._daily_target(today or dt.date.today()).exists()

    def daily(self, *, today: dt.date | None = None) -> Path | None:
        """Once a day (at the first start of the day): a copy, and only the last
        ``KEEP_AUTOMATIC`` daily copies kept. Needs no account: it is the program's own
        care, and copies only. ``None`` if today's copy exists already."""
        today = today or dt.date.today()
        target = self._daily_target(today)
        folder = target.parent
        if target.exists():
            return None
        made = backup_sqlite(self._file(), target)
        # By name, which is by date; the copy just made stays whatever the clock said.
        automatic = sorted((p for p in folder.glob(f"{AUTOMATIC_PREFIX}*.sqlite3")
                            if p != made), reverse=True)
        for old in automatic[KEEP_AUTOMATIC - 1:]:
            with contextlib.suppress(OSError):  # in use elsewhere: next time
                old.unlink()
        return made

    # --- checking and restoring ----------------------------------------------------------

    def check(self, progress: Progress = NO_PROGRESS) -> DatabaseFacts:
        """Integrity, schema version and counts of the database in use (read only). On
        a server only the schema and counts: its integrity is the server's own care."""
        if self._database.sqlite_file is None:
            return inspect_server(self._database.engine, self._database.location)
        return inspect_database(self._file(), known_revisions(), progress)

    @staticmethod
    def inspect(path: Path, progress: Progress = NO_PROGRESS) -> DatabaseFacts:
        """What a file to restore holds; raises NotADatabaseError, in Persian too."""
        facts = inspect_database(path, known_revisions(), progress)
        if not facts.sound:
            raise NotADatabaseError(
                f"{path} fails integrity_check: {'; '.join(facts.problems[:3])}",
                "این پرونده پشتیبان خراب است (بررسی سلامت را نمی‌گذراند).")
        return facts

    def restore(self, source: Path, progress: Progress = NO_PROGRESS
                ) -> tuple[DatabaseFacts, Path]:
        """Replace the database by ``source``: refused, with nothing changed, unless it is
        a sound Cancer Desk database of a known schema. What is there now is backed up
        first; returns the restored facts and that backup. Everyone is signed out after:
        the accounts are the backup's now.

        ``progress`` may cancel it while the files are checked and the copy of what is
        there now is made; from the moment the database in use is written to, the
        restore goes to its end (or back to the start) and says so."""
        actor = self._access.require(Action.BACKUP)
        source = source.resolve()
        live = self._file()
        if source == live.resolve():
            raise NotADatabaseError("that is the database in use",
                                    "این همان پایگاه داده‌ای است که اکنون باز است.")
        progress.step(0, 0, "بررسی سلامت پرونده پشتیبان…")
        facts = self.inspect(source, progress)
        if not _has_an_administrator(source):
            raise NotADatabaseError(
                f"{source} has no active administrator account",
                "این پشتیبان هیچ حساب فعال «مدیر سامانه» ندارد؛ پس از بازگردانی کسی "
                "نمی‌توانست حساب‌ها را نگه دارد.")
        replaced_head = _audit_head(live)
        progress.step(0, 0, "بررسی سلامت پایگاه داده کنونی…")
        try:
            sound = self.check(progress).sound
        except BackupError:  # too damaged even to be read through
            sound = False
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"cancer-desk-before-restore-{stamp}{'' if sound else '-damaged'}.sqlite3"
        # Kept even if damaged: that is when a restore is needed most.
        before = backup_sqlite(live, self.folder() / name, require_sound=False,
                               progress=progress)
        try:
            progress.check()
        except Cancelled:  # nothing was replaced: no copy of it to keep
            before.unlink(missing_ok=True)
            raise
        # SQLite would roll an abandoned copy back, but the migration after it cannot
        # stop half-way: once the database in use is written to, the restore goes on.
        progress.uncancellable("پایگاه داده کنونی در حال جایگزینی با پشتیبان است و این کار را "
                               "نمی‌توان در میانه لغو کرد؛ تا پایان آن صبر کنید. اگر ناکام "
                               "بماند، پایگاه داده همان می‌شود که بود.")
        progress.step(0, 0, "نوشتن پشتیبان به جای پایگاه داده کنونی…")
        self._database.engine.dispose()  # no connection of ours holds the old pages
        try:
            with (contextlib.closing(sqlite3.connect(f"file:{source.as_posix()}?mode=ro",
                                                     uri=True)) as src,
                  contextlib.closing(sqlite3.connect(live)) as dst):
                # page by page, under SQLite's lock: all or nothing
                copy_pages(src, dst, progress=progress)
        except sqlite3.Error as exc:
            raise BackupError(f"could not restore {source}: {exc}; the database was "
                              f"backed up first to {before}",
                              "بازگردانی انجام نشد و پایگاه داده همان است که بود.") from exc
        keep_database_private(live)
        progress.step(0, 0, "به‌روز کردن ساختار پایگاه داده بازگردانده…")
        try:
            migrate(self._database.engine, live, before.parent)  # an older backup: brought up
        except Exception as exc:
            # All or nothing: the database goes back to what it was before the restore.
            self._database.engine.dispose()
            with (contextlib.closing(sqlite3.connect(before)) as src,
                  contextlib.closing(sqlite3.connect(live)) as dst):
                copy_pages(src, dst)
            raise BackupError(
                f"{source} could not be brought up to this version's schema ({exc}); the "
                "database is as it was before",
                "این پشتیبان به نسخه کنونی برنامه درنیامد؛ پایگاه داده همان است که پیش از "
                "بازگردانی بود.") from exc
        # A new generation: every PC still signed in to what was there is signed out at
        # its next action, so no one saves over the restored records (their numbers are
        # handed out again from the backup's).
        with self._database.engine.begin() as connection:
            connection.execute(update(HubSettings).values(generation=uuid.uuid4().hex))
        audit.record_event(self._database.session_factory, None, "restore", "database",
                           "", actor_label=actor.label, reason=f"from {source.name}",
                           changes={"backup_before": [None, before.name],
                                    "replaced_trail_head": [None, replaced_head]})
        self._access._set(None)
        return facts, before


def _has_an_administrator(path: Path) -> bool:
    with contextlib.closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if "accounts" not in tables:  # from before accounts: the first run makes one
            return True
        return bool(db.execute("SELECT count(*) FROM accounts WHERE active "
                               "AND roles LIKE '%administrator%'").fetchone()[0])


def _audit_head(path: Path) -> str | None:
    """``seq:hash`` of the trail about to be replaced, kept in the restore's entry."""
    with (contextlib.closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro",
                                             uri=True)) as db,
          contextlib.suppress(sqlite3.Error)):
        row = db.execute("SELECT seq, entry_hash FROM audit_log "
                         "ORDER BY seq DESC LIMIT 1").fetchone()
        return f"{row[0]}:{row[1]}" if row else None
    return None
