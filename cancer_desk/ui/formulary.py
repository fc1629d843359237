"""The formulary window: the drugs the programme covers and from when to when, kept by
an administrator."""

from __future__ import annotations

import datetime as dt
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

from cancer_desk.core.errors import InputError, ValidationErrors
from cancer_desk.core.formulary import list_warning, status_label
from cancer_desk.core.jalali import format_jalali
from cancer_desk.core.records import DrugRecord
from cancer_desk.services.formulary import CoverageChange, DrugInput, FormularyService
from cancer_desk.ui.field_form import clear_when_edited
from cancer_desk.ui.places import documents_dir
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.widgets.jalali_date_edit import JalaliDateEdit
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
        self.from_edit = JalaliDateEdit()
        self.from_edit.setObjectName("covered_from_field")
        self.from_error = QLabel()
        self.from_error.setProperty("role", "error")
        self.from_error.hide()
        if drug is None:  # a listed drug's coverage changes by withdrawing or re-listing
            form.addRow("تحت پوشش از تاریخ:", self.from_edit)
            hint = QLabel("خالی بماند: از آغاز برنامه")
            hint.setProperty("role", "hint")
            form.addRow("", hint)
            form.addRow("", self.from_error)
            clear_when_edited(self.from_edit, self.from_error)
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
            covered_from = self.from_edit.checked_date(field="covered_from",
                                                       label="تحت پوشش از تاریخ")
        except InputError as exc:
            self.from_error.setText(exc.message_fa)
            self.from_error.show()
            return
        try:
            self._formulary.save(DrugInput(self.name_edit.text(), self.generic_edit.text(),
                                           self.form_edit.text(), covered_from),
                                 self._drug.id if self._drug else None)
        except ValidationErrors as exc:
            self.error.setText(exc.errors.get("name", ""))
            self.error.show()
            return
        self.accept()


class CoverageDialog(QDialog):
    """Withdraw a drug from a day on, or list it again from a day on. What it would do to
    the saved costs is shown before anything is changed: the dialog is the confirmation."""

    def __init__(self, formulary: FormularyService, drug: DrugRecord, *, withdraw: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._formulary = formulary
        self._drug = drug
        self._withdraw = withdraw
        self.change: CoverageChange | None = None
        self.setWindowTitle(("خارج کردن از فهرست — " if withdraw else "بازگرداندن به فهرست — ")
                            + drug.name)
        fit_to_screen(self, 520, 300)
        question = QLabel("از چه تاریخی از فهرست خارج شود؟" if withdraw else
                          "از چه تاریخی دوباره در فهرست باشد؟")
        self.date_edit = JalaliDateEdit()
        self.date_edit.setObjectName("coverage_date_field")
        self.date_edit.setDate(dt.date.today())
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("coverage_reason_field")
        self.reason_edit.setPlaceholderText("مثلاً: بخشنامه وزارت بهداشت شماره …")
        self.error = QLabel()
        self.error.setObjectName("coverage_error")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.preview = QLabel()
        self.preview.setObjectName("coverage_preview")
        self.preview.setWordWrap(True)
        self.preview.setProperty("role", "notice")
        form = QFormLayout()
        form.addRow(question, self.date_edit)
        form.addRow("", self.error)
        form.addRow("سبب یا مستند:", self.reason_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("خارج شود" if withdraw else "بازگردانده شود")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"پوشش کنونی: {periods_text(drug) or '—'}"))
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.date_edit.dateChanged.connect(lambda _d: self.update_preview())
        self.update_preview()

    def _run(self, *, dry_run: bool) -> CoverageChange | None:
        self.error.hide()
        try:
            day = self.date_edit.checked_date(field="coverage_date", label="تاریخ")
            if day is None:
                raise InputError("coverage_date", "is empty", "«تاریخ» را وارد کنید.")
            change = self._formulary.withdraw if self._withdraw else self._formulary.relist
            return change(self._drug.id, day, reason=self.reason_edit.text(), dry_run=dry_run)
        except InputError as exc:
            self.error.setText(exc.message_fa)
        except ValidationErrors as exc:
            self.error.setText(" ".join(exc.errors.values()))
        self.error.show()
        return None

    def update_preview(self) -> None:
        change = self._run(dry_run=True)
        self.ok_button.setEnabled(change is not None)
        if change is None:
            self.preview.setText("")
            return
        self.preview.setText(f"هزینه‌های ثبت‌شده: {change.summary()}. هزینه‌های پیش از این "
                             "تاریخ تغییر نمی‌کنند.")

    def _on_ok(self) -> None:
        self.change = self._run(dry_run=False)
        if self.change is not None:
            self.accept()


