"""backup, restore and check from the command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cancer_desk.app import demo_settings
from cancer_desk.paths import sqlite_url
from tests.builders import identity
from tests.cli.helpers import run
from tests.conftest import open_signed_in


@pytest.fixture
def hospital(tmp_path: Path, reference) -> Path:
    db = tmp_path / "hospital.sqlite3"
    context = open_signed_in(sqlite_url(db))
    context.settings.save(demo_settings(reference))
    context.patients.create(identity())
    context.close()
    return db


def test_backup_check_restore(hospital, tmp_path, capsys) -> None:
    copy = tmp_path / "copy.sqlite3"
    code, out, err = run(["backup", "-o", str(copy), "--db", str(hospital)], capsys)
    assert code == 0 and "wrote" in out, err
    code, out, _ = run(["check", "--db", str(hospital)], capsys, user=None)
    assert code == 0 and "integrity: ok" in out and "patients: 1" in out
    with sqlite3.connect(hospital) as db:  # a change after the backup
        db.execute("UPDATE patients SET last_name = 'دیگر'")
    code, out, err = run(["restore", str(copy), "--db", str(hospital)], capsys)
    assert code == 0 and "restored" in out, err
    with sqlite3.connect(hospital) as db:
        assert db.execute("SELECT last_name FROM patients").fetchall() == [("کریمی",)]


def test_restore_refuses_what_is_not_a_database_and_leaves_it_alone(hospital, tmp_path,
                                                                     capsys) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    def records():
        with sqlite3.connect(hospital) as db:  # (signing in adds to the trail, only)
            return db.execute("SELECT * FROM patients").fetchall()

    before = records()
    code, _, err = run(["restore", str(junk), "--db", str(hospital)], capsys)
    assert code == 2 and "not an SQLite database" in err and "میز حمایت" in err
    assert records() == before


def test_backup_needs_an_administrator(hospital, tmp_path, capsys, monkeypatch) -> None:
    from cancer_desk.core.access import Role

    context = open_signed_in(sqlite_url(hospital))
    worker = context.accounts.create("zahra", "زهرا", {Role.SOCIAL_WORKER}, "karimi pass 1")
    context.accounts.clear_password_change(worker.id)
    context.close()
    monkeypatch.setenv("CANCER_DESK_PASSWORD", "karimi pass 1")
    code, _, err = run(["backup", "-o", str(tmp_path / "x.sqlite3"), "--db", str(hospital)],
                       capsys, user="zahra")
    assert code == 2 and "refused" in err
    assert not (tmp_path / "x.sqlite3").exists()


def test_restore_refuses_a_backup_with_a_foreign_trigger_naming_it(hospital, tmp_path,
                                                                   capsys) -> None:
    copy = tmp_path / "copy.sqlite3"
    assert run(["backup", "-o", str(copy), "--db", str(hospital)], capsys)[0] == 0
    with sqlite3.connect(copy) as db:
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute("CREATE VIEW every_patient AS SELECT * FROM patients")
    def records():  # (signing in adds to the trail, only)
        with sqlite3.connect(hospital) as db:
            return (db.execute("SELECT * FROM patients").fetchall(),
                    db.execute("SELECT count(*) FROM audit_log "
                               "WHERE action = 'restore'").fetchone())

    before = records()
    code, _, err = run(["restore", str(copy), "--db", str(hospital)], capsys)
    assert code == 2 and "Traceback" not in err
    assert "view every_patient: not made by this program" in err
    assert "نمای «every_patient» را این برنامه نساخته است" in err
    assert "تریگر «audit_log_no_delete» که باید باشد نیست" in err
    assert records() == before
