"""The progress dialog and its worker thread: the window goes on while the work runs,
the bar moves, «لغو» stops the work, and what the work raises arrives in Persian."""

from __future__ import annotations

import itertools
import sqlite3
import sys
import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cancer_desk.core.progress import Cancelled
from cancer_desk.services.exports import ExportRefusedError
from cancer_desk.ui import background, errors
from cancer_desk.ui.background import ProgressDialog, run_in_background
from tests.ui.helpers import on_next_modal

WAIT_S = 10.0  # far longer than anything here takes: only a hang runs into it



def in_progress_dialog(qtbot, interact) -> list[BaseException]:
    """Work in the progress dialog once it opens; leave it open for the work to close."""
    failures: list[BaseException] = []

    def handle(dialog: ProgressDialog) -> None:
        interact(dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=int(WAIT_S * 1000))

    on_next_modal(ProgressDialog, handle, failures)
    return failures


def test_progress_reaches_the_dialog_in_persian_digits(qtbot) -> None:
    shown = threading.Event()
    seen: dict[str, str] = {}

    def work(progress):
        progress.step(35, 1000, "شمردن بیماران…")
        assert shown.wait(WAIT_S)
        return "تمام"

    def interact(dialog: ProgressDialog) -> None:
        qtbot.waitUntil(lambda: dialog.count_label.text() == "۳۵ از ۱٬۰۰۰")
        seen.update(text=dialog.text_label.text(), title=dialog.windowTitle(),
                    button=dialog.cancel_button.text())
        assert dialog.bar.maximum() == 1000 and dialog.bar.value() == 35
        assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
        shown.set()

    failures = in_progress_dialog(qtbot, interact)
    assert run_in_background(None, work, title="آزمون", text="آغاز…") == "تمام"
    assert not failures, failures
    assert seen == {"text": "شمردن بیماران…", "title": "آزمون", "button": "لغو"}


def test_the_window_keeps_running_while_the_work_runs(qtbot) -> None:
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    threads: list[int] = []

    def work(_progress):
        threads.append(threading.get_ident())
        time.sleep(0.6)  # as if the database were read
        return len(ticks)

    timer.start()
    try:
        ticks_during_work = run_in_background(None, work, title="آزمون", text="…")
    finally:
        timer.stop()
    assert threads and threads[0] != threading.get_ident()  # not the window's thread
    # A frozen window would not have ticked once; 20 ms ticks in 0.6 s leave slack for a
    # busy machine.
    assert ticks_during_work >= 10
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.3


def test_cancel_stops_the_work_where_it_checks(qtbot) -> None:
    reached: list[int] = []

    def work(progress):
        for done in range(100_000):
            reached.append(done)
            progress.step(done, 100_000)
            time.sleep(0.002)
        return "همه"

    def interact(dialog: ProgressDialog) -> None:
        qtbot.waitUntil(lambda: dialog.count_label.text() != "")
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        assert dialog.count_label.text() == "در حال لغو…"
        assert not dialog.cancel_button.isEnabled()

    failures = in_progress_dialog(qtbot, interact)
    with pytest.raises(Cancelled):
        run_in_background(None, work, title="آزمون", text="…")
    assert not failures, failures
    assert 0 < len(reached) < 100_000
    assert not background.running()


def test_an_error_in_the_work_arrives_on_the_window_thread_with_its_persian_message(
        qtbot, monkeypatch) -> None:
    raised_in: list[int] = []

    def work(_progress):
        raised_in.append(threading.get_ident())
        raise ExportRefusedError("checks fail", "پیش از بستن فصل این موارد را درست کنید.")

    with pytest.raises(ExportRefusedError) as caught:
        run_in_background(None, work, title="آزمون", text="…")
    assert caught.value.message_fa == "پیش از بستن فصل این موارد را درست کنید."
    assert raised_in[0] != threading.get_ident()

    # What no window catches reaches the program's handler, which says it in Persian.
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda _parent, _title, text, *a, **k: told.append(text)))

    def full_disk(_progress):
        raise sqlite3.OperationalError("database or disk is full")

    with pytest.raises(sqlite3.OperationalError) as caught:
        run_in_background(None, full_disk, title="آزمون", text="…")
    errors.handle_exception(type(caught.value), caught.value, caught.value.__traceback__)
    assert told == [errors.STORAGE_PROBLEMS_FA[0][1]]


def test_work_past_its_point_of_no_return_cannot_be_cancelled(qtbot) -> None:
    past = threading.Event()
    release = threading.Event()
    notes: dict[str, object] = {}

    def work(progress):
        progress.uncancellable("از این‌جا لغو نمی‌شود.")
        past.set()
        assert release.wait(WAIT_S)
        progress.step(1, 2)  # would raise, if a cancel were still honoured
        return "انجام شد"

    def interact(dialog: ProgressDialog) -> None:
        qtbot.waitUntil(lambda: not dialog.cancel_button.isEnabled())
        notes.update(note=dialog.note_label.text(), shown=dialog.note_label.isVisible())
        dialog.close()  # the window's close button: no effect now
        notes["still_open"] = dialog.isVisible()
        release.set()

    failures = in_progress_dialog(qtbot, interact)
    assert run_in_background(None, work, title="آزمون", text="…") == "انجام شد"
    assert not failures, failures
    assert notes == {"note": "از این‌جا لغو نمی‌شود.", "shown": True, "still_open": True}


