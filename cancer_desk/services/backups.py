"""Backups of the hospital's database: on request, once a day automatically (rotated),
and restoring one — which first backs up what is there now.

Every copy goes through SQLite's online backup API and is checked with
``PRAGMA integrity_check`` (cancer_desk.db.backup). A database on a server is backed up
with the server's own tools, not here.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text, update
from sqlalchemy.exc import SQLAlchemyError

from cancer_desk.core.access import Action
from cancer_desk.core.progress import NO_PROGRESS, Cancelled, Progress
from cancer_desk.db import backup as backup_module
from cancer_desk.db.backup import BackupError as BackupError  # the windows see it here
from cancer_desk.db.backup import (
    DatabaseBusyError,
    DatabaseFacts,
    NotADatabaseError,
    backup_sqlite,
    copy_pages,
    inspect_database,
    inspect_server,
)
from cancer_desk.db.database import Database
from cancer_desk.db.engine import make_engine, make_session_factory
from cancer_desk.db.migrate import HEAD_REVISION, known_revisions, migrate
from cancer_desk.db.schema_check import SchemaFinding, findings_in_file, findings_on
from cancer_desk.db.schema_check import summary as schema_summary
from cancer_desk.db.schema_check import summary_fa as schema_summary_fa
from cancer_desk.models import HubSettings
from cancer_desk.paths import keep_database_private, keep_private, sqlite_url
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

    def schema_findings(self) -> builtins.list[SchemaFinding] | None:
        """What in the database in use this program's migrations did not make, or lack;
        ``None`` on a server (SQLite only: a server's schema is its administrator's care)."""
        if self._database.sqlite_file is None:
            return None
        with self._database.engine.connect() as connection:
            return findings_on(connection, HEAD_REVISION)

    def restore(self, source: Path, progress: Progress = NO_PROGRESS
                ) -> tuple[DatabaseFacts, Path]:
        """Replace the database by ``source``: refused, with nothing changed, unless it is
        a sound Cancer Desk database of a known schema. What is there now is backed up
        first; returns the restored facts and that backup. Everyone is signed out after:
        the accounts are the backup's now.

        The backup is copied beside the database, brought up to this version's schema
        and proven there (the schema exactly this program's, integrity, foreign keys,
        the audit trail's chain); the restore's own entry and the mark that signs every
        PC out are written into that copy; only then does it take the database's place,
        in one rename. Killed at any moment, the database is the one before, or the
        restored one with its entry.

        ``progress`` may cancel it until the copy of what is there now is made."""
        actor = self._access.require(Action.BACKUP)
        keys = self._access.keys
        source = source.resolve()
        live = self._file()
        if source == live.resolve():
            raise NotADatabaseError("that is the database in use",
                                    "این همان پایگاه داده‌ای است که اکنون باز است.")
        progress.step(0, 0, "بررسی سلامت پرونده پشتیبان…")
        revision = self.inspect(source, progress).revision
        assert revision is not None  # a known revision: inspect says so
        if not _has_an_administrator(source):
            raise _refused(f"{source} has no active administrator account",
                           "این پشتیبان هیچ حساب فعال «مدیر سامانه» ندارد؛ پس از بازگردانی "
                           "کسی نمی‌توانست حساب‌ها را نگه دارد.")
        staged = live.with_name(live.name + STAGED_SUFFIX)
        try:
            with _not_restored_on_error():
                facts = _stage(source, revision, staged, progress)
            restore_step("proven")
            replaced_head = _audit_head(live)
            before = self._back_up_before_restore(live, progress)
            # From here the restore goes to its end, or back to the start.
            progress.uncancellable("پایگاه داده کنونی در حال جایگزینی با پشتیبان است و این "
                                   "کار را نمی‌توان در میانه لغو کرد؛ تا پایان آن صبر کنید. "
                                   "اگر ناکام بماند، پایگاه داده همان می‌شود که بود.")
            progress.step(0, 0, "نوشتن پشتیبان به جای پایگاه داده کنونی…")
            generation = uuid.uuid4().hex
            with _not_restored_on_error():
                _record_restore(staged, generation, actor.label, source.name, before.name,
                                replaced_head)
            restore_step("recorded")
            self._database.engine.dispose()  # no connection of ours holds the old file
            try:
                _swap_in(live, staged, generation, self._prove_open,
                         self._database.engine.dispose)
            except BackupError:
                # The database before is back, and so are we, keys and all.
                self._access._set(actor, keys)
                raise
        finally:
            _remove_with_journals(staged)
        keep_database_private(live)
        self._access._set(None)
        return facts, before

    def _back_up_before_restore(self, live: Path, progress: Progress) -> Path:
        progress.step(0, 0, "بررسی سلامت پایگاه داده کنونی…")
        try:
            sound = self.check(progress).sound
        except BackupError:  # too damaged even to be read through
            sound = False
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"cancer-desk-before-restore-{stamp}{'' if sound else '-damaged'}"
        target = self.folder() / f"{name}.sqlite3"
        number = 1
        while target.exists():  # a restore within the same second (one killed, say)
            number += 1
            target = self.folder() / f"{name}-{number}.sqlite3"
        # Kept even if damaged: that is when a restore is needed most.
        before = backup_sqlite(live, target, require_sound=False, progress=progress)
        try:
            progress.check()
        except Cancelled:  # nothing was replaced: no copy of it to keep
            before.unlink(missing_ok=True)
            raise
        restore_step("backed_up")
        return before

    def _prove_open(self) -> None:
        """The database now in place opens, at this version's schema, its trail ending
        with the restore's entry."""
        with self._database.engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")
                                          ).scalar()
            last = connection.execute(text("SELECT action FROM audit_log "
                                           "ORDER BY seq DESC LIMIT 1")).scalar()
        if revision != HEAD_REVISION or last != "restore":
            raise BackupError(f"the restored database reads as schema {revision}, last "
                              f"entry {last}")


