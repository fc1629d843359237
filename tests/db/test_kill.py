"""Power cut, as near as a test gets: a process saving records is killed with SIGKILL at
random moments. After each kill the database passes integrity_check, holds every save
that was acknowledged, and no half of one (a Form 1 without its relatives).

A few kills in the default run; `CANCER_DESK_KILL_RUNS=200` for the full count."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import open_signed_in

KILLS = int(os.environ.get("CANCER_DESK_KILL_RUNS", "6"))
CHILD = Path(__file__).with_name("kill_child.py")
ROOT = Path(__file__).resolve().parents[2]


def acknowledged(acks: Path) -> dict[str, set[str]]:
    saved: dict[str, set[str]] = {"patient": set(), "case": set(), "cost": set()}
    for line in acks.read_text(encoding="utf-8").splitlines():
        kind, _, code = line.partition(" ")
        if code:
            saved[kind].add(code)
    return saved


def wait_until_ready(acks: Path, child: subprocess.Popen, before: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if acks.exists() and acks.read_text(encoding="utf-8").count("ready") > before:
            return
        if child.poll() is not None:
            raise AssertionError(f"the saving process ended: {child.stderr.read()}")
        time.sleep(0.02)
    raise AssertionError("the saving process never started")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_at_random_moments_nothing_acknowledged_is_lost(db_url, db_file,
                                                               tmp_path) -> None:
    open_signed_in(db_url).close()  # the tester's account, the schema
    acks = tmp_path / "acks.txt"
    rng = random.Random(1388)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for run in range(KILLS):
        child = subprocess.Popen([sys.executable, str(CHILD), db_url, str(acks), str(run)],
                                 stderr=subprocess.PIPE, text=True, env=env)
        wait_until_ready(acks, child, run)
        time.sleep(rng.uniform(0.05, 0.6))  # mid-save, somewhere
        child.send_signal(signal.SIGKILL)
        child.wait()

        with sqlite3.connect(db_file) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)], run
            codes = {row[0] for row in db.execute("SELECT national_code FROM patients")}
            cased = {row[0] for row in db.execute(
                "SELECT p.national_code FROM cases c JOIN patients p ON p.id = c.patient_id")}
            costed = {row[0] for row in db.execute(
                "SELECT p.national_code FROM cost_items i JOIN patients p "
                "ON p.id = i.patient_id")}
            relatives = db.execute(
                "SELECT c.id, count(f.id) FROM cases c LEFT JOIN family_cancers f "
                "ON f.case_id = c.id GROUP BY c.id").fetchall()
            chain = db.execute("SELECT count(*), max(seq) FROM audit_log").fetchone()
        saved = acknowledged(acks)
        assert saved["patient"] <= codes, run
        assert saved["case"] <= cased, run
        assert saved["cost"] <= costed, run
        assert all(count == 2 for _, count in relatives), run  # never half a Form 1
        assert chain[0] == chain[1], run  # the trail has no gap either
    context = open_signed_in(db_url)
    try:
        from cancer_desk.services import audit

        assert audit.verify(context.database.session_factory).intact
        assert context.patients.count() >= len(acknowledged(acks)["patient"]) > 0
    finally:
        context.close()
