"""Bringing an Excel or CSV patient list in: check first, then all rows or none."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.patient_import import COLUMNS
from cancer_desk.services.patient_import import ImportReport, PatientImportService
from cancer_desk.ui.background import try_in_background
from cancer_desk.ui.places import documents_dir
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa


class ImportPatientsDialog(QDialog):
    def __init__(self, imports: PatientImportService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._imports = imports
        self._path: Path | None = None
        self.imported = 0
        self.setWindowTitle("ورود بیماران از اکسل یا CSV")
        fit_to_screen(self, 900, 560)
        intro = QLabel(
            "فهرست بیماران را از پرونده اکسل (xlsx) یا CSV وارد کنید. ستون‌های لازم: "
            + "، ".join(COLUMNS[k].split(" (")[0] for k in ("national_code", "first_name",
                                                            "last_name", "father_name", "sex",
                                                            "birth_date", "cancer_group"))
            + ". نخست پرونده بررسی می‌شود؛ اگر حتی یک ردیف اشکال داشته باشد هیچ بیماری وارد "
              "نمی‌شود تا نیمی از فهرست جا نماند.")
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("پرونده انتخاب‌شده")
        self.path_edit.setReadOnly(True)
        choose = QPushButton("انتخاب پرونده…")
        choose.clicked.connect(self._on_choose)
        template = QPushButton("ذخیره الگوی خالی…")
        template.clicked.connect(self._on_template)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        row.addWidget(template)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.problems = QTableWidget(0, 3)
        self.problems.setObjectName("import_problems")
        self.problems.setAccessibleName("اشکال‌های پرونده")
        self.problems.setHorizontalHeaderLabels(["ردیف", "ستون", "اشکال"])
        self.problems.verticalHeader().hide()
        self.problems.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.import_button = QPushButton("وارد کردن")
        self.import_button.setObjectName("import_button")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self._on_import)
        close = QPushButton("بستن")
        close.clicked.connect(self.accept)
        for button in (choose, template, self.import_button, close):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)

    def check(self, path: Path) -> ImportReport | None:
        """Dry run: show what is wrong, or enable the import. ``None`` if the person
        cancelled the check (a list of thousands takes a while)."""
        self._path = path
        self.path_edit.setText(str(path))
        self.import_button.setEnabled(False)
        imports = self._imports

        def cancelled() -> None:
            self.summary.setText("بررسی پرونده لغو شد؛ برای وارد کردن، آن را دوباره انتخاب "
                                 "کنید.")
            self.problems.setRowCount(0)

        report = try_in_background(
            self, lambda progress: imports.check(path, progress),
            title="بررسی فهرست بیماران", text="بررسی پرونده…", on_cancel=cancelled)
        if report is None:
            return None
        self._show(report)
        self.import_button.setEnabled(report.ok and report.rows > 0)
        return report

    def _show(self, report: ImportReport) -> None:
        self.summary.setText(report.summary())
        lines = [*report.problems, *report.warnings]
        self.problems.setRowCount(len(lines))
        for row, problem in enumerate(lines):
            label = COLUMNS.get(problem.column, problem.column)
            message = ("هشدار: " if problem.warning else "") + problem.message
            for column, value in enumerate((fa(problem.row) if problem.row else "—",
                                            label.split(" (")[0], message)):
                self.problems.setItem(row, column, QTableWidgetItem(value))
        self.problems.resizeColumnToContents(0)
        self.problems.resizeColumnToContents(1)

    def _on_choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "فهرست بیماران", "",
                                              "اکسل یا CSV (*.xlsx *.csv)")
        if name:
            self.check(Path(name))

    def _on_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "الگوی ورود بیماران", str(documents_dir() / "patients-template.xlsx"),
            "اکسل (*.xlsx)")
        if name:
            self._imports.write_template(Path(name))

    def _on_import(self) -> None:
        if self._path is None:
            return
        imports, path = self._imports, self._path
        report = try_in_background(
            self, lambda progress: imports.run(path, progress),
            title="ورود بیماران", text="وارد کردن بیماران…",
            on_cancel=lambda: self.summary.setText("وارد کردن لغو شد؛ هیچ بیماری وارد نشد."))
        if report is None:
            return  # the checked file can be imported again
        self._show(report)
        self.imported += report.imported
        self.import_button.setEnabled(False)
