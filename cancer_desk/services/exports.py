"""Exporting a quarter: check it, build the package, write it safely, close the quarter —
all on one consistent state of the database, so the file sent and the closing agree."""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cancer_desk.core.access import Action
from cancer_desk.core.form2 import Form2Problem
from cancer_desk.core.jalali import JalaliQuarter, format_jalali
from cancer_desk.core.persian import normalize_text, to_persian_digits
from cancer_desk.core.progress import NO_PROGRESS, Progress
from cancer_desk.core.rules import Criterion, RuleBook
from cancer_desk.db.engine import take_write_lock
from cancer_desk.exchange.format import DIGEST_FIELD
from cancer_desk.exchange.verify import verify_bytes
from cancer_desk.exchange.writer import (
    Package,
    build_package,
    changes_since,
    encrypt,
    form2_rows,
    snapshot_of,
)
from cancer_desk.models import QuarterClosure
from cancer_desk.paths import keep_private
from cancer_desk.services.documents import form2_document
from cancer_desk.services.period_data import gather_period
from cancer_desk.services.settings import SettingsService

if TYPE_CHECKING:
    from cancer_desk.app import AppContext


class ExportRefusedError(RuntimeError):
    """The quarter cannot be exported as it is; ``message_fa`` says why."""

    def __init__(self, message: str, message_fa: str,
                 problems: list[Form2Problem] | None = None) -> None:
        super().__init__(message)
        self.message_fa = message_fa
        self.problems = problems or []


@dataclass(frozen=True)
class ExportResult:
    path: Path
    version: int
    package: Package
    newly_closed: bool  # False: the quarter was closed already and its package rewritten
    # For a closed quarter: what has changed in its records since it was closed (an
    # amendment needs the quarter reopened).
    changed_since: list[dict[str, Any]]


def _refuse_unfinished(quarter: JalaliQuarter, today: dt.date) -> None:
    if quarter.end >= today:
        raise ExportRefusedError(
            f"{quarter} has not ended (it ends {quarter.end})",
            f"{quarter.label} هنوز تمام نشده است (پایان آن {format_jalali(quarter.end)}). "
            "بسته هر فصل پس از پایان آن ساخته می‌شود.")


def _criteria(rulebook: RuleBook, ruleset_ids: list[str]) -> list[Criterion]:
    """The criteria of the rule sets used, the newest wording first, each id once."""
    criteria: dict[str, Criterion] = {}
    for ruleset in reversed(list(rulebook)):  # the book is ordered by effective date
        if ruleset.id in ruleset_ids:
            for criterion in ruleset.criteria:
                criteria.setdefault(criterion.id, criterion)
    return list(criteria.values())


def _build(context: AppContext, session: Session, quarter: JalaliQuarter, *, exported_by: str,
           progress: Progress = NO_PROGRESS) -> tuple[Package, int, bool, list[dict[str, Any]]]:
    """In ``session``: the package to write, its version, whether it closes the quarter,
    and (for a closed quarter) what changed since."""
    from cancer_desk.print.form2 import render_form2

    settings = SettingsService.get_in(session)
    if settings is None:
        raise ExportRefusedError("the hub is not set up", "مشخصات بیمارستان وارد نشده است.")
    start, end = quarter.start, quarter.end
    progress.step(0, 0, "شمردن بیماران، ارزیابی‌ها و هزینه‌های فصل…")
    report = context.quarters.report_in(session, start, end)
    status = context.quarters.status_in(session, quarter)
    group_keys = {g.id: g.key for g in context.reference.all_groups}
    if status.closed:
        # The package as it was sent, whoever asks again and whatever has changed in
        # the settings or the program since; and what its records have become.
        stored = session.scalar(select(QuarterClosure).where(
            QuarterClosure.year == quarter.year, QuarterClosure.quarter == quarter.quarter,
            QuarterClosure.version == status.versions))
        assert stored is not None  # closed: its last version's closure is stored
        period = gather_period(session, start, end, report.activities, progress=progress)
        now = snapshot_of(form2_rows(report.form2, group_keys), period)
        return (Package.from_bytes(stored.package, dict(stored.snapshot)), status.versions,
                False, changes_since(dict(stored.snapshot), now))
    if report.problems:
        raise ExportRefusedError(
            f"{len(report.problems)} check(s) fail for {quarter}",
            "پیش از بستن فصل این موارد را درست کنید:\n" + "\n".join(
                p.message for p in report.problems), report.problems)
    version = status.next_version
    previous = context.quarters.closure_in(session, quarter, version - 1) if version > 1 \
        else None
    period = gather_period(session, start, end, report.activities, progress=progress)
    pdf = io.BytesIO()
    render_form2(form2_document(settings, report.form2, period_name=quarter.label,
                                prepared_by=exported_by), pdf)
    rulesets = sorted({str(a["ruleset"]) for a in period.assessments}) or [
        context.rulebook.active(end).id]
    package = build_package(
        settings=settings, quarter=quarter, start=start, end=end, form2=report.form2,
        period=period, group_keys=group_keys, rulesets=rulesets, version=version,
        previous=previous, exported_by=exported_by, form2_pdf=pdf.getvalue(),
        criteria=_criteria(context.rulebook, rulesets), progress=progress)
    progress.step(0, 0, "بررسی بسته ساخته‌شده…")
    check = verify_bytes(package.data)
    if not check.ok:  # the receiver would refuse it: never close a quarter on such a file
        raise ExportRefusedError(
            "the package fails its own verification: " + "; ".join(check.describe()),
            "بسته ساخته‌شده بررسی خودش را نگذراند و فصل بسته نشد (خطای برنامه؛ به پشتیبانی "
            "خبر دهید):\n" + "\n".join(check.describe_fa()))
    return package, version, True, []


