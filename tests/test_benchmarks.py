"""The benchmark suite runs end to end on a small database (not timed: the figures of
a test run on a shared machine mean nothing; the suite's own runs are in README)."""

from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_the_benchmark_suite_runs_end_to_end(tmp_path, monkeypatch) -> None:
    from benchmarks.__main__ import main

    monkeypatch.setenv("CANCER_DESK_DATA_DIR", str(tmp_path / "data"))
    assert main(["--patients", "120", "--runs", "1", "--forms", "2", "--batch", "3",
                 "--export-runs", "1", "--out", str(tmp_path / "results")]) == 0
    [written] = (tmp_path / "results").glob("*-120.json")
    report = json.loads(written.read_text(encoding="utf-8"))
    scenarios = {f["scenario"]: f for f in report["figures"]}
    assert len(scenarios) == 11
    for name in ("start to the sign-in window, idle",
                 "start to the database open behind the sign-in window",
                 "start to the main window, idle", "search as you type, a keystroke",
                 "Form 1 PDF, one form", "quarterly export",
                 "likely duplicates in the whole database"):
        found = scenarios[name]
        assert found["median"] > 0 and found["baseline_median"] > 0 and found["ratio"] > 0
    assert scenarios["score and band after an answer changes"]["median"] > 0
    assert report["machine"]["cpus"] >= 1
