"""Starting the window: Qt application, theme, database, first-run setup."""

from __future__ import annotations

import sys

import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox

from cancer_desk import APP_NAME, APP_NAME_FA, __version__
from cancer_desk.app import DEMO_PATIENTS, DEMO_SEED, AppContext, fill_demo, open_context
from cancer_desk.core.reference import ReferenceDataError
from cancer_desk.core.rules import RuleSetError
from cancer_desk.db.database import DatabaseOpenError
from cancer_desk.ui.main_window import MainWindow
from cancer_desk.ui.setup_dialog import SetupDialog
from cancer_desk.ui.theme import apply_theme


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME_FA)
    app.setApplicationVersion(__version__)
    apply_theme(app)
    return app  # type: ignore[return-value]


def prepare_context(url: str, *, demo: bool = False) -> AppContext:
    context = open_context(url)
    if demo and context.settings.get() is None:
        fill_demo(context, DEMO_PATIENTS, DEMO_SEED)
    return context


def run(url: str, *, demo: bool = False) -> int:
    app = make_application()
    try:
        context = prepare_context(url, demo=demo)
    except (DatabaseOpenError, RuleSetError, ReferenceDataError) as exc:
        QMessageBox.critical(None, APP_NAME_FA,
                             "برنامه نتوانست پایگاه داده یا پرونده‌های قواعد را باز کند.\n\n"
                             f"{exc}")
        return 1
    if context.rulebook.skipped:
        QMessageBox.warning(
            None, APP_NAME_FA,
            "این پرونده‌های قواعد نادرست بودند و کنار گذاشته شدند؛ برنامه با بقیه کار "
            "می‌کند:\n\n" + "\n".join(str(e) for e in context.rulebook.skipped))
    try:
        if context.settings.get() is None:
            setup = SetupDialog(context.settings, context.reference)
            if not setup.exec():
                return 0
        window = MainWindow(context)
        window.showMaximized()  # ward PCs often have 1366×768 screens
        try:
            return app.exec()
        finally:
            # Tear the window and its dialogs down while Qt is whole; left to Python's
            # exit, windows kept alive by signal connections are destroyed after parts of
            # Qt already are, which can crash on the way out.
            shiboken6.delete(window)
    finally:
        context.close()
