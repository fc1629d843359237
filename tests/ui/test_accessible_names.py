"""Every input a screen reader can reach has a name it says: each window of the program
is opened and walked, and every field, list, table and button without one is named
(window, class, object name). The name is the one Qt gives a screen reader: the
field's accessible name, or the label it is the buddy of, or a button's own text."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTextEdit,
    QWidget,
)

from cancer_desk.app import open_context
from cancer_desk.core.access import Role
from cancer_desk.paths import sqlite_url
from cancer_desk.ui.about import AboutDialog
from cancer_desk.ui.accounts import AccountDialog, AccountsDialog, ResetPasswordDialog
from cancer_desk.ui.backups import BackupsDialog
from cancer_desk.ui.costs import CostItemDialog
from cancer_desk.ui.dashboard import DashboardWindow
from cancer_desk.ui.form2_window import ReopenDialog
from cancer_desk.ui.formulary import DrugDialog, FormularyDialog
from cancer_desk.ui.help_window import HelpWindow
from cancer_desk.ui.history import HistoryDialog
from cancer_desk.ui.import_dialog import ImportPatientsDialog
from cancer_desk.ui.main_window import MainWindow
from cancer_desk.ui.rollup_window import RollupWindow
from cancer_desk.ui.seals import UnsealDialog, VerifyPrintDialog
from cancer_desk.ui.setup_dialog import SetupDialog
from cancer_desk.ui.sign_in import (
    ChangePasswordDialog,
    FirstAdministratorDialog,
    LockDialog,
    SignInDialog,
)
from cancer_desk.ui.signing import SigningCertificateDialog
from tests.builders import identity

INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox,
          QAbstractItemView, QSlider, QAbstractButton)


def spoken_name(widget: QWidget) -> str:
    """What a screen reader on Windows calls the widget, as Qt's accessibility there
    names it: its accessible name; else a button's text; else (not for a list or a
    table) the text of a label beside it whose buddy it is, or the title of the group
    box it is the one field of. (``QAccessible`` on Linux gives a combo box its current value for a
    name, and the label only as a relation, so the rule is written out here.)"""
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "").strip()
    parent = widget.parentWidget()
    if isinstance(widget, QAbstractItemView) or parent is None:
        return ""
    for label in parent.findChildren(QLabel, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if label.buddy() is widget:
            return label.text().replace("&", "").strip(" :")
    if isinstance(parent, QGroupBox) and _only_field_of(parent, widget):
        return parent.title().strip()
    return ""


def _only_field_of(group: QGroupBox, widget: QWidget) -> bool:
    """A group box's title names a field only when it is the group's one field (a
    question's box): a section of many would give them all the section's name."""
    fields = [w for w in group.findChildren(QWidget)
              if isinstance(w, INPUTS) and not isinstance(w, QAbstractButton)
              and not _part_of_another_input(w, group)]
    return fields == [widget]


def _part_of_another_input(widget: QWidget, window: QWidget) -> bool:
    """Qt's own parts of a composite input (a spin box's line edit, a combo box's list,
    a table's header buttons, a calendar's cells), named by their input."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, (*INPUTS, QCalendarWidget)):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_inputs(window: QWidget) -> list[str]:
    """``class (object name)`` of every input of ``window`` without a spoken name."""
    missing = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or widget.window() is not window:
            continue
        if widget.objectName().startswith("qt_") or _part_of_another_input(widget, window):
            continue
        if not spoken_name(widget):
            where = widget.objectName() or f"in {widget.parentWidget().objectName()}"
            missing.append(f"{type(widget).__name__} ({where})")
    return missing


@dataclasses.dataclass
class Opened:
    windows: list[tuple[str, QWidget]] = dataclasses.field(default_factory=list)

    def add(self, name: str, widget: QWidget) -> QWidget:
        widget.show()
        QApplication.processEvents()
        self.windows.append((name, widget))
        return widget


ONE_ROLE_PASSWORD = "only role pass 1"


def _signed_in_as(ctx, role: Role) -> None:
    ctx.accounts.sign_out()
    ctx.accounts.sign_in(f"only_{role.value}", ONE_ROLE_PASSWORD)


