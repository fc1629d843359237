"""What the window does with an error no dialog caught: a refusal is explained, a person
whose account was disabled is signed out, anything else is told plainly — and the
program goes on, with everything saved before it intact (every save is one transaction).
"""

from __future__ import annotations

import errno
import sqlite3
import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy.exc import InternalError, OperationalError

from cancer_desk import APP_NAME_FA
from cancer_desk.services.access import AccessDeniedError, NotSignedInError

UNEXPECTED_FA = ("خطای پیش‌بینی‌نشده‌ای رخ داد و این کار انجام نشد. آنچه پیش‌تر ذخیره "
                 "شده بود سالم است. اگر دوباره رخ داد، متن زیر را به پشتیبانی بدهید:\n\n")


# What SQLite or a PostgreSQL server says when the disk, the folder, the network or
# another PC stops a save, and what a person can do.
STORAGE_PROBLEMS_FA = (
    (("database or disk is full", "file too large", "no space left", "could not extend file"),
     "دیسک پر است و این تغییر ذخیره نشد. آنچه پیش‌تر ذخیره شده سالم است و آنچه در پنجره "
     "نوشته‌اید هنوز آن‌جاست: جا باز کنید (پرونده‌های کهنه را پاک کنید) و دوباره ذخیره کنید."),
    (("disk i/o error",),
     "نوشتن روی دیسک ناکام ماند (دیسک پر است، یا دیسک USB یا پوشه شبکه جدا شده) و این "
     "تغییر ذخیره نشد. آنچه پیش‌تر ذخیره شده سالم است و آنچه نوشته‌اید هنوز در پنجره است؛ "
     "دیسک را بررسی کنید و دوباره ذخیره کنید."),
    (("readonly database", "read-only", "attempt to write a readonly"),
     "پوشه یا پرونده پایگاه داده فقط‌خواندنی است و این تغییر ذخیره نشد. آنچه پیش‌تر ذخیره "
     "شده سالم است؛ اجازه نوشتن را به مسئول فناوری بگویید."),
    (("connection refused", "could not connect", "server closed the connection",
      "connection is closed", "terminating connection", "connection timeout expired",
      "could not translate host name", "failed to resolve host", "name or service not known",
      "no route to host", "network is unreachable"),
     "سرور پایگاه داده در دسترس نیست (شبکه قطع است یا سرور خاموش) و این تغییر ذخیره نشد. "
     "آنچه پیش‌تر ذخیره شده روی سرور سالم است و آنچه نوشته‌اید هنوز در پنجره است؛ شبکه را "
     "بررسی کنید یا به مسئول فناوری بگویید، و دوباره ذخیره کنید."),
    (("database is locked", "lock timeout", "deadlock detected", "too many clients"),
     "پایگاه داده در دست رایانه یا برنامه دیگری است و این تغییر ذخیره نشد. کمی بعد دوباره "
     "ذخیره کنید؛ آنچه نوشته‌اید هنوز در پنجره است."),
)


def storage_problem_fa(error: BaseException) -> str | None:
    """A Persian message for a save the disk or the file refused, else ``None``. Only
    for the database's own errors and the operating system's «no space»: a programming
    error that happens to mention «read-only» is not one of these."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return STORAGE_PROBLEMS_FA[0][1]
    if not isinstance(error, sqlite3.Error | OperationalError | InternalError):
        return None
    text = str(getattr(error, "orig", None) or error).lower()
    for needles, message in STORAGE_PROBLEMS_FA:
        if any(needle in text for needle in needles):
            return message
    return None


def _main_window():
    from cancer_desk.ui.main_window import MainWindow

    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, MainWindow) and w.isVisible() and not w.signed_out), None)


def handle_exception(kind, error, trace) -> None:
    """sys.excepthook while the window runs: PySide6 hands it what a slot raised."""
    window = _main_window()
    parent = QApplication.activeModalWidget() or window
    if isinstance(error, NotSignedInError):
        QMessageBox.warning(parent, APP_NAME_FA, error.message_fa)
        if window is not None:
            window.sign_out()
        return
    if isinstance(error, AccessDeniedError):
        QMessageBox.warning(parent, APP_NAME_FA, error.message_fa)
        if window is not None:
            window.apply_roles()
        return
    # Whatever it is, the details go to the log (standard error) for support.
    traceback.print_exception(kind, error, trace, file=sys.stderr)
    message = getattr(error, "message_fa", None) or storage_problem_fa(error)
    if message:  # a refusal the services explain (a sealed form, a closed quarter …)
        QMessageBox.warning(parent, APP_NAME_FA, message)
        return
    QMessageBox.critical(parent, APP_NAME_FA,
                         UNEXPECTED_FA + "".join(traceback.format_exception_only(kind, error)))


def install():
    """Handle what slots raise from now on; returns the hook to put back."""
    previous = sys.excepthook
    sys.excepthook = handle_exception
    return previous
