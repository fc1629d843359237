"""Work off the window's thread, in one place: the application's :class:`TaskManager`.

On Anki's pattern (``aqt/taskman.py``): a pool of worker threads, of which one does the
jobs on the database one after another, and what ended there — a result, an error — is
handed to the window's thread by one Qt signal (:attr:`TaskManager.delivered`, a queued
connection).
The manager belongs to the :class:`~PySide6.QtWidgets.QApplication` (made with it in
``make_application``); nothing is kept in this module. Two ways to use it:

:func:`run_in_background` is called like the work itself, behind a modal progress
dialog with «لغو»: it returns the work's result, or raises the work's exception (a
service's refusal with its ``message_fa``, or
:class:`~cancer_desk.core.progress.Cancelled`), on the window's thread.
:func:`try_in_background` is the same with the answers to its refusals given by the
caller, once, in place of a ``try``/``except`` ladder around every call.

Services are safe to call from the worker: each call opens its own SQLAlchemy session,
SQLite file databases get a connection pool that hands connections across threads
(SQLAlchemy 2 turns ``check_same_thread`` off for them), and the signed-in person is
read from the one shared ``Access``, so the work acts as whoever started it. The dialog
is modal, so that person cannot start anything else meanwhile; and the call does not
return before the work has ended, so nobody else can sign in while it still runs.
(A memory database, ``sqlite://``, is the exception: each thread would get its own.)

The work notes how far it has got in a :class:`TaskProgress`; the dialog reads it
every ``POLL_MS`` on the window's thread, to redraw its bar.

Work the person need not wait for — Form 2 counting its period, the daily copy — is a
:class:`Job` instead (:func:`start_job`): no dialog, the window stays usable and may
even be closed. :func:`when_done` hands the job's end to a window, on its thread; a
window deleted before then never hears of it. The job is no window's child, so closing
one does not cut it short: it ends on its own, its result dropped. Jobs run one at a
time, on the database's worker, in the order they were started. A restore waits for
the jobs still to run (:func:`wait_for_jobs`), and the program waits for them before it
closes the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar, cast

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
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

# The dialog reads how far the work has got this often, to redraw its bar: a signal per
# step would redraw it thousands of times a second for a fast count.
POLL_MS = 100

TASKS_NAME = "cancer_desk_tasks"  # the manager's object name, among the application's children

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


class Job:
    """``work()`` on the database's worker thread (it touches no widget and signals
    nothing itself). Its ``result`` or ``error`` is there once :attr:`done`."""

    def __init__(self, work: Callable[[], object], what_fa: str) -> None:
        self.what_fa = what_fa  # «پشتیبان روزانه»: what the program says it waits for
        self.result: object = None
        self.error: BaseException | None = None
        self._work: Callable[[], object] | None = work
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._on_end: list[Callable[[], None]] = []  # called on the worker as it ends

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
            with self._lock:
                self._done.set()
                on_end, self._on_end = self._on_end, []
            for call in on_end:
                call()

    def _then(self, call: Callable[[], None]) -> None:
        """``call()`` once the job has ended: at once if it has."""
        with self._lock:
            if not self._done.is_set():
                self._on_end.append(call)
                return
        call()

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


class TaskManager(QObject):
    """The application's background work: a pool of worker threads, one of them the
    database's for the jobs, and one signal that carries what ended back to the window's
    thread.

    Jobs (:meth:`start_job`) run one at a time on the database's worker, in the order
    they were started. Modal work (:meth:`run_modal`) runs on a thread of the pool
    beside them: the person asked for it and waits for it, so it does not queue behind
    a count; what must not run beside a job (a restore) waits for the jobs first."""

    # A function to call on the window's thread. Emitted from the worker, it is queued
    # for the manager's thread, the window's; emitted there, it is queued as well, so a
    # job that has already ended is heard of from the event loop, as any other.
    delivered = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(TASKS_NAME)
        self._database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="database")
        self._pool = ThreadPoolExecutor(thread_name_prefix="modal")
        self._worker_ident: int | None = None
        self._jobs: set[Job] = set()  # asked for and not yet ended
        self._jobs_lock = threading.Lock()  # a job leaves the set on the worker
        self._modal = 0  # modal work under way
        self.delivered.connect(self._call, Qt.ConnectionType.QueuedConnection)

    def _call(self, call: Callable[[], None]) -> None:
        # A method of the manager: Qt calls it on the manager's thread, the window's.
        # Whatever it raises goes where a slot's exception goes: the program's handler.
        call()

    def on_window_thread(self, call: Callable[[], None]) -> None:
        """``call()`` on the window's thread, from the event loop, whatever thread asks."""
        if shiboken6.isValid(self):
            self.delivered.emit(call)

    def _submit_job(self, run: Callable[[], None]) -> None:
        def on_worker() -> None:
            self._worker_ident = threading.get_ident()
            run()

        self._database.submit(on_worker)

    # --- modal work ---------------------------------------------------------------------

    @property
    def modal_running(self) -> bool:
        """Is modal work under way? (The daily copy waits for it.)"""
        return self._modal > 0

    def run_modal(self, parent: QWidget | None, work: Callable[[Progress], T], *, title: str,
                  text: str, cancellable: bool = True, note: str = "") -> T:
        """See :func:`run_in_background`."""
        progress = TaskProgress()
        dialog = ProgressDialog(title, text, parent, progress=progress,
                                cancellable=cancellable, note=note)
        outcome: dict[str, Any] = {}
        ended = threading.Event()

        def finished() -> None:
            if shiboken6.isValid(dialog):
                dialog.work_finished()

        def run() -> None:
            try:
                outcome["result"] = work(progress)
            except BaseException as exc:  # handed to the window's thread, raised there
                outcome["error"] = exc
            finally:
                ended.set()
                self.on_window_thread(finished)

        self._modal += 1
        try:
            self._pool.submit(run)
            dialog.exec()
            if not dialog.finished_work:
                # The dialog was closed under the work (the window signed out, or the
                # program is ending): it is asked to stop, and nothing may go on — no one
                # else may sign in — until it has.
                progress.cancel()
            ended.wait()
        finally:
            self._modal -= 1
            dialog.deleteLater()
        if "error" in outcome:
            error = outcome.pop("error")  # no cycle through the traceback's frames
            raise error
        return cast(T, outcome["result"])

    # --- jobs -----------------------------------------------------------------------------

    def start_job(self, work: Callable[[], object], *, what_fa: str) -> Job:
        """See :func:`start_job`."""
        job = Job(work, what_fa)
        with self._jobs_lock:
            self._jobs.add(job)
        job._then(lambda: self._ended(job))
        self._submit_job(job._run)
        return job

    def _ended(self, job: Job) -> None:
        with self._jobs_lock:
            self._jobs.discard(job)

    def jobs_running(self) -> list[Job]:
        with self._jobs_lock:
            return list(self._jobs)

    def wait_for_jobs(self, progress: Progress = NO_PROGRESS) -> None:
        """See :func:`wait_for_jobs`."""
        if threading.get_ident() == self._worker_ident:
            return  # a job itself: none runs beside it, and those started later come after
        for job in self.jobs_running():
            progress.step(0, 0, f"در انتظار پایان {job.what_fa}…")
            while not job.wait(POLL_MS / 1000):
                progress.check()

    def when_done(self, owner: QObject, job: Job, on_done: Callable[[Job], None]) -> None:
        """See :func:`when_done`."""
        def heard() -> None:
            if shiboken6.isValid(owner):
                on_done(job)

        job._then(lambda: self.on_window_thread(heard))


