"""The database's schema held against the one the migrations make: `check` names what
differs; the program does not open a database holding a trigger or view it did not
make, since such code can change records at every save with no line in the trail."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from cancer_desk.db.database import DatabaseOpenError, open_database
from cancer_desk.db.engine import make_engine
from cancer_desk.db.migrate import HEAD_REVISION, alembic_config, migrate
from cancer_desk.db.schema_check import findings_in_file, normalised_sql
from cancer_desk.paths import sqlite_url
from tests.builders import identity
from tests.cli.helpers import run
from tests.conftest import open_signed_in

pytestmark = pytest.mark.sqlite_only

FOREIGN = {
    "trigger": "CREATE TRIGGER quiet_change AFTER INSERT ON audit_log BEGIN "
               "UPDATE patients SET last_name = 'دیگر'; END",
    "view": "CREATE VIEW every_patient AS SELECT national_code, last_name FROM patients",
}


@pytest.fixture
def hospital(tmp_path: Path) -> Path:
    database = tmp_path / "hospital.sqlite3"
    context = open_signed_in(sqlite_url(database))
    context.patients.create(identity())
    context.close()
    return database


def change(database: Path, sql: str) -> None:
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute(sql)
        db.commit()


def test_a_database_as_the_migrations_make_it_has_no_findings(hospital, capsys) -> None:
    assert findings_in_file(hospital, HEAD_REVISION) == []
    code, out, err = run(["check", "--db", str(hospital)], capsys, user=None)
    assert code == 0, err
    assert "schema: as this program's migrations make it" in out and "integrity: ok" in out


@pytest.mark.parametrize("start", ["0001", "0004", "0006"])
def test_an_older_database_brought_up_compares_equal(tmp_path, start) -> None:
    # Alembic rebuilds some tables on SQLite and writes their constraints back in an
    # order of its own: that is no finding.
    database = tmp_path / "older.sqlite3"
    engine = make_engine(sqlite_url(database))
    try:
        with engine.begin() as connection:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, start)
        assert findings_in_file(database, start) == []  # compared at its own revision
        migrate(engine, database, None)
    finally:
        engine.dispose()
    assert findings_in_file(database, HEAD_REVISION) == []


@pytest.mark.parametrize("kind", ["trigger", "view"])
def test_check_names_foreign_code_and_the_program_does_not_open_it(hospital, capsys,
                                                                  kind) -> None:
    change(hospital, FOREIGN[kind])
    name = FOREIGN[kind].split()[2]
    code, out, _ = run(["check", "--db", str(hospital)], capsys, user=None)
    assert code == 1
    assert f"{kind} {name}: not made by this program" in out
    assert f"«{name}» را این برنامه نساخته است" in out
    with pytest.raises(DatabaseOpenError) as refused:
        open_database(sqlite_url(hospital))
    assert name in str(refused.value) and "باز نمی‌شود" in str(refused.value)
    code, _, err = run(["patients", "list", "--db", str(hospital)], capsys)
    assert code == 2 and name in err and "Traceback" not in err
    with contextlib.closing(sqlite3.connect(hospital)) as db:  # nothing ran meanwhile
        assert db.execute("SELECT last_name FROM patients").fetchall() == [("کریمی",)]


def test_check_names_a_dropped_trigger_and_a_missing_index(hospital, capsys) -> None:
    change(hospital, "DROP INDEX ix_patients_sort_key")
    change(hospital, "DROP TRIGGER audit_log_no_update")
    code, out, _ = run(["check", "--db", str(hospital)], capsys, user=None)
    assert code == 1
    findings = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert findings == [
        "trigger audit_log_no_update: missing / تریگر «audit_log_no_update» که باید باشد نیست",
        "index ix_patients_sort_key: missing / نمایه «ix_patients_sort_key» که باید باشد نیست",
    ]
    with pytest.raises(DatabaseOpenError):  # the trail could be edited: not opened
        open_database(sqlite_url(hospital))


def test_a_missing_index_alone_is_named_but_the_program_opens(hospital, capsys) -> None:
    change(hospital, "DROP INDEX ix_patients_sort_key")
    code, out, _ = run(["check", "--db", str(hospital)], capsys, user=None)
    assert code == 1 and "index ix_patients_sort_key: missing" in out
    open_database(sqlite_url(hospital)).dispose()  # slower, not dangerous


def test_a_changed_column_is_named(hospital, capsys) -> None:
    change(hospital, "ALTER TABLE patients ADD COLUMN note TEXT")
    code, out, _ = run(["check", "--db", str(hospital)], capsys, user=None)
    assert code == 1 and "table patients: differs from this program's" in out


def test_spacing_and_quotes_are_not_differences() -> None:
    assert normalised_sql('CREATE TABLE "a" (\n\tid INTEGER,  b TEXT )') == \
        normalised_sql("CREATE TABLE a(id INTEGER,b TEXT)")
    assert normalised_sql("CREATE TABLE a (id INTEGER, CONSTRAINT x CHECK (id > 0), "
                          "CONSTRAINT p PRIMARY KEY (id))") == \
        normalised_sql("CREATE TABLE a (id INTEGER, CONSTRAINT p PRIMARY KEY (id), "
                       "CONSTRAINT x CHECK (id > 0))")
    assert normalised_sql("CREATE TABLE a (id INTEGER, b TEXT)") != \
        normalised_sql("CREATE TABLE a (b TEXT, id INTEGER)")


def test_the_active_schema_module_is_the_migrations_own() -> None:
    """The start reads the triggers and views from a module instead of migrating an
    empty database: it must be what the migrations make at the newest revision (if not,
    run ``python -m cancer_desk.db.schema_check``)."""
    from cancer_desk.db import active_schema
    from cancer_desk.db.migrate import HEAD_REVISION
    from cancer_desk.db.schema_check import ACTIVE_TYPES, reference_schema

    assert active_schema.REVISION == HEAD_REVISION
    made = {key: value for key, value in reference_schema(HEAD_REVISION).items()
            if key[0] in ACTIVE_TYPES}
    assert made == active_schema.ACTIVE_OBJECTS
