"""A patient's costs and the support the programme pays on each."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.costs import (
    COST_KINDS,
    LABELS,
    MONEY_UNIT,
    CostItemInput,
    NoSupport,
    clean_cost_item,
    money,
    on_formulary,
    support_for,
)
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.formulary import (
    EMPTY_WARNING,
    covered_on,
    list_warning,
    not_covered_reading,
)
from cancer_desk.core.persian import search_key
from cancer_desk.core.records import AssessmentRecord, CostItemRecord, DrugRecord
from cancer_desk.services.access import AccessDeniedError
from cancer_desk.services.costs import CostService
from cancer_desk.services.errors import NotFoundError, ReferredItemError, StaleRecordError
from cancer_desk.services.period_lock import PeriodClosedError
from cancer_desk.services.seals import SealedRecordError
from cancer_desk.ui.field_form import clear_when_edited
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import count, fa, jdate, percent
from cancer_desk.ui.widgets.jalali_date_edit import JalaliDateEdit
from cancer_desk.ui.widgets.money_edit import MoneyEdit
from cancer_desk.ui.widgets.number_spin import PersianSpinBox
from cancer_desk.ui.widgets.record_table import record_table

_COLUMNS = ("تاریخ", "نوع", "شرح", "تعداد", f"مبلغ کل ({MONEY_UNIT})",
            f"در تعهد بیمه ({MONEY_UNIT})", "سهم", f"حمایت ({MONEY_UNIT})", "توضیح")
INSURANCE_CHOICES = ("none", "all", "part")
INSURANCE_HELP = "فرانشیزِ خدمتی که بیمه پوشش می‌دهد هم در تعهد بیمه به شمار می‌آید."


class InsuranceField(QWidget):
    """How much of the cost is within insurance obligations, asked plainly: none, all,
    or a part whose amount is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insured_part_field")
        self.none_radio = QRadioButton("هیچ بخشی در تعهد بیمه نیست")
        self.all_radio = QRadioButton("همه در تعهد بیمه است")
        self.part_radio = QRadioButton("بخشی در تعهد بیمه است؛ مبلغ آن بخش:")
        self.group = QButtonGroup(self)
        for index, radio in enumerate((self.none_radio, self.all_radio, self.part_radio)):
            radio.setObjectName(f"insurance_{INSURANCE_CHOICES[index]}_radio")
            self.group.addButton(radio, index)
        self.part_edit = MoneyEdit()
        self.part_edit.setObjectName("insured_part_edit")
        self.part_edit.setAccessibleName(LABELS["insured_part"])
        self.help_label = QLabel(INSURANCE_HELP)
        self.help_label.setObjectName("insurance_help")
        self.help_label.setProperty("role", "hint")
        part_row = QHBoxLayout()
        part_row.setContentsMargins(0, 0, 0, 0)
        part_row.addWidget(self.part_radio)
        part_row.addWidget(self.part_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.none_radio)
        layout.addWidget(self.all_radio)
        layout.addLayout(part_row)
        layout.addWidget(self.help_label)
        self.none_radio.setChecked(True)
        self.group.idToggled.connect(lambda _id, _on: self._update_enabled())
        self._update_enabled()

    def choice(self) -> str:
        return INSURANCE_CHOICES[max(0, self.group.checkedId())]

    def set_insured_part(self, insured_part: int, amount: int) -> None:
        choice = "none" if insured_part == 0 else "all" if insured_part == amount else "part"
        self.group.button(INSURANCE_CHOICES.index(choice)).setChecked(True)
        self.part_edit.set_amount(insured_part if choice == "part" else None)

    def raw_value(self, amount: int | None) -> object:
        """What goes to the check as «سهم در تعهد بیمه»: nothing, the whole amount, or
        the part as typed."""
        choice = self.choice()
        if choice == "none":
            return 0
        if choice == "all":
            return amount if amount is not None else ""
        return self.part_edit.text()

    def insured_part(self, amount: int) -> int | None:
        """The part for the live preview; None while the typed part is not a number."""
        choice = self.choice()
        if choice != "part":
            return 0 if choice == "none" else amount
        return self.part_edit.amount()

    def _update_enabled(self) -> None:
        self.part_edit.setEnabled(self.part_radio.isChecked())


