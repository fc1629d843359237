"""Hostile quarterly packages, rule files, answers and searches, each given to the program
in a child process held to a memory and a time limit: refused cleanly, within the
budget, and (for the roll-up) the database byte for byte as it was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cancer_desk import paths
from cancer_desk.exchange import format as fmt
from tests.conftest import TEST_PASSWORD, TEST_USERNAME, open_signed_in
from tests.hostile import files
from tests.hostile.child import ROOT, run_child

MB = files.MB
DEEP = 5_000


ROLLUP_USER = "rollup-admin"


def rollup_tables(database: Path) -> list[tuple]:
    """Every row the roll-up keeps of packages and hub keys."""
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(database)) as db:
        return [row for table in ("rollup_packages", "rollup_rows", "rollup_hub_keys")
                for row in db.execute(f"SELECT * FROM {table}")]


@pytest.fixture
def rollup(tmp_path: Path) -> Path:
    """An empty roll-up database with its administrator, made and closed; the child
    signs in as them (with the password it is given)."""
    from cancer_desk.app import open_context

    database = tmp_path / "rollup.sqlite3"
    context = open_context(paths.sqlite_url(database))
    context.accounts.create_first_administrator(ROLLUP_USER, "مدیر تجمیع", TEST_PASSWORD)
    context.close()
    return database


def hostile_packages(tmp_path: Path) -> dict[str, Path]:
    """name → a package file an attacker could send."""
    deep_data = b"[" * DEEP + b"]" * DEEP
    extra = files.with_extra_members(files.sealed_package({}), 2, 200 * MB)
    lying = files.lie_about_sizes(files.lie_about_sizes(extra, "extra0.bin", 1000),
                                  "extra1.bin", 1000)
    made = {
        "deep data.json": files.sealed_package({fmt.DATA_JSON: deep_data}),
        "deep manifest": fmt.deterministic_zip({fmt.MANIFEST: b"[" * DEEP + b"]" * DEEP}),
        "a million empty objects": files.sealed_package(
            {fmt.DATA_JSON: b"[" + b"{}," * 4_000_000 + b"{}]"}),
        "members of 200 MB each": extra,
        "members lying about their size": lying,
        "absurd figures": files.sealed_package({fmt.DATA_JSON: json.dumps({
            "form2": [{"group_id": g, "seen": 10**8, "covered": 0, "spent_toman": 10**16}
                      for g in (*range(1, 10), 0, 10)],
            "patients": [], "assessments": [], "cost_items": []}).encode()}),
        "not a zip": b"PK\x03\x04" + b"\0" * 1000,
    }
    out = {}
    for index, (name, data) in enumerate(made.items()):
        out[name] = tmp_path / f"hostile-{index}.zip"
        out[name].write_bytes(data)
    return out


def test_every_hostile_package_is_refused_by_verify(tmp_path) -> None:
    for name, path in hostile_packages(tmp_path).items():
        outcome = run_child(["package", "verify", str(path)], tmp_path / "data")
        try:
            outcome.assert_refused_cleanly()
            assert outcome.seconds < 20
        except AssertionError as exc:
            raise AssertionError(f"{name}: {outcome}") from exc


def test_a_many_package_import_tells_each_and_goes_on(tmp_path, rollup) -> None:
    """Every package refused, each named as it is decided, those after a bad one read
    too; the roll-up unchanged."""
    packages = list(hostile_packages(tmp_path).values())
    before = rollup_tables(rollup)
    outcome = run_child(["package", "import", *map(str, packages), "--db", str(rollup),
                         "--user", ROLLUP_USER], tmp_path / "data")
    outcome.assert_refused_cleanly()
    refused = [line for line in outcome.err.splitlines() if ": refused: " in line]
    assert [line.split(": refused: ")[0] for line in refused] == [str(p) for p in packages]
    # The person's sign-in and sign-out are in its trail; its packages are as they were.
    assert rollup_tables(rollup) == before


def test_a_deep_rule_file_is_set_aside_with_a_warning(tmp_path) -> None:
    rules = tmp_path / "data" / "rules"
    rules.mkdir(parents=True)
    (rules / "deep.toml").write_text("x = " + "[" * DEEP + "]" * DEEP + "\n", "utf-8")
    (rules / "wide.toml").write_text("x = [" + "{}," * 1000 + "]\n", "utf-8")
    outcome = run_child(["rules"], tmp_path / "data")
    assert outcome.code == 0 and "Traceback" not in outcome.err, outcome
    assert "deep.toml" in outcome.err and "set aside" in outcome.err
    assert "moh-1388" in outcome.out


@pytest.mark.parametrize("answers", [b"[" * DEEP + b"]" * DEEP,
                                     b'{"a": ' * DEEP + b"1" + b"}" * DEEP,
                                     b'{"income": "' + b"x" * (3 * MB) + b'"}',
                                     b"[" + b"0," * 2_000_000 + b"0]"])
def test_hostile_answers_to_score_are_refused(tmp_path, answers) -> None:
    outcome = run_child(["score", "-"], tmp_path / "data", stdin=answers)
    assert outcome.code == 2 and "Traceback" not in outcome.err, outcome
    assert outcome.peak_mb < 150, outcome


def test_an_over_long_search_is_refused(tmp_path) -> None:
    database = tmp_path / "hospital.sqlite3"
    open_signed_in(paths.sqlite_url(database)).close()
    outcome = run_child(["patients", "list", "--search", "ab " * 33_334, "--db", str(database),
                         "--user", TEST_USERNAME], tmp_path / "data")
    outcome.assert_refused_cleanly()
    assert "۱۰۰ نویسه" in outcome.err


def test_output_into_a_closed_pipe_ends_quietly(tmp_path) -> None:
    """``cancer-desk rules | head -1``: the reader is gone before the program writes."""
    env = {"PYTHONPATH": str(ROOT), "CANCER_DESK_DATA_DIR": str(tmp_path / "data"),
           "PATH": "/usr/bin:/bin"}
    child = subprocess.Popen([sys.executable, "-m", "cancer_desk", "rules"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # as head does once it has its line
    err = child.stderr.read().decode("utf-8", "replace")
    assert child.wait(timeout=60) == 141
    assert err == "", err