def install_tasks(app: QCoreApplication) -> TaskManager:
    """The application's task manager, made with it (once, however often asked)."""
    manager = app.findChild(TaskManager, TASKS_NAME)
    if manager is None:
        manager = TaskManager(app)
    return manager


def tasks() -> TaskManager:
    """The running application's task manager."""
    app = QCoreApplication.instance()
    assert app is not None, "background work needs the application"
    return install_tasks(app)


def running() -> bool:
    """Is modal work running in the background now? (The daily copy waits for it.)"""
    return tasks().modal_running


def run_in_background(parent: QWidget | None, work: Callable[[Progress], T], *, title: str,
                      text: str, cancellable: bool = True, note: str = "") -> T:
    """Run ``work(progress)`` on a worker thread behind a modal progress dialog; its
    result, or its exception raised here. ``work`` must not touch any widget."""
    return tasks().run_modal(parent, work, title=title, text=text, cancellable=cancellable,
                             note=note)


# The kinds of error, and what the window does with one of them (its result unused).
Answer = tuple[type[BaseException] | tuple[type[BaseException], ...], Callable[[Any], object]]


def try_in_background(parent: QWidget | None, work: Callable[[Progress], T], *, title: str,
                      text: str, on_cancel: Callable[[], object] | None = None,
                      answers: Sequence[Answer] = (), cancellable: bool = True,
                      note: str = "") -> T | None:
    """:func:`run_in_background`, with what the window says when it did not end: «لغو»
    calls ``on_cancel()``; an error of a kind in ``answers`` (pairs of the kinds and
    what to do, tried in order like ``except`` clauses) is handed to its answer. Either
    way ``None`` is returned; any other error is raised, for the program's handler."""
    try:
        return run_in_background(parent, work, title=title, text=text,
                                 cancellable=cancellable, note=note)
    except Cancelled:
        if on_cancel is not None:
            on_cancel()
        return None
    except Exception as exc:
        for kinds, answer in answers:
            if isinstance(exc, kinds):
                answer(exc)
                return None
        raise


