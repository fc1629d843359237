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
    url = sqlite_url(db_file)
    _engine_at(db_file, "0001").dispose()
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


PATIENT_AT_0007 = (
    "INSERT INTO patients (national_code, first_name, last_name, father_name, sex, "
    "birth_date, birth_province, birth_city, birth_certificate_no, nationality, "
    "insurance_type, insurance_number, address_province, address_city, address_street, "
    "address_alley, address_plaque, postal_code, phone, relative_phone, cancer_group_id, "
    "icd10_code, search_key, sort_key, registered_on, created_at, updated_at, version) "
    "VALUES (?, ?, 'کریمی', 'حسن', 1, '1980-01-01', '', '', '', 1, '', '', '', '', '', '', "
    "'', '', '', '', 1, '', 'علی|کریمی', 'x', '2024-01-01', '2024-01-01 09:30:00.000000', "
    "'2024-01-01 09:30:00.000000', 1)")


def _engine_at(db_file: Path, revision: str):
    """A new database migrated to ``revision`` only, and its engine (the caller's to
    dispose), to put that revision's records in before the program opens it."""
    from alembic import command

    from cancer_desk.db.migrate import alembic_config

    engine = make_engine(sqlite_url(db_file))
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return engine


def _audit_row(seq: int, previous: str, changes: dict) -> dict:
    import datetime as dt

    from cancer_desk.core.audit_chain import AuditEntryData, entry_hash

    data = AuditEntryData(seq=seq, at=dt.datetime(2025, 1, 5, 9, 30, seq, 123456),
                          account_id=1, actor="مریم احمدی", action="insert",
                          table_name="cost_items", record_id=str(seq), patient_id=1,
                          changes=changes, reason="", prev_hash=previous)
    return {**vars(data), "entry_hash": entry_hash(data)}


