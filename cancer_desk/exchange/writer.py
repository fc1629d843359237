"""Writing a quarterly package: Form 2, the period's Form 1 records, assessments and
costs as CSV and JSON for machines, an XLSX for people, the Form 2 PDF, and a manifest
with checksums. The same data gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from cancer_desk import APP_NAME, __version__
from cancer_desk.core.form2 import Form2, Form2Row
from cancer_desk.core.jalali import JalaliQuarter, format_jalali
from cancer_desk.core.progress import NO_PROGRESS, Progress
from cancer_desk.core.records import Closure, HubSettingsRecord, PeriodData
from cancer_desk.core.rules import Criterion
from cancer_desk.exchange import format as fmt
from cancer_desk.exchange.xlsx import report_xlsx


@dataclass(frozen=True)
class Package:
    data: bytes  # the .zip
    manifest: dict[str, Any]
    snapshot: dict[str, Any]  # what the next amendment is compared with

    @property
    def sha256(self) -> str:
        return fmt.sha256(self.data)

    @classmethod
    def from_bytes(cls, data: bytes, snapshot: dict[str, Any]) -> Package:
        """A package written before, as stored when its quarter was closed."""
        manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(fmt.MANIFEST))
        return cls(data, manifest, snapshot)


def form2_rows(form2: Form2, group_keys: dict[int, str]) -> list[dict[str, Any]]:
    rows = [{"group_id": r.group_id, "group": group_keys.get(r.group_id, ""), "label": r.label,
             "seen": r.seen, "covered": r.covered, "spent_toman": r.spent} for r in form2.rows]
    total = form2.total
    rows.append({"group_id": 0, "group": "total", "label": total.label, "seen": total.seen,
                 "covered": total.covered, "spent_toman": total.spent})
    outside = form2.outside or Form2Row(fmt.OUTSIDE_ROW_ID, "", 0, 0, 0)
    rows.append({"group_id": outside.group_id, "group": group_keys.get(outside.group_id, ""),
                 "label": outside.label, "seen": outside.seen, "covered": outside.covered,
                 "spent_toman": outside.spent})
    return rows


def snapshot_of(form2_table: list[dict[str, Any]], period: PeriodData) -> dict[str, Any]:
    """A hash per record and the Form 2 numbers: enough to say what an amendment changed."""
    return {
        "form2": {str(r["group_id"]): [r["seen"], r["covered"], r["spent_toman"]]
                  for r in form2_table},
        "records": {
            **{f"patient:{r['national_code']}": fmt.sha256(fmt.package_json(r))
               for r in period.patients},
            **{f"assessment:{r['assessment_id']}": fmt.sha256(fmt.package_json(r))
               for r in period.assessments},
            **{f"cost_item:{r['cost_item_id']}": fmt.sha256(fmt.package_json(
                _as_closed_before(r))) for r in period.cost_items},
        },
    }


def _as_closed_before(item: dict[str, Any]) -> dict[str, Any]:
    """A cost item in the shape a version 2 package gave it, when it has one (nothing or
    all of it within insurance obligations): an amendment of a quarter closed before
    version 3 then lists as changed only the items that did change."""
    insured = item["insured_toman"]
    if insured not in (0, item["amount_toman"]):
        return item
    older = {k: v for k, v in item.items() if k != "insured_toman"}
    return {**older, "under_insurance": bool(insured)}


def changes_since(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[dict[str, Any]]:
    """What an amendment changed, record by record and in Form 2's numbers."""
    if previous is None:
        return []
    changes: list[dict[str, Any]] = []
    before, after = previous.get("records", {}), current["records"]
    for key in sorted(set(before) | set(after)):
        kind, _, ident = key.partition(":")
        if key not in before:
            changes.append({"change": "added", "record": kind, "id": ident})
        elif key not in after:
            changes.append({"change": "removed", "record": kind, "id": ident})
        elif before[key] != after[key]:
            changes.append({"change": "changed", "record": kind, "id": ident})
    for group, numbers in sorted(current["form2"].items(), key=lambda kv: int(kv[0])):
        old = previous.get("form2", {}).get(group)
        if old is None and group == str(fmt.OUTSIDE_ROW_ID) and not any(numbers):
            continue  # the line a version 1 package did not have, and still empty
        if old != numbers:
            changes.append({"change": "form2", "group_id": int(group),
                            "from": old, "to": numbers})
    return changes


