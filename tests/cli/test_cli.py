from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cancer_desk.core.costs import CostItemInput
from tests.cli.helpers import run
from tests.conftest import RULESET_1388, full_answers, open_signed_in


def test_score_from_stdin(capsys, monkeypatch) -> None:
    code, out, err = run(["score"], capsys, json.dumps(full_answers()), monkeypatch)
    assert code == 0, err
    result = json.loads(out)
    assert result == {"score": 76, "coverage_percent": 70, "ruleset": "moh-1388",
                      "points": {"head_of_household": 16, "income": 18, "housing": 10,
                                 "family_size": 3, "sick_children": 20, "school_children": 4,
                                 "university_children": 0, "debt": 5}}


def test_score_from_file_with_persian_digits(tmp_path: Path, capsys) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(full_answers(family_size="۸"), ensure_ascii=False),
                       encoding="utf-8")
    code, out, _ = run(["score", str(answers)], capsys)
    assert code == 0
    assert json.loads(out)["points"]["family_size"] == 5


@pytest.mark.parametrize(("stdin", "message"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    (json.dumps({k: v for k, v in full_answers().items() if k != "housing"}),
     "criterion 'housing': no answer"),
    (json.dumps(full_answers(sick_children=-1)), "criterion 'sick_children'"),
    (json.dumps({**full_answers(), "car": 1}), "criterion 'car'"),
])
def test_score_bad_input_exits_2_naming_the_problem(capsys, monkeypatch, stdin, message):
    code, out, err = run(["score"], capsys, stdin, monkeypatch)
    assert code == 2
    assert out == ""
    assert message in err


def test_score_missing_file(capsys, tmp_path: Path) -> None:
    code, _, err = run(["score", str(tmp_path / "nope.json")], capsys)
    assert code == 2 and "cannot read" in err


