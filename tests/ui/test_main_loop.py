"""The program as started: sign in, work, sign out, and the sign-in comes back."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from cancer_desk.app import DEMO_PASSWORD
from cancer_desk.ui import main as main_module
from cancer_desk.ui.main_window import MainWindow
from cancer_desk.ui.sign_in import FirstAdministratorDialog, SignInDialog


def test_sign_in_sign_out_and_close(qapp, db_url) -> None:
    stage = {"at": "sign in"}
    titles: list[str] = []
    demo_hints: list[str] = []
    pressed_before_open: list[bool] = []

    def tick() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, SignInDialog):
            if modal.ready:
                label = modal.findChild(type(modal.general_error), "demo_accounts_label")
                demo_hints.append(label.text() if label is not None else "")
            if stage["at"] == "sign in":
                # The window is up while the new demo database is still being made: the
                # sign-in pressed now waits for it.
                pressed_before_open.append(not modal.ready)
                modal.username_edit.setText("maryam")
                modal.password_edit.setText(DEMO_PASSWORD)
                modal._on_accept()
                stage["at"] = "work"
            elif stage["at"] == "signed out":
                modal.reject()  # «بستن برنامه»
                stage["at"] = "closed"
            return
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if windows and stage["at"] == "work":
            titles.append(windows[0].account_button.text())
            windows[0].sign_out()
            stage["at"] = "signed out"

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(50)
    try:
        code = main_module.run(db_url, demo=True)
    finally:
        timer.stop()
    assert code == 0 and stage["at"] == "closed"
    from cancer_desk.paths import sqlite_path

    if (database_file := sqlite_path(db_url)) is not None:  # a server backs up its own
        backups = database_file.parent / "backups"
        assert len(list(backups.glob("cancer-desk-daily-*.sqlite3"))) == 1  # the day's copy
    assert titles == ["مریم احمدی"]
    assert pressed_before_open == [True]
    assert "maryam" in demo_hints[0] and DEMO_PASSWORD in demo_hints[0]


def test_the_sign_in_window_is_up_before_the_database_layer_loads() -> None:
    """What a person waits for at the start is Qt and the sign-in window: SQLAlchemy,
    the models and the services load beside it."""
    code = ("import sys\nfrom cancer_desk.ui import main\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'"
            " or m.startswith(('cancer_desk.services', 'cancer_desk.models',"
            " 'cancer_desk.db', 'cancer_desk.app')))[:5])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]"


def test_signing_in_pressed_before_the_database_is_open_waits_for_it(
        qtbot, configured_context) -> None:
    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    dialog.username_edit.setText("tester")
    dialog.password_edit.setText("test-pass-1388")
    configured_context.accounts.sign_out()
    dialog._on_accept()
    assert dialog.result() == 0 and not dialog.sign_in_button.isEnabled()
    assert dialog.opening_label.text() == "در حال باز کردن پایگاه داده…"
    dialog.set_ready(configured_context.accounts, place="بیمارستان امید")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert configured_context.access.actor.username == "tester"
    assert dialog.place_label.text() == "بیمارستان امید"


def test_a_database_that_cannot_be_opened_closes_the_early_window_and_says_so(
        qapp, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "not-a-database.sqlite3"
    folder.mkdir()  # a folder where the file should be
    said: list[str] = []
    monkeypatch.setattr(main_module.QMessageBox, "critical",
                        lambda _parent, _title, text: said.append(text))
    assert main_module.run(f"sqlite:///{folder}") == 1
    assert said and "نتوانست پایگاه داده" in said[0]


@pytest.mark.parametrize("memory", [False, True], ids=["file or server", "memory"])
def test_a_new_database_closes_the_early_window_for_the_first_administrator(
        qapp, db_url, memory) -> None:
    """Also a memory database, which the window's thread opens itself (a worker's
    would be a database of its own). The Persian error handler is in place from the
    first window on: a sign-in failing for a reason other than the password is told."""
    seen: list[str] = []
    hooks: list[object] = []

    def tick() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.isVisible():
            seen.append(type(modal).__name__)
            hooks.append(sys.excepthook)
            if isinstance(modal, FirstAdministratorDialog):
                modal.reject()  # «بستن برنامه»

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(30)
    before = sys.excepthook
    try:
        assert main_module.run("sqlite://" if memory else db_url) == 0
    finally:
        timer.stop()
    assert "FirstAdministratorDialog" in seen
    assert hooks and all(hook is main_module._handle_exception for hook in hooks)
    assert sys.excepthook is before  # put back at the end


def test_the_program_s_command_reaches_the_window_without_the_database_layer(
        tmp_path) -> None:
    """`cancer-desk` as a person starts it: nothing before the sign-in window loads
    SQLAlchemy (a check of the command line once did, for every command)."""
    code = ("import sys\nimport cancer_desk.ui.main as window\n"
            "def run(url, demo=False):\n"
            "    print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy')[:3])\n"
            "    return 0\n"
            "window.run = run\nfrom cancer_desk.cli import main\nmain(['--demo'])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                          "CANCER_DESK_DATA_DIR": str(tmp_path)})
    assert out.stdout.strip() == "[]"


@pytest.mark.sqlite_only
def test_a_database_with_a_foreign_trigger_is_not_opened_and_the_window_says_why(
        qapp, db_url, db_file, monkeypatch) -> None:
    import contextlib
    import sqlite3

    from tests.conftest import open_signed_in

    open_signed_in(db_url).close()
    with contextlib.closing(sqlite3.connect(db_file)) as db:
        db.execute("CREATE TRIGGER quiet_change AFTER INSERT ON audit_log BEGIN "
                   "UPDATE accounts SET roles = 'administrator'; END")
        db.commit()
    said: list[str] = []
    monkeypatch.setattr(main_module.QMessageBox, "critical",
                        lambda _parent, _title, text: said.append(text))
    assert main_module.run(db_url) == 1
    assert said and "تریگر «quiet_change» را این برنامه نساخته است" in said[0]
    assert "باز نمی‌شود" in said[0]
