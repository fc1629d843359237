"""Long work off the window's thread: a modal progress dialog with «لغو» while a worker
thread runs it, so the window keeps drawing itself and answering.

:func:`run_in_background` is called like the work itself: it returns the work's result,
or raises the work's exception (a service's refusal with its ``message_fa``, or
:class:`~cancer_desk.core.progress.Cancelled`), on the window's thread.

Services are safe to call from the worker: each call opens its own SQLAlchemy session,
SQLite file databases get a connection pool that hands connections across threads
(SQLAlchemy 2 turns ``check_same_thread`` off for them), and the signed-in person is
read from the one shared ``Access``, so the work acts as whoever started it. The dialog
is modal, so that person cannot start anything else meanwhile; and this function does
not return before the worker has ended, so nobody else can sign in while it still runs.
(A memory database, ``sqlite://``, is the exception: each thread would get its own.)

The work notes how far it has got in a :class:`TaskProgress`; the dialog reads it
every ``POLL_MS`` on the window's thread, and hears the end from Qt's own
``QThread.finished``.

Work the person need not wait for — Form 2 counting its period, the daily copy — is a
:class:`Job` instead (:func:`start_job`): no dialog, the window stays usable and may
even be closed. :func:`when_done` hands the job's end to a window, on its thread; a
window closed before then never hears of it. The job is no window's child, so closing
one does not cut it short: it ends on its own, its result dropped. A restore waits for
jobs still running (:func:`wait_for_jobs`), and the program waits for them before it
closes the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QThread, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.persian import format_number
from cancer_desk.core.progress import NO_PROGRESS, Cancelled, Progress

T = TypeVar("T")

# The dialog reads how far the work has got this often. Polling, not a signal per step:
# PySide6 6.12's ``SignalInstance.emit()`` returns ``True`` without taking a reference to
# it, so every emit from Python costs ``True`` one reference, and a batch of thousands of
# steps would bring the interpreter down («deallocating True or False»). Polling also
# caps the redraws, however fast the work counts.
POLL_MS = 100

_running = 0  # tasks under way, for timers that must not touch the database meanwhile


def running() -> bool:
    """Is some work running in the background now? (The daily copy waits for it.)"""
    return _running > 0


class TaskProgress(Progress):
    """The work's side of the dialog. Called on the worker thread, it only notes how
    far the work has got, under a lock; the dialog reads that on the window's thread.
    «لغو» reaches the work through a thread-safe flag."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._cancellable = True
        self._done = self._total = 0
        self._text = self._why_not = ""

    def step(self, done: int, total: int, text: str = "") -> None:
        with self._lock:
            self._done, self._total = done, total
            if text:
                self._text = text
        self.check()

    def check(self) -> None:
        if self._cancellable and self._stop.is_set():
            raise Cancelled()

    def uncancellable(self, text: str) -> None:
        with self._lock:
            self._cancellable = False
            self._why_not = text

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    def snapshot(self) -> tuple[int, int, str, str]:
        """(done, total, what is being done, why it cannot be cancelled now)."""
        with self._lock:
            return self._done, self._total, self._text, self._why_not


class _Worker(QThread):
    def __init__(self, work: Callable[[Progress], object], progress: TaskProgress) -> None:
        super().__init__()
        self._work = work
        self._progress = progress
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._work(self._progress)
        except BaseException as exc:  # handed to the window's thread, raised there
            self.error = exc