class CostItemDialog(QDialog):
    """Add or change one cost item; the support it will get is shown as it is typed."""

    def __init__(self, costs: CostService, patient_id: int, drugs: list[DrugRecord],
                 band: AssessmentRecord | None, record: CostItemRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._costs = costs
        self._patient_id = patient_id
        self._record = record
        self._drugs = {d.id: d for d in drugs}
        self._band_percent = (record.support.coverage_percent if record and record.assessment_id
                              else band.coverage_percent if band else None)
        self.saved: CostItemRecord | None = None
        self.setWindowTitle("ویرایش هزینه" if record else "هزینه تازه")
        fit_to_screen(self, 600, 560)

        self.date_edit = JalaliDateEdit()
        self.date_edit.setObjectName("item_date_field")
        self.date_edit.setMaximumDate(dt.date.today())
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind_field")
        for key, label in COST_KINDS.items():
            self.kind_combo.addItem(label, key)
        self.drug_combo = QComboBox()
        self.drug_combo.setObjectName("drug_id_field")
        self.drug_combo.addItem("— خارج از فهرست (نام را در «شرح» بنویسید) —", None)
        for drug in drugs:  # one withdrawn since still covers the costs dated before
            if drug.periods or (record and record.item.drug_id == drug.id):
                self.drug_combo.addItem(drug.label if drug.active else
                                        f"{drug.label} (اکنون خارج از فهرست)", drug.id)
        self.drug_combo.setEditable(True)
        self.drug_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.drug_combo.completer()  # an editable combo box has one
        assert completer is not None
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.description_edit = QLineEdit()
        self.description_edit.setObjectName("description_field")
        self.quantity_spin = PersianSpinBox()
        self.quantity_spin.setObjectName("quantity_field")
        self.quantity_spin.setRange(1, 100_000)
        self.amount_edit = MoneyEdit()
        self.amount_edit.setObjectName("amount_field")
        self.insurance = InsuranceField()
        self.pharmacy_edit = QLineEdit()
        self.pharmacy_edit.setObjectName("pharmacy_field")
        self.support_label = QLabel()
        self.support_label.setObjectName("support_preview")
        self.support_label.setWordWrap(True)
        self.support_label.setProperty("role", "coverage")

        self.fields: dict[str, QWidget] = {
            "item_date": self.date_edit, "kind": self.kind_combo, "drug_id": self.drug_combo,
            "description": self.description_edit, "quantity": self.quantity_spin,
            "amount": self.amount_edit, "insured_part": self.insurance,
            "pharmacy": self.pharmacy_edit,
        }
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for name, widget in self.fields.items():
            form.addRow("بیمه:" if name == "insured_part" else f"{LABELS[name]}:", widget)
            error = QLabel()
            error.setObjectName(f"{name}_error")
            error.setProperty("role", "error")
            error.hide()
            form.addRow("", error)
            self.errors[name] = error
            clear_when_edited(widget, error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("ذخیره")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        for button in buttons.buttons():
            if isinstance(button, QPushButton):  # (a dialog button box's are)
                button.setAutoDefault(False)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.support_label)
        layout.addStretch(1)
        layout.addWidget(buttons)

        for signal in (self.kind_combo.currentIndexChanged, self.drug_combo.currentIndexChanged,
                       self.insurance.group.idToggled, self.amount_edit.amountChanged,
                       self.insurance.part_edit.amountChanged, self.date_edit.dateChanged):
            signal.connect(self._update_preview)
        self.kind_combo.currentIndexChanged.connect(self._update_enabled)
        if record is not None:
            self._load(record.item)
        else:
            self.date_edit.setDate(dt.date.today())
        self._update_enabled()
        self._update_preview()

    def _load(self, item: CostItemInput) -> None:
        self.date_edit.setDate(item.item_date)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(item.kind))
        self.drug_combo.setCurrentIndex(max(0, self.drug_combo.findData(item.drug_id)))
        self.description_edit.setText(item.description)
        self.quantity_spin.setValue(item.quantity)
        self.amount_edit.set_amount(item.amount)
        self.insurance.set_insured_part(item.insured_part, item.amount)
        self.pharmacy_edit.setText(item.pharmacy)

    def _update_enabled(self) -> None:
        is_drug = self.kind_combo.currentData() == "drug"
        self.drug_combo.setEnabled(is_drug)
        self.pharmacy_edit.setEnabled(is_drug)

    def _drug_id(self) -> int | None:
        """The formulary drug chosen or typed: a typed name finds its drug however it is
        spelled (ي/ی, spaces); text that names no listed drug is not one."""
        if self.kind_combo.currentData() != "drug":
            return None
        text = self.drug_combo.currentText()
        index = self.drug_combo.findText(text)
        if index > 0:
            drug_id = self.drug_combo.itemData(index)
            return int(drug_id) if drug_id is not None else None
        key = search_key(text)
        return next((d.id for d in self._drugs.values()
                     if key and key in (search_key(d.name), search_key(d.label))), None)

    def _typed_drug_name(self) -> str:
        """What was typed in the drug box when it is not a listed drug."""
        if self.drug_combo.currentIndex() == 0 and self._drug_id() is None:
            text = self.drug_combo.currentText()
            return "" if text == self.drug_combo.itemText(0) else text
        return ""

    def _update_preview(self) -> None:
        amount = self.amount_edit.amount()
        if not amount or amount <= 0:
            self.support_label.setText("مبلغ را بنویسید تا سهم حمایت دیده شود.")
            return
        insured = self.insurance.insured_part(amount)
        if insured is None or not 0 <= insured <= amount:
            self.support_label.setText("مبلغ در تعهد بیمه را بنویسید؛ از صفر تا مبلغ کل.")
            return
        drug_id = self._drug_id()
        drug = self._drugs.get(drug_id) if drug_id is not None else None
        support = support_for(amount, coverage_percent=self._band_percent,
                              insured_part=insured, kind=self.kind_combo.currentData(),
                              on_formulary=on_formulary(drug is not None,
                                                        self._covered(drug)))
        if support.reason is not None:
            self.support_label.setText(f"سهم حمایت: هیچ — {support.explanation}."
                                       + self._formulary_note(support.reason, drug))
        elif insured:
            self.support_label.setText(
                f"سهم حمایت: {fa(self._band_percent)} درصد از بخش خارج از تعهد بیمه "
                f"({money(amount - insured)}) = {money(support.amount)}")
        else:
            self.support_label.setText(
                f"سهم حمایت: {fa(self._band_percent)} درصد از {money(amount)} = "
                f"{money(support.amount)}")

    def _covered(self, drug: DrugRecord | None) -> bool:
        """Was the drug on the formulary on the item's date (today if none is typed)?"""
        return drug is not None and covered_on(drug.periods,
                                               self.date_edit.date() or dt.date.today())

    def _formulary_note(self, reason: NoSupport, drug: DrugRecord | None) -> str:
        if reason is not NoSupport.NOT_ON_FORMULARY:
            return ""
        if not any(d.active for d in self._drugs.values()):
            return f"\n{EMPTY_WARNING}"
        if drug is None:
            return ""
        day = self.date_edit.date() or dt.date.today()
        return f"\n{not_covered_reading(drug.periods, day)}."

    def raw_values(self) -> dict[str, object]:
        return {
            "item_date": self.date_edit.text(),
            "kind": self.kind_combo.currentData(),
            "drug_id": self._drug_id(),
            "description": self.description_edit.text(),
            "quantity": self.quantity_spin.value(),
            "amount": self.amount_edit.text(),
            "insured_part": self.insurance.raw_value(self.amount_edit.amount()),
            "pharmacy": self.pharmacy_edit.text(),
        }

    def _on_save(self) -> None:
        raw = self.raw_values()
        if raw["drug_id"] is None and raw["kind"] == "drug" and not raw["description"]:
            raw["description"] = self._typed_drug_name()  # an unlisted drug, by name
        try:
            if self.insurance.choice() == "part" and not str(raw["insured_part"]).strip():
                raise ValidationErrors({"insured_part": f"«{LABELS['insured_part']}» را "
                                                        "بنویسید."})
            item = clean_cost_item(raw)
        except ValidationErrors as exc:
            for name, label in self.errors.items():
                label.setText(exc.errors.get(name, ""))
                label.setVisible(name in exc.errors)
            return
        try:
            if self._record is None:
                self.saved = self._costs.add(self._patient_id, item)
            else:
                self.saved = self._costs.update(self._record.id, item, self._record.version)
        except (StaleRecordError, NotFoundError):
            QMessageBox.warning(self, "ذخیره نشد",
                                "این هزینه پس از باز شدن در جای دیگری تغییر کرده یا حذف شده "
                                "است؛ فهرست را دوباره باز کنید.")
            return
        except (ReferredItemError, PeriodClosedError, SealedRecordError,
                AccessDeniedError) as exc:
            QMessageBox.warning(self, "ذخیره نشد", exc.message_fa)
            return
        self.accept()


