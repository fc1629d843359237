"""Backups: a checked copy on request and daily; restoring gives back exactly what was
backed up, after backing up what is there; anything else is refused, untouched."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from cancer_desk.core.errors import InputError
from cancer_desk.core.progress import Cancelled, Progress
from cancer_desk.db.backup import BackupError, NotADatabaseError
from cancer_desk.db.migrate import head_revision
from cancer_desk.services import audit
from cancer_desk.services.backups import AUTOMATIC_PREFIX, KEEP_AUTOMATIC
from tests.builders import CODES, identity
from tests.conftest import sign_in_tester

# Copies of an SQLite file; a server's database is backed up by the server's own tools.
pytestmark = pytest.mark.sqlite_only


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def hub(configured_context):
    for code in CODES[:3]:
        configured_context.patients.create(identity(code))
    return configured_context


def test_a_backup_is_a_checked_copy(hub, tmp_path) -> None:
    target = hub.backups.backup_to(tmp_path / "copy.sqlite3")
    assert rows(target, "SELECT count(*) FROM patients") == [(3,)]
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    with pytest.raises(BackupError, match="already exists"):
        hub.backups.backup_to(target)


def test_backup_restore_gives_back_exactly_what_was_backed_up(hub, tmp_path, db_file) -> None:
    saved = hub.backups.backup_now()
    backed_up = rows(saved, "SELECT id, national_code, last_name FROM patients ORDER BY id")
    extra = hub.patients.create(identity(CODES[4], last="پس‌ازپشتیبان"))
    changed = hub.patients.get(1)
    hub.patients.update(1, identity(CODES[0], last="تغییریافته"), changed.version)

    facts, before = hub.backups.restore(saved)
    assert facts.counts["patients"] == 3
    assert hub.access.actor is None  # the accounts are the backup's now
    assert rows(db_file, "SELECT id, national_code, last_name FROM patients ORDER BY id") \
        == backed_up
    # What was there is kept: the change and the new patient are in the copy made first.
    assert ("پس‌ازپشتیبان",) in rows(before, "SELECT last_name FROM patients")
    assert extra.id in [r[0] for r in rows(before, "SELECT id FROM patients")]
    sign_in_tester(hub)  # the same account exists in the backup
    assert hub.patients.count() == 3
    report = audit.verify(hub.database.session_factory)
    assert report.intact
    assert any(e.action == "restore" and e.reason == f"from {saved.name}"
               for e in hub.audit.recent(limit=5))


@pytest.mark.parametrize("damage", ["foreign", "newer", "corrupt", "not sqlite", "itself"])
def test_a_file_that_is_not_a_sound_known_database_is_refused(hub, tmp_path, db_file,
                                                              damage) -> None:
    bad = tmp_path / "bad.sqlite3"
    if damage == "foreign":
        with sqlite3.connect(bad) as db:
            db.execute("CREATE TABLE notes (text)")
    elif damage == "newer":
        hub.backups.backup_to(bad)
        with sqlite3.connect(bad) as db:
            db.execute("UPDATE alembic_version SET version_num = '9999'")
    elif damage == "corrupt":
        hub.backups.backup_to(bad)
        data = bytearray(bad.read_bytes())
        for offset in range(4096, len(data), 4096):  # scribble over every page's header
            data[offset:offset + 8] = b"\xff" * 8
        bad.write_bytes(bytes(data))
    elif damage == "not sqlite":
        bad.write_text("name,code\nعلی,123\n", encoding="utf-8")
    else:
        bad = db_file
    before = rows(db_file, "SELECT id, last_name, version FROM patients ORDER BY id")
    with pytest.raises(NotADatabaseError) as refused:
        hub.backups.restore(bad)
    assert refused.value.message_fa
    assert rows(db_file, "SELECT id, last_name, version FROM patients ORDER BY id") == before
    assert hub.access.actor is not None  # nothing happened: still signed in
    assert not list(hub.backups.folder().glob("*before-restore*"))


def test_the_daily_backup_is_made_once_and_rotated(hub) -> None:
    folder = hub.backups.folder()
    folder.mkdir(parents=True, exist_ok=True)
    for day in range(20):  # three weeks of earlier copies
        (folder / f"{AUTOMATIC_PREFIX}202601{day + 1:02d}.sqlite3").write_bytes(b"")
    today = dt.date(2026, 11, 25)
    assert hub.backups.daily_due(today=today)
    made = hub.backups.daily(today=today)
    assert made is not None and made.name == f"{AUTOMATIC_PREFIX}20261125.sqlite3"
    assert not hub.backups.daily_due(today=today)
    assert hub.backups.daily(today=today) is None  # once a day
    assert hub.backups.daily_due(today=today + dt.timedelta(days=1))
    kept = sorted(p.name for p in folder.glob(f"{AUTOMATIC_PREFIX}*"))
    assert len(kept) == KEEP_AUTOMATIC and kept[-1] == made.name
    assert kept[0] == f"{AUTOMATIC_PREFIX}20260108.sqlite3"  # the oldest are gone
    listed = hub.backups.list()
    assert listed[0].path == made and listed[0].automatic


def test_the_backup_folder_can_be_moved_to_a_usb_disk(hub, tmp_path) -> None:
    usb = tmp_path / "usb" / "cancer-desk"
    hub.settings.set_backup_folder(str(usb))
    assert hub.backups.folder() == usb.resolve()
    assert hub.backups.daily().parent == usb.resolve()
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    with pytest.raises(InputError) as refused:
        hub.settings.set_backup_folder(str(blocked / "sub"))
    assert "«پوشه پشتیبان»" in refused.value.message_fa
    assert hub.backups.folder() == usb.resolve()


def test_check_reports_integrity_schema_and_counts(hub) -> None:
    facts = hub.backups.check()
    assert facts.sound and facts.revision == head_revision()
    assert facts.counts["patients"] == 3 and facts.counts["accounts"] == 1
    assert facts.counts["audit_log"] > 3


def test_a_damaged_database_can_still_be_restored(hub, db_file) -> None:
    saved = hub.backups.backup_now()
    hub.database.engine.dispose()
    with sqlite3.connect(db_file) as db:  # damage an index: the tables still read
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' "
                          "AND tbl_name = 'patients' LIMIT 1").fetchone()[0]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with db_file.open("r+b") as raw:
        raw.seek((root - 1) * page_size + 8)
        raw.write(b"\xff" * 64)
    # Damaged: unsound, or too malformed even to count its rows.
    with contextlib.suppress(NotADatabaseError):
        assert not hub.backups.check().sound
    facts, before = hub.backups.restore(saved)
    assert "damaged" in before.name  # what was there is kept, damaged as it is
    assert hub.backups.check().sound and facts.counts["patients"] == 3


def test_another_pc_signed_in_before_a_restore_is_signed_out(hub, db_url) -> None:
    from cancer_desk.services.access import NotSignedInError
    from tests.conftest import open_signed_in

    saved = hub.backups.backup_now()
    other_pc = open_signed_in(db_url)
    try:
        opened = other_pc.patients.get(1)
        hub.backups.restore(saved)
        with pytest.raises(NotSignedInError) as told:
            other_pc.patients.update(1, identity(CODES[0], last="دیگر"), opened.version)
        assert "پشتیبان" in told.value.message_fa
    finally:
        other_pc.close()


def test_a_backup_without_an_administrator_is_refused(hub, tmp_path) -> None:
    saved = hub.backups.backup_now()
    with sqlite3.connect(saved) as db:
        db.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        db.execute("UPDATE accounts SET active = 0")
    with pytest.raises(NotADatabaseError) as refused:
        hub.backups.restore(saved)
    assert "مدیر سامانه" in refused.value.message_fa


def test_a_busy_database_is_given_up_on_not_waited_for(hub, db_file, monkeypatch) -> None:
    from cancer_desk.db import backup as backup_module

    monkeypatch.setattr(backup_module, "BUSY_TIMEOUT_S", 0.3)
    saved = hub.backups.backup_now()
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program in the middle of a save
    try:
        with pytest.raises(BackupError) as busy:
            hub.backups.restore(saved)
        assert "دیگری" in busy.value.message_fa
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_daily_copy_survives_a_clock_that_is_behind(hub) -> None:
    folder = hub.backups.folder()
    folder.mkdir(parents=True, exist_ok=True)
    for day in range(KEEP_AUTOMATIC):  # copies "from the future"
        (folder / f"{AUTOMATIC_PREFIX}2030{day + 1:04d}.sqlite3").write_bytes(b"")
    made = hub.backups.daily(today=dt.date(2026, 11, 25))
    assert made.exists()
    assert len(list(folder.glob(f"{AUTOMATIC_PREFIX}*"))) == KEEP_AUTOMATIC


def test_a_backup_is_recorded(hub, tmp_path) -> None:
    made = hub.backups.backup_to(tmp_path / "usb" / "copy.sqlite3")
    entry = hub.audit.recent(limit=1)[0]
    assert (entry.action, entry.changes["file"][1]) == ("backup", str(made))


def test_a_backup_that_cannot_be_brought_up_to_date_leaves_the_database_as_it_was(
        hub, db_file, monkeypatch) -> None:
    from cancer_desk.services import backups as backups_module

    saved = hub.backups.backup_now()
    hub.patients.create(identity(CODES[4], last="پس‌ازپشتیبان"))
    before = rows(db_file, "SELECT id, last_name FROM patients ORDER BY id")

    def broken_migration(*_args):
        raise RuntimeError("migration failed half-way")

    monkeypatch.setattr(backups_module, "migrate", broken_migration)
    with pytest.raises(BackupError) as refused:
        hub.backups.restore(saved)
    assert "همان است" in refused.value.message_fa
    assert rows(db_file, "SELECT id, last_name FROM patients ORDER BY id") == before
    assert hub.patients.count() == 4  # still signed in: nothing happened
    # Refused while only the copy beside the database was touched: nothing else made.
    assert [copy.kind_fa for copy in hub.backups.list()] == ["دستی"]
    assert sorted(p.name for p in db_file.parent.iterdir() if p.is_file()
                  and p.name.startswith(db_file.name)) == [db_file.name, db_file.name + "-shm",
                                                           db_file.name + "-wal"]


class CancelAt(Progress):
    """Asks to cancel once the work says ``text``; stops at the next step or check that
    may still stop (as the window's progress does)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.texts: list[str] = []
        self.asked = False
        self.cancellable = True
        self.pages: list[tuple[int, int]] = []

    def step(self, done: int, total: int, text: str = "") -> None:
        if text:
            self.texts.append(text)
            self.asked = self.asked or text == self.text
        elif total:
            self.pages.append((done, total))
        self.check()

    def check(self) -> None:
        if self.asked and self.cancellable:
            raise Cancelled()

    def uncancellable(self, text: str) -> None:
        self.cancellable = False
        self.texts.append(text)


@pytest.mark.parametrize("text", ["رونوشت برداشتن از پایگاه داده…", "بررسی سلامت رونوشت…"])
def test_a_cancelled_backup_leaves_no_file_and_no_record(hub, text) -> None:
    trail = len(hub.audit.recent(limit=1000))
    progress = CancelAt(text)
    with pytest.raises(Cancelled):
        hub.backups.backup_now(progress=progress)
    assert not hub.backups.folder().exists() or list(hub.backups.folder().iterdir()) == []
    assert len(hub.audit.recent(limit=1000)) == trail


def test_a_backup_counts_its_pages(hub) -> None:
    progress = CancelAt("")
    hub.backups.backup_now(progress=progress)
    assert progress.pages and progress.pages[-1][0] == progress.pages[-1][1] > 0


def test_a_restore_cancelled_before_it_writes_leaves_everything_as_it_was(hub, db_file) -> None:
    saved = hub.backups.backup_now()
    hub.patients.create(identity(CODES[4], last="پس‌ازپشتیبان"))
    before = rows(db_file, "SELECT id, last_name FROM patients ORDER BY id")
    with pytest.raises(Cancelled):  # while what is there now is being copied first
        hub.backups.restore(saved, CancelAt("رونوشت برداشتن از پایگاه داده…"))
    assert rows(db_file, "SELECT id, last_name FROM patients ORDER BY id") == before
    assert hub.patients.count() == 4  # still signed in: nothing happened
    assert [copy.path for copy in hub.backups.list()] == [saved]  # no copy left of it


def test_a_restore_past_its_point_of_no_return_goes_to_its_end(hub, db_file) -> None:
    saved = hub.backups.backup_now()
    hub.patients.create(identity(CODES[4], last="پس‌ازپشتیبان"))
    progress = CancelAt("نوشتن پشتیبان به جای پایگاه داده کنونی…")
    facts, _ = hub.backups.restore(saved, progress)  # the cancel is not honoured here
    assert facts.counts["patients"] == 3
    assert rows(db_file, "SELECT count(*) FROM patients") == [(3,)]
    assert any("نمی‌توان در میانه لغو کرد" in text for text in progress.texts)


def test_the_check_of_a_copy_stops_when_asked(hub, db_file, monkeypatch) -> None:
    from cancer_desk.db import backup as backup_module

    class Stop(Progress):
        def check(self) -> None:
            raise Cancelled()

    monkeypatch.setattr(backup_module, "STOP_CHECK_INSTRUCTIONS", 10)
    with pytest.raises(Cancelled):  # not taken for a damaged database
        backup_module.integrity_problems(db_file, Stop())
    assert backup_module.integrity_problems(db_file) == []


# --- what restore proves before it touches anything ---------------------------------


def files_of(db_file: Path) -> dict[str, bytes]:
    """The database and its -wal, byte for byte, and the names of what is beside it (the
    -shm is SQLite's shared memory: every reader marks it)."""
    return {p.name: b"" if p.name.endswith("-shm") else p.read_bytes()
            for p in sorted(db_file.parent.iterdir())
            if p.is_file() and p.name.startswith(db_file.name)}


def minimal_fake(path: Path, revision: str) -> Path:
    """The attacker's file: the right table names, a schema version, one active
    administrator, and nothing else of a Cancer Desk database."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript("""
            CREATE TABLE patients (id INTEGER PRIMARY KEY);
            CREATE TABLE assessments (id INTEGER PRIMARY KEY);
            CREATE TABLE hub_settings (id INTEGER PRIMARY KEY, generation TEXT);
            CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);
            CREATE TABLE accounts (id INTEGER PRIMARY KEY, active BOOLEAN, roles TEXT);
            CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, entry_hash TEXT);
            INSERT INTO accounts VALUES (1, 1, 'administrator');
        """)
        db.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        db.commit()
    return path


@pytest.mark.parametrize("revision", [head_revision(), "0003"])
def test_a_fake_with_the_right_table_names_is_refused_untouched(hub, tmp_path, db_file,
                                                                revision) -> None:
    fake = minimal_fake(tmp_path / "fake.sqlite3", revision)
    before = files_of(db_file)
    with pytest.raises(BackupError) as refused:  # an older one: its migration fails
        hub.backups.restore(fake)
    assert "دست نخورده" in refused.value.message_fa or \
        "همان است که پیش از بازگردانی بود" in refused.value.message_fa
    assert files_of(db_file) == before  # byte for byte; no copy left beside it
    assert hub.patients.count() == 3  # still signed in: nothing happened
    assert hub.backups.list() == []  # not even the copy made before a restore
    if revision == head_revision():  # the schema names what is missing
        assert "تریگر «audit_log_no_update» که باید باشد نیست" in refused.value.message_fa
        assert "trigger audit_log_no_update: missing" in str(refused.value)
        assert "مورد دیگر" in refused.value.message_fa  # the rest counted, not listed


def test_a_genuine_backup_with_a_foreign_trigger_is_refused_naming_it(hub, db_file) -> None:
    saved = hub.backups.backup_now()
    with contextlib.closing(sqlite3.connect(saved)) as db:
        db.executescript("""
            DROP TRIGGER audit_log_no_update;
            DROP TRIGGER audit_log_no_delete;
            CREATE TRIGGER quiet_change AFTER INSERT ON audit_log BEGIN
                UPDATE patients SET last_name = 'دیگر';
                UPDATE cost_items SET amount = amount * 10;
            END;
        """)
        db.commit()
    before = files_of(db_file)
    with pytest.raises(NotADatabaseError) as refused:
        hub.backups.restore(saved)
    told = refused.value.message_fa
    assert "تریگر «quiet_change» را این برنامه نساخته است" in told
    assert "تریگر «audit_log_no_update» که باید باشد نیست" in told
    assert "trigger quiet_change: not made by this program" in str(refused.value)
    assert files_of(db_file) == before
    assert [copy.path for copy in hub.backups.list()] == [saved]


def test_a_backup_with_a_changed_trail_is_refused(hub, db_file) -> None:
    saved = hub.backups.backup_now()
    with contextlib.closing(sqlite3.connect(saved)) as db:
        trigger = db.execute("SELECT sql FROM sqlite_master "
                             "WHERE name = 'audit_log_no_update'").fetchone()[0]
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET reason = 'دیگر' WHERE seq = 2")
        db.execute(trigger)  # put back as it was: the schema is the program's again
        db.commit()
    with pytest.raises(NotADatabaseError) as refused:
        hub.backups.restore(saved)
    assert "سابقه تغییرات این پشتیبان دست خورده است" in refused.value.message_fa
    assert "ردیف ۲" in refused.value.message_fa


def test_a_backup_with_a_value_nested_too_deep_is_refused_untouched(hub, db_file) -> None:
    saved = hub.backups.backup_now()
    with contextlib.closing(sqlite3.connect(saved)) as db:
        trigger = db.execute("SELECT sql FROM sqlite_master "
                             "WHERE name = 'audit_log_no_update'").fetchone()[0]
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET changes = ? WHERE seq = 2",
                   ("[" * 100_000 + "]" * 100_000,))
        db.execute(trigger)
        db.commit()
    before = files_of(db_file)
    with pytest.raises(NotADatabaseError) as refused:
        hub.backups.restore(saved)
    assert "سابقه تغییرات این پشتیبان خواندنی نیست" in refused.value.message_fa
    assert "دست نخورده است" in refused.value.message_fa
    assert files_of(db_file) == before


def test_a_genuine_backup_restores_with_its_entry_and_everyone_signs_in_again(
        hub, db_url, db_file) -> None:
    from cancer_desk.services.access import NotSignedInError
    from tests.conftest import open_signed_in

    saved = hub.backups.backup_now()
    hub.patients.create(identity(CODES[4]))
    other_pc = open_signed_in(db_url)
    try:
        facts, before = hub.backups.restore(saved)
        assert facts.counts["patients"] == 3
        with pytest.raises(NotSignedInError):
            other_pc.patients.count()
        sign_in_tester(other_pc)  # signed in again: it reads the restored database
        assert other_pc.patients.count() == 3
    finally:
        other_pc.close()
    with pytest.raises(NotSignedInError):
        hub.patients.count()
    sign_in_tester(hub)
    entry = next(e for e in hub.audit.recent(limit=5) if e.action == "restore")
    assert entry.reason == f"from {saved.name}"
    assert entry.changes["backup_before"][1] == before.name
    assert audit.verify(hub.database.session_factory).intact
    assert hub.backups.schema_findings() == []
    leftovers = [p.name for p in db_file.parent.iterdir()
                 if p.name.endswith((".restoring", ".replaced"))]
    assert leftovers == []


@pytest.mark.parametrize("step", ["swapped", "opened"])
def test_a_restore_failing_after_the_swap_puts_the_database_before_back(
        hub, db_file, monkeypatch, step) -> None:
    from cancer_desk.services import backups as backups_module

    saved = hub.backups.backup_now()
    hub.patients.create(identity(CODES[4], last="پس‌ازپشتیبان"))
    before = rows(db_file, "SELECT id, last_name FROM patients ORDER BY id")

    def fail_at(reached: str) -> None:
        if reached == step:
            raise OSError("the disk went away")

    monkeypatch.setattr(backups_module, "restore_step", fail_at)
    with pytest.raises(BackupError) as refused:
        hub.backups.restore(saved)
    assert "پایگاه داده پیشین را سر جایش گذاشت" in refused.value.message_fa
    assert rows(db_file, "SELECT id, last_name FROM patients ORDER BY id") == before
    assert rows(db_file, "PRAGMA integrity_check") == [("ok",)]
    assert hub.patients.count() == 4  # the database before, and still signed in
    assert "restore" not in {e.action for e in hub.audit.recent(limit=5)}
    assert not db_file.with_name(db_file.name + ".replaced").exists()


def older_backup(path: Path, revision: str, *extra_sql: str) -> Path:
    """An empty database at an older schema, with its administrator, and ``extra_sql``."""
    from alembic import command

    from cancer_desk.db.engine import make_engine
    from cancer_desk.db.migrate import alembic_config
    from cancer_desk.paths import sqlite_url

    engine = make_engine(sqlite_url(path))
    try:
        with engine.begin() as connection:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("INSERT INTO accounts (username, display_name, password_hash, roles, "
                   "active, must_change_password, failed_attempts, created_at, updated_at, "
                   "version) VALUES ('admin', 'مدیر', 'x', 'administrator', 1, 0, 0, "
                   "'2026-01-01', '2026-01-01', 1)")
        for sql in extra_sql:
            db.execute(sql)
        db.execute("PRAGMA journal_mode = DELETE")
        db.commit()
    return path


def test_an_older_backup_is_brought_up_in_the_copy_and_restored(hub, tmp_path) -> None:
    facts, _ = hub.backups.restore(older_backup(tmp_path / "old.sqlite3", "0006"))
    assert facts.revision == head_revision() and facts.counts["patients"] == 0
    assert hub.backups.schema_findings() == []  # (its one account is not the tester's)
    assert hub.backups.check().revision == head_revision()


def test_a_foreign_trigger_in_an_older_backup_is_refused_before_any_migration_runs(
        hub, tmp_path, db_file, monkeypatch) -> None:
    from cancer_desk.services import backups as backups_module

    migrated: list[object] = []
    monkeypatch.setattr(backups_module, "migrate", lambda *args: migrated.append(args))
    # On a table migration 0007 rebuilds: the migration would drop it after it acted.
    old = older_backup(tmp_path / "old.sqlite3", "0006",
                       "CREATE TRIGGER on_rebuild AFTER INSERT ON patients BEGIN "
                       "UPDATE accounts SET roles = 'administrator'; END")
    before = files_of(db_file)
    with pytest.raises(NotADatabaseError) as refused:
        hub.backups.restore(old)
    assert "تریگر «on_rebuild» را این برنامه نساخته است" in refused.value.message_fa
    assert migrated == [] and files_of(db_file) == before


def test_a_rename_refused_by_the_system_leaves_the_database_before(hub, db_file,
                                                                    monkeypatch) -> None:
    import os

    from cancer_desk.services import backups as backups_module

    saved = hub.backups.backup_now()
    hub.patients.create(identity(CODES[4]))
    real_replace = os.replace

    def held_open(src, dst):  # as Windows does while another PC holds the file open
        if str(src).endswith(".restoring"):
            raise PermissionError(13, "the file is in use by another process")
        return real_replace(src, dst)

    monkeypatch.setattr(backups_module.os, "replace", held_open)
    with pytest.raises(BackupError) as refused:
        hub.backups.restore(saved)
    assert "رایانه دیگری" in refused.value.message_fa
    assert hub.patients.count() == 4
    assert [p.name for p in db_file.parent.iterdir()
            if p.name.endswith((".restoring", ".replaced"))] == []


def test_a_disk_full_while_the_copy_is_written_beside_it_changes_nothing(
        hub, db_file, monkeypatch) -> None:
    from cancer_desk.services import backups as backups_module

    saved = hub.backups.backup_now()
    before = files_of(db_file)

    def disk_full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backups_module, "copy_pages", disk_full)
    with pytest.raises(BackupError) as refused:
        hub.backups.restore(saved)
    assert "جای خالی دیسک" in refused.value.message_fa
    assert "همان است که بود" in refused.value.message_fa
    assert files_of(db_file) == before  # and no copy left beside it
    assert hub.patients.count() == 3