class ProgressDialog(QDialog):
    """«۳۵ از ۱٬۰۰۰» under a bar, what is being done above it, and «لغو».

    «لغو», Esc and the window's close button ask the work to stop; the dialog stays
    until it has (it says «در حال لغو…»). A ``reject()`` from the program itself (the
    window signing out) closes it at once; :func:`run_in_background` then waits for
    the work to stop before it returns."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None, *,
                 progress: TaskProgress | None = None, cancellable: bool = True,
                 note: str = "") -> None:
        super().__init__(parent)
        self.progress = progress or TaskProgress()
        self.setObjectName("progress_dialog")
        self.setWindowTitle(title)
        self.setModal(True)
        # No «?» button; the close button stays, and asks the work to stop.
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.finished_work = False
        self.text_label = QLabel(text)
        self.text_label.setObjectName("progress_text")
        self.text_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("progress_bar")
        self.bar.setTextVisible(False)  # its own «۳۵٪» would not follow the label's words
        self.bar.setRange(0, 0)  # busy until the work says how much there is
        self.count_label = QLabel("")
        self.count_label.setObjectName("progress_count")
        self.note_label = QLabel(note)
        self.note_label.setObjectName("progress_note")
        self.note_label.setProperty("role", "hint")
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(note))
        self.cancel_button = QPushButton("لغو")
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.ask_to_cancel)
        if not cancellable:
            self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        layout.addWidget(self.note_label)
        self.setMinimumWidth(460)
        self._shown: tuple[int, int, str, str] = (0, 0, "", "")
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.refresh)
        self._poll.start()

    def refresh(self) -> None:
        """Show how far the work has got, if that changed since last time."""
        now = self.progress.snapshot()
        if now == self._shown:
            return
        done, total, text, why_not = now
        if text != self._shown[2]:
            self.text_label.setText(text)
        if why_not != self._shown[3]:
            self.make_uncancellable(why_not)
        # «در حال لغو…» stays until the work has stopped — unless it no longer can.
        if why_not or not self.progress.cancel_requested:
            self.show_progress(done, total)
        self._shown = now

    def show_progress(self, done: int, total: int, text: str = "") -> None:
        if text:
            self.text_label.setText(text)
        if total > 0:
            # QProgressBar counts in a C int: a total beyond a million is scaled down.
            scale = max(1, total // 1_000_000)
            self.bar.setRange(0, total // scale)
            self.bar.setValue(min(done, total) // scale)
            self.count_label.setText(f"{format_number(min(done, total))} از "
                                     f"{format_number(total)}")
        else:
            self.bar.setRange(0, 0)
            self.count_label.setText("")

    def make_uncancellable(self, text: str) -> None:
        self.cancel_button.setEnabled(False)
        self.note_label.setText(text)
        self.note_label.show()

    def ask_to_cancel(self) -> None:
        if not self.cancel_button.isEnabled():
            return
        self.cancel_button.setEnabled(False)
        self.count_label.setText("در حال لغو…")
        self.progress.cancel()

    def work_finished(self) -> None:
        self.finished_work = True
        self._poll.stop()
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.ask_to_cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.finished_work:
            super().closeEvent(event)
            return
        self.ask_to_cancel()
        event.ignore()

    def reject(self) -> None:
        if not self.finished_work:
            self.progress.cancel()
        self._poll.stop()
        super().reject()


def run_in_background(parent: QWidget | None, work: Callable[[Progress], T], *, title: str,
                      text: str, cancellable: bool = True, note: str = "") -> T:
    """Run ``work(progress)`` on a worker thread behind a modal progress dialog; its
    result, or its exception raised here. ``work`` must not touch any widget."""
    global _running
    progress = TaskProgress()
    dialog = ProgressDialog(title, text, parent, progress=progress, cancellable=cancellable,
                            note=note)
    worker = _Worker(work, progress)
    # Emitted by Qt itself on the worker thread, delivered on the window's (queued).
    worker.finished.connect(dialog.work_finished)
    _running += 1
    try:
        worker.start()
        dialog.exec()
        if not dialog.finished_work:
            # The dialog was closed under the work (the window signed out, or the program
            # is ending): it is asked to stop, and nothing may go on — no one else may
            # sign in — until it has.
            progress.cancel()
        worker.wait()
    finally:
        _running -= 1
        worker.finished.disconnect()
        dialog.deleteLater()
    if worker.error is not None:
        error = worker.error
        worker.error = None  # no cycle through the traceback's frames
        raise error
    return worker.result  # type: ignore[return-value]


# --- work nobody waits for ----------------------------------------------------------------

_jobs: set[Job] = set()  # started and not yet ended
_jobs_lock = threading.Lock()  # a job leaves the set on its own thread


class Job:
    """``work()`` on a thread of its own (a plain Python thread: it touches no widget
    and signals nothing). Its ``result`` or ``error`` is there once :attr:`done`."""

    def __init__(self, work: Callable[[], object], what_fa: str) -> None:
        self.what_fa = what_fa  # «پشتیبان روزانه»: what a restore says it waits for
        self.result: object = None
        self.error: BaseException | None = None
        self._work: Callable[[], object] | None = work
        self._done = threading.Event()
        # Not a daemon: a program closed meanwhile waits for it at exit, rather than
        # cutting a copy short in the middle of SQLite's work.
        self._thread = threading.Thread(target=self._run, name=f"job: {what_fa}")

    @classmethod
    def run_here(cls, work: Callable[[], object], what_fa: str) -> Job:
        """The same work done at once on this thread, as an ended job (for what must
        not cross threads: a memory database)."""
        job = cls(work, what_fa)
        job._run()
        return job

    def _run(self) -> None:
        assert self._work is not None  # a job runs once
        try:
            self.result = self._work()
        except BaseException as exc:  # handed to the window's thread
            self.error = exc
        finally:
            self._work = None  # nothing of the caller's is held longer than needed
            with _jobs_lock:
                _jobs.discard(self)
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Until the job has ended (or ``timeout`` seconds); has it?"""
        return self._done.wait(timeout)

    def take_error(self) -> BaseException | None:
        """The error, once: the job no longer holds it (nor its traceback's frames)."""
        error, self.error = self.error, None
        return error


