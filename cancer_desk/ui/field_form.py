"""The small forms the program asks things in (sign-in, passwords, accounts, a reason):
fields with their messages under them, and the layout they share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.errors import ValidationErrors
from cancer_desk.ui.screen_fit import fit_to_screen


def latin_edit(name: str, *, secret: bool = False) -> QLineEdit:
    """Usernames and passwords are typed left to right, whatever the keyboard."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    edit.setMaxLength(200)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def show_password_check(edit: QLineEdit) -> QCheckBox:
    """«نمایش گذرواژه»: a password the administrator makes up for someone else is read
    back before it is given to them (the field is masked again when unticked)."""
    check = QCheckBox("نمایش گذرواژه")
    check.setObjectName(f"{edit.objectName()}_shown")
    check.toggled.connect(lambda shown: edit.setEchoMode(
        QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password))
    return check


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.hide()
    return label


def clear_when_edited(widget: QWidget, error: QLabel) -> None:
    """The message under a field goes as soon as the person changes the field (or a
    field inside it: a date's typed part, a row of tick boxes), not only at the next
    «ذخیره»: a corrected field does not go on saying it is wrong."""
    def clear(*_args) -> None:
        error.clear()
        error.hide()

    for part in (widget, *widget.findChildren(QWidget)):
        if isinstance(part, QLineEdit):
            part.textEdited.connect(clear)
        elif isinstance(part, QComboBox):
            part.activated.connect(clear)
        elif isinstance(part, QSpinBox):
            part.valueChanged.connect(clear)
        elif isinstance(part, QAbstractButton) and part.isCheckable():
            part.clicked.connect(clear)


def grow_to_fit(window: QWidget) -> None:
    """A window whose contents grew (a message under a field, the demo's accounts) grows
    with them, up to the screen, instead of squeezing or clipping what is below."""
    layout = window.layout()
    if layout is None or not window.isVisible():  # not shown yet: Qt sizes it on showing
        return
    layout.activate()
    # Wrapped lines (as a message's) take the height they need at the window's width.
    needed = window.heightForWidth(window.width()) if layout.hasHeightForWidth() \
        else layout.sizeHint().height()
    if window.height() < needed:
        fit_to_screen(window, window.width(), needed)  # with its title bar on screen


class FieldForm(QDialog):
    """A small form whose errors appear under the field they are about."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.form = QFormLayout()
        self.field_errors: dict[str, QLabel] = {}
        self.general_error = error_label("general_error")

    def add_field(self, name: str, label: str, widget: QWidget) -> None:
        self.form.addRow(label, widget)
        error = error_label(f"{name}_error")
        self.form.addRow("", error)
        self.field_errors[name] = error
        clear_when_edited(widget, error)

    def clear_errors(self) -> None:
        for label in [*self.field_errors.values(), self.general_error]:
            label.clear()
            label.hide()

    def show_error(self, field: str | None, message: str) -> None:
        label = self.field_errors.get(field or "", self.general_error)
        label.setText(message)
        label.show()
        grow_to_fit(self)

    def show_errors(self, errors: ValidationErrors) -> None:
        for field, message in errors.errors.items():
            self.show_error(field, message)

    def arrange(self, buttons: QDialogButtonBox, *, intro: str = "",
                hint: str = "") -> None:
        """The layout these forms share: a word of introduction, the fields, a hint,
        the message about the whole form, the buttons."""
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(self.form)
        if hint:
            label = QLabel(hint)
            label.setWordWrap(True)
            label.setProperty("role", "hint")
            layout.addWidget(label)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)


def form_buttons(ok_text: str, dialog: QDialog, *, cancel_text: str | None = "انصراف"
             ) -> QDialogButtonBox:
    kinds = QDialogButtonBox.StandardButton.Ok
    if cancel_text is not None:
        kinds |= QDialogButtonBox.StandardButton.Cancel
    buttons = QDialogButtonBox(kinds)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    if cancel_text is not None:
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
        buttons.rejected.connect(dialog.reject)
    return buttons


def close_row(dialog: QDialog) -> QHBoxLayout:
    """«بستن» at the far end of a row, for a window that saves as it goes (accounts, the
    dashboard): it closes the window, and Enter or Space on it does so too."""
    close = QPushButton("بستن")
    close.setObjectName("close_button")
    close.setAutoDefault(False)
    close.clicked.connect(dialog.accept)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(close)
    return row
