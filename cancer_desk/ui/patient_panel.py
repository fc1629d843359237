"""The selected patient: identity at a glance and the history of assessments."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.patient import LABELS, NATIONALITY_CHOICES, SEX_CHOICES
from cancer_desk.core.reference import ReferenceData
from cancer_desk.core.rules import RuleBook
from cancer_desk.services.assessments import AssessmentRecord
from cancer_desk.services.patients import PatientRecord
from cancer_desk.ui.text import fa, jdate, percent, percent_words, phone

_HISTORY_COLUMNS = ("تاریخ ارزیابی", "امتیاز", "پوشش", "شاخص (مجموعه قواعد)", "ارزیاب")


class PatientPanel(QWidget):
    edit_requested = Signal()
    assess_requested = Signal()
    assessment_opened = Signal(object)  # AssessmentRecord

    def __init__(self, reference: ReferenceData, rulebook: RuleBook,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reference = reference
        self._rulebook = rulebook
        self._history: list[AssessmentRecord] = []

        self.empty_label = QLabel("بیماری را از فهرست انتخاب کنید، یا «بیمار جدید» را بزنید.")
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
        header = QHBoxLayout()
        header.addWidget(self.name_label, 1)
        header.addWidget(self.coverage_label)

        self.details = QGridLayout()
        self.details.setColumnStretch(1, 1)
        self.details.setColumnStretch(3, 1)
        details_box = QGroupBox("مشخصات")
        details_box.setLayout(self.details)

        self.history_table = QTableWidget(0, len(_HISTORY_COLUMNS))
        self.history_table.setObjectName("history_table")
        self.history_table.setHorizontalHeaderLabels(list(_HISTORY_COLUMNS))
        self.history_table.verticalHeader().hide()
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self.history_table.cellDoubleClicked.connect(self._on_history_double_clicked)
        self.history_table.setToolTip("برای دیدن پاسخ‌های یک ارزیابی، روی آن دو بار کلیک کنید.")
        history_box = QGroupBox("سابقه ارزیابی‌ها")
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history_table)

        buttons = QHBoxLayout()
        buttons.addWidget(self.assess_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)

        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.addLayout(header)
        page_layout.addWidget(details_box)
        page_layout.addLayout(buttons)
        page_layout.addWidget(history_box, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def clear(self) -> None:
        self.stack.setCurrentIndex(0)

    def show_patient(self, record: PatientRecord, history: list[AssessmentRecord]) -> None:
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
            if item.widget() is not None:
                item.widget().deleteLater()
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
        self.stack.setCurrentIndex(1)

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
