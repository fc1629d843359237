"""Migrations build the schema the models describe; start-up refuses foreign files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from cancer_desk.db.database import DatabaseOpenError, open_database
from cancer_desk.db.engine import make_engine
from cancer_desk.db.migrate import current_revision, head_revision, migrate
from cancer_desk.models import Base
from cancer_desk.paths import sqlite_url


def test_empty_database_upgrades_to_head(db_url: str) -> None:
    database = open_database(db_url)
    try:
        assert database.migration.before is None
        assert current_revision(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert {"patients", "assessments", "hub_settings", "cancer_groups"} <= tables
    finally:
        database.dispose()


def test_models_match_migrations(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        database.dispose()


def test_second_start_changes_nothing(db_url: str) -> None:
    open_database(db_url).dispose()
    again = open_database(db_url)
    assert again.migration.before == again.migration.after
    assert again.migration.backup is None
    again.dispose()


@pytest.mark.sqlite_only
def test_pragmas_for_power_cuts(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    finally:
        database.dispose()


def test_data_is_backed_up_before_a_migration(db_file: Path, monkeypatch) -> None:
    """When a newer migration is pending, the file is copied aside (and checked) first."""
    import alembic.command

    import cancer_desk.db.migrate as migrate_module

    url = sqlite_url(db_file)
    open_database(url).dispose()
    with sqlite3.connect(db_file) as connection:
        connection.execute("INSERT INTO cancer_groups VALUES (1, 'breast', 'پستان')")
    calls: list[str] = []

    def fake_upgrade(config, target):
        backups = list((db_file.parent / "backups").glob("*.sqlite3"))
        calls.append(f"upgrade to {target} with {len(backups)} backup(s) present")

    current = head_revision()
    known = migrate_module.known_revisions()
    monkeypatch.setattr(migrate_module, "head_revision", lambda: "9999")
    monkeypatch.setattr(migrate_module, "HEAD_REVISION", "9999")
    monkeypatch.setattr(migrate_module, "known_revisions", lambda: known | {"9999"})
    monkeypatch.setattr(alembic.command, "upgrade", fake_upgrade)
    engine = make_engine(url)
    try:
        report = migrate(engine, db_file, db_file.parent / "backups")
    finally:
        engine.dispose()
    assert calls == ["upgrade to head with 1 backup(s) present"]
    assert report.before == current and report.backup is not None
    assert "before-9999" in report.backup.name
    with sqlite3.connect(report.backup) as copy:
        assert copy.execute("SELECT label FROM cancer_groups").fetchall() == [("پستان",)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_newer_schema_is_refused_untouched(db_file: Path) -> None:
    url = sqlite_url(db_file)
    open_database(url).dispose()
    with sqlite3.connect(db_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'from-the-future'")
    before = db_file.read_bytes()
    with pytest.raises(DatabaseOpenError, match="newer version"):
        open_database(url)
    with sqlite3.connect(db_file) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] \
            == "from-the-future"
    assert db_file.read_bytes()[:100] == before[:100]


def test_not_a_database_file_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("this is not a database " * 100)
    with pytest.raises(DatabaseOpenError):
        open_database(sqlite_url(junk))
    assert junk.read_text().startswith("this is not a database")


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseOpenError, match="not a Cancer Desk database"):
        open_database(sqlite_url(other))


def test_folder_given_as_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="folder"):
        open_database(sqlite_url(tmp_path))


def test_a_real_upgrade_keeps_the_data_and_a_copy(db_file: Path) -> None:
    """A database written at the first schema is migrated to head, keeping its rows,
    with a checked copy of the old file beside it."""
    from alembic import command

    from cancer_desk.db.migrate import alembic_config

    url = sqlite_url(db_file)
    engine = make_engine(url)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    with sqlite3.connect(db_file) as connection:
        connection.execute("INSERT INTO cancer_groups VALUES (1, 'breast', 'پستان')")
        connection.execute(
            "INSERT INTO patients (national_code, first_name, last_name, father_name, sex, "
            "birth_date, birth_province, birth_city, birth_certificate_no, nationality, "
            "insurance_type, insurance_number, address_province, address_city, address_street, "
            "address_alley, address_plaque, postal_code, phone, relative_phone, "
            "cancer_group_id, search_key, sort_key, created_at, updated_at, version) VALUES "
            "('0499370899', 'علی', 'کریمی', 'حسن', 1, '1980-01-01', '', '', '', 1, '', '', '', "
            "'', '', '', '', '', '', '', 1, 'علی|کریمی', 'x', '2024-01-01 09:30:00.000000', "
            "'2024-01-01', 1)")
    database = open_database(url)
    try:
        assert database.migration.before == "0001"
        assert database.migration.after == head_revision() != "0001"
        assert database.migration.backup is not None and database.migration.backup.exists()
        with database.engine.connect() as connection:
            row = connection.execute(text(
                "SELECT first_name, icd10_code, registered_on FROM patients")).one()
        assert tuple(row) == ("علی", "", "2024-01-01")  # registered when first saved
    finally:
        database.dispose()
    with sqlite3.connect(database.migration.backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_the_head_revision_named_in_the_code_is_the_newest_migration() -> None:
    from cancer_desk.db.migrate import HEAD_REVISION

    assert head_revision() == HEAD_REVISION


def test_the_not_duplicate_marks_arrive_on_a_database_holding_patients(db_file: Path) -> None:
    """A database at 0007 with two patients gains the table of pairs marked as two
    people; the patients keep their codes and names, and a pair of them can be marked."""
    from alembic import command

    from cancer_desk.db.migrate import alembic_config

    url = sqlite_url(db_file)
    engine = make_engine(url)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
    engine.dispose()
    with sqlite3.connect(db_file) as connection:
        connection.execute("INSERT INTO cancer_groups VALUES (1, 'breast', 'پستان')")
        for code, first in (("0012345679", "علی"), ("1234567891", "علي")):
            connection.execute(
                "INSERT INTO patients (national_code, first_name, last_name, father_name, "
                "sex, birth_date, birth_province, birth_city, birth_certificate_no, "
                "nationality, insurance_type, insurance_number, address_province, "
                "address_city, address_street, address_alley, address_plaque, postal_code, "
                "phone, relative_phone, cancer_group_id, icd10_code, search_key, sort_key, "
                "registered_on, created_at, updated_at, version) VALUES (?, ?, 'کریمی', "
                "'حسن', 1, '1980-01-01', '', '', '', 1, '', '', '', '', '', '', '', '', '', "
                "'', 1, '', 'علی|کریمی', 'x', '2025-01-01', '2025-01-01 09:30:00.000000', "
                "'2025-01-01', 1)", (code, first))
    database = open_database(url)
    try:
        assert database.migration.before == "0007"
        assert database.migration.after == head_revision()
        with database.engine.begin() as connection:
            rows = connection.execute(text(
                "SELECT id, national_code, first_name FROM patients ORDER BY id")).all()
            assert [tuple(r[1:]) for r in rows] == [("0012345679", "علی"),
                                                    ("1234567891", "علي")]
            connection.execute(text(
                "INSERT INTO not_duplicates (first_patient_id, second_patient_id, marked_by, "
                "marked_at, reason) VALUES (:a, :b, 'مریم', '2025-02-01', '')"),
                {"a": rows[0][0], "b": rows[1][0]})
            # The pair is kept in order, smaller id first.
            with pytest.raises(IntegrityError, match="ordered_pair"), \
                    connection.begin_nested():
                connection.execute(text(
                    "INSERT INTO not_duplicates (first_patient_id, second_patient_id, "
                    "marked_by, marked_at, reason) VALUES (:b, :a, 'مریم', "
                    "'2025-02-01', '')"), {"a": rows[0][0], "b": rows[1][0]})
    finally:
        database.dispose()
