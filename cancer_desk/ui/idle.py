"""Noticing that nobody has touched the program for a while, so the window can lock."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                       QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin})
CHECK_INTERVAL_MS = 15_000


class IdleWatcher(QObject):
    """Installed as the application's event filter: every key, click or mouse move
    anywhere in the program counts as use. ``idle`` is emitted once per idle spell."""

    idle = Signal()

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