def test_cost_items_keep_their_meaning_as_an_insured_part(db_file: Path, capsys) -> None:
    """At 0007 an item was under insurance or not. Upgraded: one under insurance is all
    within insurance obligations (insured part = amount), any other has none; no support
    changes, and the conversion is appended to the audit trail, whose chain still holds."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from cancer_desk.core.audit_chain import GENESIS
    from cancer_desk.models import AuditEntry
    from cancer_desk.services import audit

    url = sqlite_url(db_file)
    engine = _engine_at(db_file, "0007")
    first = _audit_row(1, GENESIS, {"amount": [None, 1_000_000]})
    second = _audit_row(2, first["entry_hash"], {"amount": [None, 2_000_000]})
    with engine.begin() as connection:
        connection.execute(insert(AuditEntry.__table__), [first, second])
    engine.dispose()
    with sqlite3.connect(db_file) as connection:
        connection.execute("INSERT INTO cancer_groups VALUES (1, 'breast', 'پستان')")
        connection.execute(PATIENT_AT_0007, ("0499370899", "علی"))
        # (amount, under insurance, support, reason); all at a band of 70%
        for amount, insured, support, reason in ((1_000_000, 1, 0, "under_insurance"),
                                                 (2_000_000, 0, 1_400_000, None),
                                                 (333, 0, 100, None),
                                                 (800_000, 0, 0, "not_on_formulary")):
            connection.execute(
                "INSERT INTO cost_items (patient_id, item_date, kind, description, quantity, "
                "amount, under_insurance, pharmacy, coverage_percent, support_amount, "
                "no_support_reason, created_at, updated_at, version) VALUES "
                "(1, '2025-01-05', 'drug', 'x', 1, ?, ?, '', 70, ?, ?, "
                "'2025-01-05 09:30:00', '2025-01-05 09:30:00', 1)",
                (amount, insured, support, reason))
    database = open_database(url)
    try:
        assert (database.migration.before, database.migration.after) == ("0007", head_revision())
        with database.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT amount, insured_part, support_amount, no_support_reason "
                "FROM cost_items ORDER BY id")).all()
            columns = {c["name"] for c in inspect(connection).get_columns("cost_items")}
        assert [tuple(r) for r in rows] == [(1_000_000, 1_000_000, 0, "under_insurance"),
                                            (2_000_000, 0, 1_400_000, None),
                                            (333, 0, 100, None),
                                            (800_000, 0, 0, "not_on_formulary")]
        assert "under_insurance" not in columns
        report = audit.verify(database.session_factory)
        assert report.intact and (report.entries, report.head_seq) == (3, 3)
        with database.session_factory() as session:
            entry = session.get(AuditEntry, 3)
            assert entry is not None
            assert (entry.action, entry.table_name, entry.record_id, entry.prev_hash) == (
                "migration", "database", "0008", second["entry_hash"])
            assert entry.changes == {"converted_cost_items": [None, 4],
                                     "wholly_insured_items": [None, 1],
                                     "uninsured_items": [None, 3]}
        for bad in ("UPDATE cost_items SET insured_part = amount + 1 WHERE id = 2",
                    # support 1,400,000 > the 1,000,000 left outside insurance
                    "UPDATE cost_items SET insured_part = 1000000 WHERE id = 2"):
            with pytest.raises(IntegrityError), database.engine.begin() as connection:
                connection.execute(text(bad))
    finally:
        database.dispose()
    from tests.cli.helpers import run

    code, out, _ = run(["audit", "verify", "--db", str(db_file)], capsys, user=None)
    assert code == 0 and "intact" in out


def test_a_new_database_records_no_conversion(db_url: str) -> None:
    """With no cost items there is nothing to convert, and the trail stays empty."""
    from cancer_desk.services import audit

    database = open_database(db_url)
    try:
        assert audit.verify(database.session_factory).entries == 0
    finally:
        database.dispose()


def test_formulary_periods_keep_what_active_said(db_file: Path) -> None:
    """At 0007 a drug was active or withdrawn; at 0009 each has a period. The active one
    covers its earliest item (dated before the drug was created); the withdrawn one
    covers up to its latest item still holding support, and not the item that had
    already lost it. Stored support is untouched."""


    url = sqlite_url(db_file)
    engine = _engine_at(db_file, "0007")
    engine.dispose()
    with sqlite3.connect(db_file) as connection:
        connection.execute("INSERT INTO cancer_groups VALUES (1, 'breast', 'پستان')")
        connection.execute(PATIENT_AT_0007, ("0499370899", "علی"))  # id 1
        connection.executemany(
            "INSERT INTO formulary_drugs (id, name, name_key, generic_name, form, active, "
            "created_at, updated_at) VALUES (?, ?, ?, '', '', ?, ?, ?)",
            [(1, "سیس‌پلاتین", "a", 1, "2024-03-01 08:00:00", "2024-03-01 08:00:00"),
             (2, "بلئومایسین", "b", 0, "2024-01-01 08:00:00", "2024-06-01 08:00:00"),
             (3, "وین‌کریستین", "c", 0, "2024-02-01 08:00:00", "2024-02-02 08:00:00")])
        connection.executemany(
            "INSERT INTO cost_items (patient_id, item_date, kind, drug_id, description, "
            "quantity, amount, under_insurance, pharmacy, coverage_percent, support_amount, "
            "no_support_reason, created_at, updated_at, version) VALUES "
            "(1, ?, 'drug', ?, '', 1, 1000, 0, '', 70, ?, ?, '2024-01-01', '2024-01-01', 1)",
            [("2024-02-10", 1, 700, None),
             ("2024-02-10", 2, 700, None),
             ("2024-04-10", 2, 700, None),
             ("2024-05-10", 2, 0, "not_on_formulary"),
             ("2024-03-10", 3, 0, "not_on_formulary")])
    database = open_database(url)
    try:
        assert database.migration.before == "0007"
        with database.engine.connect() as connection:
            periods = connection.execute(text(
                "SELECT drug_id, covered_from, covered_until FROM formulary_periods "
                "ORDER BY drug_id")).all()
            support = connection.execute(text(
                "SELECT support_amount, no_support_reason FROM cost_items ORDER BY id")).all()
            columns = {c["name"] for c in inspect(connection).get_columns("formulary_drugs")}
        assert [tuple(p) for p in periods] == [(1, "2024-02-10", None),
                                               (2, "2024-01-01", "2024-04-10"),
                                               (3, "2024-01-31", "2024-01-31")]
        assert [tuple(s) for s in support] == [(700, None), (700, None), (700, None),
                                               (0, "not_on_formulary"),
                                               (0, "not_on_formulary")]
        assert "active" not in columns
    finally:
        database.dispose()


def test_the_not_duplicate_marks_arrive_on_a_database_holding_patients(db_file: Path) -> None:
    """A database at 0007 with two patients gains the table of pairs marked as two
    people; the patients keep their codes and names, and a pair of them can be marked."""


    url = sqlite_url(db_file)
    engine = _engine_at(db_file, "0007")
    engine.dispose()
    with sqlite3.connect(db_file) as connection:
        connection.execute("INSERT INTO cancer_groups VALUES (1, 'breast', 'پستان')")
        for code, first in (("0012345679", "علی"), ("1234567891", "علي")):
            connection.execute(PATIENT_AT_0007, (code, first))
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