def build_package(*, settings: HubSettingsRecord, quarter: JalaliQuarter | None,
                  start: dt.date, end: dt.date, form2: Form2, period: PeriodData,
                  group_keys: dict[int, str], rulesets: list[str], version: int,
                  previous: Closure | None, exported_by: str,
                  form2_pdf: bytes, criteria: Sequence[Criterion] = (),
                  progress: Progress = NO_PROGRESS) -> Package:
    progress.step(0, 0, "نوشتن جدول‌های بسته…")
    table = form2_rows(form2, group_keys)
    snapshot = snapshot_of(table, period)
    data_json = {"form2": table, "patients": period.patients,
                 "assessments": period.assessments, "cost_items": period.cost_items}
    files = {
        fmt.FORM2_CSV: fmt.to_csv(table),
        fmt.PATIENTS_CSV: fmt.to_csv(period.patients),
        fmt.ASSESSMENTS_CSV: fmt.to_csv(period.assessments),
        fmt.COST_ITEMS_CSV: fmt.to_csv(period.cost_items),
        fmt.DATA_JSON: fmt.package_json(data_json),
        fmt.REPORT_XLSX: report_xlsx(table, period, settings, start, end, criteria, progress),
        fmt.FORM2_PDF: form2_pdf,
    }
    manifest = {
        "format": fmt.FORMAT_NAME,
        "format_version": fmt.FORMAT_VERSION,
        "program": {"name": APP_NAME, "version": __version__},
        "rulesets": sorted(rulesets),
        "hub": {"number": settings.hub_number, "university": settings.university,
                "province": settings.province, "hospital": settings.hospital,
                "city": settings.city, "budget_line": settings.budget_line},
        "period": {
            "year": quarter.year if quarter else None,
            "quarter": quarter.quarter if quarter else None,
            "start": start.isoformat(), "end": end.isoformat(),
            "start_jalali": format_jalali(start, persian_digits=False),
            "end_jalali": format_jalali(end, persian_digits=False),
        },
        "version": version,
        "amends": _amends(previous),
        "changes": changes_since(previous.snapshot if previous else None, snapshot),
        "exported_by": exported_by,
        "money_unit": "toman",
        "counts": {"patients": len(period.patients), "assessments": len(period.assessments),
                   "cost_items": len(period.cost_items), "seen": form2.total.seen,
                   "covered": form2.total.covered},
        "sums": {"spent_toman": form2.total.spent,
                 "cost_toman": sum(int(cast(int, r["amount_toman"]))
                                for r in period.cost_items),
                 "insured_toman": sum(int(cast(int, r["insured_toman"]))
                                   for r in period.cost_items)},
        "files": {name: {"sha256": fmt.sha256(data), "bytes": len(data)}
                  for name, data in sorted(files.items())},
    }
    progress.step(0, 0, "فشردن بسته…")
    manifest[fmt.DIGEST_FIELD] = fmt.manifest_digest(manifest)
    files[fmt.MANIFEST] = fmt.package_json(manifest)
    return Package(fmt.deterministic_zip(files), manifest, snapshot)


def _amends(previous: Closure | None) -> dict[str, Any] | None:
    """The version an amendment replaces, and why the quarter was reopened."""
    if previous is None:
        return None
    return {"version": previous.version, "sha256": previous.package_sha256,
            "manifest_sha256": previous.manifest_sha256,
            "reopened_on": previous.reopened_on.isoformat() if previous.reopened_on else None,
            "reopened_on_jalali": format_jalali(previous.reopened_on, persian_digits=False)
            if previous.reopened_on else None,
            "reopened_by": previous.reopened_by, "reason": previous.reopen_reason}


def encrypt(package: bytes, password: str) -> bytes:
    """The same package inside a WinZip-AES (AES-256) zip that 7-Zip and the verifier
    open with the password. The encrypted bytes differ per export (AES needs a random
    salt); what is inside does not."""
    import pyzipper

    buffer = io.BytesIO()
    inner = zipfile.ZipFile(io.BytesIO(package))
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password.encode())
        for info in inner.infolist():
            archive.writestr(info.filename, inner.read(info.filename))
    return buffer.getvalue()
