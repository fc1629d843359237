"""The administrator's backups window: where they go, the copies there, a copy now,
restoring one, and a check of the database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.errors import InputError
from cancer_desk.core.persian import format_number
from cancer_desk.core.progress import Progress
from cancer_desk.services.backups import BackupError
from cancer_desk.ui import background
from cancer_desk.ui.background import Answer, try_in_background
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa, jdate, ltr
from cancer_desk.ui.widgets.record_table import record_table

if TYPE_CHECKING:
    from cancer_desk.services.backups import BackupService
    from cancer_desk.services.settings import SettingsService

COUNT_LABELS = {"patients": "بیمار", "assessments": "ارزیابی", "cost_items": "هزینه",
                "accounts": "حساب", "audit_log": "ردیف سابقه"}


def describe_counts(counts: dict[str, int]) -> str:
    return "، ".join(f"{fa(counts[t])} {label}" for t, label in COUNT_LABELS.items()
                     if t in counts)


class BackupsDialog(QDialog):
    COLUMNS = ("پرونده", "زمان", "اندازه", "گونه")

    def __init__(self, backups: BackupService, settings: SettingsService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backups = backups
        self._settings = settings
        self.restored = False  # the window must sign everyone out: the accounts changed
        self.setWindowTitle("پشتیبان‌گیری")
        fit_to_screen(self, 820, 520)
        intro = QLabel("برنامه هر روز یک نسخه پشتیبان می‌گیرد و دو هفته آخر را "
                       "نگه می‌دارد. هر نسخه پیش از نگه‌داشتن بررسی سلامت می‌شود. پوشه را "
                       "می‌توان روی دیسک USB گذاشت.")
        intro.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setObjectName("backup_folder_label")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        change = QPushButton("تغییر پوشه…")
        change.clicked.connect(self._on_change_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("پوشه پشتیبان:"))
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(change)
        self.error_label = QLabel()
        self.error_label.setObjectName("backup_error_label")
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.table = record_table("backups_table", "نسخه‌های پشتیبان", self.COLUMNS,
                                  one_at_a_time=False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.backup_button = QPushButton("پشتیبان بگیر، اکنون")
        self.backup_button.setObjectName("backup_now_button")
        self.restore_button = QPushButton("بازگردانی از یک پشتیبان…")
        self.restore_button.setObjectName("restore_button")
        self.check_button = QPushButton("بررسی سلامت پایگاه داده")
        self.check_button.setObjectName("check_button")
        for button, slot in ((self.backup_button, self._on_backup),
                             (self.restore_button, self._on_restore),
                             (self.check_button, self._on_check)):
            button.clicked.connect(slot)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.check_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        self.folder_label.setText(ltr(str(self._backups.folder())))
        copies = self._backups.list()
        self.table.setRowCount(len(copies))
        for row, copy in enumerate(copies):
            cells = (ltr(copy.path.name),
                     f"{jdate(copy.modified.date())} {fa(copy.modified.strftime('%H:%M'))}",
                     f"{format_number(max(1, round(copy.size / 1024)))} کیلوبایت",
                     copy.kind_fa)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def ask_folder(self) -> str | None:
        folder = QFileDialog.getExistingDirectory(self, "پوشه پشتیبان",
                                                  str(self._backups.folder()))
        return folder or None

    def _on_change_folder(self) -> None:
        folder = self.ask_folder()
        if folder is None:
            return
        try:
            self._settings.set_backup_folder(folder)
        except InputError as exc:
            self._show_error(exc.message_fa)
            return
        self._show_error("")
        self.refresh()

    def _refused(self, not_done_fa: str = "") -> tuple[Answer, ...]:
        """What the window says of a copy or a restore that did not end: the backup's
        own reason, or (``not_done_fa``) what the disk or the folder stopped."""
        said: tuple[Answer, ...] = (
            (BackupError, lambda exc: self._show_error(exc.message_fa)),)
        if not_done_fa:
            said += ((OSError, lambda _exc: self._show_error(not_done_fa)),)
        return said

    def _on_backup(self) -> None:
        backups = self._backups

        def cancelled() -> None:
            self._show_error("")
            QMessageBox.information(self, "پشتیبان‌گیری",
                                    "پشتیبان‌گیری لغو شد و نسخه‌ای نوشته نشد.")

        made = try_in_background(
            self, lambda progress: backups.backup_now(progress=progress),
            title="پشتیبان‌گیری", text="گرفتن نسخه پشتیبان…", on_cancel=cancelled,
            answers=self._refused("پشتیبان گرفته نشد؛ پوشه پشتیبان و جای خالی دیسک را "
                                  "بررسی کنید."))
        if made is None:
            return
        self._show_error("")
        self.refresh()
        QMessageBox.information(self, "پشتیبان‌گیری", f"نسخه پشتیبان نوشته و بررسی شد:\n"
                                                      f"{ltr(made.name)}")

    def ask_restore_source(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self, "بازگردانی از پشتیبان",
                                              str(self._backups.folder()),
                                              "پایگاه داده (*.sqlite3);;همه پرونده‌ها (*)")
        return Path(path) if path else None

    def _on_restore(self) -> None:
        source = self.ask_restore_source()
        if source is None:
            return
        backups = self._backups
        facts = try_in_background(
            self, lambda progress: backups.inspect(source, progress),
            title="بازگردانی", text="بررسی سلامت پرونده پشتیبان…", answers=self._refused())
        if facts is None:
            return
        if QMessageBox.question(
                self, "بازگردانی",
                f"پایگاه داده کنونی با این پشتیبان جایگزین شود؟\n{ltr(source.name)}: "
                f"{describe_counts(facts.counts)}.\nنخست از پایگاه کنونی پشتیبان گرفته "
                "می‌شود. پس از آن همه باید دوباره وارد شوند.") != \
                QMessageBox.StandardButton.Yes:
            return

        def restore(progress: Progress) -> tuple[object, Path]:  # (its facts, the copy before)
            # Not over the day's copy still being made beside the window (nor under a
            # count still reading): the restore waits for them to end first.
            background.wait_for_jobs(progress)
            return backups.restore(source, progress)

        def cancelled() -> None:
            self._show_error("")
            self.refresh()  # the copy of the database made first is gone as well
            QMessageBox.information(self, "بازگردانی",
                                    "بازگردانی لغو شد و پایگاه داده همان است که بود.")

        restored = try_in_background(
            self, restore, title="بازگردانی", text="بازگردانی از پشتیبان…",
            note="تا پیش از آغاز جایگزینی پایگاه داده می‌توان بازگردانی را لغو کرد؛ "
                 "از آن پس تا پایان می‌رود.", on_cancel=cancelled,
            answers=self._refused("بازگردانی نشد؛ پوشه پشتیبان و جای خالی دیسک را بررسی "
                                  "کنید."))
        if restored is None:
            return
        _, before = restored
        self.restored = True
        QMessageBox.information(self, "بازگردانی",
                                "پشتیبان بازگردانده شد. پایگاه پیش از آن در این پرونده نگه "
                                f"داشته شد:\n{ltr(before.name)}\nاکنون دوباره وارد شوید.")
        self.accept()

    def _on_check(self) -> None:
        backups = self._backups
        checked = try_in_background(
            self, lambda progress: (backups.check(progress), backups.schema_findings()),
            title="بررسی سلامت", text="بررسی سلامت پایگاه داده…", answers=self._refused())
        if checked is None:
            return
        facts, findings = checked
        if not facts.sound:
            QMessageBox.warning(self, "بررسی سلامت",
                                "بررسی سلامت پایگاه داده اشکال یافت؛ از آخرین پشتیبان سالم "
                                "بازگردانی کنید:\n" + "\n".join(facts.problems[:5]))
        elif findings:
            QMessageBox.warning(self, "بررسی سلامت",
                                "ساختار پایگاه داده با ساختار این برنامه یکی نیست؛ به مسئول "
                                "فناوری بگویید و از آخرین پشتیبان سالم بازگردانی کنید:\n"
                                + "\n".join(f.describe_fa() for f in findings[:8]))
        else:
            QMessageBox.information(self, "بررسی سلامت",
                                    f"پایگاه داده سالم است (نسخه طرح {ltr(facts.revision or '')})"
                                    f": {describe_counts(facts.counts)}.")
