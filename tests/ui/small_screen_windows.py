"""Run by tests/ui/test_small_screen.py in a program of its own whose only screen is a
ward PC's 1366×768 less a 40 px taskbar: every window of the program is opened as the
program opens it, and whatever lies outside the screen, or under where a title bar goes,
is printed as JSON (one object: the windows looked at, and the problems found)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QStatusBar,
    QWidget,
)

from cancer_desk import paths
from cancer_desk.ui.main import make_application
from cancer_desk.ui.screen_fit import FRAME_HEIGHT


def in_scroll_area(control: QWidget, window: QWidget) -> bool:
    parent = control.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def problems_of(name: str, window: QWidget, area: QRect, *, maximized: bool) -> list[str]:
    found = []
    frame = window.frameGeometry()
    if maximized:
        if not area.contains(frame):
            found.append(f"{name}: maximized at {frame.getRect()}, screen {area.getRect()}")
    else:
        inside = window.geometry()  # without the frame, which FRAME_HEIGHT stands for
        if inside.height() + FRAME_HEIGHT > area.height() or inside.width() > area.width():
            found.append(f"{name}: {inside.width()}×{inside.height()} with its title bar "
                         f"does not fit {area.width()}×{area.height()}")
        if not area.contains(frame):
            found.append(f"{name}: at {frame.getRect()}, off the screen {area.getRect()}")
    overflow = window.findChild(QWidget, "qt_toolbar_ext_button")
    if overflow is not None and overflow.isVisible():
        found.append(f"{name}: the toolbar is too wide; its last buttons are behind «»»")
    controls = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QStatusBar)
    for control in window.findChildren(QWidget):
        if not isinstance(control, controls) or not control.isVisible():
            continue
        if control.window() is not window or in_scroll_area(control, window):
            continue  # another window's, or scrolled to when it is wanted
        where = QRect(control.mapToGlobal(control.rect().topLeft()), control.size())
        if not area.contains(where) or not frame.contains(where):  # (frame: its edge)
            label = control.objectName() or getattr(control, "text", lambda: "")() \
                or type(control).__name__
            found.append(f"{name}: «{label}» at {where.getRect()} is off screen "
                         f"(window at {frame.getRect()})")
    return found


def main() -> None:
    app = make_application()
    area = app.primaryScreen().availableGeometry()
    from cancer_desk.app import demo_settings, open_context
    from cancer_desk.core.access import Role

    folder = Path(tempfile.mkdtemp())
    context = open_context(paths.sqlite_url(folder / "ward.sqlite"))
    context.accounts.create_first_administrator("tester", "آزمون", "test-pass-1388")
    record = context.accounts.list()[0]
    context.accounts.update(record.id, display_name="آزمون", roles=set(Role), active=True,
                            expected_version=record.version)
    context.accounts.sign_in("tester", "test-pass-1388")
    context.settings.save(demo_settings(context.reference))
    from tests.builders import identity

    patient = context.patients.create(identity()).id

    from cancer_desk.ui.about import AboutDialog
    from cancer_desk.ui.accounts import AccountDialog, AccountsDialog
    from cancer_desk.ui.backups import BackupsDialog
    from cancer_desk.ui.dashboard import DashboardWindow
    from cancer_desk.ui.formulary import FormularyDialog
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

    main_window = MainWindow(context)
    main_window.showMaximized()  # as the program opens it
    app.processEvents()
    main_window.open_patient(patient)
    found = problems_of("main window", main_window, area, maximized=True)
    rooms = main_window.patient_room
    dialogs = {
        "patient form": lambda: rooms.make_patient_dialog(patient),
        "new patient": lambda: rooms.make_patient_dialog(None),
        "questionnaire": lambda: rooms.make_questionnaire(patient),
        "Form 1": lambda: rooms.make_case_dialog(patient),
        "costs": lambda: rooms.make_costs_dialog(patient),
        "Form 2": main_window.hospital_room.make_form2_window,
        "dashboard": lambda: DashboardWindow(context, main_window),
        "settings": lambda: SetupDialog(context.settings, context.reference,
                                        main_window.hub_settings, main_window),
        "accounts": lambda: AccountsDialog(context.accounts, context.settings, main_window),
        "new account": lambda: AccountDialog(context.accounts, None, main_window),
        "help": lambda: HelpWindow(main_window),
        "backups": lambda: BackupsDialog(context.backups, context.settings, main_window),
        "import": lambda: ImportPatientsDialog(context.imports, main_window),
        "formulary": lambda: FormularyDialog(context.formulary, main_window),
        "about": lambda: AboutDialog(context, main_window),
        "signing certificate": lambda: SigningCertificateDialog(context.signing, main_window),
        "audit trail": lambda: HistoryDialog("سابقه", lambda: context.audit.recent(limit=50),
                                             audit=context.audit, parent=main_window),
        "verify print": lambda: VerifyPrintDialog(context.seals, main_window),
        "unseal": lambda: UnsealDialog("علی کریمی", "ABCD-EFGH-JKMN", main_window),
        "roll-up": lambda: RollupWindow(context, main_window),
        "change password": lambda: ChangePasswordDialog(context.accounts, parent=main_window),
        "lock": lambda: LockDialog(context.accounts, main_window),
        "sign-in": lambda: SignInDialog(context.accounts),
        "first administrator": lambda: FirstAdministratorDialog(context.accounts),
    }
    for name, make in dialogs.items():
        dialog = make()
        dialog.show()
        app.processEvents()
        found += problems_of(name, dialog, area, maximized=False)
        dialog.hide()
    print(json.dumps({"screen": list(area.getRect()), "windows": ["main window", *dialogs],
                      "problems": found}, ensure_ascii=False))
    sys.stdout.flush()
    context.close()


if __name__ == "__main__":
    main()
