"""The command line signs in for what reads or changes records; the trail and printed
forms can be checked by anyone."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from cancer_desk.app import demo_settings
from cancer_desk.core.access import Role
from cancer_desk.paths import sqlite_url
from tests.builders import full_case, identity
from tests.cli.helpers import run
from tests.conftest import TEST_PASSWORD, open_signed_in


@pytest.fixture
def hospital(tmp_path: Path, reference) -> tuple[Path, str]:
    """A hub with one patient whose Form 1 is sealed; the code of the seal."""
    db = tmp_path / "hospital.sqlite3"
    context = open_signed_in(sqlite_url(db))
    context.settings.save(demo_settings(reference))
    patient = context.patients.create(identity())
    context.cases.save(patient.id, full_case(), None)
    code = context.seals.approve(patient.id).code
    worker = context.accounts.create("zahra", "زهرا کریمی", {Role.SOCIAL_WORKER},
                                     "temp-password-1")
    context.accounts.reset_password(worker.id, "temp-password-2")
    context.close()
    return db, code


def test_reading_records_needs_a_user(hospital, capsys) -> None:
    db, _ = hospital
    code, out, err = run(["patients", "list", "--db", str(db)], capsys, user=None)
    assert code == 2 and "--user" in err and out == ""


def test_a_wrong_password_is_refused(hospital, capsys, monkeypatch) -> None:
    db, _ = hospital
    monkeypatch.setenv("CANCER_DESK_PASSWORD", "not the password")
    code, out, err = run(["patients", "list", "--db", str(db)], capsys)
    assert code == 2 and "cannot sign in as tester" in err and out == ""


def test_the_password_can_be_typed_at_a_prompt(hospital, capsys, monkeypatch) -> None:
    import getpass

    db, _ = hospital
    monkeypatch.delenv("CANCER_DESK_PASSWORD")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: TEST_PASSWORD)
    code, out, _ = run(["patients", "list", "--db", str(db)], capsys)
    assert code == 0 and "کریمی" in out


def test_without_a_terminal_or_variable_there_is_no_password(hospital, capsys,
                                                             monkeypatch) -> None:
    db, _ = hospital
    monkeypatch.delenv("CANCER_DESK_PASSWORD")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    code, _, err = run(["patients", "list", "--db", str(db)], capsys)
    assert code == 2 and "CANCER_DESK_PASSWORD" in err


def test_a_temporary_password_must_be_changed_in_the_window_first(hospital, capsys,
                                                                  monkeypatch) -> None:
    db, _ = hospital
    monkeypatch.setenv("CANCER_DESK_PASSWORD", "temp-password-2")
    code, _, err = run(["patients", "list", "--db", str(db)], capsys, user="zahra")
    assert code == 2 and "new password" in err


def test_a_role_without_the_right_is_refused_and_audited(hospital, capsys, tmp_path,
                                                       monkeypatch) -> None:
    db, _ = hospital
    context = open_signed_in(sqlite_url(db))
    worker = context.accounts.create("reza", "رضا نوری", {Role.SOCIAL_WORKER}, "nouri pass 11")
    context.accounts.clear_password_change(worker.id)
    context.close()
    monkeypatch.setenv("CANCER_DESK_PASSWORD", "nouri pass 11")
    code, _, err = run(["export", "--year", "1403", "--quarter", "4", "-o",
                        str(tmp_path / "q.zip"), "--db", str(db)], capsys, user="reza")
    assert code == 2 and "refused" in err and "رئیس بیمارستان" in err
    monkeypatch.setenv("CANCER_DESK_PASSWORD", TEST_PASSWORD)
    code, out, _ = run(["audit", "log", "--json", "--limit", "5", "--db", str(db)], capsys)
    assert code == 0
    assert any(e["action"] == "refused" and e["record_id"] == "close_quarter"
               and e["actor"].startswith("رضا نوری") for e in json.loads(out))


def test_audit_verify_names_the_tampered_entry(hospital, capsys) -> None:
    db, _ = hospital
    code, out, _ = run(["audit", "verify", "--db", str(db)], capsys, user=None)
    assert code == 0 and "intact" in out
    with sqlite3.connect(db) as raw:
        raw.execute("DROP TRIGGER audit_log_no_update")
        raw.execute("UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 5")
    code, out, err = run(["audit", "verify", "--db", str(db)], capsys, user=None)
    assert code == 1 and "BROKEN" in out and "entry 5" in err


def test_audit_log_of_one_patient(hospital, capsys) -> None:
    db, _ = hospital
    code, out, _ = run(["audit", "log", "--patient", "0499370899", "--db", str(db)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert any("form_seals" in line for line in lines)
    assert any("insert patients" in line and "کریمی" in line for line in lines)


def test_verify_print(hospital, capsys) -> None:
    db, seal_code = hospital
    code, out, _ = run(["verify-print", seal_code.lower(), "--db", str(db)], capsys,
                       user=None)
    assert code == 0 and out.startswith(f"{seal_code}: current")
    code, out, _ = run(["verify-print", "ABCD-EFGH-JKMN", "--json", "--db", str(db)], capsys,
                       user=None)
    assert code == 1 and json.loads(out)["status"] == "unknown"
    code, _, err = run(["verify-print", "hello", "--db", str(db)], capsys, user=None)
    assert code == 2 and "not a Form 1 code" in err


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_the_database_and_backups_are_private(hospital, tmp_path) -> None:
    from cancer_desk.db.backup import backup_sqlite

    db, _ = hospital
    context = open_signed_in(sqlite_url(db))  # while open, SQLite keeps -wal and -shm
    try:
        for suffix in ("", "-wal", "-shm"):
            path = db.with_name(db.name + suffix)
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    finally:
        context.close()
    copy = backup_sqlite(db, tmp_path / "backups" / "copy.sqlite3")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
