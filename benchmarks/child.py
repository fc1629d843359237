"""What the suite runs in a process of its own, one scenario per call, so that start-up
time and memory are each process's own:

    python -m benchmarks.child KIND DATABASE [ARGS…]

Prints one JSON object on its last line. Imports happen inside each scenario: the
start-up figures must count only what the program itself loads."""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
USER, PASSWORD = "maryam", "demo-1388"  # the demo database's social worker
DIRECTOR = "director"


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _report(values: dict) -> None:
    """The figures, then out at once: tearing Qt down with windows still open is not
    what is measured, and PySide6 can crash doing it at interpreter exit."""
    print(json.dumps(values), flush=True)
    sys.stderr.flush()
    os._exit(0)


def _wait_until_idle(app) -> None:
    """Until the window has been laid out and painted, and nothing else is pending."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()
    app.processEvents()


def bare_window(_database: str) -> None:
    """The baseline for starting: a PySide6 main window and nothing else."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.showMaximized()
    _wait_until_idle(app)
    _report({"ready_at": time.time(), "peak_rss_mb": _peak_rss_mb()})


def program_window(database: str) -> None:
    """The program as a person starts it, to the main window idle with the patient list
    shown (the sign-in window's work done by the services). The day's copy, if due, is
    started as the program starts it — beside the window, which does not wait for it."""
    from cancer_desk.paths import sqlite_url
    from cancer_desk.ui import background
    from cancer_desk.ui.main import make_application, open_main_window, prepare_context

    app = make_application([])
    context = prepare_context(sqlite_url_or(database, sqlite_url))
    context.accounts.sign_in(USER, PASSWORD)
    window = open_main_window(context, first=True)
    _wait_until_idle(app)
    ready_at, peak_rss_mb = time.time(), _peak_rss_mb()
    # The copy is let finish before the process goes (_report leaves at once): the
    # following starts of the day must find it made, as a ward PC's would.
    background.wait_for_jobs()
    _report({"ready_at": ready_at, "peak_rss_mb": peak_rss_mb,
             "loaded_reportlab": "reportlab" in sys.modules,
             "patients_listed": window.patient_list.model.total
             if hasattr(window, "patient_list") else None})


def program_sign_in(database: str) -> None:
    """The program as a person starts it, to the sign-in window idle: what they wait for
    before they can type. The database layer loads and the database opens beside it;
    the time until the window has the accounts (typing or not) is reported too."""
    from cancer_desk.paths import sqlite_url
    from cancer_desk.ui.main import make_application, start_opening

    app = make_application([])
    dialog, opening = start_opening(sqlite_url_or(database, sqlite_url))
    _wait_until_idle(app)
    ready_at = time.time()
    while not dialog.ready:
        if opening.done and opening.error is not None:
            raise SystemExit(f"the database did not open: {opening.error}")
        app.processEvents()
        time.sleep(0.002)
    _report({"ready_at": ready_at, "open_at": time.time(), "peak_rss_mb": _peak_rss_mb()})


def sqlite_url_or(database: str, sqlite_url) -> str:
    from pathlib import Path

    return database if "://" in database else sqlite_url(Path(database))


def _signed_in(database: str, user: str = USER):
    from cancer_desk.paths import sqlite_url
    from cancer_desk.ui.main import make_application, prepare_context

    app = make_application([])
    context = prepare_context(sqlite_url_or(database, sqlite_url))
    context.accounts.sign_in(user, PASSWORD)
    return app, context


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


# Typed a key at a time: names (a rare pair, common ones) and a national-code prefix.
TYPED = ("علی کر", "زهرا", "احمدی", "0012", "4")


