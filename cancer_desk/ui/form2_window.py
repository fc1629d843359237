"""Closing a quarter: Form 2 with its checks, print, export (which closes it), reopen.

Counting a period takes seconds at a big hospital, so the window counts on a worker
thread: it opens at once, says it is counting, and the buttons that need the count wait
for it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import OperationalError

from cancer_desk.core.access import Action
from cancer_desk.core.jalali import QUARTER_NAMES, JalaliQuarter, current_jalali_year
from cancer_desk.services.exports import (
    ExportRefusedError,
    describe_changes_fa,
    export_quarter,
)
from cancer_desk.services.quarters import (
    MIN_REASON_LENGTH,
    PeriodReport,
    QuarterStatus,
    ReopenRefusedError,
)
from cancer_desk.ui.background import LatestCount, try_in_background
from cancer_desk.ui.places import documents_dir
from cancer_desk.ui.reason_dialog import ReasonDialog
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa, jdate
from cancer_desk.ui.widgets.form2_table import Form2Table
from cancer_desk.ui.widgets.number_spin import PersianSpinBox

if TYPE_CHECKING:
    from cancer_desk.app import AppContext

COUNTING_FA = "در حال شمارش بیماران این دوره…"
NOT_COUNTED_FA = ("بیماران این دوره شمرده نشدند؛ دوره را دوباره انتخاب کنید یا پنجره را "
                  "ببندید و دوباره باز کنید.")
DATABASE_HELD_FA = "پایگاه داده در دست رایانه دیگری است؛ کمی بعد دوباره بکوشید."


def confirm_closing_quarter(parent: QWidget) -> bool:
    """Closing a quarter cannot be undone without a reason on record: the question's
    default (Enter) is «نه»."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, "بستن فصل",
        "ساختن بسته، این فصل را می‌بندد: هزینه‌ها و ارزیابی‌های آن دیگر تغییر "
        "نمی‌کنند مگر فصل با ذکر دلیل بازگشایی شود. ادامه؟",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("close_quarter_question")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