STAGED_SUFFIX = ".restoring"  # the backup being proven, beside the database
REPLACED_SUFFIX = ".replaced"  # the database before, until the restored one opens
JOURNALS = ("-wal", "-shm", "-journal")


def restore_step(step: str) -> None:
    """Called as a restore passes each of its steps (``proven``, ``backed_up``,
    ``recorded``, ``checkpointed``, ``kept``, ``cleared``, ``swapped``, ``opened``): the
    place where tests stop a restore dead, to show what each moment leaves."""


@contextlib.contextmanager
def _not_restored_on_error() -> Iterator[None]:
    """A disk full or unreadable while only the copy beside the database is written:
    said as such (the database in use is untouched)."""
    try:
        yield
    except (sqlite3.Error, SQLAlchemyError) as exc:
        raise BackupError(f"could not prepare the restore: {exc}",
                          "بازگردانی انجام نشد (رونوشت پشتیبان کنار پایگاه داده نوشته "
                          "نشد؛ جای خالی دیسک را بررسی کنید) و پایگاه داده همان است که "
                          "بود.") from exc


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", *JOURNALS):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _refused(message: str, message_fa: str) -> NotADatabaseError:
    return NotADatabaseError(message, message_fa + " پایگاه داده کنونی دست نخورده است.")


