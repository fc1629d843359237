"""The hospital's own work: the quarter (Form 2, the dashboard, the roll-up), the
patient import and the duplicate records, the formulary, the settings, the signing
certificate, the accounts and the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from cancer_desk.core.access import Action
from cancer_desk.ui import records_changed
from cancer_desk.ui.accounts import AccountsDialog
from cancer_desk.ui.duplicates import DuplicatesDialog
from cancer_desk.ui.form2_window import Form2Window
from cancer_desk.ui.formulary import FormularyDialog
from cancer_desk.ui.history import HistoryDialog
from cancer_desk.ui.import_dialog import ImportPatientsDialog
from cancer_desk.ui.rollup_window import RollupWindow
from cancer_desk.ui.setup_dialog import SetupDialog
from cancer_desk.ui.sign_in import ChangePasswordDialog

if TYPE_CHECKING:
    from cancer_desk.app import AppContext
    from cancer_desk.ui.main_window import MainWindow


class HospitalRoom:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.context = window.context

    def import_patients(self) -> None:
        dialog = ImportPatientsDialog(self.context.imports, self.window)
        dialog.exec()
        if dialog.imported:
            self.window.records.announce(records_changed.MANY_PATIENTS)

    def make_duplicates_dialog(self) -> DuplicatesDialog:
        dialog = DuplicatesDialog(self.context.duplicates, self.window,
                                  may_merge=Action.MERGE_PATIENTS in self.window.allowed)
        dialog.open_patient_requested.connect(self.window.open_patient)
        dialog.records_changed.connect(
            lambda: self.window.records.announce(records_changed.MANY_PATIENTS))
        return dialog

    def duplicates(self) -> None:
        dialog = self.make_duplicates_dialog()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Searched once the window is up (the progress over it), not before it shows.
        QTimer.singleShot(0, dialog.refresh)
        dialog.exec()

    def make_form2_window(self) -> Form2Window:
        return Form2Window(self.context, self.window.actor_name, self.window)

    def form2(self) -> None:
        window = self.make_form2_window()
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # not kept till exit
        window.exec()

    def dashboard(self) -> None:
        from cancer_desk.ui.dashboard import DashboardWindow  # Qt Charts: loaded when asked

        DashboardWindow(self.context, self.window).exec()

    def rollup(self) -> None:
        """The roll-up lives in a database of its own, beside the hospital's."""
        from cancer_desk.app import DatabaseOpenError, NotARollupError, open_rollup_context

        try:
            rollup = open_rollup_context()
        except DatabaseOpenError as exc:
            QMessageBox.warning(self.window, "تجمیع بسته‌ها", f"پایگاه تجمیع باز نشد: {exc}")
            return
        except NotARollupError:
            QMessageBox.warning(self.window, "تجمیع بسته‌ها",
                                "پرونده تجمیع بیماران یک بیمارستان را در خود دارد و برای تجمیع "
                                "به کار نمی‌رود.")
            return
        try:
            if not self._sign_in_to_rollup(rollup):
                return
            window = RollupWindow(rollup, self.window)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its database closes
            window.exec()
        finally:
            rollup.close()  # signs out of the roll-up, with its checkpoint

    def _sign_in_to_rollup(self, rollup: AppContext) -> bool:
        """The roll-up has accounts of its own: whoever imports, accepts a hub's key or
        removes a package is named in its trail. Its first opening makes its
        administrator."""
        from PySide6.QtWidgets import QDialog

        from cancer_desk.ui.sign_in import (
            ROLLUP_FIRST_RUN_INTRO,
            FirstAdministratorDialog,
            SignInDialog,
        )

        accepted = QDialog.DialogCode.Accepted
        if not rollup.accounts.has_accounts():
            first = FirstAdministratorDialog(rollup.accounts, self.window, cancel_text="انصراف",
                                             intro=ROLLUP_FIRST_RUN_INTRO)
            first.setWindowTitle("مدیر سامانه تجمیع")
            return first.exec() == accepted
        dialog = SignInDialog(rollup.accounts, place="ورود به پایگاه تجمیع بسته‌های فصل",
                              parent=self.window, cancel_text="انصراف")
        if dialog.exec() != accepted:
            return False
        if rollup.accounts.must_change_password() and ChangePasswordDialog(
                rollup.accounts, required=True, parent=self.window).exec() != accepted:
            rollup.accounts.sign_out()
            return False
        return True

    def formulary(self) -> None:
        FormularyDialog(self.context.formulary, self.window).exec()
        self.window.show_formulary_warning()
        # A withdrawal or a re-listing may have recomputed any patient's drug costs.
        self.window.records.announce(records_changed.MANY_PATIENTS)

    def settings(self) -> None:
        dialog = SetupDialog(self.context.settings, self.context.reference,
                             self.window.hub_settings, self.window)
        if dialog.exec() and dialog.saved is not None:
            self.window.records.announce(records_changed.SETTINGS)

    def signing_certificate(self) -> None:
        from cancer_desk.ui.signing import SigningCertificateDialog

        SigningCertificateDialog(self.context.signing, self.window).exec()

    def accounts(self) -> None:
        AccountsDialog(self.context.accounts, self.context.settings, self.window).exec()
        # The idle time is kept with the accounts, and a name may have changed.
        self.window.records.announce(records_changed.SETTINGS)

    def audit(self) -> None:
        HistoryDialog("سابقه همه تغییرها (پانصد ردیف آخر)",
                      lambda: self.context.audit.recent(limit=500),
                      audit=self.context.audit, parent=self.window).exec()

    def change_password(self) -> None:
        if ChangePasswordDialog(self.context.accounts, parent=self.window).exec():
            self.window.statusBar().showMessage("گذرواژه تازه ذخیره شد.", 8000)
