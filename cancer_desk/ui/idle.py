"""Noticing that nobody has touched the program for a while, so the window can lock."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

_ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                       QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin})
CHECK_INTERVAL_MS = 15_000
LOCK_KEYS = QKeySequence("Ctrl+L")


class IdleWatcher(QObject):
    """Installed as the application's event filter: every key, click or mouse move
    anywhere in the program counts as use. ``idle`` is emitted once per idle spell.

    It also hears Ctrl+L over an open form (``lock_asked``): the main window's own
    shortcut is blocked while a modal form is up, and a person leaving the ward PC in the
    middle of a questionnaire must be able to lock it as from the main window."""

    idle = Signal()
    lock_asked = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.minutes = minutes
        self.last_activity = time.monotonic()
        self.paused = False  # while the lock itself is showing
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.last_activity = time.monotonic()
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and not self.paused and QKeySequence(event.keyCombination()) == LOCK_KEYS
                and _over_a_form(watched)):
            self.lock_asked.emit()
            return True
        return False

    def check(self) -> None:
        if self.paused:
            return
        if time.monotonic() - self.last_activity >= self.minutes * 60:
            self.paused = True
            self.idle.emit()

    def resume(self) -> None:
        self.last_activity = time.monotonic()
        self.paused = False

    def stop(self) -> None:
        self._timer.stop()


def _over_a_form(watched: QObject) -> bool:
    """The key went to one of the program's forms, up over the main window (not to the
    lock window itself, nor a window of Qt's own such as its file dialog)."""
    modal = QApplication.activeModalWidget()
    if modal is None or not isinstance(watched, QWidget):
        return False
    from cancer_desk.ui.input_guard import is_own_window
    from cancer_desk.ui.sign_in import LockDialog

    return (watched.window() is modal and is_own_window(watched)
            and not isinstance(modal, LockDialog))
