"""``cancer-desk patients duplicates``, ``merge`` and ``not-duplicate``: what they print
and their exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import full_case, identity
from tests.cli.helpers import run
from tests.conftest import open_signed_in


@pytest.fixture
def twice_db(tmp_path: Path, reference) -> Path:
    """One person registered twice (the second time on an Arabic keyboard), and a
    stranger."""
    from cancer_desk.app import demo_settings
    from cancer_desk.paths import sqlite_url

    db = tmp_path / "hospital.sqlite3"
    context = open_signed_in(sqlite_url(db))
    context.settings.save(demo_settings(reference))
    first = context.patients.create(identity("0012345679", "علی", "کریمی"))
    context.patients.create(identity("1234567891", "علي", "كريمي"))
    context.patients.create(identity("0499370899", "مریم", "احمدی"))
    context.cases.save(first.id, full_case(), None)
    context.close()
    return db


def test_the_duplicates_are_listed(twice_db, capsys) -> None:
    code, out, _ = run(["patients", "duplicates", "--db", str(twice_db)], capsys)
    assert code == 0
    assert "0012345679 علی کریمی" in out and "1234567891" in out
    assert "نام، نام پدر و تاریخ تولد یکسان" in out
    assert out.splitlines()[-1] == "1 likely duplicate pair(s)"
    code, out, _ = run(["patients", "duplicates", "--json", "--db", str(twice_db)], capsys)
    [pair] = json.loads(out)
    assert pair["reasons"] == ["same_names"]
    assert {pair["first"]["national_code"], pair["second"]["national_code"]} == {
        "0012345679", "1234567891"}


def test_a_merge_and_its_refusals(twice_db, capsys) -> None:
    db = ["--db", str(twice_db)]
    code, _, err = run(["patients", "merge", "--keep", "0012345679", "--remove",
                        "0012345679", *db], capsys)
    assert code == 2 and "در خودش ادغام نمی‌شود" in err and "Traceback" not in err
    code, _, err = run(["patients", "merge", "--keep", "0012345679", "--remove", "123", *db],
                       capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    code, out, err = run(["patients", "merge", "--keep", "1234567891", "--remove",
                          "0012345679", "--reason", "یک نفر، دو بار ثبت شده", *db], capsys)
    assert code == 0, err
    assert "فرم شماره ۱ پرونده حذف‌شده به پرونده ماندگار منتقل شد" in out
    code, out, _ = run(["patients", "list", *db], capsys)
    assert "0012345679" not in out and len(out.splitlines()) == 2


def test_two_people_are_marked_and_not_listed_again(twice_db, capsys) -> None:
    db = ["--db", str(twice_db)]
    code, out, _ = run(["patients", "not-duplicate", "0012345679", "1234567891", *db],
                       capsys)
    assert code == 0 and "two people" in out
    code, out, _ = run(["patients", "duplicates", *db], capsys)
    assert out.strip() == "0 likely duplicate pair(s)"
    code, _, err = run(["patients", "not-duplicate", "0012345679", "0084575948", *db],
                       capsys)
    assert code == 2 and "no patient has the national code 0084575948" in err