def start_job(work: Callable[[], object], *, what_fa: str) -> Job:
    """Start ``work()`` on the database's worker; the caller goes on at once. ``work`` must not
    touch any widget: whatever it needs of one is read before and passed in."""
    return tasks().start_job(work, what_fa=what_fa)


def jobs_running() -> list[Job]:
    """The jobs asked for and not yet ended."""
    return tasks().jobs_running()


def wait_for_jobs(progress: Progress = NO_PROGRESS) -> None:
    """Until no job is left to run; ``progress`` says which is awaited, and may cancel
    the wait."""
    tasks().wait_for_jobs(progress)


def when_done(owner: QObject, job: Job, on_done: Callable[[Job], None]) -> None:
    """Call ``on_done(job)`` on the window's thread once ``job`` has ended — unless
    ``owner`` has been deleted by then. Whatever ``on_done`` raises goes where a slot's
    exception goes (the program's handler says it in Persian)."""
    tasks().when_done(owner, job, on_done)


class LatestCount(Generic[T]):
    """A count a window asks for again and again (its period or year changed, a record
    saved): one at a time on a worker thread, and the latest request wins. Asked again
    before the count under way has ended, that one is left to end and dropped, then the
    latest is counted: however fast the person changes the period, threads don't pile
    up and nothing stale is shown.

    ``on_result(value)`` or ``on_error(exc)`` is called on ``owner``'s thread, unless
    ``owner`` is gone by then (see :func:`when_done`)."""

    def __init__(self, owner: QObject, what_fa: str, on_result: Callable[[T], None],
                 on_error: Callable[[BaseException], None]) -> None:
        self._owner = owner
        self._what_fa = what_fa
        self._on_result = on_result
        self._on_error = on_error
        self._job: Job | None = None
        self._wanted: Callable[[], T] | None = None

    def ask(self, work: Callable[[], T]) -> None:
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
            self._on_result(cast(T, job.result))  # what ``work`` returned
