"""Starting the window: Qt application, theme, database, first-run setup, signing in.

The sign-in window comes first, at once: the database layer (SQLAlchemy, the models
and services: most of a start's time) loads and the database opens on a worker thread
while the person types. So this module's own imports are Qt and the light parts only;
what needs the database is imported where it is used."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, cast

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from cancer_desk import APP_NAME, APP_NAME_FA, __version__
from cancer_desk.core.access import Action
from cancer_desk.core.reference import ReferenceDataError, hospital_title
from cancer_desk.core.rules import RuleSetError
from cancer_desk.ui import background
from cancer_desk.ui.input_guard import install_input_guard
from cancer_desk.ui.sign_in import ChangePasswordDialog, FirstAdministratorDialog, SignInDialog
from cancer_desk.ui.theme import apply_theme

if TYPE_CHECKING:
    from cancer_desk.app import AppContext
    from cancer_desk.ui.main_window import MainWindow

# The early sign-in window was closed because the database turned out to need the
# first-run windows, or could not be opened: not the person's doing.
CLOSED_FOR_FIRST_RUN = 2


def make_application(argv: list[str] | None = None) -> QApplication:
    """The application exactly as the program runs it, everything app-wide in one place:
    its names, the Persian locale and Qt's own words in Persian, right to left, the
    bundled font, the style sheet and the input guard. The program's start, its
    self-test and the tests all build it here, so none runs on a setup the others do not
    have. On an application already made, it is set up again without doubling
    anything."""
    app = cast(QApplication, QApplication.instance()
               or QApplication(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME_FA)
    app.setApplicationVersion(__version__)
    apply_theme(app)  # locale, translations, direction, font, style sheet
    install_input_guard(app)
    background.install_tasks(app)  # the work beside the window, and its end handed back
    return app


def prepare_context(url: str, *, demo: bool = False) -> AppContext:
    from cancer_desk.app import DEMO_PATIENTS, DEMO_SEED, fill_demo, open_context

    context = open_context(url)
    if demo and context.settings.get() is None and not context.accounts.has_accounts():
        fill_demo(context, DEMO_PATIENTS, DEMO_SEED)
    return context


def first_run(context: AppContext) -> bool:
    """A database with no accounts: the administrator is made (and signed in), then the
    hospital is entered. ``False`` if the person closes either window."""
    from cancer_desk.ui.setup_dialog import SetupDialog

    # A database from before accounts existed is treated as new here too: whoever opens it
    # first makes the administrator account, who then makes the others.
    if not context.accounts.has_accounts() and \
            FirstAdministratorDialog(context.accounts).exec() != QDialog.DialogCode.Accepted:
        return False
    while context.settings.get() is None:
        if context.access.actor is None and not sign_in(context):
            return False
        if not context.access.may(Action.MANAGE_SETTINGS):
            QMessageBox.information(None, APP_NAME_FA,
                                    "مشخصات بیمارستان هنوز وارد نشده است؛ نخست مدیر سامانه "
                                    "وارد شود و آن را کامل کند.")
            context.accounts.sign_out()
            continue
        setup = SetupDialog(context.settings, context.reference)
        if not setup.exec():
            return False
    return True


def _sign_in_details(context: AppContext) -> dict[str, Any] | None:
    """What the sign-in window shows of the database: its hospital and (on a demo
    database) the demo's accounts; ``None`` if it needs its first-run windows instead
    (no account yet, or no hospital entered)."""
    from cancer_desk.app import DEMO_ACCOUNTS, DEMO_PASSWORD

    settings = context.settings.get()
    if settings is None or not context.accounts.has_accounts():
        return None
    return {"place": hospital_title(settings.hospital),
            "demo_accounts": [(u, n) for u, n, _ in DEMO_ACCOUNTS]
            if settings.is_demo else None,
            "demo_password": DEMO_PASSWORD}


def sign_in(context: AppContext) -> bool:
    """The sign-in window, then a new password if an administrator set a temporary one.
    ``False`` if the person closes it."""
    dialog = SignInDialog()
    dialog.set_ready(context.accounts, **(_sign_in_details(context) or {}))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return _after_sign_in(context)


def _after_sign_in(context: AppContext) -> bool:
    if context.accounts.must_change_password() and ChangePasswordDialog(
            context.accounts, required=True).exec() != QDialog.DialogCode.Accepted:
        context.accounts.sign_out()
        return sign_in(context)
    return True


def start_opening(url: str, *, demo: bool = False) -> tuple[SignInDialog, background.Job]:
    """The start: the sign-in window on screen at once, and the database opening on a
    worker thread meanwhile (the job's result is the :class:`AppContext` and what the
    window shows of it). When it is open, the window is given the accounts; if the
    database needs its first-run windows instead, or cannot be opened, the window closes
    itself with :data:`CLOSED_FOR_FIRST_RUN`.

    A memory database (``sqlite://``) is opened here, on the window's thread: each
    thread would get a database of its own."""
    from cancer_desk.paths import sqlite_path

    def work() -> tuple[AppContext, dict[str, Any] | None]:
        context = prepare_context(url, demo=demo)
        try:
            return context, _sign_in_details(context)
        except BaseException:
            context.close()
            raise

    in_memory = url.startswith("sqlite") and sqlite_path(url) is None
    opening = background.Job.run_here(work, "باز کردن پایگاه داده") if in_memory else \
        background.start_job(work, what_fa="باز کردن پایگاه داده")
    dialog = SignInDialog()

    def opened(job: background.Job) -> None:
        if job.error is not None:
            dialog.done(CLOSED_FOR_FIRST_RUN)
            return
        context, details = cast(tuple["AppContext", "dict[str, Any] | None"], job.result)
        if details is None:
            dialog.done(CLOSED_FOR_FIRST_RUN)
            return
        dialog.set_ready(context.accounts, **details)

    background.when_done(dialog, opening, opened)
    dialog.setModal(True)  # as exec() would make it: shown now, exec'd by the caller
    dialog.show()
    return dialog, opening


def open_main_window(context: AppContext, *, first: bool) -> MainWindow:
    """The main window, on screen. The program's ``first`` then starts the day's
    automatic copy (if it is still to be made) beside it: the window does not wait for
    it, and the status bar says how it goes."""
    from cancer_desk.ui.main_window import MainWindow

    window = MainWindow(context)
    window.showMaximized()  # ward PCs often have 1366×768 screens
    if first:
        # Once the window's loop runs: it is drawn first, and what the start raises goes
        # to the program's handler, like any slot's, rather than ending the program.
        QTimer.singleShot(0, lambda: window.backup_room.start_daily_backup(at_start=True))
    return window


def _handle_exception(*exc_info: Any) -> None:
    """The program's handler (ui/errors.py, which says it in Persian), loaded when first
    needed: it imports the database layer, which the sign-in window comes before."""
    from cancer_desk.ui import errors

    errors.handle_exception(*exc_info)


def run(url: str, *, demo: bool = False) -> int:
    app = make_application()
    # From the first window on: a sign-in that fails with the database held by another
    # PC, say, is told in Persian, not printed to a console a ward PC does not show.
    previous_hook, sys.excepthook = sys.excepthook, _handle_exception
    try:
        return _run(app, url, demo=demo)
    finally:
        sys.excepthook = previous_hook


def _run(app: QApplication, url: str, *, demo: bool) -> int:
    early, opening = start_opening(url, demo=demo)
    answer = early.exec()
    opening.wait()  # closed before the database was open: it is let finish, then closed
    early.deleteLater()
    from cancer_desk.app import DatabaseOpenError

    if opening.error is not None:
        exc = opening.take_error()
        assert exc is not None
        if not isinstance(exc, (DatabaseOpenError, RuleSetError, ReferenceDataError)):
            raise exc
        QMessageBox.critical(None, APP_NAME_FA,
                             "برنامه نتوانست پایگاه داده یا پرونده‌های قواعد را باز کند.\n\n"
                             f"{exc}")
        return 1
    context = cast(tuple["AppContext", Any], opening.result)[0]
    if answer == QDialog.DialogCode.Rejected:  # «بستن برنامه»
        context.close()
        return 0
    if context.rulebook.skipped:
        QMessageBox.warning(
            None, APP_NAME_FA,
            "این پرونده‌های قواعد نادرست بودند و کنار گذاشته شدند؛ برنامه با بقیه کار "
            "می‌کند:\n\n" + "\n".join(str(e) for e in context.rulebook.skipped))
    try:
        if answer == QDialog.DialogCode.Accepted and not _after_sign_in(context):
            return 0
        if not first_run(context):
            return 0
        first = True
        while True:  # signing out brings the sign-in window back
            if context.access.actor is None and not sign_in(context):
                return 0
            window = open_main_window(context, first=first)
            first = False
            if notice := window.patient_room.drafts_notice():  # left by a crash or a power cut
                QMessageBox.information(window, APP_NAME_FA, notice)
            try:
                code = app.exec()
            finally:
                signed_out = window.signed_out
                # Tear the window and its dialogs down while Qt is whole; left to Python's
                # exit, windows kept alive by signal connections are destroyed after parts
                # of Qt already are, which can crash on the way out.
                shiboken6.delete(window)
            if not signed_out:
                return code
    finally:
        # Work still running beside the windows (the day's copy, a count nobody waits
        # for) ends before the database is closed under it.
        background.wait_for_jobs()
        context.close()
