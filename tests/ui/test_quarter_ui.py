"""Closing a quarter in the window: Form 2 and its checks, export, reopen; the roll-up
and the monitoring dashboard."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton

from cancer_desk import APP_NAME_FA
from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.exchange.verify import verify_file
from cancer_desk.services.exports import export_quarter
from cancer_desk.ui.background import ProgressDialog
from cancer_desk.ui.costs import CostItemDialog
from cancer_desk.ui.form2_window import Form2Window, ReopenDialog
from cancer_desk.ui.rollup_window import RollupWindow
from tests.builders import database_rows
from tests.conftest import full_answers
from tests.print.pdf_reading import pages, printed
from tests.services.quarter_data import fill_quarter_hub, j
from tests.ui.helpers import cancel_held_work, click, counting, on_next_modal, type_text

Q4_1403 = JalaliQuarter(1403, 4)



@pytest.fixture
def hub(configured_context):
    return fill_quarter_hub(configured_context)


@pytest.fixture
def answers(monkeypatch):
    """Every question box answers «Yes»; information and warnings are recorded."""
    from cancer_desk.ui import form2_window

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(form2_window, "confirm_closing_quarter", lambda _parent: True)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(
            lambda _parent, title, text, *a, _kind=kind, **k:
            shown.append((_kind, f"{title}: {text}")) or QMessageBox.StandardButton.Ok))
    return shown


def open_form2(qtbot, context, quarter: JalaliQuarter = Q4_1403) -> Form2Window:
    """The window on ``quarter``, once it has counted it."""
    window = Form2Window(context, "مریم احمدی")
    qtbot.addWidget(window)
    window.year_spin.setValue(quarter.year)
    window.quarter_combo.setCurrentIndex(quarter.quarter - 1)
    window.show()
    return counted(qtbot, window)


def counted(qtbot, window: Form2Window) -> Form2Window:
    """Once the window has counted its period (it counts off its thread)."""
    qtbot.waitUntil(lambda: not counting(window), timeout=10_000)
    return window


def row_texts(table, row: int) -> list[str]:
    return [table.item(row, column).text() for column in range(table.columnCount())]


def test_form2_window_shows_the_hand_counted_quarter(qtbot, hub) -> None:
    window = open_form2(qtbot, hub.context)
    assert window.period_label.text() == "از ۱۴۰۳/۱۰/۰۱ تا ۱۴۰۳/۱۲/۳۰"
    assert row_texts(window.table, 0) == ["۱", "پستان", "۲", "۱", "۷۰۰٬۰۰۰"]
    assert row_texts(window.table, 2)[2:] == ["۲", "۱", "۱٬۲۰۰٬۰۰۰"]
    assert row_texts(window.table, 9) == ["", "جمع کل", "۵", "۲", "۱٬۹۰۰٬۰۰۰"]
    # Under the total and not in it: no cancer outside the groups this quarter.
    assert row_texts(window.table, 10) == ["", "خارج از گروه‌های دستورالعمل", "۰", "۰", "۰"]
    assert window.checks.item(0).text().startswith("✓")
    assert window.export_button.isEnabled() and not window.reopen_button.isEnabled()
    assert "هنوز بسته نشده" in window.status_label.text()


class HeldCounts:
    """The window's counts, each held until the test lets it go; which periods were
    counted, and on which thread."""

    def __init__(self, quarters, monkeypatch) -> None:
        self._report = quarters.report
        self.asked: list[tuple[dt.date, dt.date]] = []
        self.threads: list[threading.Thread] = []
        self.started = threading.Semaphore(0)
        self.go = threading.Semaphore(0)
        monkeypatch.setattr(quarters, "report", self.report)

    def report(self, start: dt.date, end: dt.date):
        self.asked.append((start, end))
        self.threads.append(threading.current_thread())
        self.started.release()
        assert self.go.acquire(timeout=10)
        return self._report(start, end)

    def wait_started(self, qtbot) -> None:
        qtbot.waitUntil(lambda: self.started.acquire(blocking=False), timeout=10_000)


def shows_no_numbers(window: Form2Window) -> bool:
    return all(window.table.item(row, column).text() == "…"
               for row in range(window.table.rowCount()) for column in (2, 3, 4))


def buttons_needing_the_count(window: Form2Window) -> list[QPushButton]:
    return [window.print_button, window.print_form1_button, window.export_button,
            window.reopen_button]


def test_form2_window_opens_at_once_and_counts_off_its_thread(qtbot, hub,
                                                              monkeypatch) -> None:
    from cancer_desk.ui.form2_window import COUNTING_FA

    held = HeldCounts(hub.context.quarters, monkeypatch)
    try:
        window = Form2Window(hub.context, "مریم احمدی")  # returns with the count held
        qtbot.addWidget(window)
        window.year_spin.setValue(Q4_1403.year)
        window.quarter_combo.setCurrentIndex(Q4_1403.quarter - 1)
        window.show()
        held.wait_started(qtbot)
        qtbot.wait(250)  # the window's own timers run meanwhile: nothing arrives
        assert counting(window) and window.report is None
        assert window.count_state_label.text() == COUNTING_FA
        assert window.period_label.text() == "از ۱۴۰۳/۱۰/۰۱ تا ۱۴۰۳/۱۲/۳۰"
        assert shows_no_numbers(window)
        assert window.table.item(0, 1).text() == "پستان"
        assert window.checks.count() == 0 and window.status_label.text() == ""
        assert not any(b.isEnabled() for b in buttons_needing_the_count(window))
        held.go.release(2)  # the first count, then the one for the period chosen
        counted(qtbot, window)
    finally:
        held.go.release(5)
    assert all(t is not threading.main_thread() for t in held.threads)
    assert window.count_state_label.text() == ""
    assert row_texts(window.table, 9) == ["", "جمع کل", "۵", "۲", "۱٬۹۰۰٬۰۰۰"]
    assert window.print_button.isEnabled() and window.export_button.isEnabled()


def test_the_period_chosen_last_is_the_one_shown(qtbot, hub, monkeypatch) -> None:
    """The period changed twice while a count runs: that count is dropped, the period
    in between never counted, and the last one shown."""
    held = HeldCounts(hub.context.quarters, monkeypatch)
    window = Form2Window(hub.context, "مریم احمدی")
    qtbot.addWidget(window)
    window.show()
    try:
        held.wait_started(qtbot)
        first = held.asked[0]
        window.year_spin.setValue(1404)
        window.quarter_combo.setCurrentIndex(0)  # 1404 Q1: checks fail there
        window.year_spin.setValue(1403)
        window.quarter_combo.setCurrentIndex(3)  # 1403 Q4, as hand-counted
        held.go.release()  # the first count ends: its period is no longer the one asked
        held.wait_started(qtbot)
        qtbot.wait(250)
        assert counting(window) and shows_no_numbers(window)  # nothing stale shown
        assert window.checks.count() == 0
        held.go.release()
        counted(qtbot, window)
    finally:
        held.go.release(5)
    assert held.asked == [first, (Q4_1403.start, Q4_1403.end)]
    assert window.period_label.text() == "از ۱۴۰۳/۱۰/۰۱ تا ۱۴۰۳/۱۲/۳۰"
    assert row_texts(window.table, 9) == ["", "جمع کل", "۵", "۲", "۱٬۹۰۰٬۰۰۰"]
    assert window.checks.item(0).text().startswith("✓")
    assert window.status is not None and window.status.quarter == Q4_1403


@pytest.mark.parametrize("deleted", [True, False], ids=["deleted on close", "kept"])
def test_closing_the_form2_window_mid_count_drops_the_count(qtbot, hub, monkeypatch,
                                                            deleted) -> None:
    import shiboken6

    from cancer_desk.ui import background

    held = HeldCounts(hub.context.quarters, monkeypatch)
    window = Form2Window(hub.context, "مریم احمدی")
    if deleted:  # as the main window opens it
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    else:
        qtbot.addWidget(window)
    window.show()
    try:
        held.wait_started(qtbot)
        window.close()
        if deleted:
            qtbot.waitUntil(lambda: not shiboken6.isValid(window))
    finally:
        held.go.release(5)
    qtbot.waitUntil(lambda: not background.jobs_running(), timeout=10_000)
    qtbot.wait(3 * background.POLL_MS)  # a watcher left behind would have fired by now
    assert len(held.asked) == 1
    if not deleted:
        assert window.report is None and shows_no_numbers(window)


def test_a_count_that_fails_goes_to_the_programs_handler(qtbot, hub, monkeypatch,
                                                         answers) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from cancer_desk.ui import errors
    from cancer_desk.ui.form2_window import NOT_COUNTED_FA

    def locked(_start, _end):
        raise OperationalError("SELECT …", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(hub.context.quarters, "report", locked)
    with qtbot.capture_exceptions() as raised:
        window = Form2Window(hub.context, "مریم احمدی")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: bool(raised), timeout=10_000)
    kind, error, trace = raised[0]
    assert kind is OperationalError
    assert not counting(window) and window.report is None
    assert window.count_state_label.text() == NOT_COUNTED_FA
    assert not any(b.isEnabled() for b in buttons_needing_the_count(window))
    errors.handle_exception(kind, error, trace)  # what the program's hook does with it
    assert answers == [("warning", f"{APP_NAME_FA}: {errors.STORAGE_PROBLEMS_FA[4][1]}")]


def test_failing_checks_are_listed_and_block_the_export(qtbot, hub) -> None:
    window = open_form2(qtbot, hub.context, JalaliQuarter(1404, 1))
    assert window.checks.count() == 1
    assert window.checks.item(0).text().startswith("✗ فرم شماره یک ۱ بیمار مشمول")
    assert "بیمار C" in window.checks.item(0).text()
    assert not window.export_button.isEnabled()


def test_export_closes_then_reopen_with_a_reason(qtbot, hub, tmp_path, answers) -> None:
    window = open_form2(qtbot, hub.context)
    target = tmp_path / "q4.zip"
    window.ask_export_target = lambda: (target, None)
    click(qtbot, window.export_button)
    counted(qtbot, window)
    assert answers[-1][0] == "information" and "نسخه ۱" in answers[-1][1]
    assert verify_file(target).ok
    assert "این فصل بسته است (نسخه ۱، به دست مریم احمدی)" in window.status_label.text()
    assert window.reopen_button.isEnabled()

    again = tmp_path / "again.zip"
    window.ask_export_target = lambda: (again, None)
    click(qtbot, window.export_button)  # a closed quarter: the same file again
    assert again.read_bytes() == target.read_bytes()
    counted(qtbot, window)

    window.ask_reopen = lambda: "هزینه جاافتاده بیمار"
    click(qtbot, window.reopen_button)
    counted(qtbot, window)
    status = hub.context.quarters.status(Q4_1403)
    assert not status.closed and status.reopened_reason == "هزینه جاافتاده بیمار"
    assert "اصلاحیه (نسخه ۲)" in window.status_label.text()


def test_the_reopen_dialog_asks_for_a_reason_and_names_the_director(qtbot) -> None:
    dialog = ReopenDialog(Q4_1403, "دکتر محمود صالحی")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.name_label.text() == "دکتر محمود صالحی"  # who is signed in, not typed
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    click(qtbot, ok)
    assert dialog.isVisible() and "دلیل بازگشایی" in dialog.error_label.text()
    type_text(dialog.reason_edit, "اصلاح مبلغ")
    click(qtbot, ok)
    assert not dialog.isVisible()
    assert dialog.reason == "اصلاح مبلغ"


def test_a_refused_export_says_why_in_persian(qtbot, hub, tmp_path, answers) -> None:
    window = open_form2(qtbot, hub.context)
    window.ask_export_target = lambda: (tmp_path / "no-folder" / "q.zip", None)
    click(qtbot, window.export_button)
    kind, text = answers[-1]
    assert kind == "warning" and "پرونده در این محل نوشته نشد" in text
    assert not hub.context.quarters.status(Q4_1403).closed


def test_a_cost_in_a_closed_quarter_is_refused_in_the_window(qtbot, hub, tmp_path,
                                                             answers) -> None:
    ctx = hub.context
    export_quarter(ctx, Q4_1403, tmp_path / "q.zip")
    before = ctx.costs.list(hub.ids["E"])
    dialog = CostItemDialog(ctx.costs, hub.ids["E"], ctx.formulary.list(),
                            ctx.assessments.history(hub.ids["E"], limit=1)[0])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.date_edit.setDate(j(1403, 11, 20))
    dialog.drug_combo.setCurrentIndex(dialog.drug_combo.findData(hub.drug_id))
    type_text(dialog.amount_edit, "50000")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    kind, text = answers[-1]
    assert kind == "warning" and "بسته شده" in text and "بازگشایی" in text
    assert ctx.costs.list(hub.ids["E"]) == before


def test_rollup_window_imports_and_shows_the_combined_table(qtbot, hub, context, tmp_path,
                                                            reference) -> None:
    from tests.builders import make_hub

    packages = [export_quarter(hub.context, Q4_1403, tmp_path / "hub1.zip").path]
    other, _ = make_hub(tmp_path, 7, reference)
    packages.append(export_quarter(other, Q4_1403, tmp_path / "hub7.zip").path)
    other.close()
    junk = tmp_path / "junk.zip"
    junk.write_bytes(packages[0].read_bytes()[:500])

    window = RollupWindow(context)  # ``context`` is another, empty database: the roll-up
    qtbot.addWidget(window)
    window.show()
    outcomes = window.import_paths([*packages, junk])
    assert [o.status for o in outcomes] == ["imported", "imported", "refused"]
    assert window.log.item(2).text().startswith("junk.zip: پذیرفته نشد — پرونده بسته: ")
    assert (window.year_spin.value(), window.quarter_combo.currentData()) == (1403, 4)
    assert window.hubs.count() == 2
    # Country: hub 1 as hand-counted, hub 7 with 70,000 × 70% more for patient A.
    assert row_texts(window.table, 0)[2:] == ["۴", "۲", "۱٬۴۴۹٬۰۰۰"]
    assert row_texts(window.table, 9)[2:] == ["۱۰", "۴", "۳٬۸۴۹٬۰۰۰"]
    window.scope_combo.setCurrentIndex(window.scope_combo.findText("یزد"))
    assert row_texts(window.table, 0)[2:] == ["۲", "۱", "۷۴۹٬۰۰۰"]


def test_rollup_window_asks_for_a_password_once(qtbot, hub, context, tmp_path) -> None:
    from cancer_desk.exchange.writer import encrypt

    plain = export_quarter(hub.context, Q4_1403, tmp_path / "q.zip")
    sealed = tmp_path / "sealed.zip"
    sealed.write_bytes(encrypt(plain.package.data, "رمز"))
    window = RollupWindow(context)
    qtbot.addWidget(window)
    asked: list[int] = []
    window.ask_password = lambda: asked.append(1) or "رمز"
    outcome, = window.import_paths([sealed])
    assert outcome.status == "imported" and asked == [1]


def test_rollup_import_runs_off_the_window_and_a_cancel_keeps_what_was_merged(
        qtbot, hub, context, tmp_path, reference, monkeypatch) -> None:
    """«لغو» stops between two packages: each is merged in a transaction of its own."""
    from tests.builders import make_hub

    packages = [export_quarter(hub.context, Q4_1403, tmp_path / "hub1.zip").path]
    other, _ = make_hub(tmp_path, 7, reference)
    packages.append(export_quarter(other, Q4_1403, tmp_path / "hub7.zip").path)
    other.close()
    packages.append(tmp_path / "never.zip")  # not reached: would be refused if it were
    real_import = context.rollup.import_files
    threads: list[threading.Thread] = []
    held, go = threading.Event(), threading.Event()

    def import_held_at_the_second(paths, **kwargs):
        threads.append(threading.current_thread())
        if len(threads) == 2:
            held.set()
            assert go.wait(10)
        return real_import(paths, **kwargs)

    monkeypatch.setattr(context.rollup, "import_files", import_held_at_the_second)
    window = RollupWindow(context)
    qtbot.addWidget(window)
    window.show()
    seen: dict[str, str] = {}

    def cancel(dialog: ProgressDialog) -> None:
        cancel_held_work(qtbot, dialog, held, go, at="۱ از ۳", look=lambda: seen.update(
            title=dialog.windowTitle(), text=dialog.text_label.text()))

    failures: list[BaseException] = []
    on_next_modal(ProgressDialog, cancel, failures)
    try:
        outcomes = window.import_paths(packages)
    finally:
        go.set()
    assert not failures, failures
    assert seen["title"] == "تجمیع بسته‌ها" and "hub7.zip" in seen["text"]
    assert len(threads) == 2 and threading.main_thread() not in threads
    assert [o.status for o in outcomes] == ["imported", "imported"]
    assert window.hubs.count() == 2  # the second, under way at the cancel, was merged
    assert window.log.item(window.log.count() - 1).text() == \
        "ورود لغو شد: بسته‌های بالا وارد شده‌اند و بقیه نه."


def test_dashboard_shows_the_year_against_the_allocation(qtbot, hub) -> None:
    from cancer_desk.ui.dashboard import DashboardWindow

    ctx = hub.context
    ctx.costs.add(hub.ids["A"], CostItemInput(j(1404, 2, 10), "drug", 2_000_000,
                                              drug_id=hub.drug_id))
    window = DashboardWindow(ctx)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not counting(window))
    assert window.spending_view.chart().series()  # this year's
    window.year_spin.setValue(1403)
    assert window.figures is None and "در حال شمارش" in window.summary.text()
    assert window.spending_view.chart().series() == []  # no other year's bars meanwhile
    counted_on = []
    figures_of = ctx.dashboard.figures
    ctx.dashboard.figures = lambda *a: counted_on.append(threading.current_thread()) or \
        figures_of(*a)
    window.year_spin.setValue(1404)
    window.year_spin.setValue(1403)  # changed twice while counting: the last one is shown
    qtbot.waitUntil(lambda: not counting(window))
    assert threading.main_thread() not in counted_on
    figures = window.figures
    assert figures.year == 1403
    # Support by Jalali month of 1403: Dey 700,000 + 900,000; Esfand 300,000.
    assert figures.spending_by_month == [0] * 9 + [1_600_000, 0, 300_000]
    assert figures.patients_by_group == {1: 2, 2: 2, 3: 2}  # seen at all in 1403
    assert figures.assessments_by_coverage == {70: 4, 90: 1}
    type_text(window.allocation_edit, "2500000")
    click(qtbot, window.findChild(QPushButton, "save_allocation_button"))
    assert ctx.allocations.get(1403) == 2_500_000
    qtbot.waitUntil(lambda: not counting(window))
    assert "مانده: ۶۰۰٬۰۰۰ تومان" in window.summary.text()
    assert len(window.spending_view.chart().series()) == 3  # months, running total, budget
    window.year_spin.setValue(1404)
    qtbot.waitUntil(lambda: not counting(window))
    # C's drug on Farvardin 1 and A's on Ordibehesht 10, each 2,000,000 at 70%.
    assert window.figures.spending_by_month[:3] == [1_400_000, 1_400_000, 0]
    assert window.figures.allocation is None


def test_the_main_window_opens_form2_for_the_social_worker(qtbot, configured_context) -> None:
    from cancer_desk.ui.main_window import MainWindow

    main = MainWindow(configured_context)
    qtbot.addWidget(main)
    assert main.form2_action.text() == "فرم ۲ و بستن فصل"
    window = main.hospital_room.make_form2_window()
    assert window._prepared_by == configured_context.settings.get().social_worker_name
    assert window.quarter == JalaliQuarter.containing(dt.date.today()).previous  # to close


def test_an_unfinished_quarter_shows_form2_but_cannot_be_closed(qtbot, hub) -> None:
    window = open_form2(qtbot, hub.context, JalaliQuarter.containing(dt.date.today()))
    assert "هنوز تمام نشده" in window.status_label.text()
    assert not window.export_button.isEnabled()
    assert window.print_button.isEnabled()  # Form 2 so far can still be printed


def test_writing_a_closed_quarter_again_warns_of_later_changes(qtbot, hub, tmp_path,
                                                              answers) -> None:
    from tests.builders import full_case

    export_quarter(hub.context, Q4_1403, tmp_path / "q.zip")
    state = hub.context.cases.get(hub.ids["E"])
    hub.context.cases.save(hub.ids["E"], full_case(), state.version)  # unchanged: no warning
    window = open_form2(qtbot, hub.context)
    window.ask_export_target = lambda: (tmp_path / "again.zip", None)
    click(qtbot, window.export_button)
    counted(qtbot, window)
    assert answers[-1][0] == "information" and "همان بسته نسخه ۱" in answers[-1][1]
    hub.context.cases.save(hub.ids["E"], dataclasses.replace(full_case(), grade="G1"),
                           hub.context.cases.get(hub.ids["E"]).version)
    click(qtbot, window.export_button)
    kind, text = answers[-1]
    assert kind == "warning" and "۱ رکورد" in text and "بازگشایی" in text
    assert (tmp_path / "again.zip").read_bytes() == (tmp_path / "q.zip").read_bytes()


def test_reopening_a_quarter_already_reopened_elsewhere(qtbot, hub, tmp_path, answers) -> None:
    export_quarter(hub.context, Q4_1403, tmp_path / "q.zip")
    window = open_form2(qtbot, hub.context)
    assert window.reopen_button.isEnabled()
    hub.context.quarters.reopen(Q4_1403, reason="در رایانه دیگری")
    window.ask_reopen = lambda: "هزینه جاافتاده بیمار"
    click(qtbot, window.reopen_button)
    counted(qtbot, window)
    kind, text = answers[-1]
    assert kind == "warning" and "بسته نیست" in text
    assert not window.reopen_button.isEnabled()  # the window shows the quarter as it is
    assert hub.context.quarters.status(Q4_1403).reopened_reason == "در رایانه دیگری"


def test_reopening_says_how_many_supports_were_brought_up_to_date(qtbot, hub, tmp_path,
                                                                  answers) -> None:
    export_quarter(hub.context, Q4_1403, tmp_path / "q.zip")
    hub.context.assessments.record(hub.ids["A"], full_answers(sick_children=3),
                                   assessed_on=j(1403, 9, 30))
    window = open_form2(qtbot, hub.context)
    window.ask_reopen = lambda: "ارزیابی تازه بیمار"
    click(qtbot, window.reopen_button)
    kind, text = answers[-1]
    assert kind == "information" and "حمایت ۱ قلم هزینه" in text


def test_the_export_runs_off_the_window_and_a_cancel_leaves_no_file_nor_closing(
        qtbot, hub, tmp_path, answers, monkeypatch) -> None:
    """Cancelled at the last moment it can be — the package written and flushed, the
    closing recorded but not committed — nothing is left of it."""
    from cancer_desk.services import exports

    written, go = threading.Event(), threading.Event()

    def fsync_when_told(descriptor: int) -> None:
        written.set()
        assert go.wait(10)
        os.fsync(descriptor)

    monkeypatch.setattr(exports, "os", SimpleNamespace(fsync=fsync_when_told))
    folder = tmp_path / "exports"
    folder.mkdir()
    window = open_form2(qtbot, hub.context)
    window.ask_export_target = lambda: (folder / "q4.zip", None)
    before = database_rows(hub.context)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    seen: dict[str, object] = {}

    def cancel(dialog: ProgressDialog) -> None:
        qtbot.waitUntil(written.is_set, timeout=10_000)
        qtbot.waitUntil(lambda: dialog.text_label.text() == "نوشتن بسته روی دیسک…")
        seen["files"] = sorted(p.name for p in folder.iterdir())
        ticks.clear()
        qtbot.wait(300)  # the worker is held: does the window still run?
        seen["ticks"] = len(ticks)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        go.set()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    failures: list[BaseException] = []
    on_next_modal(ProgressDialog, cancel, failures)
    timer.start()
    try:
        click(qtbot, window.export_button)
    finally:
        timer.stop()
    assert not failures, failures
    assert seen["files"] == ["q4.zip.partial"]
    assert seen["ticks"] >= 5  # the window ticked on while the package was being made
    assert list(folder.iterdir()) == []
    assert database_rows(hub.context) == before
    assert not hub.context.quarters.status(Q4_1403).closed
    assert answers[-1] == ("information", "بسته فصل: ساختن بسته لغو شد: پرونده‌ای نوشته نشد "
                                          "و فصل همان‌گونه که بود ماند.")
    assert "هنوز بسته نشده" in counted(qtbot, window).status_label.text()


def test_form1_of_every_patient_of_the_quarter_prints_into_one_pdf(qtbot, hub, answers,
                                                                   monkeypatch) -> None:
    from cancer_desk.ui import printing

    opened: list = []
    monkeypatch.setattr("cancer_desk.ui.printing.open_pdf",
                        lambda path: opened.append(path) or True)
    said: list = []  # what the window says it wrote, with the file it shows
    real_show_pdf = printing.show_pdf
    monkeypatch.setattr("cancer_desk.ui.printing.show_pdf", lambda parent, path, **kw: (
        said.append((path, kw.get("done"))) or real_show_pdf(parent, path, **kw)))
    window = open_form2(qtbot, hub.context)
    assert window.print_form1_button.isEnabled()
    click(qtbot, window.print_form1_button)
    assert len(said) == 1 and opened == [said[0][0]]
    written, done = said[0]
    assert done == "فرم شماره یک ۵ بیمار نوشته شد."  # the count the print made
    first = [t for t in pages(written) if printed("(ادامه)") not in t]
    assert len(first) == 5 == hub.context.quarters.report(Q4_1403.start,
                                                           Q4_1403.end).form2.total.seen
    assert written.parent.name == "prints"
    assert not list(written.parent.glob("*.partial"))


def test_a_cancelled_batch_print_leaves_no_pdf(qtbot, hub, answers, monkeypatch) -> None:
    from cancer_desk.services.documents import DocumentService

    real_form1 = DocumentService.form1
    made: list[int] = []
    held, go = threading.Event(), threading.Event()

    def form1_held_at_the_third(self, patient_id, **kwargs):
        if len(made) == 2:
            held.set()
            assert go.wait(10)
        made.append(patient_id)
        return real_form1(self, patient_id, **kwargs)

    monkeypatch.setattr(DocumentService, "form1", form1_held_at_the_third)
    opened: list = []
    monkeypatch.setattr("cancer_desk.ui.printing.open_pdf", opened.append)
    window = open_form2(qtbot, hub.context)
    before = database_rows(hub.context)
    counts: list[str] = []

    def cancel(dialog: ProgressDialog) -> None:
        cancel_held_work(qtbot, dialog, held, go, at="۲ از ۵",
                         look=lambda: counts.append(dialog.count_label.text()))

    failures: list[BaseException] = []
    on_next_modal(ProgressDialog, cancel, failures)
    click(qtbot, window.print_form1_button)
    assert not failures, failures
    assert counts == ["۲ از ۵"]
    assert len(made) == 3  # stopped at the next patient, not at the end
    assert opened == []
    from cancer_desk.ui.printing import prints_dir

    assert list(prints_dir().iterdir()) == []
    assert database_rows(hub.context) == before
    assert answers[-1] == ("information", "چاپ فرم شماره یک: چاپ لغو شد و پرونده‌ای نوشته نشد.")


def test_form2_window_opens_the_guide_at_closing_a_quarter(qtbot, hub) -> None:
    from cancer_desk.ui.help_window import HelpWindow

    window = open_form2(qtbot, hub.context)
    click(qtbot, window.help_button)
    guide = window.findChild(HelpWindow, "help_window")
    assert guide is not None and guide.isVisible()
    assert guide.contents.currentItem().text().strip() == "فرم شماره دو و بستن فصل"


def test_closing_a_quarter_is_asked_with_no_as_the_default(qtbot) -> None:
    """Enter on the irreversible question does not close the quarter."""
    from PySide6.QtWidgets import QApplication, QWidget

    from cancer_desk.ui.form2_window import confirm_closing_quarter
    from tests.ui.helpers import press_key

    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[bool] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, press_enter)
            return
        seen.append(box.defaultButton() is box.button(QMessageBox.StandardButton.No))
        press_key(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    assert confirm_closing_quarter(parent) is False
    assert seen == [True]


def test_the_package_is_offered_in_documents_not_the_program_folder(
        qtbot, hub, monkeypatch, tmp_path) -> None:
    from PySide6.QtWidgets import QFileDialog

    from cancer_desk.ui import places

    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(places, "documents_dir", lambda: documents)
    monkeypatch.setattr("cancer_desk.ui.form2_window.documents_dir", lambda: documents)
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda _parent, _title, start, _filter: offered.append(start) or ("", "")))
    window = open_form2(qtbot, hub.context)
    assert window.ask_export_target() is None
    assert offered == [str(documents / "cancer-desk-1403-q4.zip")]


def test_form2_of_an_open_quarter_prints_as_a_draft_each_time_to_a_new_file(
        qtbot, hub, answers, monkeypatch) -> None:
    from cancer_desk.ui.text import jdate as fa_date

    opened: list = []
    monkeypatch.setattr("cancer_desk.ui.printing.open_pdf",
                        lambda path: opened.append(path) or True)
    window = open_form2(qtbot, hub.context)
    assert not window.status.closed
    click(qtbot, window.print_button)
    first = opened[-1]  # the file written, opened in the viewer
    first_bytes = first.read_bytes()
    click(qtbot, window.print_button)
    second = opened[-1]
    assert first != second and first.exists() and second.exists()
    assert first.read_bytes() == first_bytes  # the copy open in a viewer is left alone
    assert opened == [first, second]
    until = min(dt.date.today(), Q4_1403.end)
    text = "\n".join(pages(second))
    assert printed(f"پیش‌نویس — تا تاریخ {fa_date(until)}") in text
    assert first.name.startswith("form2-1403-4-") and not list(first.parent.glob("*.partial"))


def test_form2_of_a_closed_quarter_prints_final(qtbot, hub, answers, monkeypatch,
                                                 tmp_path) -> None:
    opened: list = []
    monkeypatch.setattr("cancer_desk.ui.printing.open_pdf",
                        lambda path: opened.append(path) or True)
    export_quarter(hub.context, Q4_1403, tmp_path / "q4.zip")
    window = open_form2(qtbot, hub.context)
    assert window.status.closed
    click(qtbot, window.print_button)
    text = "\n".join(pages(opened[-1]))
    assert printed("فرم شماره دو") in text and printed("پیش‌نویس") not in text


@pytest.mark.parametrize(("button", "told"), [
    ("print_button", "نمایشگر PDF باز نشد"),  # Form 2
    ("print_form1_button", "۵ بیمار نوشته شد"),  # the quarter's Form 1, in one batch
])
def test_when_no_viewer_opens_the_print_says_where_the_file_is(
        qtbot, hub, answers, monkeypatch, button, told) -> None:
    tried: list = []  # the file written, which no viewer opened
    monkeypatch.setattr("cancer_desk.ui.printing.open_pdf",
                        lambda path: tried.append(path) or False)
    window = open_form2(qtbot, hub.context)
    click(qtbot, getattr(window, button))
    kind, text = answers[-1]
    assert kind == "information" and told in text
    assert len(tried) == 1 and tried[0].exists() and str(tried[0].resolve()) in text
