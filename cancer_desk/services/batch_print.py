"""Form 1 of every patient a period counts, in one PDF: the pile the director stamps
with the quarter's Form 2."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cancer_desk.core.access import Action
from cancer_desk.core.persian import to_persian_digits
from cancer_desk.core.progress import NO_PROGRESS, Progress
from cancer_desk.core.records import Form1Document
from cancer_desk.services.documents import DocumentUnavailableError

if TYPE_CHECKING:
    from cancer_desk.app import AppContext


def period_patient_ids(context: AppContext, start: dt.date, end: dt.date) -> list[int]:
    """The patients Form 2 counts as seen («مراجعه‌کننده») in the period — the same
    patients whose Form 1 records the quarter's package carries, in its order (by
    national code)."""
    seen = [a for a in context.quarters.activities(start, end) if a.seen]
    return [a.patient_id for a in sorted(seen, key=lambda a: a.national_code)]


def print_period_form1(context: AppContext, start: dt.date, end: dt.date, target: Path, *,
                       period_name: str, progress: Progress = NO_PROGRESS,
                       today: dt.date | None = None) -> int:
    """Write Form 1 of each patient the period counts into ``target``, one after
    another; returns how many. The PDF is made under a temporary name and put in place
    only when whole: a cancelled or failed batch leaves no file behind."""
    from cancer_desk.print.form1 import render_form1_batch

    context.access.require(Action.PRINT_FORMS)
    progress.step(0, 0, "یافتن بیماران این دوره…")
    ids = period_patient_ids(context, start, end)
    if not ids:
        raise DocumentUnavailableError(
            f"no patient is counted between {start} and {end}",
            f"در {period_name} بیماری شمرده نشده است؛ فرم شماره یکی برای چاپ نیست.")
    text = f"فرم شماره یک بیماران {period_name}…"

    def documents() -> Iterator[Form1Document]:
        for done, patient_id in enumerate(ids):
            progress.step(done, len(ids), text)
            yield context.documents.form1(patient_id, today=today)
        progress.step(len(ids), len(ids), "ذخیره پرونده PDF…")

    partial = target.with_name(target.name + ".partial")
    try:
        render_form1_batch(documents(), partial,
                           title=f"فرم شماره یک — {period_name} — "
                                 f"{to_persian_digits(len(ids))} بیمار")
        progress.check()
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return len(ids)