def start_job(work: Callable[[], object], *, what_fa: str) -> Job:
    """Start ``work()`` on a worker thread; the caller goes on at once. ``work`` must not
    touch any widget: whatever it needs of one is read before and passed in."""
    job = Job(work, what_fa)
    with _jobs_lock:
        _jobs.add(job)
    job._thread.start()
    return job


def jobs_running() -> list[Job]:
    with _jobs_lock:
        return list(_jobs)


def wait_for_jobs(progress: Progress = NO_PROGRESS) -> None:
    """Until no job runs; ``progress`` says which is awaited, and may cancel the wait."""
    for job in jobs_running():
        progress.step(0, 0, f"در انتظار پایان {job.what_fa}…")
        while not job.wait(POLL_MS / 1000):
            progress.check()


def when_done(owner: QObject, job: Job, on_done: Callable[[Job], None]) -> QTimer:
    """Call ``on_done(job)`` on ``owner``'s thread once ``job`` has ended — unless
    ``owner`` is gone by then: the timer that watches is its child, and dies with it.
    Whatever ``on_done`` raises goes where a slot's exception goes (the program's
    handler says it in Persian)."""
    timer = QTimer(owner)
    timer.setInterval(POLL_MS)

    def look() -> None:
        if not job.done:
            return
        timer.stop()
        timer.timeout.disconnect(look)  # the closure, and what it holds, let go now
        timer.deleteLater()
        on_done(job)

    timer.timeout.connect(look)
    timer.start()
    return timer


class LatestCount:
    """A count a window asks for again and again (its period or year changed, a record
    saved): one at a time on a worker thread, and the latest request wins. Asked again
    before the count under way has ended, that one is left to end and dropped, then the
    latest is counted: however fast the person changes the period, threads don't pile
    up and nothing stale is shown.

    ``on_result(value)`` or ``on_error(exc)`` is called on ``owner``'s thread, unless
    ``owner`` is gone by then (see :func:`when_done`)."""

    def __init__(self, owner: QObject, what_fa: str, on_result: Callable[[object], None],
                 on_error: Callable[[BaseException], None]) -> None:
        self._owner = owner
        self._what_fa = what_fa
        self._on_result = on_result
        self._on_error = on_error
        self._job: Job | None = None
        self._wanted: Callable[[], object] | None = None

    @property
    def running(self) -> bool:
        return self._job is not None

    def ask(self, work: Callable[[], object]) -> None:
        """Count with ``work()`` (it must not touch any widget: what it needs of the
        window is read by the caller and closed over)."""
        self._wanted = work
        if self._job is None:
            self._start()

    def _start(self) -> None:
        work, self._wanted = self._wanted, None
        assert work is not None
        self._job = start_job(work, what_fa=self._what_fa)
        when_done(self._owner, self._job, self._ended)

    def _ended(self, job: Job) -> None:
        self._job = None
        if self._wanted is not None:  # asked again meanwhile: that one now
            self._start()
            return
        error = job.take_error()
        if error is not None:
            self._on_error(error)
        else:
            self._on_result(job.result)
