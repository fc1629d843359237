"""Application-wide guards for input: against changing data by accident, and for
Persian fields that must stay right to left.

- The mouse wheel over a spin box or a combo box that does not have the focus scrolls
  the page, as the person meant, instead of changing the answer under the pointer (a
  count would go from «—» to 0 to 1, a nationality from «ایرانی» to «غیرایرانی»).
- Enter in a field of a dialog moves to the next field, as Persian data-entry users
  expect, instead of pressing the dialog's default button and saving half a form.
"""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
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
        if (kind == QEvent.Type.KeyPress and event.key() in _ENTER_KEYS  # type: ignore[attr-defined]
                and isinstance(watched, QLineEdit | QAbstractSpinBox | QComboBox)
                and isinstance(watched.window(), QDialog)):
            # What Tab does: the next field in the tab order, editingFinished included.
            tab = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
            QCoreApplication.sendEvent(watched, tab)
            return True
        return False


def install_input_guard(app: QApplication) -> InputGuard:
    guard = InputGuard(app)
    app.installEventFilter(guard)
    return guard
