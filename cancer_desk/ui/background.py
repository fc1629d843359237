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
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal
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
from cancer_desk.core.progress import Cancelled, Progress

T = TypeVar("T")

# Moving the bar more often than this only fills the window's queue: a loop over
# 100,000 records would otherwise send 100,000 updates.
REPORT_INTERVAL_S = 0.05

_running = 0  # tasks under way, for timers that must not touch the database meanwhile


def running() -> bool:
    """Is some work running in the background now? (The daily copy waits for it.)"""
    return _running > 0


class TaskProgress(QObject, Progress):
    """The work's side of the dialog: called on the worker thread, it reaches the
    dialog through queued signals and learns of «لغو» through a thread-safe flag."""

    progressed = Signal(object, object, str)  # done, total, text ("" if unchanged)
    became_uncancellable = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._stop = threading.Event()
        self._cancellable = True
        self._last_report = 0.0
        self._last_text = ""

    def step(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        changed = bool(text) and text != self._last_text
        if changed or done >= total or now - self._last_report >= REPORT_INTERVAL_S:
            self._last_report = now
            if changed:
                self._last_text = text
            self.progressed.emit(done, total, text if changed else "")
        self.check()

    def check(self) -> None:
        if self._cancellable and self._stop.is_set():
            raise Cancelled()

    def uncancellable(self, text: str) -> None:
        self._cancellable = False
        self.became_uncancellable.emit(text)

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()


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

    cancel_requested = Signal()

    def __init__(self, title: str, text: str, parent: QWidget | None = None, *,
                 cancellable: bool = True, note: str = "") -> None:
        super().__init__(parent)
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

    def show_progress(self, done: int, total: int, text: str = "") -> None:
        if text:
            self.text_label.setText(text)
        if total > 0:
            # QProgressBar counts in int: a huge total is scaled to per ten-thousand.
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
        self.cancel_requested.emit()

    def work_finished(self) -> None:
        self.finished_work = True
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
            self.cancel_requested.emit()
        super().reject()


def run_in_background(parent: QWidget | None, work: Callable[[Progress], T], *, title: str,
                      text: str, cancellable: bool = True, note: str = "") -> T:
    """Run ``work(progress)`` on a worker thread behind a modal progress dialog; its
    result, or its exception raised here. ``work`` must not touch any widget."""
    global _running
    dialog = ProgressDialog(title, text, parent, cancellable=cancellable, note=note)
    progress = TaskProgress()
    worker = _Worker(work, progress)
    progress.progressed.connect(dialog.show_progress)
    progress.became_uncancellable.connect(dialog.make_uncancellable)
    dialog.cancel_requested.connect(progress.cancel)
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
        for signal in (progress.progressed, progress.became_uncancellable,
                       worker.finished):
            signal.disconnect()
        dialog.deleteLater()
    if worker.error is not None:
        error = worker.error
        worker.error = None  # no cycle through the traceback's frames
        raise error
    return worker.result  # type: ignore[return-value]
