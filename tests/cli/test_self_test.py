"""``cancer-desk --self-test``, from the source (CI runs it in the frozen build too)."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtGui import QImage

from cancer_desk import selftest
from cancer_desk.cli import main


def test_the_self_test_passes_and_reports_every_step(qapp, tmp_path, capsys) -> None:
    report, screenshot = tmp_path / "out" / "report.txt", tmp_path / "out" / "window.png"
    code = main(["--self-test", "--self-test-report", str(report),
                 "--self-test-screenshot", str(screenshot)])
    out, _ = capsys.readouterr()
    assert code == 0, out
    lines = out.splitlines()
    for step in selftest.STEPS:  # one line each, naming it in English and Persian
        assert sum(x.startswith(f"[ok] {step.name} ({step.label_fa}): ") for x in lines) == 1
    assert lines[-2].startswith(f"self-test passed: all {len(selftest.STEPS)} steps")
    # The file a windowed build writes says the same.
    assert report.read_text("utf-8") == out
    image = QImage(str(screenshot))
    assert not image.isNull() and image.width() > 300
    # The user's data folder was not used: everything went to a throw-away folder.
    assert not (tmp_path / "user-data").exists()


def _breaking(name: str, error: Exception):
    def boom(test) -> str:
        raise error

    return tuple(dataclasses.replace(step, run=boom) if step.name == name else step
                 for step in selftest.STEPS)


def test_a_failing_step_is_named_and_the_others_still_run(qapp, tmp_path, capsys,
                                                          monkeypatch) -> None:
    monkeypatch.setattr(selftest, "STEPS", _breaking(
        "Form 2 PDF", RuntimeError("the printer's font went missing")))
    report = tmp_path / "report.txt"
    code = main(["--self-test", "--self-test-report", str(report)])
    out, _ = capsys.readouterr()
    assert code == 1
    assert ("[FAILED] Form 2 PDF (چاپ فرم شماره دو): RuntimeError: the printer's font went "
            "missing") in out
    assert "    | RuntimeError: the printer's font went missing" in out  # the traceback
    others = [s for s in selftest.STEPS if s.name != "Form 2 PDF"]
    assert all(f"[ok] {s.name} " in out for s in others)
    assert "self-test FAILED" in out and out.splitlines()[-2].endswith(": Form 2 PDF")
    assert "[FAILED] Form 2 PDF" in report.read_text("utf-8")


def test_a_missing_module_is_named_and_what_needs_the_step_is_skipped(tmp_path, capsys,
                                                                      monkeypatch) -> None:
    # What a frozen build that left out a lazily imported library would say.
    missing = ModuleNotFoundError("No module named 'alembic'", name="alembic")
    monkeypatch.setattr(selftest, "STEPS", _breaking("database", missing))
    code = main(["--self-test"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "[FAILED] database (پایگاه داده): cannot import alembic" in out
    assert "[ok] scoring " in out and "[ok] Persian font " in out
    assert "[skipped] demo patients (بیماران نمایشی): needs database" in out
    assert "[skipped] window (پنجره برنامه): needs demo patients" in out
    failed = out.splitlines()[-2]
    assert failed.startswith("self-test FAILED") and "database, demo patients" in failed


@pytest.mark.parametrize("argv", [
    ["--self-test-report", "report.txt"],
    ["--self-test", "check"],
    ["--self-test", "--demo"],
])
def test_self_test_options_only_with_the_self_test_and_alone(argv, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "--self-test" in capsys.readouterr().err
