"""Spin boxes that take Persian, Arabic-Indic and ASCII digits alike."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QSpinBox, QWidget

from cancer_desk.core.persian import parse_int, to_ascii_digits, to_persian_digits


class PersianSpinBox(QSpinBox):
    """Shows Persian digits; accepts whichever digits the keyboard sends.

    With ``unanswered_text`` set, the value just below the real minimum means
    "not answered yet" and shows that text, so a count is never a silent 0.
    """

    def __init__(self, parent: QWidget | None = None, *, unanswered_text: str = "") -> None:
        super().__init__(parent)
        self._unanswered_text = unanswered_text
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if unanswered_text:
            self.setSpecialValueText(unanswered_text)

    def setAnswerRange(self, minimum: int, maximum: int) -> None:
        low = minimum - 1 if self._unanswered_text else minimum
        self.setRange(low, maximum)
        self.setValue(low)

    def answer(self) -> int | None:
        if self._unanswered_text and self.value() == self.minimum():
            return None
        return self.value()

    def textFromValue(self, value: int) -> str:
        return to_persian_digits(value)

    def valueFromText(self, text: str) -> int:
        try:
            return parse_int(self._strip(text))
        except ValueError:
            return self.minimum()

    def validate(self, text: str, position: int):
        stripped = to_ascii_digits(self._strip(text))
        if stripped in ("", "-"):
            return QValidator.State.Intermediate, text, position
        if self._unanswered_text and self._unanswered_text.startswith(text):
            return QValidator.State.Intermediate, text, position
        try:
            value = parse_int(stripped)
        except ValueError:
            return QValidator.State.Invalid, text, position
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, position
        return QValidator.State.Intermediate, text, position

    def _strip(self, text: str) -> str:
        text = text.strip()
        for affix in (self.prefix(), self.suffix()):
            if affix:
                text = text.replace(affix, "")
        return text.strip()
