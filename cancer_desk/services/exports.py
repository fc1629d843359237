"""Exporting a quarter: check, build the package, write it safely, close the quarter."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from cancer_desk.core.form2 import Form2Problem
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.core.persian import normalize_text
from cancer_desk.exchange.writer import Package, build_package, encrypt
from cancer_desk.services.period_data import gather_period


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
    newly_closed: bool  # False when a closed quarter's package was written again


def build_quarter_package(context, quarter: JalaliQuarter, *, exported_by: str) -> tuple[
        Package, int, bool]:
    """The package of a quarter: a new version if the quarter is open, or the same
    package again if it is closed and nothing it holds has changed."""
    from cancer_desk.print.form2 import render_form2

    settings = context.settings.get()
    if settings is None:
        raise ExportRefusedError("the hub is not set up", "مشخصات بیمارستان وارد نشده است.")
    start, end = quarter.start, quarter.end
    report = context.quarters.report(start, end)
    if report.problems:
        raise ExportRefusedError(
            f"{len(report.problems)} check(s) fail for {quarter}",
            "پیش از بستن فصل این موارد را درست کنید:\n" + "\n".join(
                p.message for p in report.problems), report.problems)
    status = context.quarters.status(quarter)
    version = status.versions if status.closed else status.next_version
    previous = context.quarters.closure(quarter, version - 1) if version > 1 else None
    period = gather_period(context.database.session_factory, start, end, report.activities)
    pdf = io.BytesIO()
    render_form2(context.documents.form2(report.form2, period_name=quarter.label,
                                         prepared_by=exported_by), pdf)
    rulesets = sorted({str(a["ruleset"]) for a in period.assessments}) or [
        context.rulebook.active(end).id]
    package = build_package(
        settings=settings, quarter=quarter, start=start, end=end, form2=report.form2,
        period=period, group_keys={g.id: g.key for g in context.reference.cancer_groups},
        rulesets=rulesets, version=version,
        previous=previous,
        exported_by=normalize_text(exported_by), form2_pdf=pdf.getvalue(),
        criteria=_criteria(context.rulebook, rulesets))
    if status.closed:
        recorded = context.quarters.closure(quarter, version)
        if recorded is not None and recorded.package_sha256 != package.sha256:
            raise ExportRefusedError(
                "the quarter's records changed since it was closed",
                "پس از بستن این فصل، اطلاعات بیماران آن (مثلاً فرم شماره یک) تغییر کرده است. "
                "برای فرستادن اطلاعات تازه، فصل را با ذکر دلیل بازگشایی کنید تا بسته "
                "اصلاحیه ساخته شود.")
    return package, version, not status.closed


def _criteria(rulebook, ruleset_ids: list[str]) -> list:
    """The criteria of the rule sets used, the newest wording first, each id once."""
    criteria: dict[str, object] = {}
    for ruleset in reversed(list(rulebook)):  # the book is ordered by effective date
        if ruleset.id in ruleset_ids:
            for criterion in ruleset.criteria:
                criteria.setdefault(criterion.id, criterion)
    return list(criteria.values())


def export_quarter(context, quarter: JalaliQuarter, target: Path, *, exported_by: str,
                   password: str | None = None) -> ExportResult:
    """Write the package (to a temporary name, then into place) and only then close the
    quarter, so a failed write never leaves a quarter closed without its file."""
    if not normalize_text(exported_by):
        raise ExportRefusedError("who exports must be named", "نام تهیه‌کننده را وارد کنید.")
    package, version, new = build_quarter_package(context, quarter, exported_by=exported_by)
    data = encrypt(package.data, password) if password else package.data
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    if new:
        context.quarters.record_closure(quarter, version=version, closed_by=exported_by,
                                        package_sha256=package.sha256,
                                        snapshot=package.snapshot)
    return ExportResult(target, version, package, new)