def _stage(source: Path, revision: str, staged: Path, progress: Progress) -> DatabaseFacts:
    """Copy ``source`` to ``staged``, bring it to this version's schema and prove it;
    refused (NotADatabaseError, in Persian too) unless all is well."""
    _remove_with_journals(staged)
    keep_private(staged)  # private before a page of it is written
    progress.step(0, 0, "رونوشت برداشتن از پرونده پشتیبان…")
    with (contextlib.closing(sqlite3.connect(f"file:{source.as_posix()}?mode=ro",
                                             uri=True)) as src,
          contextlib.closing(sqlite3.connect(staged)) as dst):
        copy_pages(src, dst, progress=progress)
        dst.execute("PRAGMA journal_mode = DELETE")
    progress.step(0, 0, "بررسی ساختار پرونده پشتیبان…")
    # Before migrating too: a foreign trigger on a table a migration rebuilds would act
    # during the migration and be gone after it.
    if revision != HEAD_REVISION:
        _refuse_foreign_schema(findings_in_file(staged, revision), source)
    engine = make_engine(sqlite_url(staged))
    try:
        try:
            migrate(engine, None, None)  # an older backup: brought up, in the copy
        except Exception as exc:
            raise BackupError(
                f"{source} could not be brought up to this version's schema ({exc}); the "
                "database is as it was before",
                "این پشتیبان به نسخه کنونی برنامه درنیامد؛ پایگاه داده همان است که پیش از "
                "بازگردانی بود.") from exc
        _prove(engine, source)
    finally:
        engine.dispose()
    _out_of_wal(staged)
    facts = inspect_database(staged, known_revisions(), progress)
    if not facts.sound:
        raise _refused(f"{source} fails integrity_check: {'; '.join(facts.problems[:3])}",
                       "این پرونده پشتیبان خراب است (بررسی سلامت را نمی‌گذراند).")
    return DatabaseFacts(source, facts.revision, (), facts.counts)


def _refuse_foreign_schema(findings: builtins.list[SchemaFinding], source: Path) -> None:
    if findings:
        raise _refused(f"{source} differs from this program's schema: "
                       f"{schema_summary(findings)}",
                       f"ساختار این پشتیبان ساختار این برنامه نیست: "
                       f"{schema_summary_fa(findings)}.")


def _prove(engine: Engine, source: Path) -> None:
    """The schema exactly this version's, the rows' links whole, an administrator, and
    an audit trail whose chain holds."""
    with engine.connect() as connection:
        _refuse_foreign_schema(findings_on(connection, HEAD_REVISION), source)
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise _refused(f"{source} fails foreign_key_check in {broken[0][0]}",
                           f"در این پشتیبان ردیف‌هایی از جدول «{broken[0][0]}» به ردیفی "
                           "که نیست اشاره می‌کنند.")
    try:
        chain = audit.verify(make_session_factory(engine))
    except (RecursionError, ValueError) as exc:  # a value nested past any parser's depth
        raise _refused(f"{source}: the audit trail cannot be read ({type(exc).__name__})",
                       "سابقه تغییرات این پشتیبان خواندنی نیست (مقداری در آن بیش از "
                       "اندازه تودرتو یا نادرست است).") from exc
    if not chain.intact:
        raise _refused(f"{source}: the audit trail's chain breaks at "
                       f"{chain.problems[0].describe()}",
                       f"سابقه تغییرات این پشتیبان دست خورده است: "
                       f"{chain.problems[0].describe_fa()}")


def _out_of_wal(path: Path) -> None:
    """One file, no -wal beside it: what is renamed is the whole database."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode = DELETE")
    with path.open("rb+") as stream:
        os.fsync(stream.fileno())


def _record_restore(staged: Path, generation: str, actor_label: str, source_name: str,
                    before_name: str, replaced_head: str | None) -> None:
    """The restore's entry at the end of the restored trail, and a new generation (every
    PC still signed in is signed out at its next action), written in the copy, in one
    transaction, before it takes the database's place."""
    engine = make_engine(sqlite_url(staged))
    try:
        with make_session_factory(engine).begin() as session:
            session.execute(update(HubSettings).values(generation=generation))
            audit.append(session, None, [audit.Draft(
                "restore", "database", "", None,
                {"backup_before": [None, before_name],
                 "replaced_trail_head": [None, replaced_head]})],
                reason=f"from {source_name}", actor_label=actor_label)
    finally:
        engine.dispose()
    _out_of_wal(staged)


