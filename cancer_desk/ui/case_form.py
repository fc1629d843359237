"""Form 1 beyond identity: diagnosis and treatment («ب»), other disease information («ج»),
family history and who completed the form — grouped as on the paper form."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core import case as c
from cancer_desk.core.audit_text import describe_differences
from cancer_desk.core.case import CaseRecord
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.reference import Form1Lists
from cancer_desk.services.access import AccessDeniedError
from cancer_desk.services.cases import CaseService
from cancer_desk.services.errors import StaleRecordError
from cancer_desk.services.seals import SealedRecordError
from cancer_desk.ui.choice_row import ChoiceRow
from cancer_desk.ui.text import fa
from cancer_desk.ui.widgets.jalali_date_edit import JalaliDateEdit
from cancer_desk.ui.widgets.number_spin import PersianSpinBox

NO_ANSWER = "—"

# (group title, rows of fields); a row holds one to three fields.
SECTIONS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("ب/ اطلاعات تشخیص و درمان بیمار", (
        ("diagnosis_method", "diagnosis_date"),
        ("stage_t", "stage_n", "stage_m"),
        ("grade", "treatment_intent"),
        ("surgery", "surgery_date"),
        ("radiotherapy", "radiotherapy_date"),
        ("chemotherapy", "chemotherapy_date"),
        ("chemotherapy_regimen",),
        ("hormone_therapy", "received_item"),
        ("admissions_count", "hospital_stay_days", "hospital_stay_months"),
    )),
    ("ج/ اطلاعات سایر بیماری", (
        ("recurrence", "first_recurrence_date"),
        ("recurrence_site", "recurrence_count"),
        ("metastasis", "metastasis_date"),
        ("metastasis_site", "remission"),
        ("vital_status", "death_date"),
        ("death_cause", "death_place"),
        ("family_history",),
    )),
)


class CaseFormDialog(QDialog):
    def __init__(self, cases: CaseService, lists: Form1Lists, patient_id: int,
                 patient_name: str, birth_date: dt.date, *, completed_by: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cases = cases
        self._lists = lists
        self._patient_id = patient_id
        self._birth_date = birth_date
        self.saved = False
        self.setWindowTitle(f"فرم شماره یک: تشخیص، درمان و سایر اطلاعات — {patient_name}")
        self.resize(1000, 760)
        self.labels = c.labels(lists)
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

        content = QWidget()
        content_layout = QVBoxLayout(content)
        for title, rows in SECTIONS:
            box = QGroupBox(title)
            grid = QGridLayout(box)
            grid.setVerticalSpacing(2)
            for row_index, row in enumerate(rows):
                span = 6 // len(row)
                for index, name in enumerate(row):
                    self._add_field(grid, 2 * row_index, index * span, span, name)
            content_layout.addWidget(box)
        content_layout.addWidget(self._family_box())
        content_layout.addWidget(self._closing_box())
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.general_error = QLabel()
        self.general_error.setObjectName("general_error")
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        for kind, text in ((QDialogButtonBox.StandardButton.Save, "ذخیره"),
                           (QDialogButtonBox.StandardButton.Cancel, "انصراف")):
            self.buttons.button(kind).setText(text)
            self.buttons.button(kind).setAutoDefault(False)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        state = cases.get(patient_id)
        self._version = state.version
        self._opened = state.record  # to say what someone else changed, if they did
        self.set_record(state.record)
        if state.record.completed_on is None:
            self.widgets["completed_on"].setDate(dt.date.today())
        # Whoever saves the form is its «تکمیل‌کننده»: the signed-in account, not typed.
        self.widgets["completed_by"].setText(completed_by)  # type: ignore[attr-defined]
        self.widgets["completed_by"].setReadOnly(True)  # type: ignore[attr-defined]
        self.widgets["completed_by"].setToolTip(  # type: ignore[attr-defined]
            "تکمیل‌کننده فرم، کسی است که با حساب خود وارد شده و فرم را ذخیره می‌کند.")
        for parent_name in {p for p, _ in c.CONDITIONAL.values()}:
            self.widgets[parent_name].changed.connect(lambda _v: self._update_enabled())
        self._update_enabled()

    # --- building --------------------------------------------------------------------

    def _make_widget(self, name: str) -> QWidget:
        if name in c.CHOICES:
            widget: QWidget = ChoiceRow(c.CHOICES[name])
            widget.changed.connect(lambda _v, n=name: self._show_error(n, ""))
        elif name in c.DATE_FIELDS:
            widget = JalaliDateEdit()
            widget.setMaximumDate(dt.date.today())
            widget.dateChanged.connect(lambda _v, n=name: self._show_error(n, ""))
        elif name in c.COUNT_FIELDS:
            widget = PersianSpinBox(unanswered_text=NO_ANSWER)
            widget.setAnswerRange(0, 10_000)
            widget.valueChanged.connect(lambda _v, n=name: self._show_error(n, ""))
        elif name in ("stage_t", "stage_n", "stage_m", "grade"):
            widget = QComboBox()
            values = {"stage_t": self._lists.t_values, "stage_n": self._lists.n_values,
                      "stage_m": self._lists.m_values, "grade": self._lists.grades}[name]
            widget.addItem(NO_ANSWER, "")
            for value in values:
                widget.addItem(value, value)
        else:
            widget = QLineEdit()
            widget.textEdited.connect(lambda _v, n=name: self._show_error(n, ""))
        widget.setObjectName(f"{name}_field")
        return widget

    def _add_field(self, grid: QGridLayout, row: int, column: int, span: int, name: str) -> None:
        label = QLabel(f"{self.labels[name]}:")
        widget = self._make_widget(name)
        error = QLabel()
        error.setObjectName(f"{name}_error")
        error.setProperty("role", "error")
        error.setWordWrap(True)
        error.hide()
        cell = QHBoxLayout()
        cell.addWidget(label)
        cell.addWidget(widget, 1)
        grid.addLayout(cell, row, column, 1, span)
        grid.addWidget(error, row + 1, column, 1, span)
        self.widgets[name] = widget
        self.errors[name] = error

    def _family_box(self) -> QGroupBox:
        box = QGroupBox("در صورت وجود سرطان در خانواده: نوع سرطان و نسبت فامیلی")
        self.family_table = QTableWidget(0, 2)
        self.family_table.setObjectName("family_table")
        self.family_table.setHorizontalHeaderLabels(["نوع سرطان", "نسبت فامیلی"])
        self.family_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.family_table.verticalHeader().hide()
        self.family_table.setMinimumHeight(120)
        self.family_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_relative_button = QPushButton("افزودن ردیف")
        self.add_relative_button.setObjectName("add_relative_button")
        self.add_relative_button.setAutoDefault(False)
        self.add_relative_button.clicked.connect(lambda: self.add_relative("", ""))
        remove = QPushButton("حذف ردیف انتخاب‌شده")
        remove.setAutoDefault(False)
        remove.clicked.connect(self._on_remove_relative)
        error = QLabel()
        error.setObjectName("family_cancers_error")
        error.setProperty("role", "error")
        error.hide()
        self.errors["family_cancers"] = error
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_relative_button)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.family_table)
        layout.addLayout(buttons)
        layout.addWidget(error)
        box.setToolTip("نسبت: " + "، ".join(self._lists.relations))
        return box

    def _closing_box(self) -> QGroupBox:
        box = QGroupBox("تکمیل فرم")
        grid = QGridLayout(box)
        self._add_field(grid, 0, 0, 3, "completed_on")
        self._add_field(grid, 0, 3, 3, "completed_by")
        return box

    # --- values ----------------------------------------------------------------------

    def add_relative(self, cancer_type: str, relation: str) -> None:
        row = self.family_table.rowCount()
        self.family_table.insertRow(row)
        self.family_table.setItem(row, 0, QTableWidgetItem(cancer_type))
        self.family_table.setItem(row, 1, QTableWidgetItem(relation))
        if not cancer_type:
            self.family_table.setCurrentCell(row, 0)
            self.family_table.editItem(self.family_table.item(row, 0))

    def _on_remove_relative(self) -> None:
        row = self.family_table.currentRow()
        if row >= 0:
            self.family_table.removeRow(row)

    def raw_values(self) -> dict[str, object]:
        values: dict[str, object] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, ChoiceRow):
                values[name] = widget.value()
            elif isinstance(widget, JalaliDateEdit):
                values[name] = widget.text()
            elif isinstance(widget, PersianSpinBox):
                values[name] = widget.answer()
            elif isinstance(widget, QComboBox):
                values[name] = widget.currentData()
            else:
                values[name] = widget.text()  # type: ignore[attr-defined]
        values["family_cancers"] = [
            (self._cell(row, 0), self._cell(row, 1))
            for row in range(self.family_table.rowCount())
        ]
        # A detail whose answer was changed away («بلی» → «خیر») is kept on screen, in
        # case the answer goes back, but it is not part of the record.
        for name, (parent, needed) in c.CONDITIONAL.items():
            if values.get(parent) != needed:
                values[name] = [] if name == "family_cancers" else None
        return values

    def _cell(self, row: int, column: int) -> str:
        item = self.family_table.item(row, column)
        return item.text() if item is not None else ""

    def set_record(self, record: CaseRecord) -> None:
        for name, widget in self.widgets.items():
            value = getattr(record, name)
            if isinstance(widget, ChoiceRow):
                widget.set_value(value)
            elif isinstance(widget, JalaliDateEdit):
                widget.setDate(value)
            elif isinstance(widget, PersianSpinBox):
                if value is not None:
                    widget.setValue(value)
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value or "")))
            else:
                widget.setText(value or "")  # type: ignore[attr-defined]
        self.family_table.setRowCount(0)
        for relative in record.family_cancers:
            self.add_relative(relative.cancer_type, relative.relation)

    def _update_enabled(self) -> None:
        """A date or detail can be filled only with its matching answer («بلی», «فوت شده»)."""
        for name, (parent, needed) in c.CONDITIONAL.items():
            enabled = self.widgets[parent].value() == needed  # type: ignore[attr-defined]
            if name == "family_cancers":
                self.family_table.setEnabled(enabled)
                self.add_relative_button.setEnabled(enabled)
            else:
                self.widgets[name].setEnabled(enabled)

    # --- saving ----------------------------------------------------------------------

    def _show_error(self, name: str, message: str) -> None:
        self.errors[name].setText(message)
        self.errors[name].setVisible(bool(message))

    def _on_save(self) -> None:
        try:
            record = c.clean_case(self.raw_values(), lists=self._lists,
                                  birth_date=self._birth_date)
        except ValidationErrors as exc:
            for name in self.errors:
                self._show_error(name, exc.errors.get(name, ""))
            first = next(n for n in (*self.widgets, "family_cancers") if n in exc.errors)
            (self.widgets.get(first) or self.family_table).setFocus()
            self.general_error.setText(f"{fa(len(exc.errors))} مورد نیاز به اصلاح دارد؛ پیام "
                                       "زیر هر خانه را ببینید. چیزی ذخیره نشد.")
            self.general_error.show()
            return
        try:
            self._cases.save(self._patient_id, record, self._version)
        except StaleRecordError:
            now = self._cases.get(self._patient_id).record
            lines = describe_differences(self._opened.as_dict(), now.as_dict())
            self.general_error.setText(
                "این پرونده پس از باز شدن در جای دیگری تغییر کرده است؛ چیزی ذخیره نشد."
                + ("\nتغییرهای دیگری:\n" + "\n".join(lines) if lines else "")
                + "\nپنجره را ببندید و دوباره باز کنید.")
            self.general_error.show()
            return
        except (SealedRecordError, AccessDeniedError) as exc:
            self.general_error.setText(f"{exc.message_fa} چیزی ذخیره نشد.")
            self.general_error.show()
            return
        self.saved = True
        self.accept()

