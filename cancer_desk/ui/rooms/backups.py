"""Backups: the backups window, and the day's copy made on its own at the start and
every hour while the program runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from cancer_desk import APP_NAME_FA
from cancer_desk.services.backups import BackupError, NotOnFileError
from cancer_desk.ui import daily_backup
from cancer_desk.ui.background import Job, when_done

if TYPE_CHECKING:
    from cancer_desk.ui.main_window import MainWindow


class BackupRoom:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.context = window.context
        # A PC left running for days still gets its daily copy (checked every hour).
        self._at_start = False  # a copy that fails then gets a message box
        self.daily_timer = QTimer(window)
        self.daily_timer.setInterval(60 * 60 * 1000)
        self.daily_timer.timeout.connect(self.start_daily_backup)
        self.daily_timer.start()

    def backups(self) -> None:
        from cancer_desk.ui.backups import BackupsDialog

        if self.context.database.sqlite_file is None:  # on a server: the server's own care
            QMessageBox.information(self.window, "پشتیبان‌گیری", NotOnFileError().message_fa)
            return
        dialog = BackupsDialog(self.context.backups, self.context.settings, self.window)
        dialog.exec()
        if dialog.restored:  # the accounts and records are the backup's: sign in again
            self.window.sign_out()

    def start_daily_backup(self, *, at_start: bool = False) -> Job | None:
        """The day's copy, if it is still to be made, on a worker thread: the window is
        usable meanwhile and the status bar says how it goes. A copy that fails is said
        there; at the program's start (``at_start``) in a message box as well. ``None``
        if there is nothing to do now."""
        try:
            job = daily_backup.start(self.context.backups)
        except NotOnFileError:
            self.daily_timer.stop()  # a server's database: the server's own care
            return None
        if job is None:
            return None
        self._at_start = at_start
        self.window.statusBar().showMessage(daily_backup.RUNNING_FA)
        when_done(self.window, job, self._daily_backup_done)
        return job

    def _daily_backup_done(self, job: Job) -> None:
        status = self.window.statusBar()
        error = job.take_error()
        if error is None:
            if job.result is not None:
                status.showMessage(daily_backup.MADE_FA, 8000)
            elif status.currentMessage() == daily_backup.RUNNING_FA:
                status.clearMessage()  # made meanwhile by another program on this PC
            return
        if isinstance(error, NotOnFileError):
            self.daily_timer.stop()
            status.clearMessage()
            return
        if not isinstance(error, BackupError | OSError):
            status.clearMessage()
            raise error  # the program's handler says it
        status.showMessage(daily_backup.NOT_MADE_FA)
        if self._at_start and not self.window.signed_out:
            QMessageBox.warning(self.window, APP_NAME_FA,
                                daily_backup.failure_at_start_fa(error))
