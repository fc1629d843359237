"""Schemas made by hand to pass for the program's: each acts otherwise than the
migrations' and is named by `check`, refused by the restore and by the start."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from cancer_desk.db.backup import NotADatabaseError
from cancer_desk.db.database import DatabaseOpenError, open_database
from cancer_desk.db.migrate import HEAD_REVISION
from cancer_desk.db.schema_check import findings_in_file
from cancer_desk.paths import sqlite_url
from tests.builders import CODES, identity
from tests.cli.helpers import run
from tests.schema_attacks import add_hidden_trigger

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def hub(configured_context):
    for code in CODES[:3]:
        configured_context.patients.create(identity(code))
    return configured_context


def test_a_trigger_named_like_sqlites_statistics_is_foreign(tmp_path: Path) -> None:
    database = tmp_path / "stat.sqlite3"
    open_database(sqlite_url(database)).dispose()
    add_hidden_trigger(database)
    findings = findings_in_file(database, HEAD_REVISION)
    assert [(f.type, f.name, f.kind) for f in findings] == [
        ("trigger", "sqlite_stat1", "foreign")]
    with pytest.raises(DatabaseOpenError):
        open_database(sqlite_url(database)).dispose()


def test_sqlites_own_statistics_table_is_no_finding(tmp_path: Path) -> None:
    database = tmp_path / "analysed.sqlite3"
    open_database(sqlite_url(database)).dispose()
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("ANALYZE")
        db.commit()
    assert findings_in_file(database, HEAD_REVISION) == []


def test_a_backup_with_a_trigger_named_sqlite_stat1_is_refused(hub, db_file) -> None:
    saved = hub.backups.backup_now()
    add_hidden_trigger(saved)
    with pytest.raises(NotADatabaseError) as refused:
        hub.backups.restore(saved)
    assert "sqlite_stat1" in str(refused.value)
    with contextlib.closing(sqlite3.connect(db_file)) as db:
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                          "AND name = 'sqlite_stat1'").fetchone() == (0,)


def test_check_names_a_trigger_named_sqlite_stat1(hub, db_file, capsys) -> None:
    hub.close()
    add_hidden_trigger(db_file)
    code, out, _ = run(["check", "--db", str(db_file)], capsys, user=None)
    assert code == 1 and "trigger sqlite_stat1: not made by this program" in out
