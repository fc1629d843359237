"""python -m benchmarks [--patients N] [--runs K] [--db FILE] …

Makes a demo database (timed: that is the demo scenario), runs each scenario several
times in processes of its own, and prints the median and worst of each beside its
baseline from the same run, with the ratio and the target. The table is also written
as JSON to benchmarks/results/. It never fails for a slow figure: this machine may be
shared and busy; the ratio to the baseline is what to read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass
class Figure:
    scenario: str
    unit: str
    median: float
    worst: float
    target: str
    meets: bool | None
    baseline: str = ""
    baseline_median: float | None = None
    baseline_worst: float | None = None
    ratio: float | None = None
    note: str = ""


def figure(scenario: str, unit: str, values: list[float], *, limit: float | None = None,
           baseline: str = "", baseline_values: list[float] | None = None,
           ratio_limit: float | None = None, note: str = "") -> Figure:
    median, worst = statistics.median(values), max(values)
    base_median = statistics.median(baseline_values) if baseline_values else None
    ratio = median / base_median if base_median else None
    targets, meets = [], []
    if limit is not None:
        targets.append(f"≤ {limit:g} {unit}")
        meets.append(median <= limit)
    if ratio_limit is not None and ratio is not None:
        targets.append(f"≤ {ratio_limit:g}×")
        meets.append(ratio <= ratio_limit)
    return Figure(scenario, unit, median, worst, ", ".join(targets) or "—",
                  all(meets) if meets else None, baseline, base_median,
                  max(baseline_values) if baseline_values else None, ratio, note)


def child(kind: str, database: str | Path, *args: object, timeout: float = 3600) -> dict:
    """Run one scenario in a process of its own; its last line is its JSON."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "benchmarks.child", kind, str(database),
                           *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=timeout)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"scenario {kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def make_demo(path: Path, patients: int) -> float:
    """``cancer-desk demo`` as a person would run it; returns the seconds it took."""
    env = {**os.environ, "CANCER_DESK_DATA_DIR": str(path.parent / "data")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cancer_desk", "demo", "--patients", str(patients),
                    "--seed", "1388", "--db", str(path)], check=True, cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def quarter_near(database: Path, wanted: int) -> tuple[str, int]:
    """Of the last four quarters that have ended, the one whose number of patients with
    a cost or an assessment in it is nearest ``wanted`` (the issue's 10,000)."""
    from cancer_desk.core.jalali import JalaliQuarter

    quarter = JalaliQuarter.containing(dt.date.today())
    sizes = []
    with sqlite3.connect(database) as db:
        for _ in range(4):
            quarter = quarter.previous
            period = (quarter.start.isoformat(), quarter.end.isoformat())
            seen = db.execute(
                "SELECT count(*) FROM (SELECT patient_id FROM cost_items WHERE item_date "
                "BETWEEN ? AND ? UNION SELECT patient_id FROM assessments WHERE assessed_on "
                "BETWEEN ? AND ?)", period * 2).fetchone()[0]
            sizes.append((abs(seen - wanted), f"{quarter.year}-{quarter.quarter}", seen))
    _, chosen, seen = min(sizes)
    return chosen, seen


