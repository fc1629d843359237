"""A restore killed dead at each of its steps: the database is then the one before, or
the restored one with the restore's entry in its trail, whole either way, and the
program opens it (and can restore again)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cancer_desk.db.backup import backup_sqlite
from cancer_desk.paths import sqlite_url
from cancer_desk.services import audit
from tests.builders import CODES, identity
from tests.conftest import open_signed_in

pytestmark = [pytest.mark.sqlite_only,
              pytest.mark.skipif(os.name != "posix", reason="SIGKILL")]

CHILD = Path(__file__).with_name("restore_kill_child.py")
ROOT = Path(__file__).resolve().parents[2]
BEFORE_THE_SWAP = ["proven", "backed_up", "recorded", "checkpointed", "kept", "cleared"]
AFTER_THE_SWAP = ["swapped", "opened"]


@pytest.fixture
def origin(tmp_path: Path) -> tuple[Path, Path]:
    """A database of four patients, and a backup of it when it held three."""
    database = tmp_path / "origin" / "hub.sqlite3"
    context = open_signed_in(sqlite_url(database))
    try:
        for code in CODES[:3]:
            context.patients.create(identity(code))
        saved = context.backups.backup_now()
        context.patients.create(identity(CODES[4]))
    finally:
        context.close()
    return database, saved


def killed_at(step: str, origin: tuple[Path, Path], folder: Path) -> Path:
    database = folder / "hub.sqlite3"
    backup_sqlite(origin[0], database)
    child = subprocess.run([sys.executable, str(CHILD), sqlite_url(database),
                            str(origin[1]), step], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=180)
    assert child.returncode == -9, child.stderr  # killed, not ended
    return database


def state(database: Path) -> tuple[int, list[str]]:
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        patients = db.execute("SELECT count(*) FROM patients").fetchone()[0]
        actions = [row[0] for row in db.execute("SELECT action FROM audit_log ORDER BY seq")]
    return patients, actions


def opens_whole(database: Path, patients: int) -> None:
    context = open_signed_in(sqlite_url(database))
    try:
        assert context.patients.count() == patients
        assert audit.verify(context.database.session_factory).intact
        assert context.backups.schema_findings() == []
    finally:
        context.close()


@pytest.mark.parametrize("step", BEFORE_THE_SWAP)
def test_killed_before_the_swap_the_database_is_the_one_before(origin, tmp_path, step) -> None:
    database = killed_at(step, origin, tmp_path / step)
    patients, actions = state(database)
    assert patients == 4 and "restore" not in actions
    opens_whole(database, 4)


@pytest.mark.parametrize("step", AFTER_THE_SWAP)
def test_killed_after_the_swap_the_database_is_the_restored_one(origin, tmp_path,
                                                                step) -> None:
    database = killed_at(step, origin, tmp_path / step)
    patients, actions = state(database)
    assert patients == 3 and actions[-1] == "restore"
    opens_whole(database, 3)


def test_after_a_kill_the_next_restore_goes_through(origin, tmp_path) -> None:
    database = killed_at("kept", origin, tmp_path / "kept")
    assert database.with_name(database.name + ".replaced").exists()  # left by the kill
    context = open_signed_in(sqlite_url(database))
    try:
        facts, _ = context.backups.restore(origin[1])
        assert facts.counts["patients"] == 3
    finally:
        context.close()
    patients, actions = state(database)
    assert patients == 3 and actions.count("restore") == 1
    assert [p.name for p in database.parent.iterdir()  # what the kill left is gone
            if p.name.endswith((".restoring", ".replaced"))] == []
