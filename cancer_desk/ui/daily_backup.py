"""The day's automatic copy, beside the window: taken when the program starts and looked
for every hour, on a worker thread — at a big hospital the copy and its check take
seconds, which the window must not stand still for. The main window's status bar says
how it goes (:meth:`BackupRoom.start_daily_backup` in ``ui/rooms/backups.py``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cancer_desk.services.backups import BackupError
from cancer_desk.ui import background
from cancer_desk.ui.background import Job, start_job

if TYPE_CHECKING:
    from cancer_desk.services.backups import BackupService

WHAT_FA = "پشتیبان روزانه"  # what a restore says it waits for
RUNNING_FA = "در حال گرفتن پشتیبان روزانه…"
MADE_FA = "پشتیبان روزانه گرفته شد."
NOT_MADE_FA = "پشتیبان روزانه گرفته نشد؛ پوشه پشتیبان یا دیسک را بررسی کنید."


def running() -> bool:
    """Is a copy under way, whichever window started it? A window of the next person to
    sign in must not start a second one beside it."""
    return any(job.what_fa == WHAT_FA for job in background.jobs_running())


def start(backups: BackupService, today: dt.date | None = None) -> Job | None:
    """Today's copy on a worker thread, if it is still to be made; ``None`` if there is
    nothing to do now — made already, being made, or other work in the background (a
    restore, say: the next hour's turn will do). Raises
    :class:`~cancer_desk.services.backups.NotOnFileError` for a server's database."""
    if background.running() or running():
        return None
    today = today or dt.date.today()
    try:
        if not backups.daily_due(today=today):
            return None
    except OSError:  # the folder cannot even be looked at: the copy will say why
        pass
    return start_job(lambda: backups.daily(today=today), what_fa=WHAT_FA)


def failure_at_start_fa(error: BaseException) -> str:
    """What the person is told when the copy at the program's start was not made."""
    if isinstance(error, BackupError):
        return f"پشتیبان روزانه گرفته نشد. {error.message_fa}"
    return ("پشتیبان روزانه گرفته نشد؛ پوشه پشتیبان یا دیسک را بررسی کنید "
            "(دیسک USB وصل است؟). کار را می‌توان ادامه داد.")