def copy_database(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def run(args: argparse.Namespace) -> list[Figure]:
    work = Path(tempfile.mkdtemp(prefix="cancer-desk-bench-"))
    os.environ["CANCER_DESK_DATA_DIR"] = str(work / "data")  # backups, drafts: not the user's
    figures: list[Figure] = []
    try:
        if args.db:
            database = work / "bench.sqlite3"
            copy_database(Path(args.db), database)
        else:
            database = work / "bench.sqlite3"
            seconds = make_demo(database, args.patients)
            figures.append(figure(f"cancer-desk demo --patients {args.patients}", "s",
                                  [seconds], limit=60 if args.patients >= 100_000 else None,
                                  note="one run"))
        child("program-window", database)  # first start of the day: the daily copy
        program, bare, program_rss, bare_rss = [], [], [], []
        sign_in, opened = [], []
        for _ in range(args.runs):
            for kind, times, rss in (("bare-window", bare, bare_rss),
                                     ("program-sign-in", sign_in, None),
                                     ("program-window", program, program_rss)):
                start = time.time()
                result = child(kind, database)
                times.append(result["ready_at"] - start)
                if rss is not None:
                    rss.append(result["peak_rss_mb"])
                if "open_at" in result:
                    opened.append(result["open_at"] - start)
        figures.append(figure("start to the sign-in window, idle", "s", sign_in,
                              baseline="a bare PySide6 window", baseline_values=bare,
                              ratio_limit=3))
        figures.append(figure("start to the database open behind the sign-in window", "s",
                              opened, baseline="a bare PySide6 window", baseline_values=bare,
                              note="the person types meanwhile"))
        figures.append(figure("start to the main window, idle", "s", program,
                              baseline="a bare PySide6 window", baseline_values=bare,
                              ratio_limit=3, note="signed in at once, no typing"))
        figures.append(figure("memory with the patient list open (peak)", "MB", program_rss,
                              limit=300, baseline="a bare PySide6 window",
                              baseline_values=bare_rss))
        found = child("search", database, args.runs)
        figures.append(figure("search as you type, a keystroke", "ms", found["ours_ms"],
                              limit=30, baseline="the same SQL in raw sqlite3",
                              baseline_values=found["baseline_ms"],
                              note=f"{len(found['ours_ms'])} keystrokes"))
        pairs = child("duplicates", database, args.runs)
        figures.append(figure("likely duplicates in the whole database", "s",
                              pairs["ours_s"], limit=10,
                              baseline="reading the same columns in raw sqlite3",
                              baseline_values=pairs["baseline_s"],
                              note=f"{pairs['pairs']} pairs found"))
        scored = child("score", database, args.runs)
        figures.append(figure("score and band after an answer changes", "ms",
                              scored["ours_ms"], limit=5))
        forms = child("form1", database, args.forms, args.batch)
        figures.append(figure("Form 1 PDF, one form", "ms", forms["ours_ms"], limit=80,
                              baseline="reportlab, same strings unshaped, same font",
                              baseline_values=forms["baseline_ms"], ratio_limit=2))
        figures.append(figure(f"Form 1 PDF, {forms['batch']} forms in one batch", "s",
                              [forms["batch_s"]],
                              limit=60 * forms["batch"] / 1000, note="one run"))
        exports, raw = [], []
        # A hospital's quarter of about 10,000 patients: the big database's quarters hold
        # three times that, so the export has a demo database of its own, a third the size.
        exported = work / "export-base.sqlite3"
        make_demo(exported, max(args.patients * 3 // 10, 60))
        quarter, _ = quarter_near(exported, args.export_patients)
        for run_number in range(args.export_runs):
            copy = work / f"export-{run_number}.sqlite3"
            copy_database(exported, copy)
            out = work / f"export-{run_number}"
            out.mkdir()
            result = child("export", copy, out, quarter)
            exports.append(result["ours_s"])
            raw.append(result["baseline_s"])
            copy.unlink()
        figures.append(figure("quarterly export", "s", exports, limit=5,
                              baseline="raw sqlite3 + csv of the same rows",
                              baseline_values=raw, ratio_limit=4,
                              note=f"{result['counts']['seen']} patients in the quarter, "
                                   f"of {max(args.patients * 3 // 10, 60)}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return figures


def table(figures: list[Figure]) -> str:
    def number(value: float | None) -> str:
        if value is None:
            return "—"
        return f"{value:.0f}" if value >= 100 else f"{value:.3g}"

    lines = ["| scenario | median | worst | baseline median | ratio | target | met |",
             "|---|--:|--:|--:|--:|---|:-:|"]
    for f in figures:
        base = f"{number(f.baseline_median)} {f.unit} ({f.baseline})" if f.baseline else "—"
        met = {True: "yes", False: "**no**", None: "—"}[f.meets]
        note = f" ({f.note})" if f.note else ""
        lines.append(f"| {f.scenario}{note} | {number(f.median)} {f.unit} | "
                     f"{number(f.worst)} {f.unit} | {base} | "
                     f"{'—' if f.ratio is None else f'{f.ratio:.2f}×'} | {f.target} | {met} |")
    return "\n".join(lines)


def _shown(path: Path) -> str:
    """A path inside the project as the project knows it, not as this machine does."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.name


def machine() -> dict:
    return {"python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(), "sqlite": sqlite3.sqlite_version,
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=100_000,
                        help="size of the demo database made for the run (default 100000)")
    parser.add_argument("--db", help="use a copy of this database instead of making one")
    parser.add_argument("--runs", type=int, default=5, help="runs of each scenario")
    parser.add_argument("--forms", type=int, default=50, help="forms timed one by one")
    parser.add_argument("--batch", type=int, default=1000, help="forms in the batch")
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument("--export-patients", type=int, default=10_000,
                        help="export the ended quarter with nearest this many patients")
    parser.add_argument("--out", type=Path, default=HERE / "results",
                        help="folder for the JSON (default benchmarks/results)")
    args = parser.parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    figures = run(args)
    print(table(figures))
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"{started:%Y%m%d-%H%M%S}-{args.patients}.json"
    target.write_text(json.dumps({
        "started": started.isoformat(timespec="seconds"), "arguments": {
            k: _shown(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "machine": machine(), "figures": [asdict(f) for f in figures]},
        ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