def build_quarter_package(context: AppContext, quarter: JalaliQuarter, *, exported_by: str
                          ) -> tuple[Package, int, bool]:
    """The package exporting would write now, without writing or closing anything."""
    context.access.require(Action.VIEW_REPORTS)
    with context.database.session_factory() as session:
        package, version, new, _ = _build(context, session, quarter,
                                          exported_by=normalize_text(exported_by))
    return package, version, new


def export_quarter(context: AppContext, quarter: JalaliQuarter, target: Path, *,
                   password: str | None = None, today: dt.date | None = None,
                   progress: Progress = NO_PROGRESS) -> ExportResult:
    """Write the package and close the quarter.

    The database is read and the closing recorded in one transaction that holds the
    write lock, so no cost or assessment can slip in between. The file is written to a
    temporary name and flushed to disk inside that transaction (a full disk leaves the
    quarter open), and put in place once the closing is committed. Should that last
    step fail, the quarter is closed with its package stored: exporting again writes it.
    Closing is a director's; the package names them as who prepared it.

    ``progress`` hears how far it has got and may cancel it up to the commit: the
    transaction then rolls back and the temporary file goes, so nothing is closed and
    no file is left.
    """
    exported_by = context.access.require(Action.CLOSE_QUARTER).display_name
    _refuse_unfinished(quarter, today or dt.date.today())
    partial = target.with_name(target.name + ".partial")
    try:
        with context.database.session_factory.begin() as session:
            take_write_lock(session)
            package, version, new, changed = _build(context, session, quarter,
                                                    exported_by=exported_by,
                                                    progress=progress)
            if new:
                session.add(QuarterClosure(
                    year=quarter.year, quarter=quarter.quarter, version=version,
                    closed_by=exported_by, package_sha256=package.sha256,
                    manifest_sha256=package.manifest[DIGEST_FIELD], package=package.data,
                    snapshot=package.snapshot))
                session.flush()
            progress.step(0, 0, "نوشتن بسته روی دیسک…")
            data = encrypt(package.data, password) if password else package.data
            keep_private(partial)  # the package holds patients' records
            with partial.open("wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            progress.check()  # the last moment a cancel leaves the quarter as it was
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return ExportResult(target, version, package, new, changed)


def describe_changes_fa(changes: list[dict[str, Any]]) -> str:
    """A line for the social worker: how many records changed since the closing."""
    records = [c for c in changes if c["change"] != "form2"]
    rows = [c for c in changes if c["change"] == "form2" and c["group_id"]]
    return to_persian_digits(
        f"از زمان بستن این فصل {len(records)} رکورد آن تغییر کرده"
        + (f" و عددهای {len(rows)} ردیف فرم ۲ جابه‌جا شده" if rows else "")
        + " است؛ پرونده همان بسته فرستاده‌شده است. برای فرستادن اطلاعات تازه، فصل را با "
          "ذکر دلیل بازگشایی کنید تا بسته اصلاحیه ساخته شود.")
