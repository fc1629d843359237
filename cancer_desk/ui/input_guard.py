"""Application-wide guards for input: against changing data by accident, and for
Persian fields that must stay right to left.

- The mouse wheel over a spin box or a combo box that does not have the focus scrolls
  the page, as the person meant, instead of changing the answer under the pointer (a
  count would go from «—» to 0 to 1, a nationality from «ایرانی» to «غیرایرانی»).
- Enter in a field of one of the program's dialogs moves to the next field, as Persian
  data-entry users expect, instead of pressing the dialog's default button and saving
  half a form. A field whose Enter means "done" (the password of the sign-in and lock
  windows) says so with the ``enter_submits`` property, and its Enter is left alone.
- Enter on a focused button presses it, as on Windows (the forms' buttons are not
  "auto default", so Qt would otherwise do nothing).
- Qt's own dialogs (the file dialog, message boxes) are left as Qt made them: Enter in
  a file dialog's name box chooses the file.
"""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


RLM = "\u200f"
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def _starts_left_to_right(text: str) -> bool:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return False
        if kind == "L":
            return True
    return False


def keep_rtl(edit: QLineEdit, text: str) -> None:
    """A line edit takes its paragraph direction from its first strong letter, whatever
    the widget's direction, so «AC-T، چهار دوره» would read left to right. A right-to-
    left mark in front keeps Persian text right to left; every reader of the text strips
    it (the core's normalisers remove direction marks)."""
    if text and not text.startswith(RLM) and _ARABIC_LETTER.search(text) \
            and _starts_left_to_right(text):
        position = edit.cursorPosition()
        edit.setText(RLM + text)
        edit.setCursorPosition(position + 1)


def is_own_window(widget: QWidget) -> bool:
    """``widget`` is in one of this program's windows, not in one of Qt's own dialogs
    (QFileDialog, QMessageBox, QInputDialog …), whose keys Qt has already made right."""
    return type(widget.window()).__module__.startswith("cancer_desk.")


def _enter_submits(widget: QWidget) -> bool:
    return bool(widget.property("enter_submits"))


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


class InputGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (kind == QEvent.Type.Polish and isinstance(watched, QLineEdit)
                and watched.layoutDirection() == Qt.LayoutDirection.RightToLeft
                and not watched.property("keeps_rtl")):
            watched.setProperty("keeps_rtl", True)
            watched.textChanged.connect(lambda text, edit=watched: keep_rtl(edit, text))
            keep_rtl(watched, watched.text())
            return False
        if kind == QEvent.Type.Wheel and isinstance(watched, QAbstractSpinBox | QComboBox):
            if watched.hasFocus():
                return False
            area = _scroll_area_of(watched)
            if area is not None:
                QCoreApplication.sendEvent(area.verticalScrollBar(), event)
            return True
        if (kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in _ENTER_KEYS
                and isinstance(watched, QWidget) and is_own_window(watched)):
            return self._enter(watched, repeated=event.isAutoRepeat())
        return False

    @staticmethod
    def _enter(widget: QWidget, *, repeated: bool) -> bool:
        if isinstance(widget, QPushButton | QToolButton):
            if widget.isEnabled() and not repeated:  # a held key presses once
                widget.animateClick()
            return True
        if isinstance(widget, QAbstractButton):  # a tick box or an option: as Tab
            return _move_to_next_field(widget) if isinstance(widget.window(), QDialog) \
                else False
        if (isinstance(widget, QLineEdit | QAbstractSpinBox | QComboBox)
                and isinstance(widget.window(), QDialog) and not _enter_submits(widget)):
            return _move_to_next_field(widget)
        return False


def _move_to_next_field(widget: QWidget) -> bool:
    """What Tab does: the next field in the tab order, editingFinished included."""
    tab = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
    QCoreApplication.sendEvent(widget, tab)
    return True


def install_input_guard(app: QApplication) -> InputGuard:
    """The guard on ``app``'s events, once however often it is asked for."""
    guard = getattr(app, "_cancer_desk_input_guard", None)
    if guard is None:
        guard = InputGuard(app)
        # Kept on the application (which Python would otherwise let go of it) and found
        # again there, so that a second set-up installs no second guard.
        app._cancer_desk_input_guard = guard  # type: ignore[attr-defined]
    app.installEventFilter(guard)  # again: Qt moves it to the front, it is not doubled
    return guard
