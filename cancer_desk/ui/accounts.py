"""The administrator's accounts window: who may sign in, with which roles; resetting a
forgotten password, unlocking, and how soon an idle window locks."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.access import IDLE_LOCK_RANGE, Role
from cancer_desk.core.errors import InputError, ValidationErrors
from cancer_desk.services.accounts import (
    AccountRecord,
    AccountService,
    LastAdministratorError,
)
from cancer_desk.services.errors import StaleRecordError
from cancer_desk.services.settings import SettingsService
from cancer_desk.ui.field_form import (
    FieldForm,
    close_row,
    form_buttons,
    latin_edit,
    show_password_check,
)
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.sign_in import PASSWORD_HINT
from cancer_desk.ui.text import fa, jdate
from cancer_desk.ui.widgets.number_spin import PersianSpinBox
from cancer_desk.ui.widgets.record_table import record_table

_ID_ROLE = Qt.ItemDataRole.UserRole


def roles_text(roles: frozenset[Role]) -> str:
    return "، ".join(role.label_fa for role in Role if role in roles)


def account_state(record: AccountRecord, now: dt.datetime | None = None) -> str:
    if not record.active:
        return "غیرفعال"
    if record.locked(now):
        return "قفل (گذرواژه نادرست)"
    if record.must_change_password:
        return "در انتظار گذرواژه تازه"
    return "فعال"


class AccountDialog(FieldForm):
    """A new account (with a temporary password) or an existing one's name, roles and
    whether it may still sign in."""

    def __init__(self, accounts: AccountService, record: AccountRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self._record = record
        self.saved: AccountRecord | None = None
        self.setWindowTitle("ویرایش حساب" if record else "حساب تازه")
        self.name_edit = QLineEdit(record.display_name if record else "")
        self.name_edit.setObjectName("display_name_edit")
        self.username_edit = latin_edit("username_edit")
        self.add_field("display_name", "نام و نام خانوادگی:", self.name_edit)
        self.add_field("username", "نام کاربری (لاتین):", self.username_edit)
        if record is not None:
            self.username_edit.setText(record.username)
            self.username_edit.setReadOnly(True)  # the audit trail names people by it
        roles_box = QWidget()
        roles_layout = QVBoxLayout(roles_box)
        roles_layout.setContentsMargins(0, 0, 0, 0)
        self.role_checks: dict[Role, QCheckBox] = {}
        for role in Role:
            check = QCheckBox(role.label_fa)
            check.setObjectName(f"role_{role.value}")
            check.setChecked(record is not None and role in record.roles)
            roles_layout.addWidget(check)
            self.role_checks[role] = check
        self.add_field("roles", "نقش‌ها:", roles_box)
        self.password_edit = latin_edit("password_edit", secret=True)
        self.active_check = QCheckBox("می‌تواند وارد شود")
        self.active_check.setObjectName("active_check")
        if record is None:
            self.add_field("password", "گذرواژه موقت:", self.password_edit)
            self.show_password_check = show_password_check(self.password_edit)
            self.form.addRow("", self.show_password_check)
        else:
            self.active_check.setChecked(record.active)
            self.add_field("active", "وضعیت:", self.active_check)
        buttons = form_buttons("ذخیره", self)
        buttons.accepted.connect(self._on_save)
        self.arrange(buttons, hint="" if record is not None else (
            "این گذرواژه را به خود او بدهید؛ در نخستین ورود، گذرواژه‌ای برای خودش "
            "برمی‌گزیند. " + PASSWORD_HINT))
        fit_to_screen(self, 480, 420)

    def chosen_roles(self) -> set[Role]:
        return {role for role, check in self.role_checks.items() if check.isChecked()}

    def _on_save(self) -> None:
        self.clear_errors()
        try:
            if self._record is None:
                self.saved = self._accounts.create(self.username_edit.text(),
                                                   self.name_edit.text(), self.chosen_roles(),
                                                   self.password_edit.text())
            else:
                self.saved = self._accounts.update(
                    self._record.id, display_name=self.name_edit.text(),
                    roles=self.chosen_roles(), active=self.active_check.isChecked(),
                    expected_version=self._record.version)
        except ValidationErrors as exc:
            self.show_errors(exc)
            return
        except LastAdministratorError as exc:
            self.show_error("roles", exc.message_fa)
            return
        except StaleRecordError:
            self.show_error(None, "این حساب در همین فاصله جای دیگری تغییر کرد؛ پنجره را ببندید "
                                  "و دوباره باز کنید.")
            return
        self.accept()


class ResetPasswordDialog(FieldForm):
    def __init__(self, accounts: AccountService, record: AccountRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self._record = record
        self.setWindowTitle(f"گذرواژه تازه برای {record.display_name}")
        self.password_edit = latin_edit("password_edit", secret=True)
        self.add_field("password", "گذرواژه موقت:", self.password_edit)
        self.show_password_check = show_password_check(self.password_edit)
        self.form.addRow("", self.show_password_check)
        buttons = form_buttons("ذخیره", self)
        buttons.accepted.connect(self._on_save)
        self.arrange(buttons, intro=f"برای «{record.display_name}» گذرواژه موقتی بگذارید و "
                                    "به خود او بدهید؛ حساب باز می‌شود و در ورود بعدی "
                                    "گذرواژه‌ای برای خودش برمی‌گزیند.")

    def _on_save(self) -> None:
        self.clear_errors()
        try:
            self._accounts.reset_password(self._record.id, self.password_edit.text(),
                                          reason="forgotten password")
        except ValidationErrors as exc:
            self.show_errors(exc)
            return
        self.accept()


class AccountsDialog(QDialog):
    COLUMNS = ("نام", "نام کاربری", "نقش‌ها", "وضعیت", "آخرین ورود")

    def __init__(self, accounts: AccountService, settings: SettingsService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self._settings = settings
        self._records: list[AccountRecord] = []
        self.setWindowTitle("حساب‌های کاربری")
        fit_to_screen(self, 860, 520)
        self.table = record_table("accounts_table", "حساب‌های کاربری", self.COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(self._on_edit)

        self.add_button = QPushButton("حساب تازه")
        self.add_button.setObjectName("add_account_button")
        self.edit_button = QPushButton("ویرایش")
        self.edit_button.setObjectName("edit_account_button")
        self.reset_button = QPushButton("گذرواژه تازه")
        self.reset_button.setObjectName("reset_password_button")
        self.unlock_button = QPushButton("باز کردن قفل")
        self.unlock_button.setObjectName("unlock_button")
        for button, slot in ((self.add_button, self._on_add), (self.edit_button, self._on_edit),
                             (self.reset_button, self._on_reset),
                             (self.unlock_button, self._on_unlock)):
            button.clicked.connect(slot)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.reset_button,
                       self.unlock_button):
            row.addWidget(button)
        row.addStretch(1)

        self.idle_spin = PersianSpinBox()
        self.idle_spin.setObjectName("idle_lock_spin")
        self.idle_spin.setAccessibleName("قفل شدن برنامه پس از بی‌کاری (دقیقه)")
        self.idle_spin.setRange(*IDLE_LOCK_RANGE)
        current = settings.get()
        if current is not None:
            self.idle_spin.setValue(current.idle_lock_minutes)
        self.idle_save = QPushButton("ذخیره")
        self.idle_save.setObjectName("idle_lock_save")
        self.idle_save.clicked.connect(self._on_idle_save)
        self.idle_error = QLabel()
        self.idle_error.setProperty("role", "error")
        self.idle_error.hide()
        idle_row = QHBoxLayout()
        idle_row.addWidget(QLabel("قفل شدن برنامه پس از بی‌کاری (دقیقه):"))
        idle_row.addWidget(self.idle_spin)
        idle_row.addWidget(self.idle_save)
        idle_row.addStretch(1)
        bottom = close_row(self)

        note = QLabel("حساب‌ها پاک نمی‌شوند (سابقه تغییرات نام آن‌ها را دارد)؛ حساب کسی که "
                      "دیگر کار نمی‌کند را غیرفعال کنید. پس از پنج گذرواژه نادرست پیاپی، حساب "
                      "پنج دقیقه قفل می‌شود.")
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addLayout(idle_row)
        layout.addWidget(self.idle_error)
        layout.addLayout(bottom)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        self._records = self._accounts.list()
        self.table.setRowCount(len(self._records))
        for row, record in enumerate(self._records):
            last = record.last_sign_in_at
            cells = (record.display_name, record.username, roles_text(record.roles),
                     account_state(record),
                     jdate(last.replace(tzinfo=dt.UTC).astimezone().date()) if last else "—")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_ID_ROLE, record.id)
                self.table.setItem(row, column, item)
            if record.id == select_id:
                self.table.setCurrentCell(row, 0)
        self._update_buttons()

    def selected(self) -> AccountRecord | None:
        row = self.table.currentRow()
        if row < 0 or not self.table.selectionModel().hasSelection():
            return None
        return self._records[row]

    def _update_buttons(self) -> None:
        record = self.selected()
        for button in (self.edit_button, self.reset_button):
            button.setEnabled(record is not None)
        self.unlock_button.setEnabled(record is not None and record.locked())

    def _on_add(self) -> None:
        dialog = AccountDialog(self._accounts, None, self)
        if dialog.exec() and dialog.saved is not None:
            self.refresh(dialog.saved.id)

    def _on_edit(self, *_args) -> None:
        record = self.selected()
        if record is None:
            return
        dialog = AccountDialog(self._accounts, record, self)
        if dialog.exec() and dialog.saved is not None:
            self.refresh(record.id)

    def _on_reset(self) -> None:
        record = self.selected()
        if record is not None and ResetPasswordDialog(self._accounts, record, self).exec():
            self.refresh(record.id)
            QMessageBox.information(self, "گذرواژه تازه",
                                    f"گذرواژه موقت «{record.display_name}» ذخیره شد و حساب باز "
                                    "است.")

    def _on_unlock(self) -> None:
        record = self.selected()
        if record is not None:
            self._accounts.unlock(record.id)
            self.refresh(record.id)

    def _on_idle_save(self) -> None:
        self.idle_error.hide()
        try:
            saved = self._settings.set_idle_lock_minutes(self.idle_spin.value())
        except InputError as exc:
            self.idle_error.setText(exc.message_fa)
            self.idle_error.show()
            return
        self.idle_spin.setValue(saved.idle_lock_minutes)
        QMessageBox.information(self, "قفل پس از بی‌کاری",
                                f"برنامه پس از {fa(saved.idle_lock_minutes)} دقیقه بی‌کاری قفل "
                                "می‌شود.")
