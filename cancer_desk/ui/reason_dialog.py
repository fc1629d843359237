"""Asking why: reopening a quarter and lifting a seal both record a reason."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from cancer_desk.core.persian import normalize_text
from cancer_desk.ui.field_form import FieldForm, form_buttons
from cancer_desk.ui.screen_fit import fit_to_screen


class ReasonDialog(FieldForm):
    """A reason of at least ``min_length`` characters, kept with the change it explains;
    ``who`` (the signed-in person) is shown, not typed."""

    def __init__(self, *, name: str, title: str, reason_label: str, placeholder: str,
                 ok_text: str, min_length: int, intro: str = "", note: str = "",
                 who: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reason_label = reason_label
        self._min_length = min_length
        self.setWindowTitle(title)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName(f"{name}_reason_edit")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(placeholder)
        self.error_label = self.general_error
        self.error_label.setObjectName(f"{name}_error_label")
        self.form.addRow(f"{reason_label}:", self.reason_edit)
        self.name_label = QLabel(who or "")
        self.name_label.setObjectName(f"{name}_name_label")
        if who is not None:
            self.form.addRow("به دست:", self.name_label)
        buttons = form_buttons(ok_text, self)
        buttons.accepted.connect(self._on_accept)
        self.arrange(buttons, intro=intro, hint=note)
        fit_to_screen(self, 560, 300)

    @property
    def reason(self) -> str:
        return normalize_text(self.reason_edit.toPlainText())

    def _on_accept(self) -> None:
        self.clear_errors()
        if len(self.reason) < self._min_length:
            self.show_error(None, f"«{self._reason_label}» را در چند کلمه بنویسید.")
            self.reason_edit.setFocus()
            return
        self.accept()