def search(database: str, runs: str) -> None:
    """Each keystroke: the list asked again and shown. Baseline: the same SQL statements,
    as the program sent them, run through Python's sqlite3 with nothing around them."""
    import sqlite3

    from sqlalchemy import event

    from cancer_desk.ui.patient_list import PatientListView

    app, context = _signed_in(database)
    view = PatientListView(context.patients, context.reference)
    view.show()
    _wait_until_idle(app)
    sent: list[tuple[str, tuple]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if "FROM patients" in statement:
            sent.append((statement, tuple(parameters)))

    event.listen(context.database.engine, "before_cursor_execute", keep)
    raw = sqlite3.connect(context.database.sqlite_file)
    ours, baseline = [], []
    for _ in range(int(runs)):
        for word in TYPED:
            for length in range(1, len(word) + 1):
                sent.clear()
                start = time.perf_counter()
                view.search_edit.setText(word[:length])
                app.processEvents()
                ours.append(_ms(start))
                start = time.perf_counter()
                for statement, parameters in sent:
                    raw.execute(statement, parameters).fetchall()
                baseline.append(_ms(start))
            view.search_edit.clear()
            app.processEvents()
    _report({"ours_ms": ours, "baseline_ms": baseline, "listed": view.model.total})


def score(database: str, runs: str) -> None:
    """An answer changed in the questionnaire, to the score and band on screen."""
    from cancer_desk.ui.main_window import MainWindow

    app, context = _signed_in(database)
    window = MainWindow(context)
    patient = context.patients.search("", limit=1)[0].id
    dialog = window.patient_room.make_questionnaire(patient)
    dialog.show()
    _wait_until_idle(app)
    choices = ("under_k300", "k500_plus")
    times = []
    for turn in range(int(runs) * 40):
        before = dialog.panel.score_label.text()
        start = time.perf_counter()
        dialog.inputs["income"].set_answer(choices[turn % 2])
        app.processEvents()
        times.append(_ms(start))
        if turn and dialog.panel.score_label.text() == before:
            raise SystemExit("the score on screen did not change")
    # Put aside without the question a changed form asks a person (nobody answers here).
    dialog.done(dialog.DialogCode.Rejected)
    _report({"ours_ms": times})


def form1(database: str, forms: str, batch: str) -> None:
    """Form 1 as printed (read from the database, laid out, shaped, written). Baseline:
    reportlab drawing the same strings at the same places in the same font, with no
    shaping and no layout."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from cancer_desk.print.form1 import render_form1

    _app, context = _signed_in(database)
    with context.database.engine.connect() as connection:
        from sqlalchemy import text

        ids = [row[0] for row in connection.execute(
            text("SELECT patient_id FROM cases ORDER BY patient_id LIMIT :n"),
            {"n": max(int(forms), int(batch))})]
    drawn: list[list[tuple]] = []
    real = {name: getattr(Canvas, name)
            for name in ("drawString", "drawRightString", "drawCentredString")}

    def recording(name):
        def draw(canvas, x, y, text, *args, **kwargs):
            drawn[-1].append((name, x, y, text, canvas._fontname, canvas._fontsize))
            return real[name](canvas, x, y, text, *args, **kwargs)
        return draw

    ours = []
    for patient in ids[:int(forms)]:
        drawn.append([])
        for name in real:
            setattr(Canvas, name, recording(name))
        try:
            start = time.perf_counter()
            render_form1(context.documents.form1(patient), io.BytesIO())
            ours.append(_ms(start))
        finally:
            for name, method in real.items():
                setattr(Canvas, name, method)
    baseline = []
    for strings in drawn:
        start = time.perf_counter()
        canvas = Canvas(io.BytesIO(), pagesize=A4)
        for name, x, y, text_, font, size in strings:
            canvas.setFont(font, size)
            getattr(canvas, name)(x, y, text_)
        canvas.showPage()
        canvas.save()
        baseline.append(_ms(start))
    start = time.perf_counter()
    made = 0
    while made < int(batch):
        for patient in ids:
            if made == int(batch):
                break
            render_form1(context.documents.form1(patient), io.BytesIO())
            made += 1
    _report({"ours_ms": ours, "baseline_ms": baseline, "batch": made,
             "batch_s": (time.perf_counter() - start)})


def export(database: str, out_folder: str, quarter_text: str) -> None:
    """The quarterly export of a quarter that has ended (YEAR-Q), on a copy made for this
    run (exporting closes the quarter). Baseline: the same rows (the quarter's patients
    with their Form 1, their cost items and assessments in it) read with Python's
    sqlite3 and written with its csv module."""
    import csv
    import sqlite3
    from pathlib import Path

    from cancer_desk.core.jalali import JalaliQuarter
    from cancer_desk.services.exports import export_quarter

    _app, context = _signed_in(database, DIRECTOR)
    quarter = JalaliQuarter(*map(int, quarter_text.split("-")))
    out = Path(out_folder)
    start = time.perf_counter()
    result = export_quarter(context, quarter, out / "package.zip")
    ours = time.perf_counter() - start
    context.close()
    period = (quarter.start.isoformat(), quarter.end.isoformat())
    start = time.perf_counter()
    raw = sqlite3.connect(database)
    seen = ("SELECT patient_id FROM cost_items WHERE item_date BETWEEN ? AND ? "
            "UNION SELECT patient_id FROM assessments WHERE assessed_on BETWEEN ? AND ? "
            "UNION SELECT id FROM patients WHERE registered_on BETWEEN ? AND ?")
    queries = {
        "patients": (f"SELECT p.*, c.* FROM patients p JOIN ({seen}) s ON s.patient_id = p.id "
                     "LEFT JOIN cases c ON c.patient_id = p.id ORDER BY p.id", period * 3),
        "cost_items": ("SELECT * FROM cost_items WHERE item_date BETWEEN ? AND ? ORDER BY id",
                       period),
        "assessments": ("SELECT * FROM assessments WHERE assessed_on BETWEEN ? AND ? "
                        "ORDER BY id", period),
    }
    rows = {}
    for name, (sql, parameters) in queries.items():
        cursor = raw.execute(sql, parameters)
        with (out / f"{name}.csv").open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(d[0] for d in cursor.description)
            rows[name] = 0
            for row in cursor:
                writer.writerow(row)
                rows[name] += 1
    baseline = time.perf_counter() - start
    _report({"ours_s": ours, "baseline_s": baseline, "quarter": quarter.label,
             "counts": result.package.manifest["counts"], "baseline_rows": rows})


def duplicates(database: str, runs: str) -> None:
    """Every likely duplicate pair in the database, as the duplicates window asks for
    them. Baseline: reading the same columns of every patient through raw sqlite3, the
    part no finder can skip."""
    import sqlite3

    _app, context = _signed_in(database)
    raw = sqlite3.connect(context.database.sqlite_file)
    ours, baseline, found = [], [], 0
    for _ in range(int(runs)):
        start = time.perf_counter()
        found = len(context.duplicates.find_all())
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        raw.execute("SELECT id, national_code, search_key, father_name, birth_date "
                    "FROM patients").fetchall()
        baseline.append(time.perf_counter() - start)
    _report({"ours_s": ours, "baseline_s": baseline, "pairs": found})


def main(argv: list[str]) -> None:
    kind, database, *rest = argv
    {"bare-window": bare_window, "program-window": program_window,
     "program-sign-in": program_sign_in, "search": search,
     "score": score, "form1": form1, "export": export,
     "duplicates": duplicates}[kind](database, *rest)


if __name__ == "__main__":
    main(sys.argv[1:])