def every_window(ctx, tmp_path, opened: Opened) -> Iterator[None]:
    """Opens the program's windows one group at a time (a generator: each step leaves
    its windows in ``opened`` to be walked and closed)."""
    patient = ctx.patients.create(identity(phone="09123456789"))
    for role in Role:
        ctx.accounts.create(f"only_{role.value}", f"فقط {role.label_fa}", {role},
                            ONE_ROLE_PASSWORD)

    for role in Role:
        _signed_in_as(ctx, role)
        main = MainWindow(ctx)
        opened.add(f"main window ({role.value})", main)
        if main.patient_list is not None:
            main.open_patient(patient.id)
        yield

    from tests.conftest import sign_in_tester

    ctx.accounts.sign_out()
    sign_in_tester(ctx)
    main = MainWindow(ctx)
    opened.add("main window (every role)", main)
    main.open_patient(patient.id)
    yield
    opened.add("patient form (new)", main.patient_room.make_patient_dialog(None))
    opened.add("patient form (edit)", main.patient_room.make_patient_dialog(patient.id))
    opened.add("questionnaire", main.patient_room.make_questionnaire(patient.id))
    opened.add("Form 1", main.patient_room.make_case_dialog(patient.id))
    costs = opened.add("costs", main.patient_room.make_costs_dialog(patient.id))
    yield
    opened.add("cost item", CostItemDialog(ctx.costs, patient.id,
                                           ctx.formulary.list(include_inactive=True), None,
                                           parent=costs))
    opened.add("Form 2", main.hospital_room.make_form2_window())
    opened.add("reopen a quarter", ReopenDialog(_a_quarter(), "مریم احمدی", main))
    yield
    opened.add("dashboard", DashboardWindow(ctx, main))
    rollup = open_context(sqlite_url(tmp_path / "rollup.sqlite3"))
    try:
        opened.add("roll-up", RollupWindow(rollup, main))
        yield
    finally:
        for name, widget in list(opened.windows):
            if name == "roll-up":
                widget.close()
        rollup.close()
    accounts = opened.add("accounts", AccountsDialog(ctx.accounts, ctx.settings, main))
    opened.add("new account", AccountDialog(ctx.accounts, parent=accounts))
    record = ctx.accounts.list()[0]
    opened.add("account", AccountDialog(ctx.accounts, record, parent=accounts))
    opened.add("temporary password", ResetPasswordDialog(ctx.accounts, record, accounts))
    yield
    if ctx.database.sqlite_file is not None:
        opened.add("backups", BackupsDialog(ctx.backups, ctx.settings, main))
    opened.add("signing certificate", SigningCertificateDialog(ctx.signing, main))
    opened.add("import", ImportPatientsDialog(ctx.imports, main))
    formulary = opened.add("formulary", FormularyDialog(ctx.formulary, main))
    opened.add("drug", DrugDialog(ctx.formulary, parent=formulary))
    opened.add("hospital settings", SetupDialog(ctx.settings, ctx.reference,
                                                ctx.settings.get(), main))
    opened.add("first-run setup", SetupDialog(ctx.settings, ctx.reference))
    yield
    opened.add("history", HistoryDialog("سابقه", lambda: ctx.audit.recent(limit=50),
                                        audit=ctx.audit, parent=main))
    opened.add("unseal", UnsealDialog("علی کریمی", "ABCD-EFGH", main))
    opened.add("verify a print", VerifyPrintDialog(ctx.seals, main))
    opened.add("sign-in", SignInDialog(ctx.accounts, place="بیمارستان",
                                       demo_accounts=[("maryam", "مریم احمدی")],
                                       demo_password="demo"))
    opened.add("lock", LockDialog(ctx.accounts, main))
    opened.add("change password", ChangePasswordDialog(ctx.accounts, parent=main))
    opened.add("first administrator", FirstAdministratorDialog(ctx.accounts))
    opened.add("help", HelpWindow(main))
    opened.add("about", AboutDialog(ctx, main))
    yield


def _a_quarter():
    from cancer_desk.core.jalali import JalaliQuarter

    return JalaliQuarter(1403, 1)


def test_every_input_of_every_window_has_a_name_a_screen_reader_says(
        qtbot, configured_context, tmp_path) -> None:
    opened = Opened()
    missing: list[str] = []
    for _ in every_window(configured_context, tmp_path, opened):
        for name, window in opened.windows:
            missing += [f"{name}: {what}" for what in unnamed_inputs(window)]
        for _name, window in reversed(opened.windows):
            if shiboken6.isValid(window):
                window.hide()
        for _name, window in reversed(opened.windows):
            if shiboken6.isValid(window) and window.parent() is None:
                window.deleteLater()
        opened.windows.clear()
        QApplication.processEvents()
    assert not missing, "inputs a screen reader cannot name:\n" + "\n".join(missing)


def _combo() -> QComboBox:
    combo = QComboBox()
    combo.addItems(["بهار", "تابستان"])  # a value is not a name
    return combo


@pytest.mark.parametrize("make", [QLineEdit, _combo])
def test_the_walk_notices_an_input_without_a_name(qtbot, make: Callable[[], QWidget]) -> None:
    from PySide6.QtWidgets import QDialog, QFormLayout

    dialog = QDialog()
    qtbot.addWidget(dialog)
    form = QFormLayout(dialog)
    named, unnamed = make(), make()
    named.setObjectName("named")
    unnamed.setObjectName("unnamed")
    form.addRow("نام", named)  # a label: the field's buddy
    form.addRow(QLabel("بی‌نام"))
    form.addRow(unnamed)
    dialog.show()
    assert unnamed_inputs(dialog) == [f"{type(unnamed).__name__} (unnamed)"]
