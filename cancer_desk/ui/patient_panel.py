"""The selected patient: identity at a glance and the history of assessments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.access import Action
from cancer_desk.core.case import name_list
from cancer_desk.core.costs import money
from cancer_desk.core.jalali import local_date
from cancer_desk.core.patient import LABELS, NATIONALITY_CHOICES, SEX_CHOICES
from cancer_desk.core.records import AssessmentRecord, CostTotals, PatientRecord
from cancer_desk.core.reference import ReferenceData
from cancer_desk.core.residence import ResidenceVerdict
from cancer_desk.core.rules import RuleBook
from cancer_desk.print.registry import DOCUMENTS
from cancer_desk.services.seals import SealRecord
from cancer_desk.ui.text import fa, jdate, ltr, percent, percent_words, phone
from cancer_desk.ui.widgets.record_table import record_table

_HISTORY_COLUMNS = ("تاریخ ارزیابی", "امتیاز", "پوشش", "شاخص (مجموعه قواعد)", "ارزیاب")
_APPROVE_TIP = ("فرم ۱ را همان‌گونه که هست تأیید می‌کند؛ از آن پس تا برداشتن مهر، مشخصات، "
                "ارزیابی و هزینه‌های بیمار تغییر نمی‌کند.")


def empty_text(allowed: frozenset[Action]) -> str:
    """What the panel says before a patient is chosen: only what this person can do."""
    if Action.EDIT_PATIENTS in allowed:
        return "بیماری را از فهرست انتخاب کنید، یا «بیمار جدید» را بزنید."
    if Action.APPROVE_FORMS in allowed:
        return ("بیماری را از فهرست انتخاب کنید (با جست‌وجوی نام یا کد ملی) تا پرونده و "
                "فرم ۱ او را ببینید، چاپ کنید یا تأیید و مهر کنید.")
    return "بیماری را از فهرست انتخاب کنید (با جست‌وجوی نام یا کد ملی) تا پرونده او را ببینید."


def form1_status(case_missing: Sequence[str] | int | None) -> str:
    """Form 1's completeness in a sentence, naming what is still empty."""
    if case_missing is None:
        return "فرم ۱: بخش تشخیص و درمان هنوز پر نشده است."
    if isinstance(case_missing, int):  # a count alone, from a caller not naming the items
        return (f"فرم ۱: {fa(case_missing)} مورد لازم هنوز خالی است." if case_missing
                else "فرم ۱ کامل است.")
    if not case_missing:
        return "فرم ۱ کامل است."
    return (f"فرم ۱: {fa(len(case_missing))} مورد لازم هنوز خالی است: "
            f"{name_list(case_missing)}.")


@dataclass(frozen=True)
class PatientSummaryView:
    """What the panel shows besides identity and history."""

    totals: CostTotals
    # The labels of the items Form 1 still lacks (as its window shows them; a bare count
    # is still understood); None: no case record yet.
    case_missing: Sequence[str] | int | None
    residence: ResidenceVerdict | None
    seal: SealRecord | None = None  # the director's approval in force, if any