def _explanation(record: CostItemRecord) -> str:
    """Why nothing, or the assessment whose band was applied (and, for an item partly
    within insurance obligations, that the band was of the rest)."""
    support = record.support
    if support.reason is not None:
        return support.explanation
    assessed = (f"ارزیابی {jdate(record.assessment_date)}" if record.assessment_date
                else "")
    if support.insured_part:
        return "، ".join(part for part in (support.explanation, assessed) if part)
    return assessed


class CostsDialog(QDialog):
    """The list of a patient's costs with totals, and add / change / delete."""

    def __init__(self, costs: CostService, patient_id: int, patient_name: str,
                 drugs: list[DrugRecord], band: AssessmentRecord | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._costs = costs
        self._patient_id = patient_id
        self._drugs = drugs
        self._band = band
        self._items: list[CostItemRecord] = []
        self.setWindowTitle(f"هزینه‌ها و حمایت — {patient_name}")
        fit_to_screen(self, 1100, 600)

        band_text = (f"سهم حمایت فعلی: {fa(band.coverage_percent)} درصد، بر پایه ارزیابی "
                     f"{jdate(band.assessed_on)} (امتیاز {fa(band.score)})" if band else
                     "بیمار هنوز ارزیابی نشده است؛ هزینه‌ها ثبت می‌شوند ولی سهم حمایتشان معلوم "
                     "نیست تا ارزیابی شود.")
        self.band_label = QLabel(band_text)
        self.band_label.setObjectName("band_label")
        self.band_label.setWordWrap(True)
        warning = list_warning([d.periods for d in drugs], dt.date.today())
        self.formulary_label = QLabel(warning or "")
        self.formulary_label.setObjectName("formulary_warning")
        self.formulary_label.setWordWrap(True)
        self.formulary_label.setProperty("role", "notice")
        self.formulary_label.setVisible(warning is not None)
        self.table = record_table("costs_table", "اقلام هزینه", _COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self._on_edit())  # Enter or a double click
        self.totals_label = QLabel()
        self.totals_label.setObjectName("totals_label")
        self.totals_label.setProperty("role", "coverage")
        self.totals_label.setWordWrap(True)

        self.add_button = QPushButton("هزینه تازه")
        self.add_button.setObjectName("add_cost_button")
        self.edit_button = QPushButton("ویرایش")
        self.delete_button = QPushButton("حذف")
        close = QPushButton("بستن")
        for button, slot in ((self.add_button, self._on_add), (self.edit_button, self._on_edit),
                             (self.delete_button, self._on_delete), (close, self.accept)):
            button.setAutoDefault(False)
            button.clicked.connect(slot)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.band_label)
        layout.addWidget(self.formulary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals_label)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self._items = self._costs.list(self._patient_id)
        self.table.setRowCount(len(self._items))
        for row, record in enumerate(self._items):
            item = record.item
            values = (
                jdate(item.item_date), COST_KINDS[item.kind], record.title, fa(item.quantity),
                count(item.amount), count(item.insured_part),
                percent(record.support.coverage_percent) or "—", count(record.support.amount),
                (f"معرفی‌نامه {fa(record.referral)} — " if record.referral else "")
                + self._explanation(record),
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column in (0, 3, 4, 5, 6, 7):
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                elif column == 8:  # the reason read whole when the column cuts it
                    cell.setToolTip(value)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        totals = self._costs.totals(self._patient_id)
        self.totals_label.setText(
            f"جمع کل هزینه: {money(totals.total_amount)} — در تعهد بیمه: "
            f"{money(totals.total_insured)} — خارج از تعهد بیمه: "
            f"{money(totals.total_outside_insurance)} — میزان حمایت مالی: "
            f"{money(totals.total_support)}")
        has_rows = bool(self._items)
        self.edit_button.setEnabled(has_rows)
        self.delete_button.setEnabled(has_rows)

    def _explanation(self, record: CostItemRecord) -> str:
        support = record.support
        if support.reason is NoSupport.NOT_ON_FORMULARY:
            if not any(d.active for d in self._drugs):
                return EMPTY_WARNING
            drug = next((d for d in self._drugs if d.id == record.item.drug_id), None)
            if drug is not None:
                return (f"{support.explanation} — "
                        f"{not_covered_reading(drug.periods, record.item.item_date)}")
        return _explanation(record)

    def make_item_dialog(self, record: CostItemRecord | None) -> CostItemDialog:
        return CostItemDialog(self._costs, self._patient_id, self._drugs, self._band, record,
                              self)

    def _selected(self) -> CostItemRecord | None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else self.table.currentRow()
        return self._items[row] if 0 <= row < len(self._items) else None

    def _on_add(self) -> None:
        if self.make_item_dialog(None).exec():
            self.refresh()

    def _on_edit(self) -> None:
        record = self._selected()
        if record is not None and self.make_item_dialog(record).exec():
            self.refresh()

    def _on_delete(self) -> None:
        record = self._selected()
        if record is None:
            return
        answer = QMessageBox.question(
            self, "حذف هزینه", f"هزینه «{record.title}» به مبلغ {money(record.item.amount)} "
                               "حذف شود؟")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._costs.delete(record.id, record.version)
        except (StaleRecordError, NotFoundError):
            QMessageBox.warning(self, "حذف نشد", "این هزینه در جای دیگری تغییر کرده است.")
        except (ReferredItemError, PeriodClosedError, SealedRecordError,
                AccessDeniedError) as exc:
            QMessageBox.warning(self, "حذف نشد", exc.message_fa)
        self.refresh()



