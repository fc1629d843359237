"""The main window: patient list on one side, the chosen patient on the other; what
the signed-in person's roles allow, and nothing else.

The window lays out the list, the panel, the toolbar (``ui/main_toolbar.py``, as data)
and the session (lock, sign-out); the work is done in its rooms (``ui/rooms``), which
announce what they changed on ``records`` — the window, listening, refreshes what it
shows."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QToolBar,
    QToolButton,
    QWhatsThis,
    QWidget,
)

from cancer_desk.app import AppContext
from cancer_desk.core.access import Action
from cancer_desk.core.records import HubSettingsRecord, PatientRecord
from cancer_desk.core.reference import hospital_title
from cancer_desk.core.residence import residence_verdict
from cancer_desk.services.errors import NotFoundError
from cancer_desk.ui import records_changed
from cancer_desk.ui.about import AboutDialog
from cancer_desk.ui.accounts import roles_text
from cancer_desk.ui.draft_keeping import DraftKeeping
from cancer_desk.ui.help_window import show_help
from cancer_desk.ui.idle import IdleWatcher
from cancer_desk.ui.main_toolbar import MAIN_TOOLBAR
from cancer_desk.ui.patient_list import PatientListView
from cancer_desk.ui.patient_panel import PatientPanel, PatientSummaryView
from cancer_desk.ui.records_changed import RecordsChanged
from cancer_desk.ui.rooms.backups import BackupRoom
from cancer_desk.ui.rooms.hospital import HospitalRoom
from cancer_desk.ui.rooms.patients import PatientRoom
from cancer_desk.ui.rooms.printing import PrintRoom
from cancer_desk.ui.rooms.seals import SealRoom
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.sign_in import LockDialog
from cancer_desk.ui.text import fa, ltr


class MainWindow(QMainWindow):
    # Made from MAIN_TOOLBAR (ui/main_toolbar.py), one attribute per entry.
    new_patient_action: QAction
    edit_patient_action: QAction
    assess_action: QAction
    form2_action: QAction
    dashboard_action: QAction
    import_action: QAction
    formulary_action: QAction
    settings_action: QAction
    signing_action: QAction
    backups_action: QAction
    rollup_action: QAction
    accounts_action: QAction
    audit_action: QAction
    verify_print_action: QAction

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        settings = context.settings.get()
        assert settings is not None, "the setup dialog runs before the main window"
        self.hub_settings: HubSettingsRecord = settings
        self._patient_id: int | None = None  # the patient shown in the panel
        self.shown_sealed = False  # the shown patient's Form 1 is approved and sealed
        self.signed_out = False  # closed by signing out: the sign-in window comes back
        self.covers: list[QLabel] = []  # over every window while the program is locked
        self.allowed = frozenset(a for a in Action if context.access.may(a))
        fit_to_screen(self, 1280, 800)
        # What the rooms changed; the window (and any window that shows records) listens.
        self.records = RecordsChanged(self)
        self.records.changed.connect(self._on_records_changed)

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

        self.patient_room = PatientRoom(self)
        self.print_room = PrintRoom(self)
        self.seal_room = SealRoom(self)
        self.hospital_room = HospitalRoom(self)
        self.backup_room = BackupRoom(self)
        self._make_patients_menu()
        self._make_toolbar()
        self._make_help_menu()

        self.ruleset_label = QLabel()
        self.location_label = QLabel()
        self.location_label.setProperty("role", "hint")
        self.statusBar().addWidget(self.ruleset_label)
        self.formulary_label = QLabel()  # an empty or stale list of covered drugs, said
        self.formulary_label.setObjectName("formulary_status")
        self.formulary_label.setProperty("role", "notice")
        self.statusBar().addWidget(self.formulary_label)
        self.statusBar().addPermanentWidget(QLabel("پایگاه داده:"))
        self.statusBar().addPermanentWidget(self.location_label)

        if self.patient_list is not None:
            self.patient_list.patient_selected.connect(self._on_patient_selected)
            self.patient_list.patient_activated.connect(self._on_patient_activated)
        panel = self.patient_panel
        panel.approve_requested.connect(self.seal_room.approve)
        panel.unseal_requested.connect(self.seal_room.unseal)
        panel.changes_requested.connect(self.seal_room.patient_changes)
        panel.edit_requested.connect(self.patient_room.edit_patient)
        panel.assess_requested.connect(self.patient_room.assess)
        panel.assessment_opened.connect(self.patient_room.show_assessment)
        panel.case_requested.connect(self.patient_room.edit_case)
        panel.costs_requested.connect(self.patient_room.edit_costs)
        panel.print_requested.connect(self.print_room.print_paper)
        self._update_titles()
        self.show_formulary_warning()
        self._on_patient_selected(None)
        # No parent: the application holds the filter while it is installed, and a filter
        # whose parent window is deleted first would leave it holding a dead object.
        self.idle_watcher = IdleWatcher(settings.idle_lock_minutes)
        self.idle_watcher.idle.connect(self.lock)
        self.idle_watcher.lock_asked.connect(self.lock_by_hand)  # Ctrl+L over a form

    def _make_toolbar(self) -> None:
        """``MAIN_TOOLBAR``'s groups, a separator between two groups shown; the account
        menu in the menu bar's corner."""
        toolbar = QToolBar("کارها")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        # (separator before the group or None, [(action, what it needs)])
        self._toolbar_groups: list[tuple[QAction | None, list[tuple[QAction, Action | None]]]] = []
        for number, group in enumerate(MAIN_TOOLBAR):
            separator = toolbar.addSeparator() if number else None
            actions = []
            for entry in group:
                action = QAction(entry.text, self)
                action.setObjectName(entry.name)
                if entry.shortcut is not None:
                    action.setShortcut(entry.shortcut)
                action.triggered.connect(getattr(getattr(self, entry.room), entry.method))
                toolbar.addAction(action)
                setattr(self, entry.name, action)
                actions.append((action, entry.needs))
            self._toolbar_groups.append((separator, actions))
        self._show_allowed_actions()
        self.account_button = QToolButton()
        self.account_button.setObjectName("account_button")
        self.account_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        account_menu = QMenu(self.account_button)
        self.change_password_action = account_menu.addAction("تغییر گذرواژه…")
        self.change_password_action.triggered.connect(self.hospital_room.change_password)
        self.lock_action = account_menu.addAction("قفل کردن برنامه")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_by_hand)
        self.addAction(self.lock_action)
        self.sign_out_action = account_menu.addAction("خروج از حساب")
        self.sign_out_action.triggered.connect(self.sign_out)
        self.account_button.setMenu(account_menu)
        # In the menu bar's far corner, not at the toolbar's end: a toolbar too wide for
        # the screen hides its last buttons behind «»», and signing out must never be.
        # (Qt mirrors the corner in a right-to-left window: "right" is the far end there.)
        self.menuBar().setCornerWidget(self.account_button, Qt.Corner.TopRightCorner)
        self.find_action = QAction("جستجو", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        if self.patient_list is not None:
            self.find_action.triggered.connect(self.patient_list.search_edit.setFocus)
        self.addAction(self.find_action)

    def _make_patients_menu(self) -> None:
        """«بیماران»: the records that may be one person twice. In the menu bar, not the
        toolbar: the toolbar fills a 1366-pixel screen already."""
        self.patients_menu = self.menuBar().addMenu("بیماران")
        self.duplicates_action = self.patients_menu.addAction("پرونده‌های تکراری…")
        self.duplicates_action.setObjectName("duplicates_action")
        self.duplicates_action.triggered.connect(self.hospital_room.duplicates)

    def _make_help_menu(self) -> None:
        """«راهنما»: the guide (F1), «این چیست؟» (Shift+F1: click anything to hear what it
        is; in a form, Shift+F1 tells what the field being filled in wants), and «درباره»."""
        menu = self.menuBar().addMenu("راهنما")
        self.help_action = menu.addAction("راهنمای برنامه")
        self.help_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.help_action.triggered.connect(lambda: show_help(self))
        self.whats_this_action = QWhatsThis.createAction(self)
        self.whats_this_action.setText("این چیست؟")
        self.whats_this_action.setShortcut(QKeySequence("Shift+F1"))
        menu.addAction(self.whats_this_action)
        menu.addSeparator()
        self.about_action = menu.addAction("درباره میز حمایت…")
        self.about_action.triggered.connect(lambda: self.make_about_dialog().exec())

    def make_about_dialog(self) -> AboutDialog:
        return AboutDialog(self.context, self)

    def _show_allowed_actions(self) -> None:
        shown_before = False  # a group shown earlier: the next shown one gets its separator
        for separator, actions in self._toolbar_groups:
            shown = False
            for action, needed in actions:
                action.setVisible(needed is None or needed in self.allowed)
                shown = shown or action.isVisible()
            if separator is not None:
                separator.setVisible(shown and shown_before)
            shown_before = shown_before or shown
        may_merge = Action.MERGE_PATIENTS in self.allowed
        self.duplicates_action.setVisible(may_merge)
        self.patients_menu.menuAction().setVisible(may_merge)
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
    def actor_username(self) -> str:
        actor = self.context.access.actor
        return actor.username if actor is not None else ""

    @property
    def actor_name(self) -> str:
        actor = self.context.access.actor
        return actor.display_name if actor is not None else ""

    def show_formulary_warning(self) -> None:
        """In the status bar, for everyone: an empty list means no drug cost is supported."""
        warning = self.context.formulary.status().warning
        self.formulary_label.setText((warning or "").split("؛")[0])  # the rest in the tip
        self.formulary_label.setToolTip(warning or "")
        self.formulary_label.setVisible(warning is not None)
        # Said whole: the database's path gives way first.
        self.formulary_label.setMinimumWidth(self.formulary_label.sizeHint().width())

    def _update_titles(self) -> None:
        s = self.hub_settings
        demo = " (پایگاه داده نمایشی)" if s.is_demo else ""
        # Qt adds the program's name (the application's display name) to every title.
        self.setWindowTitle(f"{hospital_title(s.hospital)}{demo}")
        ruleset = self.context.rulebook.active()
        self.ruleset_label.setText(f"شاخص فعال: {ruleset.name}")
        self.ruleset_label.setToolTip(ruleset.title)
        self.location_label.setText(ltr(self.context.database.location))
        actor = self.context.access.actor
        if actor is not None:
            self.account_button.setText(actor.display_name)
            self.account_button.setToolTip(f"{ltr(actor.username)} — {roles_text(actor.roles)}")

    # --- what changed ----------------------------------------------------------------------

    def _on_records_changed(self, kind: str, record_id: int) -> None:
        if kind == records_changed.SETTINGS:
            settings = self.context.settings.get()
            if settings is not None:
                self.hub_settings = settings
                self.idle_watcher.minutes = settings.idle_lock_minutes
            self._update_titles()
            return
        if self.signed_out:  # signed out at the lock while a dialog was open
            return
        if self.patient_list is not None:  # a name, a score or a seal shown in the list
            # Quietly: the list's reselecting the patient shown is no new choice of the
            # person's; the panel is read again below only if its patient changed.
            with QSignalBlocker(self.patient_list):
                self.patient_list.refresh(select_id=self._patient_id)
        if self._patient_id is not None and (kind == records_changed.MANY_PATIENTS
                                             or record_id == self._patient_id):
            self._on_patient_selected(self._patient_id)

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
        self.shown_sealed = summary is not None and summary.seal is not None
        self.edit_patient_action.setEnabled(record is not None and not self.shown_sealed)
        self.assess_action.setEnabled(record is not None and not self.shown_sealed)
        if record is None:
            self.patient_panel.clear()
            return
        self.patient_panel.show_patient(record, self.context.assessments.history(record.id),
                                        summary)

    def _summary(self, record: PatientRecord) -> PatientSummaryView:
        case = self.context.cases.get(record.id)
        residence = residence_verdict(record.identity.address_province,
                                      self.hub_settings.province, self.context.reference) \
            if record.identity.address_province else None
        return PatientSummaryView(
            totals=self.context.costs.totals(record.id),
            case_missing=tuple(case.record.missing_labels(self.context.reference.form1))
            if case.version is not None else None,
            residence=residence,
            seal=self.context.seals.current(record.id))

    def _on_patient_activated(self, patient_id: int) -> None:
        """A double click or Enter on a row: the patient's form, where it may be edited."""
        self.open_patient(patient_id)
        action = self.edit_patient_action  # not for a director, nor a sealed Form 1
        if action.isVisible() and action.isEnabled():
            self.patient_room.edit_patient()

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
            # In Persian digits, as a person types it (the search reads both).
            self.patient_list.search_edit.setText(fa(record.identity.national_code))
            self.patient_list.select_patient(patient_id)
        self._on_patient_selected(patient_id)  # fresh from the database, even if shown

    # --- the session -----------------------------------------------------------------------

    def lock_by_hand(self) -> None:
        self.lock(by_hand=True)

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

    def _owns(self, widget: QWidget | None) -> bool:
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
        application().installEventFilter(self.idle_watcher)
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        application().removeEventFilter(self.idle_watcher)
        super().hideEvent(event)

    def closeEvent(self, event) -> None:
        self.idle_watcher.stop()
        application().removeEventFilter(self.idle_watcher)
        super().closeEvent(event)


def application() -> QApplication:
    """The running application (a window exists only inside one)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


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