def test_rules_json_and_text(capsys) -> None:
    code, out, _ = run(["rules", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "moh-1388"
    assert next(c["id"] for c in data["criteria"]) == "head_of_household"
    assert {"min_score": 41, "max_score": 50, "coverage_percent": 40} in data["bands"]
    debt = {o["id"]: o for o in next(c for c in data["criteria"] if c["id"] == "debt")["options"]}
    assert debt["k500_1m"]["amount_up_to"] == 1000 and debt["over_1m"]["amount_above"] == 1000
    assert "amount_max" not in debt["k500_1m"] and "amount_min" not in debt["over_1m"]
    assert data["band_rule"].startswith("امتیاز ۴۱")
    code, out, _ = run(["rules"], capsys)
    assert code == 0 and "sick_children" in out and "91–100 → 100%" in out


def test_rules_check_a_broken_file(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(RULESET_1388.read_text(encoding="utf-8").replace(
        "min_score = 41", "min_score = 45"), encoding="utf-8")
    code, _, err = run(["rules", "--file", str(broken)], capsys)
    assert code == 2
    assert "scores 41-44 fall in no band" in err


def test_unknown_ruleset(capsys, monkeypatch) -> None:
    code, _, err = run(["score", "--ruleset", "moh-9999"], capsys, "{}", monkeypatch)
    assert code == 2 and "unknown rule set" in err


def test_demo_fills_the_database_given(tmp_path: Path, capsys) -> None:
    db = tmp_path / "demo.sqlite3"
    code, out, _ = run(["demo", "--patients", "25", "--seed", "3", "--db", str(db)], capsys)
    assert code == 0 and "added 25" in out
    code, _, err = run(["demo", "--patients", "0", "--db", str(db)], capsys)
    assert code == 2 and "--patients" in err


def test_database_from_environment(tmp_path: Path, capsys, monkeypatch) -> None:
    db = tmp_path / "env.sqlite3"
    monkeypatch.setenv("CANCER_DESK_DB", str(db))
    assert run(["demo", "--patients", "2", "--seed", "1"], capsys)[0] == 0
    assert db.exists()


def test_demo_refuses_a_real_hospitals_database(tmp_path: Path, capsys, reference) -> None:
    from cancer_desk.app import demo_settings
    from cancer_desk.paths import sqlite_url

    db = tmp_path / "hospital.sqlite3"
    context = open_signed_in(sqlite_url(db))
    context.settings.save(demo_settings(reference))  # set up as a real hospital
    context.close()
    code, _, err = run(["demo", "--patients", "5", "--db", str(db)], capsys)
    assert code == 2 and "not a demo database" in err
    context = open_signed_in(sqlite_url(db))
    assert context.patients.count() == 0
    assert not context.settings.get().is_demo
    context.close()
    # There is no --force: synthetic patients never go into a hospital's database.
    with pytest.raises(SystemExit):
        run(["demo", "--patients", "5", "--db", str(db), "--force"], capsys)


def test_demo_window_never_uses_the_environment_database(tmp_path: Path, monkeypatch) -> None:
    from cancer_desk.paths import DEMO_DB_FILENAME, database_url

    monkeypatch.setenv("CANCER_DESK_DB", str(tmp_path / "real.sqlite3"))
    assert database_url(None, demo=True).endswith(DEMO_DB_FILENAME)
    assert database_url(str(tmp_path / "x.sqlite3"), demo=True).endswith("x.sqlite3")
    assert database_url(None).endswith("real.sqlite3")


def test_a_broken_rule_file_in_the_user_folder_is_only_a_warning(capsys, monkeypatch) -> None:
    from cancer_desk.paths import user_rules_dir

    user_rules_dir().mkdir(parents=True)
    (user_rules_dir() / "draft.toml").write_text("[ruleset\n", encoding="utf-8")
    code, out, err = run(["score"], capsys, json.dumps(full_answers()), monkeypatch)
    assert code == 0 and json.loads(out)["score"] == 76
    assert "draft.toml" in err and "warning" in err


def test_unusable_database_exits_2(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database" * 100)
    code, _, err = run(["demo", "--patients", "1", "--db", str(junk)], capsys)
    assert code == 2 and "cannot open" in err


def test_console_entry_point_runs_as_module() -> None:
    done = subprocess.run([sys.executable, "-m", "cancer_desk", "score", "-"],
                          input=json.dumps(full_answers()), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["coverage_percent"] == 70
    usage = subprocess.run([sys.executable, "-m", "cancer_desk", "demo"],
                           capture_output=True, text=True)
    assert usage.returncode == 2 and "--patients" in usage.stderr


@pytest.fixture
def hospital_db(tmp_path: Path, reference):
    """A database set up for hub 1 with one assessed patient."""
    from cancer_desk.app import demo_settings
    from cancer_desk.paths import sqlite_url
    from tests.builders import identity

    db = tmp_path / "hospital.sqlite3"
    context = open_signed_in(sqlite_url(db))
    context.settings.save(demo_settings(reference))
    patient = context.patients.create(identity("0499370899", "علی", "کریمی"))
    context.assessments.record(patient.id, full_answers())
    context.costs.add(patient.id, CostItemInput(dt.date(2025, 1, 5), "other", 500_000,
                                                description="ایاب و ذهاب"))
    context.close()
    return db


@pytest.mark.parametrize("document", ["form1", "assessment", "referral"])
def test_print_writes_each_document(hospital_db: Path, tmp_path: Path, capsys, document):
    out = tmp_path / f"{document}.pdf"
    code, stdout, err = run(["print", document, "۰۴۹۹-۳۷۰۸۹۹", "-o", str(out),
                             "--db", str(hospital_db)], capsys)
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF") and "wrote" in stdout
    assert not list(tmp_path.glob("*.partial"))


def test_a_referral_refers_each_cost_once(hospital_db, tmp_path, capsys) -> None:
    first, again = tmp_path / "r1.pdf", tmp_path / "r1-again.pdf"
    assert run(["print", "referral", "0499370899", "-o", str(first), "--db",
                str(hospital_db)], capsys)[0] == 0
    code, _, err = run(["print", "referral", "0499370899", "-o", str(tmp_path / "r2.pdf"),
                        "--db", str(hospital_db)], capsys)
    assert code == 2 and "not yet referred" in err
    code, _, _ = run(["print", "referral", "0499370899", "--number", "1", "-o", str(again),
                      "--db", str(hospital_db)], capsys)
    assert code == 0 and again.read_bytes() == first.read_bytes()
    code, _, err = run(["print", "referral", "0499370899", "--number", "7", "-o",
                        str(tmp_path / "x.pdf"), "--db", str(hospital_db)], capsys)
    assert code == 2 and "no referral 7" in err


@pytest.mark.parametrize(("code_text", "message"), [
    ("1234567890", "check digit"), ("0012345679", "no patient")])
def test_print_unknown_or_bad_code(hospital_db, tmp_path, capsys, code_text, message):
    code, _, err = run(["print", "form1", code_text, "-o", str(tmp_path / "x.pdf"),
                        "--db", str(hospital_db)], capsys)
    assert code == 2 and message in err
    assert not (tmp_path / "x.pdf").exists()


def test_print_into_a_missing_folder(hospital_db, tmp_path, capsys) -> None:
    code, _, err = run(["print", "form1", "0499370899", "-o",
                        str(tmp_path / "no" / "such" / "x.pdf"), "--db", str(hospital_db)],
                       capsys)
    assert code == 2 and "cannot write" in err


def test_patients_list_json(hospital_db, capsys) -> None:
    code, out, _ = run(["patients", "list", "--json", "--db", str(hospital_db)], capsys)
    assert code == 0
    [patient] = json.loads(out)
    assert patient["national_code"] == "0499370899"
    assert patient["birth_date"] == "1980-01-01"
    assert patient["birth_date_jalali"] == "1358/10/11"
    assert (patient["latest_score"], patient["latest_coverage_percent"]) == (76, 70)


def test_patients_import_from_the_command_line(hospital_db, tmp_path, capsys) -> None:
    from tests.builders import GOOD_ROWS, write_csv

    bad = write_csv(tmp_path / "bad.csv", [*GOOD_ROWS[1:], ["123", "x", "y", "z", "1",
                                                             "1360/01/01", "1", "", ""]])
    code, out, err = run(["patients", "import", str(bad), "--db", str(hospital_db)], capsys)
    assert code == 2 and "ردیف ۴" in err and "هیچ بیماری وارد نشد" in out
    good = write_csv(tmp_path / "good.csv", GOOD_ROWS[1:])
    code, out, _ = run(["patients", "import", str(good), "--dry-run", "--db",
                        str(hospital_db)], capsys)
    assert code == 0 and "آزمایشی" in out
    code, out, _ = run(["patients", "import", str(good), "--db", str(hospital_db)], capsys)
    assert code == 0 and "۲ بیمار وارد شد" in out
    code, out, _ = run(["patients", "list", "--db", str(hospital_db)], capsys)
    assert len(out.splitlines()) == 3


def test_formulary_from_the_command_line(hospital_db, tmp_path, capsys) -> None:
    drugs = tmp_path / "drugs.csv"
    drugs.write_text("name,generic_name\nسیس‌پلاتین,Cisplatin\n", encoding="utf-8")
    code, out, _ = run(["formulary", "import", str(drugs), "--db", str(hospital_db)], capsys)
    assert code == 0
    code, out, _ = run(["formulary", "list", "--json", "--db", str(hospital_db)], capsys)
    assert json.loads(out)[0]["name"] == "سیس‌پلاتین"


@pytest.mark.parametrize(("argv", "message"), [
    (["assessment", "0499370899", "--sign"], "--sign is for form1"),
    (["form1", "0499370899", "--number", "2"], "--number is for a referral"),
])
def test_print_refuses_arguments_that_do_not_belong_before_opening_the_database(
        tmp_path, capsys, argv, message) -> None:
    db = tmp_path / "never-opened.sqlite3"
    code, out, err = run(["print", *argv, "-o", str(tmp_path / "x.pdf"), "--db", str(db)],
                         capsys, user=None)
    assert (code, out) == (2, "") and message in err
    assert not db.exists()


def test_formulary_withdraw_history_and_template(hospital_db, tmp_path, capsys) -> None:
    drugs = tmp_path / "drugs.csv"
    drugs.write_text("name,covered_from\nسیس‌پلاتین,1405/01/01\n", encoding="utf-8")
    assert run(["formulary", "import", str(drugs), "--db", str(hospital_db)], capsys)[0] == 0
    code, out, _ = run(["formulary", "withdraw", "1", "--from", "1405/03/01", "--dry-run",
                        "--db", str(hospital_db)], capsys)
    assert code == 0 and out.startswith("(dry run)")
    code, out, _ = run(["formulary", "withdraw", "1", "--from", "1405/03/01",
                        "--db", str(hospital_db)], capsys)
    assert code == 0
    code, out, _ = run(["formulary", "history", "--db", str(hospital_db)], capsys)
    assert code == 0 and "1405/01/01 – 1405/02/31" in out and "خارج از فهرست" in out
    code, out, _ = run(["formulary", "relist", "1", "--from", "1405/05/01",
                        "--db", str(hospital_db)], capsys)
    assert code == 0
    code, out, _ = run(["formulary", "list", "--json", "--db", str(hospital_db)], capsys)
    periods = json.loads(out)[0]["periods"]
    assert [(p["covered_from"], p["covered_until"]) for p in periods] == [
        ("2026-03-21", "2026-05-21"), ("2026-07-23", None)]
    template = tmp_path / "template.xlsx"
    code, out, _ = run(["formulary", "template", str(template), "--db", str(hospital_db)],
                       capsys)
    assert code == 0 and template.exists()


@pytest.mark.parametrize("date", ["1405/13/01", "tomorrow", "1405/01/01"])
def test_formulary_withdraw_refuses_a_bad_date_with_exit_2(hospital_db, tmp_path, capsys,
                                                           date) -> None:
    """A date that is not one, or one before the drug's period began: one line, exit 2."""
    drugs = tmp_path / "drugs.csv"
    drugs.write_text("name,covered_from\nسیس‌پلاتین,1405/02/01\n", encoding="utf-8")
    run(["formulary", "import", str(drugs), "--db", str(hospital_db)], capsys)
    code, out, err = run(["formulary", "withdraw", "1", "--from", date,
                          "--db", str(hospital_db)], capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_score_answers_with_a_5000_digit_number_exit_2(capsys, monkeypatch) -> None:
    code, out, err = run(["score"], capsys, '{"income": ' + "9" * 5000 + "}", monkeypatch)
    assert code == 2
    assert out == ""
    assert "not valid JSON" in err and "Traceback" not in err


def test_a_rule_file_with_a_5000_digit_number_exit_2(capsys, tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("x = " + "9" * 5000 + "\n")
    code, _out, err = run(["rules", "--file", str(path)], capsys)
    assert code == 2
    assert "not valid" in err and "Traceback" not in err
