"""The formulary window: the drugs the programme covers, kept by an administrator."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
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

from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.records import DrugRecord
from cancer_desk.services.formulary import DrugInput, FormularyService
from cancer_desk.ui.field_form import clear_when_edited
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.widgets.record_table import record_table


class DrugDialog(QDialog):
    def __init__(self, formulary: FormularyService, drug: DrugRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._formulary = formulary
        self._drug = drug
        self.setWindowTitle("ویرایش دارو" if drug else "داروی تازه")
        self.name_edit = QLineEdit(drug.name if drug else "")
        self.name_edit.setObjectName("name_field")
        self.generic_edit = QLineEdit(drug.generic_name if drug else "")
        self.form_edit = QLineEdit(drug.form if drug else "")
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.hide()
        form = QFormLayout()
        form.addRow("نام دارو:", self.name_edit)
        form.addRow("", self.error)
        clear_when_edited(self.name_edit, self.error)
        form.addRow("نام ژنریک:", self.generic_edit)
        form.addRow("شکل و مقدار:", self.form_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("ذخیره")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _on_save(self) -> None:
        try:
            self._formulary.save(DrugInput(self.name_edit.text(), self.generic_edit.text(),
                                           self.form_edit.text()),
                                 self._drug.id if self._drug else None)
        except ValidationErrors as exc:
            self.error.setText(exc.errors.get("name", ""))
            self.error.show()
            return
        self.accept()


class FormularyDialog(QDialog):
    def __init__(self, formulary: FormularyService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._formulary = formulary
        self._drugs: list[DrugRecord] = []
        self.setWindowTitle("فهرست داروهای تحت پوشش")
        fit_to_screen(self, 800, 560)
        intro = QLabel("داروهای این فهرست در هزینه‌ها حمایت می‌شوند؛ داروی بیرون از فهرست "
                       "ثبت می‌شود ولی حمایت نمی‌گیرد. دارویی که از فهرست بیرون می‌رود حذف "
                       "نمی‌شود (هزینه‌های گذشته به آن اشاره دارند)، «کنار گذاشته» می‌شود.")
        intro.setWordWrap(True)
        self.table = record_table("drugs_table", "داروهای تحت پوشش",
                                  ("نام دارو", "نام ژنریک", "شکل و مقدار", "وضعیت"),
                                  one_at_a_time=False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self._on_edit())  # Enter or a double click
        self.report = QLabel()
        self.report.setObjectName("import_report")
        self.report.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (("داروی تازه", self._on_add), ("ویرایش", self._on_edit),
                           ("کنار گذاشتن / بازگرداندن", self._on_toggle),
                           ("ورود از پرونده CSV یا اکسل…", self._on_import)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QPushButton("بستن")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.report)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self._drugs = self._formulary.list(include_inactive=True)
        self.table.setRowCount(len(self._drugs))
        for row, drug in enumerate(self._drugs):
            for column, value in enumerate((drug.name, drug.generic_name, drug.form,
                                            "در فهرست" if drug.active else "کنار گذاشته")):
                self.table.setItem(row, column, QTableWidgetItem(value))

    def _selected(self) -> DrugRecord | None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else self.table.currentRow()
        return self._drugs[row] if 0 <= row < len(self._drugs) else None

    def _on_add(self) -> None:
        if DrugDialog(self._formulary, None, self).exec():
            self.refresh()

    def _on_edit(self) -> None:
        drug = self._selected()
        if drug is not None and DrugDialog(self._formulary, drug, self).exec():
            self.refresh()

    def _on_toggle(self) -> None:
        drug = self._selected()
        if drug is not None:
            self._formulary.set_active(drug.id, not drug.active)
            self.refresh()

    def import_path(self, path: Path) -> None:
        result = self._formulary.import_file(path)
        lines = [result.summary(), *(m for _, m in result.problems[:20])]
        self.report.setText("\n".join(lines))
        self.report.setProperty("role", "error" if result.problems else "hint")
        self.report.style().polish(self.report)
        self.refresh()

    def _on_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "فهرست داروها", "",
                                              "CSV یا اکسل (*.csv *.xlsx)")
        if not name:
            return
        answer = QMessageBox.question(
            self, "ورود داروها", "همه داروهای پرونده به فهرست افزوده (یا به‌روز) می‌شوند؛ اگر "
                                 "یک ردیف اشکال داشته باشد هیچ‌کدام افزوده نمی‌شود. ادامه؟")
        if answer == QMessageBox.StandardButton.Yes:
            self.import_path(Path(name))