class PatientPanel(QWidget):
    edit_requested = Signal()
    assess_requested = Signal()
    case_requested = Signal()
    costs_requested = Signal()
    print_requested = Signal(str, str)  # document kind, "open" or "printer"
    assessment_opened = Signal(object)  # AssessmentRecord
    approve_requested = Signal()
    unseal_requested = Signal()
    changes_requested = Signal()  # who changed what

    def __init__(self, reference: ReferenceData, rulebook: RuleBook,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reference = reference
        self._rulebook = rulebook
        self._history: list[AssessmentRecord] = []
        self._allowed: frozenset[Action] = frozenset(Action)

        self.empty_label = QLabel(empty_text(self._allowed))
        self.empty_label.setObjectName("empty_label")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setProperty("role", "hint")

        self.name_label = QLabel()
        self.name_label.setObjectName("patient_name_label")
        self.name_label.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.coverage_label = QLabel()
        self.coverage_label.setObjectName("patient_coverage_label")
        self.coverage_label.setProperty("role", "coverage")
        self.edit_button = QPushButton("ویرایش مشخصات")
        self.edit_button.setObjectName("edit_patient_button")
        self.edit_button.clicked.connect(self.edit_requested)
        self.assess_button = QPushButton("ارزیابی جدید")
        self.assess_button.setObjectName("assess_button")
        self.assess_button.clicked.connect(self.assess_requested)
        self.case_button = QPushButton("پرونده بیماری (فرم ۱)")
        self.case_button.setObjectName("case_button")
        self.case_button.clicked.connect(self.case_requested)
        self.costs_button = QPushButton("هزینه‌ها و حمایت")
        self.costs_button.setObjectName("costs_button")
        self.costs_button.clicked.connect(self.costs_requested)
        self.approve_button = QPushButton("تأیید و مهر فرم ۱")
        self.approve_button.setObjectName("approve_button")
        self.approve_button.setToolTip(_APPROVE_TIP)
        self.approve_button.clicked.connect(self.approve_requested)
        self.unseal_button = QPushButton("برداشتن مهر…")
        self.unseal_button.setObjectName("unseal_button")
        self.unseal_button.clicked.connect(self.unseal_requested)
        self.changes_button = QPushButton("سابقه تغییرات")
        self.changes_button.setObjectName("changes_button")
        self.changes_button.clicked.connect(self.changes_requested)
        self.seal_label = QLabel()
        self.seal_label.setObjectName("seal_label")
        self.seal_label.setWordWrap(True)
        self.seal_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_buttons: dict[str, QToolButton] = {}
        for kind in DOCUMENTS.values():
            print_button = QToolButton()
            print_button.setObjectName(f"print_{kind.name}_button")
            print_button.setText(f"چاپ {kind.title}")
            print_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
            menu = QMenu(print_button)
            open_action = menu.addAction("باز کردن PDF")
            open_action.triggered.connect(
                lambda _c=False, k=kind.name: self.print_requested.emit(k, "open"))
            printer_action = menu.addAction("فرستادن به چاپگر…")
            printer_action.triggered.connect(
                lambda _c=False, k=kind.name: self.print_requested.emit(k, "printer"))
            if kind.name == "form1":  # only an approved form is signed
                self.signed_form1_action = menu.addAction("PDF با امضای دیجیتال…")
                self.signed_form1_action.triggered.connect(
                    lambda _c=False: self.print_requested.emit("form1", "signed"))
            if kind.name == "referral":
                again = menu.addAction("چاپ دوباره معرفی‌نامه‌ای که پیش‌تر صادر شده…")
                again.triggered.connect(lambda _c=False: self.print_requested.emit(
                    "referral", "reprint"))
            print_button.setMenu(menu)
            print_button.clicked.connect(
                lambda _c=False, k=kind.name: self.print_requested.emit(k, "open"))
            self.print_buttons[kind.name] = print_button
        self.status_label = QLabel()
        self.status_label.setObjectName("patient_status_label")
        self.status_label.setWordWrap(True)
        self.residence_label = QLabel()
        self.residence_label.setObjectName("patient_residence_label")
        self.residence_label.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(self.name_label, 1)
        header.addWidget(self.coverage_label)

        self.details = QGridLayout()
        self.details.setColumnStretch(1, 1)
        self.details.setColumnStretch(3, 1)
        details_box = QGroupBox("مشخصات")
        details_box.setLayout(self.details)

        self.history_table = record_table("history_table", "سابقه ارزیابی‌ها و هزینه‌ها",
                                          _HISTORY_COLUMNS, one_at_a_time=False)
        self.history_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self.history_table.cellDoubleClicked.connect(self._on_history_double_clicked)
        self.history_table.setToolTip("برای دیدن پاسخ‌های یک ارزیابی، روی آن دو بار کلیک کنید.")
        history_box = QGroupBox("سابقه ارزیابی‌ها")
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history_table)

        buttons = QHBoxLayout()
        for button in (self.assess_button, self.case_button, self.costs_button,
                       self.edit_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        print_row = QHBoxLayout()
        for print_button in self.print_buttons.values():
            print_row.addWidget(print_button)
        print_row.addStretch(1)
        seal_row = QHBoxLayout()
        for button in (self.approve_button, self.unseal_button, self.changes_button):
            seal_row.addWidget(button)
        seal_row.addStretch(1)

        # The buttons come first, under the name: the lines below them (the address, the
        # residence, Form 1's status and the seal) wrap to any length, and a button that
        # moved down as a line grew would take a click meant for another.
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.addLayout(header)
        page_layout.addLayout(buttons)
        page_layout.addLayout(print_row)
        page_layout.addLayout(seal_row)
        page_layout.addWidget(details_box)
        page_layout.addWidget(self.residence_label)
        page_layout.addWidget(self.status_label)
        page_layout.addWidget(self.seal_label)
        page_layout.addWidget(history_box, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def clear(self) -> None:
        self.stack.setCurrentIndex(0)

    def set_allowed(self, allowed: frozenset[Action]) -> None:
        """What the signed-in person's roles allow: the rest is hidden."""
        self._allowed = allowed
        self.empty_label.setText(empty_text(allowed))
        for button, action in ((self.edit_button, Action.EDIT_PATIENTS),
                               (self.assess_button, Action.ASSESS),
                               (self.case_button, Action.EDIT_CASE),
                               (self.approve_button, Action.APPROVE_FORMS),
                               (self.unseal_button, Action.APPROVE_FORMS)):
            button.setVisible(action in allowed)
        for print_button in self.print_buttons.values():
            print_button.setVisible(Action.PRINT_FORMS in allowed)

    def show_patient(self, record: PatientRecord, history: list[AssessmentRecord],
                     summary: PatientSummaryView | None = None) -> None:
        identity = record.identity
        self.name_label.setText(f"{identity.first_name} {identity.last_name}")
        latest = history[0] if history else None
        self.coverage_label.setText(
            f"پوشش {percent_words(latest.coverage_percent)}" if latest else "هنوز ارزیابی نشده")
        group = self._reference.cancer_group(identity.cancer_group_id)
        address = "، ".join(p for p in (identity.address_province, identity.address_city,
                                        identity.address_street, identity.address_alley) if p)
        if identity.address_plaque:
            address += f"، پلاک {fa(identity.address_plaque)}"
        rows = [
            (LABELS["national_code"], fa(identity.national_code)),
            (LABELS["father_name"], identity.father_name),
            (LABELS["sex"], SEX_CHOICES.get(identity.sex, "")),
            (LABELS["birth_date"], jdate(identity.birth_date)),
            (LABELS["cancer_group_id"], group.short_label if group else ""),
            (LABELS["nationality"], NATIONALITY_CHOICES.get(identity.nationality, "")),
            (LABELS["insurance_type"], identity.insurance_type),
            (LABELS["phone"], phone(identity.phone)),
            ("نشانی", address),
        ]
        while self.details.count():
            item = self.details.takeAt(0)
            shown_before = item.widget() if item is not None else None
            if shown_before is not None:
                shown_before.deleteLater()
        for index, (label, value) in enumerate(rows):
            row, column = divmod(index, 2)
            if label == "نشانی":
                row, column = (len(rows) + 1) // 2, 0
            caption = QLabel(f"{label}:")
            caption.setProperty("role", "hint")
            shown = QLabel(value or "—")
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            self.details.addWidget(caption, row, 2 * column)
            self.details.addWidget(shown, row, 2 * column + 1, 1, 3 if label == "نشانی" else 1)
        self._show_history(history)
        self._show_summary(summary)
        self._show_seal(summary.seal if summary is not None else None)
        for kind in ("assessment", "referral"):
            self.print_buttons[kind].setEnabled(latest is not None)
            self.print_buttons[kind].setToolTip("" if latest else "نخست بیمار را ارزیابی کنید.")
        self.stack.setCurrentIndex(1)

    def _show_seal(self, seal: SealRecord | None) -> None:
        sealed = seal is not None
        if seal is not None:
            # The code on a line of its own: wrapped at a dash, it invites a wrong copy.
            self.seal_label.setText(
                f"فرم ۱ به دست {seal.sealed_by} در {jdate(local_date(seal.sealed_at))} تأیید "
                f"و مهر شده است.\nکد برگه: {ltr(seal.code)}")
            self.seal_label.setProperty("role", "")
        else:
            self.seal_label.setText("فرم ۱ هنوز به تأیید رئیس بیمارستان نرسیده است.")
            self.seal_label.setProperty("role", "hint")
        self.seal_label.style().polish(self.seal_label)
        self.approve_button.setEnabled(not sealed)
        self.unseal_button.setEnabled(sealed)
        locked = "فرم ۱ این بیمار تأیید و مهر شده است؛ برای تغییر، رئیس بیمارستان نخست مهر " \
                 "را بر می‌دارد." if sealed else ""
        for button in (self.edit_button, self.assess_button, self.case_button):
            button.setEnabled(not sealed)
            button.setToolTip(locked)

    def _show_summary(self, summary: PatientSummaryView | None) -> None:
        if summary is None:
            self.status_label.clear()
            self.residence_label.hide()
            return
        totals = summary.totals
        form = form1_status(summary.case_missing)
        missing = summary.case_missing
        if missing is None or (missing and not isinstance(missing, int)):
            self.approve_button.setToolTip(
                "تنها فرم ۱ کامل تأیید می‌شود. " + form if missing is None else
                f"تنها فرم ۱ کامل تأیید می‌شود؛ هنوز خالی: {name_list(missing)}.")
        else:
            self.approve_button.setToolTip(_APPROVE_TIP)
        self.status_label.setText(
            f"{form} هزینه‌ها: {fa(totals.items)} قلم، جمع {money(totals.total_amount)}، "
            f"حمایت {money(totals.total_support)}.")
        verdict = summary.residence
        if verdict is None or not verdict.message:
            self.residence_label.hide()
        else:
            self.residence_label.setText(("⚠ " if verdict.notice else "") + verdict.message)
            self.residence_label.setProperty("role", "notice" if verdict.notice else "hint")
            self.residence_label.style().polish(self.residence_label)
            self.residence_label.show()

    def _show_history(self, history: list[AssessmentRecord]) -> None:
        self._history = history
        self.history_table.setRowCount(len(history))
        for row, record in enumerate(history):
            ruleset = self._rulebook.get(record.ruleset_id)
            values = (jdate(record.assessed_on), fa(record.score),
                      percent(record.coverage_percent),
                      ruleset.name if ruleset else record.ruleset_id, record.assessor)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column < 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.history_table.setItem(row, column, item)
        self.history_table.resizeColumnToContents(0)
        self.history_table.resizeColumnToContents(4)

    def _on_history_double_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._history):
            self.assessment_opened.emit(self._history[row])
