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
from cancer_desk.db.schema_check import findings_in_file, normalised_sql
from cancer_desk.paths import sqlite_url
from tests.builders import CODES, identity
from tests.cli.helpers import run
from tests.schema_attacks import (
    add_hidden_trigger,
    empty_partial_index,
    hide_constraints,
    neuter_triggers,
)

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


def findings_of(database: Path) -> list[tuple[str, str, str]]:
    return [(f.type, f.name, f.kind) for f in findings_in_file(database, HEAD_REVISION)]


def test_neutered_append_only_triggers_are_changed(hub, db_file, db_url, capsys) -> None:
    saved = hub.backups.backup_now()
    neuter_triggers(saved)
    assert findings_of(saved) == [("trigger", "audit_log_no_delete", "changed"),
                                  ("trigger", "audit_log_no_update", "changed")]
    with pytest.raises(NotADatabaseError) as refused:
        hub.backups.restore(saved)
    assert "audit_log_no_update" in str(refused.value)
    hub.close()
    neuter_triggers(db_file)
    with pytest.raises(DatabaseOpenError):
        open_database(db_url).dispose()
    code, out, _ = run(["check", "--db", str(db_file)], capsys, user=None)
    assert code == 1 and "trigger audit_log_no_update: differs from this program's" in out


def test_constraints_hidden_in_a_quoted_type_name_are_a_changed_table(hub, db_file,
                                                                     capsys) -> None:
    saved = hub.backups.backup_now()
    hide_constraints(saved, "cost_items", "pk_cost_items")
    with contextlib.closing(sqlite3.connect(saved)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert findings_of(saved) == [("table", "cost_items", "changed")]
    with pytest.raises(NotADatabaseError) as refused:
        hub.backups.restore(saved)
    assert "cost_items" in str(refused.value)
    hub.close()
    hide_constraints(db_file, "cost_items", "pk_cost_items")
    code, out, _ = run(["check", "--db", str(db_file)], capsys, user=None)
    assert code == 1 and "table cost_items: differs from this program's" in out


def test_a_partial_index_whose_condition_is_a_string_is_changed(hub) -> None:
    saved = hub.backups.backup_now()
    empty_partial_index(saved)
    assert findings_of(saved) == [("index", "uq_rollup_packages_current", "changed")]
    with pytest.raises(NotADatabaseError):
        hub.backups.restore(saved)


def test_a_comment_in_a_tables_sql_is_no_difference(tmp_path: Path) -> None:
    database = tmp_path / "nullable.sqlite3"
    open_database(sqlite_url(database)).dispose()
    with contextlib.closing(sqlite3.connect(database)) as db:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'patients'").fetchone()[0]
        db.execute("PRAGMA writable_schema = ON")
        # the same text but for a comment SQLite reads as a space: nothing changes
        db.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'patients'",
                   (sql.replace("(", "( /* a note */", 1),))
        db.commit()
    assert findings_of(database) == []


def test_a_quoted_text_is_kept_as_written() -> None:
    assert normalised_sql("SELECT \"RAISE(ABORT,'x')\"") != \
        normalised_sql("SELECT RAISE(ABORT,'x')")
    assert normalised_sql('CREATE INDEX i ON t (a) WHERE "current=1"') != \
        normalised_sql("CREATE INDEX i ON t (a) WHERE current=1")
    assert normalised_sql("CREATE TABLE t (a NUMERIC \"NOT NULL, CHECK (a > 0)\")") != \
        normalised_sql("CREATE TABLE t (a NUMERIC NOT NULL, CHECK (a > 0))")
    assert normalised_sql('CREATE TABLE t (a TEXT CHECK (a IS NOT "NULL"))') != \
        normalised_sql("CREATE TABLE t (a TEXT CHECK (a IS NOT NULL))")
    assert normalised_sql("SELECT 'a  b'") != normalised_sql("SELECT 'a b'")
    assert normalised_sql("SELECT [a b]") != normalised_sql("SELECT a b")
    # a plain name's quotes, spacing and comments are no difference
    assert normalised_sql('SELECT "a",[b],`c` -- why\nFROM /* x */ t') == \
        normalised_sql("SELECT a , b , c FROM t")