def test_a_dialog_closed_by_the_program_waits_for_the_work_to_stop(qtbot) -> None:
    """Signing out rejects every dialog: the work is told to stop, and nothing goes on
    (no one else signs in) until it has."""
    stopped = threading.Event()

    def work(progress):
        try:
            while True:
                progress.check()
                time.sleep(0.01)
        finally:
            stopped.set()

    def sign_out(attempts: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ProgressDialog):
            if attempts < 500:
                QTimer.singleShot(10, lambda: sign_out(attempts + 1))
            return
        dialog.reject()

    QTimer.singleShot(0, sign_out)
    with pytest.raises(Cancelled):
        run_in_background(None, work, title="آزمون", text="…")
    assert stopped.is_set()


def test_thousands_of_steps_cost_python_nothing(qtbot) -> None:
    """PySide6 6.12's ``emit()`` from Python takes a reference from ``True`` each time; a
    signal per step would bring a batch of thousands of forms down at exit. The dialog
    reads the progress instead."""
    import gc

    def work(progress):
        end = time.monotonic() + 1.5
        done = 0
        while time.monotonic() < end:
            done += 1
            progress.step(done, 10**6, "شمردن…")
            time.sleep(0.001)
        return done

    gc.collect()
    before = sys.getrefcount(True)
    steps = run_in_background(None, work, title="آزمون", text="…")
    gc.collect()
    assert steps > 300
    # A signal every 50 ms would have cost about 30 references.
    assert sys.getrefcount(True) - before > -10, sys.getrefcount(True) - before


def test_a_job_runs_beside_the_window_and_its_end_arrives_on_the_windows_thread(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    release = threading.Event()
    ran_in: list[int] = []
    heard: list[tuple[int, object]] = []

    def work() -> str:
        ran_in.append(threading.get_ident())
        assert release.wait(WAIT_S)
        return "شمرده شد"

    owner = QWidget()
    qtbot.addWidget(owner)
    job = background.start_job(work, what_fa="آزمون")
    background.when_done(owner, job, lambda done: heard.append((threading.get_ident(),
                                                                 done.result)))
    qtbot.wait(3 * background.POLL_MS)  # the window's loop goes on; the job is not done
    assert not job.done and heard == [] and background.jobs_running() == [job]
    assert not background.running()  # no modal work: the daily copy need not wait
    release.set()
    qtbot.waitUntil(lambda: bool(heard), timeout=int(WAIT_S * 1000))
    assert heard == [(threading.get_ident(), "شمرده شد")]
    assert ran_in and ran_in[0] != threading.get_ident()
    assert background.jobs_running() == []


def test_waiting_for_jobs_says_for_what_and_can_be_cancelled(qtbot) -> None:
    from cancer_desk.ui.background import TaskProgress

    release = threading.Event()
    job = background.start_job(lambda: release.wait(WAIT_S), what_fa="پشتیبان روزانه")
    progress = TaskProgress()
    progress.cancel()
    try:
        with pytest.raises(Cancelled):
            background.wait_for_jobs(progress)
        assert progress.snapshot()[2] == "در انتظار پایان پشتیبان روزانه…"
        assert not job.done
    finally:
        release.set()
    background.wait_for_jobs()
    assert job.done and job.result is True and background.jobs_running() == []


def test_the_application_owns_one_task_manager_and_the_modules_hold_no_state(qapp) -> None:
    from cancer_desk.ui import daily_backup

    manager = background.tasks()
    assert manager.parent() is qapp and background.install_tasks(qapp) is manager
    assert background.tasks() is manager
    state = (set, list, dict, int, type(None), type(threading.Lock()), background.Job,
             background.TaskManager)
    kept = {f"{module.__name__}.{name}" for module in (background, daily_backup)
            for name, value in vars(module).items()
            if isinstance(value, state) and not name.isupper() and not name.startswith("__")}
    assert kept == set()


def test_jobs_run_one_at_a_time_on_the_databases_worker(qtbot) -> None:
    release = threading.Event()
    ran: list[tuple[str, int]] = []

    def first() -> None:
        ran.append(("first began", threading.get_ident()))
        assert release.wait(WAIT_S)
        ran.append(("first ended", threading.get_ident()))

    def second() -> None:
        ran.append(("second", threading.get_ident()))

    jobs = [background.start_job(first, what_fa="آزمون"),
            background.start_job(second, what_fa="آزمون")]
    qtbot.waitUntil(lambda: bool(ran))
    qtbot.wait(50)
    assert [what for what, _ in ran] == ["first began"] and not jobs[1].done
    release.set()
    background.wait_for_jobs()
    assert [what for what, _ in ran] == ["first began", "first ended", "second"]
    assert len({thread for _, thread in ran}) == 1 != threading.get_ident()


def test_modal_work_does_not_queue_behind_a_job(qtbot) -> None:
    release = threading.Event()
    job = background.start_job(lambda: release.wait(WAIT_S), what_fa="آزمون")
    try:
        assert run_in_background(None, lambda _p: "بی‌درنگ", title="آزمون", text="…") \
            == "بی‌درنگ"
        assert not job.done
    finally:
        release.set()
    background.wait_for_jobs()


def test_a_job_already_ended_is_heard_of_from_the_event_loop_by_the_one_signal(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    qtbot.addWidget(owner)
    job = background.Job.run_here(lambda: "همین‌جا", "آزمون")
    heard: list[object] = []
    with qtbot.waitSignal(background.tasks().delivered, timeout=int(WAIT_S * 1000)):
        background.when_done(owner, job, lambda done: heard.append(done.result))
        assert heard == []  # not from inside when_done: the caller is not ready yet
    qtbot.waitUntil(lambda: heard == ["همین‌جا"])