def periods_text(drug: DrugRecord) -> str:
    """«از ۱۳۸۷/۰۱/۰۱ تا ۱۴۰۵/۰۲/۳۱؛ از ۱۴۰۵/۰۵/۰۱ (تاکنون)»"""
    return "؛ ".join(p.label for p in drug.periods)


def _periods_tooltip(drug: DrugRecord) -> str:
    return "\n".join(f"{p.label} — {p.reason or '—'} — ثبت {p.recorded_by or '—'} "
                      f"{format_jalali(p.recorded_on)}" for p in drug.periods)


class FormularyDialog(QDialog):
    def __init__(self, formulary: FormularyService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._formulary = formulary
        self._drugs: list[DrugRecord] = []
        self.setWindowTitle("فهرست داروهای تحت پوشش")
        fit_to_screen(self, 1000, 600)
        intro = QLabel("هزینهٔ دارو وقتی حمایت می‌شود که دارو در تاریخ همان هزینه در فهرست "
                       "بوده باشد. دارویی که از فهرست بیرون می‌رود حذف نمی‌شود: از تاریخی که "
                       "می‌گویید خارج می‌شود و هزینه‌های پیش از آن حمایت خود را نگه می‌دارند.")
        intro.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setObjectName("formulary_warning")
        self.warning.setWordWrap(True)
        self.warning.setProperty("role", "notice")
        self.table = record_table("drugs_table", "داروهای تحت پوشش",
                                  ("نام دارو", "نام ژنریک", "شکل و مقدار", "وضعیت",
                                   "دوره‌های پوشش"),
                                  one_at_a_time=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self._on_edit())  # Enter or a double click
        self.report = QLabel()
        self.report.setObjectName("import_report")
        self.report.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (("داروی تازه", self._on_add), ("ویرایش", self._on_edit),
                           ("خارج کردن از فهرست…", self._on_withdraw),
                           ("بازگرداندن به فهرست…", self._on_relist),
                           ("ورود از پرونده CSV یا اکسل…", self._on_import),
                           ("ذخیره الگوی خالی…", self._on_template)):
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
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.report)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self._drugs = self._formulary.list(include_inactive=True)
        today = dt.date.today()
        warning = list_warning([d.periods for d in self._drugs], today)
        self.warning.setText(warning or "")
        self.warning.setVisible(warning is not None)
        self.table.setRowCount(len(self._drugs))
        for row, drug in enumerate(self._drugs):
            for column, value in enumerate((drug.name, drug.generic_name, drug.form,
                                            status_label(drug.periods, today),
                                            periods_text(drug))):
                cell = QTableWidgetItem(value)
                cell.setToolTip(_periods_tooltip(drug))
                self.table.setItem(row, column, cell)

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

    def make_coverage_dialog(self, drug: DrugRecord, *, withdraw: bool) -> CoverageDialog:
        return CoverageDialog(self._formulary, drug, withdraw=withdraw, parent=self)

    def _change_coverage(self, withdraw: bool) -> None:
        drug = self._selected()
        if drug is None:
            return
        dialog = self.make_coverage_dialog(drug, withdraw=withdraw)
        if dialog.exec() and dialog.change is not None:
            self.report.setText(f"«{drug.name}»: {dialog.change.summary()}.")
            self.report.setProperty("role", "hint")
            self.report.style().polish(self.report)
            self.refresh()

    def _on_withdraw(self) -> None:
        self._change_coverage(True)

    def _on_relist(self) -> None:
        self._change_coverage(False)

    def _on_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "الگوی فهرست داروها", str(documents_dir() / "formulary-template.xlsx"),
            "اکسل (*.xlsx);;CSV (*.csv)")
        if name:
            self._formulary.write_template(Path(name))

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
