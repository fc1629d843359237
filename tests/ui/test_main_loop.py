"""The program as started: sign in, work, sign out, and the sign-in comes back."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from cancer_desk.app import DEMO_PASSWORD
from cancer_desk.ui import main as main_module
from cancer_desk.ui.main_window import MainWindow
from cancer_desk.ui.sign_in import SignInDialog


def test_sign_in_sign_out_and_close(qapp, db_url) -> None:
    stage = {"at": "sign in"}
    titles: list[str] = []
    demo_hints: list[str] = []

    def tick() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, SignInDialog):
            label = modal.findChild(type(modal.general_error), "demo_accounts_label")
            demo_hints.append(label.text() if label is not None else "")
            if stage["at"] == "sign in":
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
    assert "maryam" in demo_hints[0] and DEMO_PASSWORD in demo_hints[0]