def _sign_out_and_checkpoint(live: Path, generation: str) -> None:
    """The database before gets the new generation too: a PC whose connection still
    reads it (the file's old contents, after the rename) is signed out and reconnects.
    Then every page is in the file itself, so the -wal and -shm can go."""
    with contextlib.closing(sqlite3.connect(live, isolation_level=None,
                                            timeout=backup_module.BUSY_TIMEOUT_S)) as db:
        try:
            db.execute("UPDATE hub_settings SET generation = ?", (generation,))
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusyError() from exc
            # a damaged database before: its pages need not be written to
        except sqlite3.DatabaseError:
            pass
        busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy and busy[0]:
            raise DatabaseBusyError()
        # Alone on it, SQLite leaves WAL and removes the -wal itself; with another
        # program on it, the -wal is empty now and removed before the rename.
        with contextlib.suppress(sqlite3.OperationalError):
            db.execute("PRAGMA journal_mode = DELETE")


def _keep_aside(live: Path, replaced: Path) -> None:
    """The database before stays whole beside it until the restored one opens."""
    _remove_with_journals(replaced)
    try:
        os.link(live, replaced)  # the same file under a second name
    except OSError:  # a file system without hard links: a copy
        with (contextlib.closing(sqlite3.connect(live)) as src,
              contextlib.closing(sqlite3.connect(replaced)) as dst):
            copy_pages(src, dst)
            dst.execute("PRAGMA journal_mode = DELETE")


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows has no handle on a folder to flush
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _swap_in(live: Path, staged: Path, generation: str, prove_open: Callable[[], None],
             close: Callable[[], None]) -> None:
    """Put ``staged`` in ``live``'s place in one rename; if it does not open after, put
    the database before back."""
    try:
        _sign_out_and_checkpoint(live, generation)
        restore_step("checkpointed")
        replaced = live.with_name(live.name + REPLACED_SUFFIX)
        _keep_aside(live, replaced)
        restore_step("kept")
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"could not set the database aside: {exc}",
                          "بازگردانی انجام نشد و پایگاه داده همان است که بود.") from exc
    try:
        # A -wal left of the database before would be read into the restored one.
        for suffix in JOURNALS:
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        restore_step("cleared")
        os.replace(staged, live)  # Windows: refused while another program holds it open
        _sync_folder(live.parent)
        restore_step("swapped")
        prove_open()
        restore_step("opened")
    except Exception as exc:
        close()  # what proved it must not hold the file put back
        _put_back(live, replaced)
        raise BackupError(
            f"the restored database did not open ({exc}); the database before the restore "
            "is back in its place",
            "پایگاه داده بازگردانده باز نشد (شاید برنامه روی رایانه دیگری آن را باز نگه "
            "داشته است)؛ برنامه پایگاه داده پیشین را سر جایش گذاشت و همه‌چیز همان است که "
            "پیش از بازگردانی بود.") from exc
    _remove_with_journals(replaced)


def _put_back(live: Path, replaced: Path) -> None:
    """The database before in its place again. Raises BackupError, saying where it is
    kept, if even that cannot be done."""
    try:
        if live.exists() and os.path.samefile(live, replaced):
            replaced.unlink()  # the rename never happened: it is in its place
            return
        for suffix in JOURNALS:
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        os.replace(replaced, live)
        _sync_folder(live.parent)
    except OSError as exc:
        raise BackupError(
            f"the restored database did not open, and the database before could not be "
            f"put back ({exc}); it is kept whole in {replaced}",
            "پایگاه داده بازگردانده باز نشد و برنامه نتوانست پایگاه داده پیشین را سر جایش "
            f"بگذارد؛ آن سالم در این پرونده نگه داشته شده است: {replaced.name}. برنامه را "
            "روی همه رایانه‌ها ببندید و به مسئول فناوری بگویید.") from exc


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
