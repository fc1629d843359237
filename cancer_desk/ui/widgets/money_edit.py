"""A field for amounts in tomans: any digits in, Persian digits and «٬» separators shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from cancer_desk.core.persian import format_number, parse_int


class MoneyEdit(QLineEdit):
    amountChanged = Signal(object)  # int or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # At the right whatever the direction Qt gives the text: «مبلغ به تومان» while
        # empty (a right-to-left field would mirror a plain "right" to the left) and the
        # digits once typed (which Qt lays out left to right).
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
                          | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("مبلغ به تومان")
        self.textEdited.connect(self._on_text_edited)

    def amount(self) -> int | None:
        try:
            return parse_int(self.text()) if self.text().strip() else None
        except ValueError:
            return None

    def set_amount(self, value: int | None) -> None:
        self.setText(format_number(value) if value is not None else "")

    def _on_text_edited(self, text: str) -> None:
        value = self.amount()
        if value is not None and value >= 0:
            digits_before = sum(ch.isdigit() for ch in text[: self.cursorPosition()])
            shown = format_number(value)
            self.setText(shown)
            # Keep the cursor after the same number of digits.
            position, seen = 0, 0
            while position < len(shown) and seen < digits_before:
                seen += shown[position].isdigit()
                position += 1
            self.setCursorPosition(position)
        self.amountChanged.emit(value)