class Form2Window(QDialog):
    def __init__(self, context: AppContext, prepared_by: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._prepared_by = prepared_by
        self.report: PeriodReport | None = None  # None while the period is being counted
        self.status: QuarterStatus | None = None
        self._count = LatestCount(self, "شمارش بیماران فرم شماره دو", self._on_counted,
                                  self._on_not_counted)
        self._closed = False  # a count ending after this is dropped
        self.setWindowTitle("فرم شماره دو و بستن فصل")
        fit_to_screen(self, 1000, 700)

        # The quarter to close is usually the one just ended.
        current = JalaliQuarter.containing(dt.date.today()).previous
        self.year_spin = PersianSpinBox()
        self.year_spin.setObjectName("year_spin")
        self.year_spin.setAccessibleName("سال")
        self.year_spin.setRange(context.reference.programme.first_programme_year,
                                current_jalali_year())
        self.year_spin.setValue(current.year)
        self.quarter_combo = QComboBox()
        self.quarter_combo.setObjectName("quarter_combo")
        self.quarter_combo.setAccessibleName("فصل")
        for number, name in enumerate(QUARTER_NAMES, start=1):
            self.quarter_combo.addItem(f"فصل {fa(number)} ({name})", number)
        self.quarter_combo.setCurrentIndex(current.quarter - 1)
        self.year_spin.valueChanged.connect(self._on_period_changed)
        self.quarter_combo.currentIndexChanged.connect(self._on_period_changed)
        self.period_label = QLabel()
        self.period_label.setObjectName("period_label")
        self.count_state_label = QLabel()
        self.count_state_label.setObjectName("count_state_label")
        self.count_state_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("سال:"))
        top.addWidget(self.year_spin)
        top.addWidget(QLabel("فصل:"))
        top.addWidget(self.quarter_combo)
        top.addWidget(self.period_label)
        top.addWidget(self.count_state_label, 1)

        self.table = Form2Table()
        self.table.setObjectName("form2_table")
        self.table.setAccessibleName("فرم شماره دو")

        self.checks = QListWidget()
        self.checks.setObjectName("checks_list")
        self.checks.setAccessibleName("بررسی‌های فصل")
        self.checks.setMinimumHeight(90)
        self.checks.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("quarter_status_label")
        self.status_label.setWordWrap(True)
        help_label = QLabel(
            "مراجعه‌کننده: بیماری که در این دوره ثبت یا ارزیابی شده یا هزینه‌ای برایش ثبت شده "
            "است. مشمول: بیماری که در این دوره حمایت مالی گرفته است. هزینه‌کرد: جمع سهم "
            "حمایت اقلام هزینه این دوره. فرستادن بسته فصل را می‌بندد: هزینه‌ها و ارزیابی‌های "
            "آن دیگر تغییر نمی‌کنند مگر فصل با ذکر دلیل بازگشایی شود.")
        help_label.setWordWrap(True)
        help_label.setProperty("role", "hint")

        self.print_button = QPushButton("چاپ فرم شماره دو")
        self.print_button.setObjectName("print_form2_button")
        self.print_form1_button = QPushButton("چاپ فرم شماره یک همه بیماران فصل")
        self.print_form1_button.setObjectName("print_form1_batch_button")
        self.print_form1_button.setToolTip(
            "فرم شماره یک همه بیماران مراجعه‌کننده این دوره، پشت سر هم در یک پرونده PDF، "
            "برای مهر رئیس بیمارستان همراه فرم شماره دو.")
        self.export_button = QPushButton("ساخت بسته فصل برای وزارت (بستن فصل)…")
        self.export_button.setObjectName("export_button")
        self.reopen_button = QPushButton("بازگشایی فصل…")
        self.reopen_button.setObjectName("reopen_button")
        self.help_button = QPushButton("راهنمای بستن فصل")
        self.help_button.setObjectName("close_quarter_help_button")
        close = QPushButton("بستن")
        for button, slot in ((self.help_button, self._on_help),
                             (self.print_button, self._on_print),
                             (self.print_form1_button, self._on_print_form1),
                             (self.export_button, self._on_export),
                             (self.reopen_button, self._on_reopen), (close, self.accept)):
            button.setAutoDefault(False)
            button.clicked.connect(slot)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.print_form1_button, self.export_button,
                       self.reopen_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.help_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(QLabel("بررسی‌ها پیش از بستن فصل:"))
        layout.addWidget(self.checks, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(help_label)
        layout.addLayout(buttons)
        self.refresh()

    @property
    def quarter(self) -> JalaliQuarter:
        return JalaliQuarter(self.year_spin.value(), self.quarter_combo.currentData())

    def _on_period_changed(self, _value: int) -> None:
        # A bound method, not a lambda holding ``self``: no reference cycle keeps the
        # window's Python side alive until the application shuts down.
        self.refresh()

    def refresh(self) -> None:
        """Count the chosen period again, off the window's thread. Meanwhile the window
        says so, shows no numbers and offers nothing that needs them. Asked again before
        the count has ended (another period, or a change just made), the latest request
        wins: the count under way is left to end and dropped, then the period chosen by
        then is counted — one count at a time, however fast the period is changed."""
        quarter = self.quarter
        self.period_label.setText(f"از {jdate(quarter.start)} تا {jdate(quarter.end)}")
        self._show_counting()
        # What the worker needs is read here: it must not touch the window, which may
        # be gone by the time it ends.
        quarters = self.context.quarters

        def count() -> tuple[PeriodReport, QuarterStatus]:
            return quarters.report(quarter.start, quarter.end), quarters.status(quarter)

        self._count.ask(count)

    def _on_counted(self, result: tuple[PeriodReport, QuarterStatus]) -> None:
        if self._closed:
            return
        self.report, self.status = result
        self._show_report()

    def _on_not_counted(self, error: BaseException) -> None:
        if self._closed:
            return
        self._set_count_state(NOT_COUNTED_FA, "error")
        # Where a refresh's errors always went: the program's handler, which says it in
        # Persian (a refusal, a database held by another PC …).
        raise error

    def _set_count_state(self, text: str, role: str = "notice") -> None:
        # Emptied, not hidden: the row keeps its layout when the count arrives.
        self.count_state_label.setText(text)
        if self.count_state_label.property("role") != role:
            self.count_state_label.setProperty("role", role)
            self.count_state_label.style().unpolish(self.count_state_label)
            self.count_state_label.style().polish(self.count_state_label)

    def _show_counting(self) -> None:
        self.report = self.status = None
        self._set_count_state(COUNTING_FA)
        groups = self.context.reference.cancer_groups
        for row, group in enumerate(groups):
            self.table.set_row(row, group.id, group.label, None)
        self.table.set_row(len(groups), None, "جمع کل", None, bold=True)
        self.table.set_row(len(groups) + 1, None, self.context.reference.outside_group.label,
                           None)
        self.checks.clear()
        self.status_label.setText("")
        for button in (self.print_button, self.print_form1_button, self.export_button,
                       self.reopen_button):
            button.setEnabled(False)

    def _show_report(self) -> None:
        assert self.report is not None and self.status is not None
        quarter = self.status.quarter
        self._set_count_state("")
        form2 = self.report.form2
        for row, entry in enumerate((*form2.rows, form2.total)):
            self.table.set_row(row, entry.group_id, entry.label,
                               (entry.seen, entry.covered, entry.spent),
                               bold=entry.group_id == 0)
        outside = form2.outside
        self.table.set_row(len(form2.rows) + 1, None, self.context.reference.outside_group.label,
                           (outside.seen, outside.covered, outside.spent) if outside
                           else (0, 0, 0))
        self.checks.clear()
        if self.report.problems:
            for problem in self.report.problems:
                item = QListWidgetItem(f"✗ {problem.message}")
                item.setForeground(Qt.GlobalColor.darkRed)
                self.checks.addItem(item)
        else:
            item = QListWidgetItem("✓ همه بررسی‌ها درست است؛ فصل را می‌توان بست.")
            item.setForeground(Qt.GlobalColor.darkGreen)
            self.checks.addItem(item)
        for notice in self.report.notices:  # told, but the quarter can close
            item = QListWidgetItem(f"⚠ {notice.message}")
            item.setForeground(Qt.GlobalColor.darkYellow)
            self.checks.addItem(item)
        status = self.status
        unfinished = quarter.end >= dt.date.today()
        if unfinished:
            text = (f"این فصل هنوز تمام نشده است (پایان: {jdate(quarter.end)})؛ فرم ۲ آن تا "
                    "امروز است و بسته آن پس از پایان فصل ساخته می‌شود.")
        elif status.closed:
            text = (f"این فصل بسته است (نسخه {fa(status.versions)}، به دست "
                    f"{status.last_closed_by}). ساختن دوباره بسته همان پرونده را می‌سازد.")
        elif status.versions:
            text = (f"این فصل بازگشایی شده است («{status.reopened_reason}»)؛ بسته بعدی اصلاحیه "
                    f"(نسخه {fa(status.next_version)}) خواهد بود.")
        else:
            text = "این فصل هنوز بسته نشده است."
        self.status_label.setText(text)
        self.print_button.setEnabled(True)
        self.print_form1_button.setEnabled(self.context.access.may(Action.PRINT_FORMS)
                                           and form2.total.seen > 0)
        director = self.context.access.may(Action.CLOSE_QUARTER)
        self.export_button.setEnabled(director and not unfinished
                                      and (self.report.can_close or status.closed))
        self.reopen_button.setEnabled(director and status.closed)
        only = "" if director else "بستن و بازگشایی فصل با رئیس بیمارستان است."
        self.export_button.setToolTip(only)
        self.reopen_button.setToolTip(only)

    def done(self, result: int) -> None:
        # Closed while counting: the count ends on its own and nobody is shown it.
        self._closed = True
        super().done(result)

    # --- actions -----------------------------------------------------------------------

    def _on_help(self) -> None:
        from cancer_desk.ui.help_window import SECTION_CLOSE_QUARTER, show_help

        show_help(self, section=SECTION_CLOSE_QUARTER)

    def _on_print(self) -> None:
        from cancer_desk.print.form2 import render_form2
        from cancer_desk.services.documents import DocumentUnavailableError
        from cancer_desk.ui.printing import print_failure_fa, print_target, show_pdf

        assert self.report is not None and self.status is not None
        quarter = self.quarter
        partial = None
        try:
            target = print_target(f"form2-{quarter.year}-{quarter.quarter}")
            # A quarter not closed yet prints as a draft up to today.
            document = self.context.documents.form2(
                self.report.form2, period_name=quarter.label, prepared_by=self._prepared_by,
                closed=self.status.closed)
            partial = target.with_name(target.name + ".partial")
            render_form2(document, partial)
            partial.replace(target)
        except (DocumentUnavailableError, OSError) as exc:
            QMessageBox.warning(self, "چاپ نشد", print_failure_fa(exc))
            return
        finally:
            if partial is not None:
                partial.unlink(missing_ok=True)
        show_pdf(self, target, title="فرم شماره دو")

    def form1_batch_target(self) -> Path:
        """In the prints folder, named by the quarter and the time, not by anyone."""
        from cancer_desk.ui.printing import print_target

        quarter = self.quarter
        return print_target(f"form1-all-{quarter.year}-{quarter.quarter}")

    def _on_print_form1(self) -> None:
        """Form 1 of every patient the quarter counts, in one PDF, made off the window's
        thread: at a big hospital that is thousands of pages."""
        from cancer_desk.services.batch_print import print_period_form1
        from cancer_desk.services.documents import DocumentUnavailableError
        from cancer_desk.ui.printing import print_failure_fa, show_pdf

        quarter, context = self.quarter, self.context
        target = self.form1_batch_target()
        count = try_in_background(
            self, lambda progress: print_period_form1(
                context, quarter.start, quarter.end, target, period_name=quarter.label,
                progress=progress),
            title="چاپ فرم شماره یک بیماران فصل",
            text=f"فرم شماره یک بیماران {quarter.label}…",
            on_cancel=lambda: QMessageBox.information(self, "چاپ فرم شماره یک",
                                                      "چاپ لغو شد و پرونده‌ای نوشته نشد."),
            answers=(((DocumentUnavailableError, OSError),
                      lambda exc: QMessageBox.warning(self, "چاپ نشد", print_failure_fa(exc))),))
        if count is None:
            return
        show_pdf(self, target, title="چاپ فرم شماره یک",
                 done=f"فرم شماره یک {fa(count)} بیمار نوشته شد.")

    def ask_export_target(self) -> tuple[Path, str | None] | None:
        quarter = self.quarter
        # In the Documents folder, not the program's own: the person then picks the USB
        # disk from the dialog's side bar, or finds the file where they look for files.
        suggested = documents_dir() / f"cancer-desk-{quarter.year}-q{quarter.quarter}.zip"
        name, _ = QFileDialog.getSaveFileName(self, "بسته فصل", str(suggested),
                                              "بسته فصل (*.zip)")
        if not name:
            return None
        password = None
        if QMessageBox.question(
                self, "رمز", "بسته با رمز محافظت شود؟ (رمز را جداگانه، نه همراه پرونده، به "
                "گیرنده بدهید.)") == QMessageBox.StandardButton.Yes:
            while True:
                password, ok = QInputDialog.getText(self, "رمز بسته", "رمز:",
                                                    QLineEdit.EchoMode.Password)
                if not ok or not password:
                    return None
                again, ok = QInputDialog.getText(self, "رمز بسته", "تکرار رمز:",
                                                 QLineEdit.EchoMode.Password)
                if not ok:
                    return None
                if again == password:
                    break
                QMessageBox.warning(self, "رمز بسته", "دو رمز یکسان نیستند؛ دوباره وارد کنید.")
        return Path(name), password

    def _on_export(self) -> None:
        status = self.status
        assert status is not None
        if not status.closed and not confirm_closing_quarter(self):
            return
        target = self.ask_export_target()
        if target is None:
            return
        quarter, context = self.quarter, self.context
        path, password = target

        def cancelled() -> None:
            self.refresh()
            QMessageBox.information(self, "بسته فصل",
                                    "ساختن بسته لغو شد: پرونده‌ای نوشته نشد و فصل همان‌گونه "
                                    "که بود ماند.")

        def not_written(exc: OSError) -> None:
            QMessageBox.warning(self, "بسته ساخته نشد",
                                f"پرونده در این محل نوشته نشد (پوشه یا دیسک را بررسی کنید): "
                                f"{exc}")

        result = try_in_background(
            self, lambda progress: export_quarter(context, quarter, path,
                                                  password=password, progress=progress),
            title="بسته فصل", text=f"ساختن بسته {quarter.label}…", on_cancel=cancelled,
            answers=((ExportRefusedError,
                      lambda exc: QMessageBox.warning(self, "بسته ساخته نشد", exc.message_fa)),
                     (OSError, not_written),
                     (OperationalError, lambda _exc: QMessageBox.warning(
                         self, "بسته ساخته نشد", DATABASE_HELD_FA))))
        if result is None:
            return
        self.refresh()
        if result.newly_closed:
            QMessageBox.information(
                self, "بسته فصل", f"بسته نسخه {fa(result.version)} نوشته شد و فصل بسته شد:"
                                  f"\n{result.path.name}")
        elif result.changed_since:
            QMessageBox.warning(self, "بسته فصل", f"{result.path.name}\n"
                                                  f"{describe_changes_fa(result.changed_since)}")
        else:
            QMessageBox.information(
                self, "بسته فصل", f"همان بسته نسخه {fa(result.version)} که فرستاده شده بود "
                                  f"دوباره نوشته شد:\n{result.path.name}")

    def ask_reopen(self) -> str | None:
        """The reason; ``None`` if the director thinks better of it."""
        dialog = ReopenDialog(self.quarter, self._prepared_by, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason

    def _on_reopen(self) -> None:
        reason = self.ask_reopen()
        if reason is None:
            return
        try:
            rebanded = self.context.quarters.reopen(self.quarter, reason=reason)
        except ReopenRefusedError as exc:
            QMessageBox.warning(self, "بازگشایی نشد", exc.message_fa)
            self.refresh()
            return
        except OperationalError:
            QMessageBox.warning(self, "بازگشایی نشد", DATABASE_HELD_FA)
            return
        self.refresh()
        if rebanded:
            QMessageBox.information(
                self, "بازگشایی فصل",
                f"حمایت {fa(rebanded)} قلم هزینه این فصل با ارزیابی‌های ثبت‌شده در زمان بسته "
                "بودن فصل به‌روز شد؛ بسته اصلاحیه این تغییرها را نشان خواهد داد.")


class ReopenDialog(ReasonDialog):
    """Why, and by whom (the signed-in director): both are recorded and travel in the
    amendment's manifest."""

    def __init__(self, quarter: JalaliQuarter, name: str, parent: QWidget | None = None) -> None:
        super().__init__(
            name="reopen", title=f"بازگشایی {quarter.label}", reason_label="دلیل بازگشایی",
            placeholder="مثلاً: هزینه داروی یک بیمار جا افتاده بود.", ok_text="بازگشایی",
            min_length=MIN_REASON_LENGTH, who=name, parent=parent,
            note="پس از بازگشایی، هزینه‌ها و ارزیابی‌های این فصل دوباره ویرایش‌پذیرند و بسته "
                 "بعدی این فصل «اصلاحیه» است که دلیل و تغییرها را با خود دارد.")
