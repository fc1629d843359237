"""The day's copy beside the window: started once the main window is on screen, made on a
worker thread, said in the status bar — and a failure said as before; a restore waits
for a copy still being made."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from cancer_desk import APP_NAME_FA
from cancer_desk.db.backup import BackupError
from cancer_desk.services.backups import BackupService, NotOnFileError
from cancer_desk.ui import background, daily_backup
from cancer_desk.ui.background import ProgressDialog
from cancer_desk.ui.main import open_main_window
from tests.conftest import sign_in_tester
from tests.ui.helpers import on_next_modal

WAIT_MS = 10_000  # far longer than a copy here takes: only a hang runs into it



@pytest.fixture
def told(monkeypatch) -> list[tuple[str, str]]:
    """What warning boxes say, as (title, text)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda _parent, title, text, *a, **k: shown.append((title, text))
        or QMessageBox.StandardButton.Ok))
    return shown


class HeldCopy:
    """The daily copy, held until the test lets it go; on which thread it ran."""

    def __init__(self, monkeypatch) -> None:
        self.threads: list[threading.Thread] = []
        self.made: list[object] = []
        self.go = threading.Event()
        real = BackupService.daily

        def held(service, **kwargs):
            self.threads.append(threading.current_thread())
            assert self.go.wait(WAIT_MS / 1000)
            made = real(service, **kwargs)
            self.made.append(made)
            return made

        monkeypatch.setattr(BackupService, "daily", held)


def status(window) -> str:
    return window.statusBar().currentMessage()


@pytest.mark.sqlite_only
def test_the_days_copy_at_start_is_made_beside_the_window(qtbot, configured_context,
                                                          monkeypatch, told) -> None:
    held = HeldCopy(monkeypatch)
    window = open_main_window(configured_context, first=True)
    qtbot.addWidget(window)
    assert window.isVisible() and held.threads == []  # the window first, then the copy
    try:
        qtbot.waitUntil(lambda: bool(held.threads), timeout=WAIT_MS)
        assert window.isVisible()
        assert status(window) == "در حال گرفتن پشتیبان روزانه…"
        assert configured_context.backups.list() == []
    finally:
        held.go.set()
    qtbot.waitUntil(lambda: status(window) == "پشتیبان روزانه گرفته شد.", timeout=WAIT_MS)
    assert held.threads[0] is not threading.main_thread()
    assert [c.kind_fa for c in configured_context.backups.list()] == ["روزانه"]
    assert told == []
    # made already: nothing to do, nothing said
    assert window.backup_room.start_daily_backup() is None
    assert status(window) == "پشتیبان روزانه گرفته شد."


@pytest.mark.parametrize(("error", "said"), [
    (BackupError("disk full", "نسخه پشتیبان نوشته نشد؛ جای خالی دیسک را بررسی کنید."),
     "پشتیبان روزانه گرفته نشد. نسخه پشتیبان نوشته نشد؛ جای خالی دیسک را بررسی کنید."),
    (PermissionError("backups"), "پشتیبان روزانه گرفته نشد؛ پوشه پشتیبان یا دیسک را بررسی "
                                 "کنید (دیسک USB وصل است؟). کار را می‌توان ادامه داد."),
], ids=["refused", "folder"])
def test_a_days_copy_not_made_at_start_is_said_in_persian(qtbot, configured_context,
                                                          monkeypatch, told, error,
                                                          said) -> None:
    ran_in: list[threading.Thread] = []

    def fails(_service, **_kwargs):
        ran_in.append(threading.current_thread())
        raise error

    monkeypatch.setattr(BackupService, "daily_due", lambda _service, **_kwargs: True)
    monkeypatch.setattr(BackupService, "daily", fails)
    window = open_main_window(configured_context, first=True)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)
    assert told == [(APP_NAME_FA, said)]
    assert status(window) == daily_backup.NOT_MADE_FA
    assert ran_in[0] is not threading.main_thread()
    assert window.backup_room.daily_timer.isActive()  # the next hour tries again

    window.backup_room.start_daily_backup()  # what the hourly timer does: the status bar only
    qtbot.waitUntil(lambda: len(ran_in) == 2 and not daily_backup.running(),
                    timeout=WAIT_MS)
    qtbot.wait(3 * background.POLL_MS)
    assert len(told) == 1 and status(window) == daily_backup.NOT_MADE_FA


def test_a_server_database_is_left_to_the_server(qtbot, configured_context, monkeypatch,
                                                 told) -> None:
    def on_a_server(_service, **_kwargs):
        raise NotOnFileError()

    monkeypatch.setattr(BackupService, "daily_due", on_a_server)
    window = open_main_window(configured_context, first=True)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.backup_room.daily_timer.isActive(), timeout=WAIT_MS)
    assert not daily_backup.running()
    assert status(window) == "" and told == []


@pytest.mark.sqlite_only
def test_a_restore_waits_for_the_days_copy_being_made(qtbot, configured_context,
                                                      monkeypatch) -> None:
    from cancer_desk.ui.backups import BackupsDialog
    from cancer_desk.ui.main_window import MainWindow

    ctx = configured_context
    saved = ctx.backups.backup_now()
    held = HeldCopy(monkeypatch)
    order: list[str] = []
    real_restore = BackupService.restore

    def restore(service, source, progress):
        order.append("restore")
        return real_restore(service, source, progress)

    monkeypatch.setattr(BackupService, "restore", restore)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: None))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.backup_room.start_daily_backup()  # the hourly timer: a copy is being made
    qtbot.waitUntil(lambda: bool(held.threads), timeout=WAIT_MS)
    dialog = BackupsDialog(ctx.backups, ctx.settings, window)
    dialog.ask_restore_source = lambda: saved
    seen: dict[str, object] = {}

    def waiting(progress: ProgressDialog) -> None:
        qtbot.waitUntil(lambda: progress.text_label.text()
                        == "در انتظار پایان پشتیبان روزانه…", timeout=WAIT_MS)
        qtbot.wait(250)  # held there, not begun
        seen["before the copy was made"] = list(order)
        held.go.set()
        qtbot.waitUntil(lambda: not progress.isVisible(), timeout=WAIT_MS)

    failures: list[BaseException] = []

    def checked(progress: ProgressDialog) -> None:  # the first checks the backup file
        qtbot.waitUntil(lambda: not progress.isVisible(), timeout=WAIT_MS)
        on_next_modal(ProgressDialog, waiting, failures)  # the second restores it

    on_next_modal(ProgressDialog, checked, failures)
    try:
        dialog.restore_button.click()
    finally:
        held.go.set()
    assert not failures, failures
    assert seen["before the copy was made"] == []
    assert order == ["restore"] and held.made and held.made[0] is not None
    assert dialog.restored
    assert {c.kind_fa for c in sign_in_tester(ctx).backups.list()} >= {"روزانه"}
