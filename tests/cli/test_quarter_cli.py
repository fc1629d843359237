"""Form 2, the quarterly package and the roll-up from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cancer_desk.app import demo_settings
from cancer_desk.core.costs import CostItemInput
from cancer_desk.paths import sqlite_url
from tests.cli.helpers import run
from tests.conftest import open_signed_in
from tests.services.quarter_data import fill_quarter_hub, j


@pytest.fixture
def quarter_db(tmp_path: Path, reference) -> Path:
    db = tmp_path / "hub.sqlite3"
    context = open_signed_in(sqlite_url(db))
    context.settings.save(demo_settings(reference))
    fill_quarter_hub(context)
    context.close()
    return db


def test_form2_numbers_and_checks(quarter_db, capsys) -> None:
    code, out, _ = run(["form2", "--year", "1403", "--quarter", "4", "--json",
                        "--db", str(quarter_db)], capsys)
    assert code == 0
    report = json.loads(out)
    assert (report["start"], report["end"]) == ("2024-12-21", "2025-03-20")
    assert report["rows"][-1] == {"group_id": 0, "label": "جمع کل", "seen": 5, "covered": 2,
                                  "spent_toman": 1_900_000}
    assert report["problems"] == []
    # Farvardin 1404 holds C's drug, and C has no Form 1: the check fails, exit 2.
    code, out, _ = run(["form2", "--from", "1404/01/01", "--to", "۱۴۰۴/۰۱/۳۱",
                        "--db", str(quarter_db)], capsys)
    assert code == 2
    assert "check: فرم شماره یک" in out and "1,400,000" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--year", "1403"], "--quarter"),
    (["--from", "1403/13/01", "--to", "1403/12/30"], "--from"),
    (["--from", "1403/12/30", "--to", "1403/10/01"], "before"),
])
def test_form2_bad_periods(quarter_db, capsys, argv, message) -> None:
    code, _, err = run(["form2", *argv, "--db", str(quarter_db)], capsys)
    assert code == 2 and message in err


def test_print_form2(quarter_db, tmp_path, capsys) -> None:
    target = tmp_path / "form2.pdf"
    code, _, _ = run(["print", "form2", "--year", "1403", "--quarter", "4", "-o",
                        str(target), "--db", str(quarter_db)], capsys)
    assert code == 0 and target.read_bytes().startswith(b"%PDF")
    from tests.print.pdf_reading import pages, printed

    # The quarter is not closed: a draft, up to its end (long past).
    assert printed("پیش‌نویس — تا تاریخ ۱۴۰۳/۱۲/۳۰") in "\n".join(pages(target))


def test_print_form1_of_every_patient_of_the_quarter(quarter_db, tmp_path, capsys) -> None:
    from tests.print.pdf_reading import pages, printed

    target = tmp_path / "form1-q4.pdf"
    code, out, err = run(["print", "form1", "--all", "--year", "1403", "--quarter", "4",
                          "-o", str(target), "--db", str(quarter_db)], capsys)
    assert code == 0, err
    assert out.strip() == f"wrote {target}: Form 1 of 5 patients" and "5/5 forms" in err
    assert len([t for t in pages(target) if printed("(ادامه)") not in t]) == 5
    empty = tmp_path / "nobody.pdf"
    code, _, err = run(["print", "form1", "--all", "--from", "1402/01/01", "--to",
                        "1402/01/31", "-o", str(empty), "--db", str(quarter_db)], capsys)
    assert code == 2 and "بیماری شمرده نشده است" in err and not empty.exists()


def test_export_verify_reopen_and_amend(quarter_db, tmp_path, capsys, monkeypatch) -> None:
    v1 = tmp_path / "q4-v1.zip"
    code, out, err = run(["export", "--year", "1403", "--quarter", "4", "-o", str(v1),
                          "--db", str(quarter_db)], capsys)
    assert code == 0, err
    assert "version 1, closed the quarter" in out
    code, out, _ = run(["quarter", "status", "--year", "1403", "--quarter", "4",
                        "--db", str(quarter_db)], capsys)
    status = json.loads(out)
    assert status["closed"] and status["exports"] == 1
    assert status["last_closed_by"] == "مریم احمدی"  # the director signed in
    code, out, _ = run(["package", "verify", str(v1)], capsys)
    assert code == 0 and out.startswith("ok: ")

    code, _, err = run(["quarter", "reopen", "--year", "1403", "--quarter", "4", "--reason",
                        "", "--db", str(quarter_db)], capsys)
    assert code == 2 and "reason" in err
    code, out, _ = run(["quarter", "reopen", "--year", "1403", "--quarter", "4", "--reason",
                        "هزینه جاافتاده", "--db", str(quarter_db)], capsys)
    assert code == 0 and "amendment" in out

    context = open_signed_in(sqlite_url(quarter_db))
    context.costs.add(1, CostItemInput(j(1403, 12, 30), "drug", 10_000, drug_id=1))
    context.close()
    monkeypatch.setenv("PACKAGE_PASSWORD", "رمز عبور")
    v2 = tmp_path / "q4-v2.zip"
    code, out, err = run(["export", "--year", "1403", "--quarter", "4", "-o", str(v2),
                          "--password-env", "PACKAGE_PASSWORD",
                          "--db", str(quarter_db)], capsys)
    assert code == 0, err
    assert "version 2" in out
    code, _, err = run(["package", "verify", str(v2)], capsys)
    assert code == 2 and "password" in err
    code, out, _ = run(["package", "verify", str(v2), "--password-env", "PACKAGE_PASSWORD"],
                       capsys)
    assert code == 0 and "version 2" in out


def test_export_refused_while_checks_fail(quarter_db, tmp_path, capsys) -> None:
    target = tmp_path / "q1.zip"
    code, _, err = run(["export", "--year", "1404", "--quarter", "1", "-o", str(target),
                        "--db", str(quarter_db)], capsys)
    assert code == 2 and "فرم شماره یک" in err
    assert not target.exists()


def test_verify_names_the_damaged_part(quarter_db, tmp_path, capsys) -> None:
    package = tmp_path / "q.zip"
    run(["export", "--year", "1403", "--quarter", "4", "-o", str(package),
         "--db", str(quarter_db)], capsys)
    package.write_bytes(package.read_bytes()[:-30])
    code, out, err = run(["package", "verify", str(package)], capsys)
    assert code == 2 and out == ""
    assert err.startswith("package: not a readable zip")


def test_import_and_rollup(quarter_db, tmp_path, capsys) -> None:
    package = tmp_path / "q.zip"
    run(["export", "--year", "1403", "--quarter", "4", "-o", str(package),
         "--db", str(quarter_db)], capsys)
    rollup = tmp_path / "rollup.sqlite3"
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a package")
    code, _, err = run(["package", "import", str(package), "--db", str(rollup)], capsys)
    assert code == 2 and "package setup" in err  # a roll-up without its administrator
    code, _, _ = run(["package", "setup", "--name", "مدیر تجمیع", "--db", str(rollup)],
                     capsys)
    assert code == 0
    code, out, err = run(["package", "import", str(package), str(junk), "--db", str(rollup)],
                         capsys)
    assert code == 2
    assert "imported" in out and "junk.zip: refused" in err
    code, out, _ = run(["package", "import", str(package), "--db", str(rollup)], capsys)
    assert code == 0 and "unchanged" in out
    code, out, _ = run(["package", "rollup", "--year", "1403", "--quarter", "4", "--json",
                        "--db", str(rollup)], capsys)
    combined = json.loads(out)
    assert set(combined) == {"تهران", "country"}
    assert {r["group_id"]: r["spent"] for r in combined["country"]}[3] == 1_200_000


def test_allocation(quarter_db, capsys) -> None:
    code, out, _ = run(["allocation", "--year", "1403", "--set", "۵٬۰۰۰٬۰۰۰٬۰۰۰",
                        "--db", str(quarter_db)], capsys)
    assert code == 0 and json.loads(out)["allocation_toman"] == 5_000_000_000
    code, _, err = run(["allocation", "--year", "1403", "--set", "-5",
                        "--db", str(quarter_db)], capsys)
    assert code == 2 and "--set" in err


def test_the_rollup_keeps_to_a_database_of_its_own(quarter_db, tmp_path, capsys) -> None:
    from cancer_desk import paths

    package = tmp_path / "q.zip"
    run(["export", "--year", "1403", "--quarter", "4", "-o", str(package),
         "--db", str(quarter_db)], capsys)
    code, _, err = run(["package", "import", str(package), "--db", str(quarter_db)], capsys)
    assert code == 2 and "hospital's patients" in err
    run(["package", "setup", "--name", "مدیر تجمیع"], capsys)
    code, out, _ = run(["package", "import", str(package)], capsys)  # the default file
    assert code == 0 and "imported" in out
    assert (paths.user_data_dir() / paths.ROLLUP_DB_FILENAME).exists()
    assert not (paths.user_data_dir() / paths.DB_FILENAME).exists()
    code, out, _ = run(["package", "rollup", "--year", "1403", "--quarter", "4", "--json"],
                       capsys)
    assert json.loads(out)["country"][0]["seen"] == 2


@pytest.mark.parametrize(("argv", "message"), [
    (["print", "form2", "0499370899", "--year", "1403", "--quarter", "4"], "not of a patient"),
    (["print", "form1", "0499370899", "--year", "1403"], "are for form2"),
    (["print", "form2", "--all", "--year", "1403", "--quarter", "4"], "--all is for form1"),
    (["print", "form1", "0499370899", "--all", "--year", "1403", "--quarter", "4"],
     "not of one patient"),
    (["print", "form1", "--all"], "--quarter"),
    (["allocation", "--year", "99999"], "--year 99999"),
])
def test_arguments_that_do_not_belong(quarter_db, tmp_path, capsys, argv, message) -> None:
    if argv[0] == "print":
        argv = [*argv, "-o", str(tmp_path / "x.pdf")]
    code, _, err = run([*argv, "--db", str(quarter_db)], capsys)
    assert code == 2 and message in err


def test_export_from_a_database_never_set_up(tmp_path, capsys) -> None:
    code, _, err = run(["export", "--year", "1403", "--quarter", "4", "-o",
                        str(tmp_path / "q.zip"), "--db", str(tmp_path / "empty.sqlite3")],
                       capsys)
    assert code == 2 and "not set up" in err and "no accounts" in err
