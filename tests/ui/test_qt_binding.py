"""The Qt binding the program runs on keeps Python's objects whole."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(int)
    done = Signal()


def test_emitting_signals_does_not_eat_references_to_true(qapp) -> None:
    """PySide6 6.12.0 took a reference to True away at every emit(): after some
    thousands of signals (a day's typing and clicking) the program aborted with
    «deallocating True or False». pyproject.toml keeps to a version without it."""
    emitter = _Emitter()
    emitter.changed.connect(lambda _value: None)
    emitter.done.connect(lambda: None)
    before = sys.getrefcount(True)
    for number in range(200):
        emitter.changed.emit(number)
        emitter.done.emit()
    assert sys.getrefcount(True) - before > -50
    emitter.deleteLater()
