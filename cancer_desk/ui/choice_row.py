"""A row of radio buttons for one of Form 1's numbered options («۱. بلی ۲. خیر …»),
which may also be left unanswered."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QToolButton, QWidget

from cancer_desk.ui.text import fa


class ChoiceRow(QWidget):
    changed = Signal(object)  # the chosen key, or None

    def __init__(self, choices: Mapping[int, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for key, label in choices.items():
            button = QRadioButton(f"{fa(key)}. {label}")
            button.setObjectName(f"choice_{key}")
            self.group.addButton(button, key)
            layout.addWidget(button)
        self.clear_button = QToolButton()
        self.clear_button.setText("پاک")
        self.clear_button.setToolTip("پاسخ را پاک کن (بی‌پاسخ)")
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self.group.idToggled.connect(self._on_toggled)

    def value(self) -> int | None:
        key = self.group.checkedId()
        return key if key != -1 else None

    def set_value(self, key: int | None) -> None:
        if key is None:
            self.group.setExclusive(False)
            for button in self.group.buttons():
                button.setChecked(False)
            self.group.setExclusive(True)
            self.changed.emit(None)
            return
        button = self.group.button(key)
        if button is not None:
            button.setChecked(True)

    def _on_toggled(self, key: int, checked: bool) -> None:
        if checked:
            self.changed.emit(key)
