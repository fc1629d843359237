"""The main window: patient list on one side, the chosen patient on the other; what
the signed-in person's roles allow, and nothing else."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QToolButton,
    QWhatsThis,
    QWidget,
)

from cancer_desk import APP_NAME_FA
from cancer_desk.app import AppContext
from cancer_desk.core.access import Action
from cancer_desk.core.costs import money
from cancer_desk.core.records import AssessmentRecord, HubSettingsRecord, PatientRecord
from cancer_desk.core.reference import hospital_title
from cancer_desk.core.residence import residence_verdict
from cancer_desk.db.backup import BackupError
from cancer_desk.services.backups import NotOnFileError
from cancer_desk.services.documents import DocumentUnavailableError
from cancer_desk.services.errors import NotFoundError
from cancer_desk.services.referrals import NothingToReferError
from cancer_desk.services.seals import SealRefusedError
from cancer_desk.ui import case_form, daily_backup, questionnaire
from cancer_desk.ui.about import AboutDialog
from cancer_desk.ui.accounts import AccountsDialog, roles_text
from cancer_desk.ui.background import Job, when_done
from cancer_desk.ui.case_form import CaseFormDialog
from cancer_desk.ui.costs import CostsDialog
from cancer_desk.ui.draft_keeping import DraftKeeping
from cancer_desk.ui.form2_window import Form2Window
from cancer_desk.ui.formulary import FormularyDialog
from cancer_desk.ui.help_window import show_help
from cancer_desk.ui.history import HistoryDialog
from cancer_desk.ui.idle import IdleWatcher
from cancer_desk.ui.import_dialog import ImportPatientsDialog
from cancer_desk.ui.patient_form import PatientFormDialog
from cancer_desk.ui.patient_list import PatientListView
from cancer_desk.ui.patient_panel import PatientPanel, PatientSummaryView
from cancer_desk.ui.printing import print_failure_fa, print_pdf, show_pdf, write_pdf
from cancer_desk.ui.questionnaire import QuestionnaireDialog
from cancer_desk.ui.rollup_window import RollupWindow
from cancer_desk.ui.seals import UnsealDialog, VerifyPrintDialog
from cancer_desk.ui.setup_dialog import SetupDialog
from cancer_desk.ui.sign_in import ChangePasswordDialog, LockDialog
from cancer_desk.ui.text import fa, jdate, ltr


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        settings = context.settings.get()
        assert settings is not None, "the setup dialog runs before the main window"
        self._settings: HubSettingsRecord = settings
        self._patient_id: int | None = None  # the patient shown in the panel
        self._sealed = False  # the shown patient's Form 1 is approved and sealed
        self.last_printed: Path | None = None
        self.signed_out = False  # closed by signing out: the sign-in window comes back
        self.covers: list[QLabel] = []  # over every window while the program is locked
        self.allowed = frozenset(a for a in Action if context.access.may(a))
        self.resize(1280, 800)

        self.patient_panel = PatientPanel(context.reference, context.rulebook)
        self.patient_list: PatientListView | None = None
        if Action.VIEW_PATIENTS in self.allowed:
            self.patient_list = PatientListView(context.patients, context.reference)
            splitter = QSplitter(Qt.Orientation.Horizontal)
            splitter.addWidget(self.patient_list)
            splitter.addWidget(self.patient_panel)
            splitter.setStretchFactor(0, 3)
            splitter.setStretchFactor(1, 2)
            splitter.setSizes([760, 520])
            self.setCentralWidget(splitter)
        else:  # an administrator keeps the program, not the patients' files
            # The panel is never shown, but must belong to the window: a widget without a
            # parent left to Python is deleted twice when the program exits.
            self.patient_panel.setParent(self)
            self.patient_panel.hide()
            notice = QLabel("این حساب به پرونده بیماران دسترسی ندارد. حساب‌های کاربری، "
                            "تنظیمات بیمارستان و فهرست داروها از نوار بالا در دسترس است.")
            notice.setObjectName("no_patients_label")
            notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
            notice.setWordWrap(True)
            notice.setProperty("role", "hint")
            self.setCentralWidget(notice)

        toolbar = QToolBar("کارها")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        self.new_patient_action = self._action(toolbar, "بیمار جدید", self._on_new_patient,
                                               QKeySequence.StandardKey.New)
        self.edit_patient_action = self._action(toolbar, "ویرایش مشخصات", self._on_edit_patient)
        self.assess_action = self._action(toolbar, "ارزیابی جدید", self._on_assess)
        toolbar.addSeparator()
        self.form2_action = self._action(toolbar, "فرم ۲ و بستن فصل", self._on_form2)
        self.dashboard_action = self._action(toolbar, "پایش", self._on_dashboard)
        toolbar.addSeparator()
        self.import_action = self._action(toolbar, "ورود بیماران از اکسل", self._on_import)
        self.formulary_action = self._action(toolbar, "داروهای تحت پوشش", self._on_formulary)
        self.settings_action = self._action(toolbar, "تنظیمات بیمارستان", self._on_settings)
        self.signing_action = self._action(toolbar, "گواهی امضا", self._on_signing)
        self.backups_action = self._action(toolbar, "پشتیبان‌گیری", self._on_backups)
        self.rollup_action = self._action(toolbar, "تجمیع بسته‌ها", self._on_rollup)
        toolbar.addSeparator()
        self.accounts_action = self._action(toolbar, "حساب‌های کاربری", self._on_accounts)
        self.audit_action = self._action(toolbar, "سابقه تغییرات", self._on_audit)
        self.verify_print_action = self._action(toolbar, "بررسی برگه چاپی",
                                                self._on_verify_print)
        self._needs = ((self.new_patient_action, Action.EDIT_PATIENTS),
                       (self.edit_patient_action, Action.EDIT_PATIENTS),
                       (self.assess_action, Action.ASSESS),
                       (self.form2_action, Action.VIEW_REPORTS),
                       (self.dashboard_action, Action.VIEW_REPORTS),
                       (self.import_action, Action.EDIT_PATIENTS),
                       (self.formulary_action, Action.MANAGE_FORMULARY),
                       (self.settings_action, Action.MANAGE_SETTINGS),
                       (self.signing_action, Action.MANAGE_SETTINGS),
                       (self.backups_action, Action.BACKUP),
                       (self.rollup_action, Action.VIEW_REPORTS),
                       (self.accounts_action, Action.MANAGE_ACCOUNTS),
                       (self.audit_action, Action.VIEW_AUDIT))
        self._show_allowed_actions()
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.account_button = QToolButton()
        self.account_button.setObjectName("account_button")
        self.account_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        account_menu = QMenu(self.account_button)
        self.change_password_action = account_menu.addAction("تغییر گذرواژه…")
        self.change_password_action.triggered.connect(self._on_change_password)
        self.lock_action = account_menu.addAction("قفل کردن برنامه")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.lock(by_hand=True))
        self.addAction(self.lock_action)
        self.sign_out_action = account_menu.addAction("خروج از حساب")
        self.sign_out_action.triggered.connect(self.sign_out)
        self.account_button.setMenu(account_menu)
        toolbar.addWidget(self.account_button)
        self.find_action = QAction("جستجو", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        if self.patient_list is not None:
            self.find_action.triggered.connect(self.patient_list.search_edit.setFocus)
        self.addAction(self.find_action)
        self._make_help_menu()

        self.ruleset_label = QLabel()
        self.location_label = QLabel()
        self.location_label.setProperty("role", "hint")
        self.statusBar().addWidget(self.ruleset_label)
        self.statusBar().addPermanentWidget(QLabel("پایگاه داده:"))
        self.statusBar().addPermanentWidget(self.location_label)

        if self.patient_list is not None:
            self.patient_list.patient_selected.connect(self._on_patient_selected)
            self.patient_list.patient_activated.connect(self._on_patient_activated)
        self.patient_panel.approve_requested.connect(self._on_approve)
        self.patient_panel.unseal_requested.connect(self._on_unseal)
        self.patient_panel.changes_requested.connect(self._on_patient_changes)
        self.patient_panel.edit_requested.connect(self._on_edit_patient)
        self.patient_panel.assess_requested.connect(self._on_assess)
        self.patient_panel.assessment_opened.connect(self._on_assessment_opened)
        self.patient_panel.case_requested.connect(self._on_case)
        self.patient_panel.costs_requested.connect(self._on_costs)
        self.patient_panel.print_requested.connect(self._on_print)
        self._update_titles()
        self._on_patient_selected(None)
        # No parent: the application holds the filter while it is installed, and a filter
        # whose parent window is deleted first would leave it holding a dead object.
        self.idle_watcher = IdleWatcher(settings.idle_lock_minutes)
        self.idle_watcher.idle.connect(self.lock)
        # A PC left running for days still gets its daily copy (checked every hour).
        self._daily_backup_at_start = False  # a copy that fails then gets a message box
        self.daily_backup_timer = QTimer(self)
        self.daily_backup_timer.setInterval(60 * 60 * 1000)
        self.daily_backup_timer.timeout.connect(self._on_daily_backup)
        self.daily_backup_timer.start()

    def _make_help_menu(self) -> None:
        """«راهنما»: the guide (F1), «این چیست؟» (Shift+F1: click anything to hear what it
        is; in a form, Shift+F1 tells what the field being filled in wants), and «درباره»."""
        menu = self.menuBar().addMenu("راهنما")
        self.help_action = menu.addAction("راهنمای برنامه")
        self.help_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.help_action.triggered.connect(self._on_help)
        self.whats_this_action = QWhatsThis.createAction(self)
        self.whats_this_action.setText("این چیست؟")
        self.whats_this_action.setShortcut(QKeySequence("Shift+F1"))
        menu.addAction(self.whats_this_action)
        menu.addSeparator()
        self.about_action = menu.addAction("درباره میز حمایت…")
        self.about_action.triggered.connect(self._on_about)

    def _on_help(self) -> None:
        show_help(self)

    def make_about_dialog(self) -> AboutDialog:
        return AboutDialog(self.context, self)

    def _on_about(self) -> None:
        self.make_about_dialog().exec()

    def _show_allowed_actions(self) -> None:
        for action, needed in self._needs:
            action.setVisible(needed in self.allowed)
        self.patient_panel.set_allowed(self.allowed)

    def apply_roles(self) -> None:
        """After a refusal: the roles may have been changed on another PC (the services
        hold the person to the accounts table); show what they allow now."""
        if self.context.access.actor is None:
            self.sign_out()
            return
        self.allowed = frozenset(a for a in Action if self.context.access.may(a))
        self._show_allowed_actions()
        if self._patient_id is not None and Action.VIEW_PATIENTS in self.allowed:
            self._on_patient_selected(self._patient_id)

    @property
    def _actor_username(self) -> str:
        actor = self.context.access.actor
        return actor.username if actor is not None else ""

    @property
    def _actor_name(self) -> str:
        actor = self.context.access.actor
        return actor.display_name if actor is not None else ""

    def _action(self, toolbar: QToolBar, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        toolbar.addAction(action)
        return action

    def _update_titles(self) -> None:
        s = self._settings
        demo = " (پایگاه داده نمایشی)" if s.is_demo else ""
        self.setWindowTitle(f"{APP_NAME_FA} — {hospital_title(s.hospital)}{demo}")
        ruleset = self.context.rulebook.active()
        self.ruleset_label.setText(f"شاخص فعال: {ruleset.name}")
        self.ruleset_label.setToolTip(ruleset.title)
        self.location_label.setText(ltr(self.context.database.location))
        actor = self.context.access.actor
        if actor is not None:
            self.account_button.setText(actor.display_name)
            self.account_button.setToolTip(f"{ltr(actor.username)} — {roles_text(actor.roles)}")

    # --- selection -----------------------------------------------------------------------

    def current_patient_id(self) -> int | None:
        """The patient the panel shows — and the one the actions act on."""
        return self._patient_id

    def _on_patient_selected(self, patient_id: int | None) -> None:
        record = None
        if patient_id is not None:
            try:
                record = self.context.patients.get(patient_id)
            except NotFoundError:
                record = None
        self._patient_id = record.id if record is not None else None
        summary = self._summary(record) if record is not None else None
        self._sealed = summary is not None and summary.seal is not None
        self.edit_patient_action.setEnabled(record is not None and not self._sealed)
        self.assess_action.setEnabled(record is not None and not self._sealed)
        if record is None:
            self.patient_panel.clear()
            return
        self.patient_panel.show_patient(record, self.context.assessments.history(record.id),
                                        summary)

    def _summary(self, record: PatientRecord) -> PatientSummaryView:
        case = self.context.cases.get(record.id)
        residence = residence_verdict(record.identity.address_province,
                                      self._settings.province, self.context.reference) \
            if record.identity.address_province else None
        return PatientSummaryView(
            totals=self.context.costs.totals(record.id),
            case_missing=len(case.record.missing_for_complete())
            if case.version is not None else None,
            residence=residence,
            seal=self.context.seals.current(record.id))

    def refresh_patient(self) -> None:
        if self.signed_out:  # signed out at the lock while a dialog was open
            return
        if self._patient_id is not None and self.patient_list is not None:
            self.patient_list.refresh(select_id=self._patient_id)
            self._on_patient_selected(self._patient_id)

    def _on_patient_activated(self, patient_id: int) -> None:
        self.open_patient(patient_id)
        action = self.edit_patient_action  # not for a director, nor a sealed Form 1
        if action.isVisible() and action.isEnabled():
            self._on_edit_patient()

    def open_patient(self, patient_id: int) -> None:
        """Show a patient and select them in the list. If the list does not hold them
        (another search, or beyond the rows fetched so far) it is narrowed to their
        national code, so that the person sees who is selected."""
        if self.patient_list is None:
            return
        if not self.patient_list.select_patient(patient_id):
            try:
                record = self.context.patients.get(patient_id)
            except NotFoundError:
                return
            self.patient_list.search_edit.setText(record.identity.national_code)
            self.patient_list.select_patient(patient_id)
        self._on_patient_selected(patient_id)  # fresh from the database, even if shown

    # --- actions -------------------------------------------------------------------------

    def _on_new_patient(self) -> None:
        dialog = self.make_patient_dialog(None)
        if (dialog.exec() and dialog.saved_record is not None
                and self.patient_list is not None):
            self.patient_list.refresh(select_id=dialog.saved_record.id)
            self.open_patient(dialog.saved_record.id)

    def make_patient_dialog(self, patient_id: int | None) -> PatientFormDialog:
        record = self.context.patients.get(patient_id) if patient_id is not None else None
        dialog = PatientFormDialog(self.context.patients, self.context.reference, record, self,
                                   hub_province=self._settings.province)
        dialog.open_existing_requested.connect(self.open_patient)
        return dialog

    def _on_edit_patient(self) -> None:
        patient_id = self.current_patient_id()
        if patient_id is None:
            return
        dialog = self.make_patient_dialog(patient_id)
        if dialog.exec() and dialog.saved_record is not None:
            self.refresh_patient()

    def make_questionnaire(self, patient_id: int) -> QuestionnaireDialog:
        record = self.context.patients.get(patient_id)
        return QuestionnaireDialog(
            self.context.rulebook.active(), record.full_name,
            assessments=self.context.assessments, patient_id=patient_id,
            assessor=self._actor_name, drafts=self.context.drafts,
            draft_owner=self._actor_username, parent=self)

    def _on_assess(self) -> None:
        patient_id = self.current_patient_id()
        if patient_id is None:
            return
        dialog = self.make_questionnaire(patient_id)
        if dialog.exec() and dialog.saved_record is not None:
            self.refresh_patient()

    def _on_assessment_opened(self, record: AssessmentRecord) -> None:
        if record.ruleset_id not in self.context.rulebook:
            QMessageBox.warning(self, "شاخص ناشناخته",
                                f"مجموعه قواعد «{record.ruleset_id}» که این ارزیابی با آن "
                                "امتیاز گرفته، در این رایانه نیست.")
            return
        patient = self.context.patients.get(record.patient_id)
        QuestionnaireDialog(self.context.rulebook[record.ruleset_id], patient.full_name,
                            existing=record, parent=self).exec()

    def make_case_dialog(self, patient_id: int) -> CaseFormDialog:
        record = self.context.patients.get(patient_id)
        assert self.context.reference.form1 is not None
        return CaseFormDialog(self.context.cases, self.context.reference.form1, patient_id,
                              record.full_name, record.identity.birth_date,
                              completed_by=self._actor_name, drafts=self.context.drafts,
                              draft_owner=self._actor_username, parent=self)

    def _on_case(self) -> None:
        if self._patient_id is not None and self.make_case_dialog(self._patient_id).exec():
            self.refresh_patient()

    def make_costs_dialog(self, patient_id: int) -> CostsDialog:
        record = self.context.patients.get(patient_id)
        history = self.context.assessments.history(patient_id, limit=1)
        return CostsDialog(self.context.costs, patient_id, record.full_name,
                           self.context.formulary.list(include_inactive=True),
                           history[0] if history else None, self)

    def _on_costs(self) -> None:
        if self._patient_id is not None:
            self.make_costs_dialog(self._patient_id).exec()
            self.refresh_patient()

    def _referral_to_print(self, patient_id: int, action: str) -> int | None:
        """A new referral of the costs not referred yet (after a confirmation), or an
        earlier one chosen from the list (all that a director, who does not refer costs,
        is offered)."""
        if action == "reprint" or Action.EDIT_COSTS not in self.allowed:
            earlier = self.context.referrals.list(patient_id)
            if not earlier:
                QMessageBox.information(self, "معرفی‌نامه", "برای این بیمار هنوز معرفی‌نامه‌ای "
                                                        "صادر نشده است.")
                return None
            labels = [f"شماره {fa(r.number)} — {jdate(r.created_on)} — {fa(r.items)} قلم، "
                      f"حمایت {money(r.total_support)}" for r in reversed(earlier)]
            choice, ok = QInputDialog.getItem(self, "چاپ دوباره معرفی‌نامه", "معرفی‌نامه:",
                                              labels, 0, False)
            return list(reversed(earlier))[labels.index(choice)].number if ok else None
        waiting = [c for c in self.context.costs.list(patient_id) if c.referral is None]
        if not waiting:
            QMessageBox.information(self, "معرفی‌نامه", NothingToReferError(patient_id).message_fa)
            return None
        if not self.context.assessments.history(patient_id, limit=1):
            QMessageBox.warning(self, "معرفی‌نامه", "این بیمار هنوز ارزیابی نشده است.")
            return None
        support = sum(c.support.amount for c in waiting)
        answer = QMessageBox.question(
            self, "معرفی به حسابداری",
            f"{fa(len(waiting))} قلم هزینه با جمع حمایت {money(support)} به حسابداری معرفی "
            "می‌شود و پس از آن دیگر قابل ویرایش نیست. معرفی‌نامه صادر شود؟")
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return self.context.referrals.create(patient_id).number

    def _on_print(self, kind: str, action: str) -> None:
        if self._patient_id is None:
            return
        record = self.context.patients.get(self._patient_id)
        subject: int | None = record.id
        if kind == "referral":
            subject = self._referral_to_print(record.id, action)
            if subject is None:
                return
            self._on_patient_selected(record.id)  # the costs are now referred
        passphrase = None
        if action == "signed":
            if not self._sealed:
                QMessageBox.information(self, "امضای دیجیتال",
                                        "فرم ۱ این بیمار هنوز تأیید نشده است؛ تنها فرم "
                                        "تأییدشده امضا می‌شود.")
                return
            passphrase = self.ask_signing_passphrase()
            if passphrase is None:
                return
        from cancer_desk.print.signing import SigningError  # cryptography, when printing

        try:
            path = write_pdf(kind, self.context.documents, subject)
            if passphrase is not None:
                self._sign_in_place(record.id, path, passphrase)
        except SigningError as exc:
            QMessageBox.warning(self, "امضا نشد", exc.message_fa)
            return
        except (DocumentUnavailableError, OSError) as exc:
            QMessageBox.warning(self, "چاپ نشد", print_failure_fa(exc))
            return
        self.last_printed = path
        self.statusBar().showMessage(f"نوشته شد: {path.name}", 8000)
        if action == "printer":
            print_pdf(path, self)
        else:
            show_pdf(self, path)

    def ask_signing_passphrase(self) -> str | None:
        passphrase, ok = QInputDialog.getText(
            self, "امضای دیجیتال", "رمز گواهی امضای بیمارستان:", QLineEdit.EchoMode.Password)
        return passphrase if ok else None

    def _sign_in_place(self, patient_id: int, path: Path, passphrase: str) -> None:
        """Replace the PDF just written by its signed copy, or remove it: an unsigned
        file is never left where a signed one was asked for."""
        try:
            signed = self.context.signing.sign_form1(patient_id, path.read_bytes(),
                                                     passphrase)
            path.write_bytes(signed)
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    def drafts_notice(self) -> str:
        """Unsaved questionnaires and Forms 1 this person left when the program last
        stopped, named with where to get them back, or "" when there are none."""
        # kind → (what was left unsaved, the button that offers it back, who may); the
        # buttons named as they read on screen.
        places = {
            questionnaire.DRAFT_KIND: ("پرسشنامه ارزیابی", self.assess_action.text(),
                                       Action.ASSESS),
            case_form.DRAFT_KIND: ("فرم شماره ۱", self.patient_panel.case_button.text(),
                                   Action.EDIT_CASE),
        }
        names: dict[str, list[str]] = {kind: [] for kind in places}
        for draft in self.context.drafts.pending(self._actor_username):
            if draft.kind not in places or places[draft.kind][2] not in self.allowed:
                continue  # kept: the role may come back, and the work with it
            try:
                names[draft.kind].append(self.context.patients.get(draft.patient_id).full_name)
            except NotFoundError:
                self.context.drafts.discard(draft.kind, draft.patient_id,
                                            self._actor_username)
        lines = [f"• {what}: " + "، ".join(f"«{n}»" for n in names[kind])
                 + f" — دکمه «{button}»"
                 for kind, (what, button, _may) in places.items() if names[kind]]
        if not lines:
            return ""
        return ("برنامه دفعه پیش پیش از ذخیره شدن این کارها بسته شد (شاید برق رفت)؛ آنچه "
                "نوشته شده بود نگه داشته شده است:\n" + "\n".join(lines)
                + "\nبیمار را باز کنید و همان دکمه را بزنید تا بازگردانی آن پیشنهاد شود.")

    def start_daily_backup(self, *, at_start: bool = False) -> Job | None:
        """The day's copy, if it is still to be made, on a worker thread: the window is
        usable meanwhile and the status bar says how it goes. A copy that fails is said
        there; at the program's start (``at_start``) in a message box as well. ``None``
        if there is nothing to do now."""
        try:
            job = daily_backup.start(self.context.backups)
        except NotOnFileError:
            self.daily_backup_timer.stop()  # a server's database: the server's own care
            return None
        if job is None:
            return None
        self._daily_backup_at_start = at_start
        self.statusBar().showMessage(daily_backup.RUNNING_FA)
        when_done(self, job, self._on_daily_backup_done)
        return job

    def _on_daily_backup(self) -> None:
        self.start_daily_backup()

    def start_daily_backup_at_start(self) -> None:
        self.start_daily_backup(at_start=True)

    def _on_daily_backup_done(self, job: Job) -> None:
        status = self.statusBar()
        error = job.take_error()
        if error is None:
            if job.result is not None:
                status.showMessage(daily_backup.MADE_FA, 8000)
            elif status.currentMessage() == daily_backup.RUNNING_FA:
                status.clearMessage()  # made meanwhile by another program on this PC
            return
        if isinstance(error, NotOnFileError):
            self.daily_backup_timer.stop()
            status.clearMessage()
            return
        if not isinstance(error, BackupError | OSError):
            status.clearMessage()
            raise error  # the program's handler says it
        status.showMessage(daily_backup.NOT_MADE_FA)
        if self._daily_backup_at_start and not self.signed_out:
            QMessageBox.warning(self, APP_NAME_FA, daily_backup.failure_at_start_fa(error))

    def _on_backups(self) -> None:
        from cancer_desk.ui.backups import BackupsDialog

        if self.context.database.sqlite_file is None:  # on a server: the server's own care
            QMessageBox.information(self, "پشتیبان‌گیری", NotOnFileError().message_fa)
            return
        dialog = BackupsDialog(self.context.backups, self.context.settings, self)
        dialog.exec()
        if dialog.restored:  # the accounts and records are the backup's: sign in again
            self.sign_out()

    def _on_signing(self) -> None:
        from cancer_desk.ui.signing import SigningCertificateDialog

        SigningCertificateDialog(self.context.signing, self).exec()

    def _on_import(self) -> None:
        dialog = ImportPatientsDialog(self.context.imports, self)
        dialog.exec()
        if dialog.imported and self.patient_list is not None:
            self.patient_list.refresh()

    def make_form2_window(self) -> Form2Window:
        return Form2Window(self.context, self._actor_name, self)

    def _on_form2(self) -> None:
        window = self.make_form2_window()
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # not kept till exit
        window.exec()

    def _on_dashboard(self) -> None:
        from cancer_desk.ui.dashboard import DashboardWindow  # Qt Charts: loaded when asked

        DashboardWindow(self.context, self).exec()

    def _on_rollup(self) -> None:
        """The roll-up lives in a database of its own, beside the hospital's."""
        from cancer_desk.app import open_context, patient_count
        from cancer_desk.db.database import DatabaseOpenError
        from cancer_desk.paths import rollup_database_url

        try:
            rollup = open_context(rollup_database_url())
        except DatabaseOpenError as exc:
            QMessageBox.warning(self, "تجمیع بسته‌ها", f"پایگاه تجمیع باز نشد: {exc}")
            return
        if patient_count(rollup):
            rollup.close()
            QMessageBox.warning(self, "تجمیع بسته‌ها",
                                "پرونده تجمیع بیماران یک بیمارستان را در خود دارد و برای تجمیع "
                                "به کار نمی‌رود.")
            return
        try:
            window = RollupWindow(rollup, self)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its database closes
            window.exec()
        finally:
            rollup.close()

    def _on_formulary(self) -> None:
        FormularyDialog(self.context.formulary, self).exec()

    def _on_settings(self) -> None:
        dialog = SetupDialog(self.context.settings, self.context.reference, self._settings, self)
        if dialog.exec() and dialog.saved is not None:
            self._settings = dialog.saved
            self._update_titles()

    # --- approving Form 1 ----------------------------------------------------------------

    def _on_approve(self) -> None:
        if self._patient_id is None:
            return
        record = self.context.patients.get(self._patient_id)
        if QMessageBox.question(
                self, "تأیید فرم ۱",
                f"فرم ۱ «{record.full_name}» همان‌گونه که هست تأیید و مهر شود؟ از این پس تا "
                "برداشتن مهر، مشخصات، ارزیابی‌ها و هزینه‌های این بیمار تغییر نمی‌کند و برگه "
                "چاپی کد و QR تأیید را دارد.") != QMessageBox.StandardButton.Yes:
            return
        try:
            seal = self.context.seals.approve(self._patient_id)
        except SealRefusedError as exc:
            QMessageBox.warning(self, "تأیید نشد", exc.message_fa)
            return
        self.refresh_patient()
        QMessageBox.information(self, "فرم ۱ تأیید شد",
                                f"فرم ۱ تأیید و مهر شد؛ کد برگه: {ltr(seal.code)}\nاکنون آن "
                                "را چاپ کنید تا برای مهر و امضا برود.")

    def _on_unseal(self) -> None:
        if self._patient_id is None:
            return
        seal = self.context.seals.current(self._patient_id)
        if seal is None:
            self.refresh_patient()
            return
        record = self.context.patients.get(self._patient_id)
        dialog = UnsealDialog(record.full_name, seal.code, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.context.seals.unseal(self._patient_id, dialog.reason)
        except SealRefusedError as exc:
            QMessageBox.warning(self, "مهر برداشته نشد", exc.message_fa)
        self.refresh_patient()

    def _on_patient_changes(self) -> None:
        if self._patient_id is None:
            return
        patient_id = self._patient_id
        record = self.context.patients.get(patient_id)
        HistoryDialog(f"سابقه تغییرات — {record.full_name}",
                      lambda: self.context.audit.patient_history(patient_id),
                      parent=self).exec()

    def _on_verify_print(self) -> None:
        VerifyPrintDialog(self.context.seals, self).exec()

    # --- accounts and the trail ------------------------------------------------------------

    def _on_accounts(self) -> None:
        AccountsDialog(self.context.accounts, self.context.settings, self).exec()
        settings = self.context.settings.get()
        if settings is not None:
            self._settings = settings
            self.idle_watcher.minutes = settings.idle_lock_minutes
        self._update_titles()

    def _on_audit(self) -> None:
        HistoryDialog("سابقه همه تغییرها (پانصد ردیف آخر)",
                      lambda: self.context.audit.recent(limit=500),
                      audit=self.context.audit, parent=self).exec()

    def _on_change_password(self) -> None:
        if ChangePasswordDialog(self.context.accounts, parent=self).exec():
            self.statusBar().showMessage("گذرواژه تازه ذخیره شد.", 8000)

    def lock(self, *, by_hand: bool = False) -> None:
        """Cover the window until the same person's password is typed again; work in
        open dialogs stays as it was. ``by_hand``: Ctrl+L or the menu, not the idle
        time (the lock window says which)."""
        if self.signed_out or self.context.access.actor is None:
            return
        self.idle_watcher.paused = True
        parent = QApplication.activeModalWidget() or self
        # Every open window is covered, so what was on screen cannot be read meanwhile;
        # the dialogs underneath keep their state.
        self.covers = [cover(widget) for widget in QApplication.topLevelWidgets()
                       if widget.isVisible() and self._owns(widget)]
        dialog = LockDialog(self.context.accounts, parent, by_hand=by_hand)
        try:
            result = dialog.exec()
            # Gone now, through the binding: a new one is made at each lock, and one left
            # to die with its window leaves Python a wrapper of a deleted dialog at exit.
            shiboken6.delete(dialog)
        finally:
            for shade in self.covers:  # kept hidden for next time: goes with its window
                shade.hide()
            self.covers = []
        if result == LockDialog.SIGN_OUT:
            self.sign_out()
        else:
            self.idle_watcher.resume()

    def _owns(self, widget: QWidget) -> bool:
        """``widget`` is this window or one of its dialogs (at any depth)."""
        while widget is not None:
            if widget is self:
                return True
            widget = widget.parentWidget()
        return False

    def sign_out(self) -> None:
        """Record the sign-out, close every window of this session: the sign-in comes back."""
        self.signed_out = True
        self.idle_watcher.stop()
        self.context.accounts.sign_out()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                if isinstance(widget, DraftKeeping):  # the work waits for their return
                    widget.close_keeping_draft()
                else:
                    widget.reject()
        self.close()

    # The idle watcher sees the whole program's input only while this window is on
    # screen: a filter left on the application after its window is gone would be called
    # while Python and Qt take each other down at exit.
    def showEvent(self, event) -> None:
        QApplication.instance().installEventFilter(self.idle_watcher)
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        QApplication.instance().removeEventFilter(self.idle_watcher)
        super().hideEvent(event)

    def closeEvent(self, event) -> None:
        self.idle_watcher.stop()
        QApplication.instance().removeEventFilter(self.idle_watcher)
        super().closeEvent(event)


def cover(widget: QWidget) -> QLabel:
    """An opaque sheet over ``widget`` while the program is locked (made once per
    window, then shown and hidden)."""
    shade = widget.findChild(QLabel, "lock_cover", Qt.FindChildOption.FindDirectChildrenOnly)
    if shade is None:
        shade = QLabel("برنامه قفل است.", widget)
        shade.setObjectName("lock_cover")
        shade.setAlignment(Qt.AlignmentFlag.AlignCenter)
        shade.setAutoFillBackground(True)
        shade.setStyleSheet("background: #eceff1; color: #5f6368; font-size: 14pt;")
    shade.setGeometry(widget.rect())
    shade.show()
    shade.raise_()
    return shade
