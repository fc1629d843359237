"""Checking a quarterly package without trusting it: structure, checksums, and that its
Form 2 adds up from its own Form 1 records. Every problem names the part it is in."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cancer_desk.core.persian import to_persian_digits
from cancer_desk.exchange import format as fmt

# What each part is, for a person reading the Persian message.
PART_NAMES_FA = {
    "package": "پرونده بسته",
    fmt.MANIFEST: "فهرست بسته",
    fmt.FORM2_CSV: "جدول فرم شماره دو",
    fmt.PATIENTS_CSV: "جدول فرم شماره یک بیماران",
    fmt.ASSESSMENTS_CSV: "جدول ارزیابی‌ها",
    fmt.COST_ITEMS_CSV: "جدول هزینه‌ها",
    fmt.DATA_JSON: "داده‌های بسته",
    fmt.REPORT_XLSX: "پرونده اکسل",
    fmt.FORM2_PDF: "فرم شماره دو چاپی",
}


@dataclass(frozen=True)
class Problem:
    part: str  # the file inside the package, or "package"
    message: str
    message_fa: str = ""

    def describe_fa(self) -> str:
        name = PART_NAMES_FA.get(self.part, "پرونده")
        where = name if self.part == "package" else f"{name} ({self.part})"
        return f"{where}: {self.message_fa or self.message}"


@dataclass
class VerifyReport:
    problems: list[Problem] = field(default_factory=list)
    manifest: dict | None = None
    data: dict | None = None  # data.json, when it could be read

    @property
    def ok(self) -> bool:
        return not self.problems

    encrypted: bool = False  # the package needs a password, or the one given was wrong

    def add(self, part: str, message: str, message_fa: str) -> None:
        self.problems.append(Problem(part, message, message_fa))

    def describe(self) -> list[str]:
        return [f"{p.part}: {p.message}" for p in self.problems]

    def describe_fa(self) -> list[str]:
        return [p.describe_fa() for p in self.problems]


def _members(data: bytes, password: str | None, report: VerifyReport) -> dict[str, bytes] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        report.add("package", f"not a readable zip file: truncated, damaged or not a "
                              f"package ({exc})",
                   "خوانده نمی‌شود: ناقص (نیمه‌کاره) رونوشت شده، آسیب دیده یا اصلاً بسته "
                   "فصل نیست.")
        return None
    if any(info.flag_bits & 0x1 for info in infos):
        report.encrypted = True
        if not password:
            report.add("package", "the package is encrypted; give its password",
                       "بسته رمز دارد؛ رمز آن را وارد کنید.")
            return None
        import pyzipper

        archive = pyzipper.AESZipFile(io.BytesIO(data))
        archive.setpassword(password.encode())
    members: dict[str, bytes] = {}
    for info in infos:
        try:
            members[info.filename] = archive.read(info.filename)
        except RuntimeError as exc:  # a wrong password
            report.add("package", f"cannot decrypt: {exc}", "رمز درست نیست.")
            return None
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
            report.add(info.filename, f"damaged inside the zip ({exc})",
                       "آسیب دیده است (بایت‌های آن در پرونده تغییر کرده‌اند).")
    return members


def _check_manifest(members: dict[str, bytes], report: VerifyReport) -> dict | None:
    raw = members.get(fmt.MANIFEST)
    if raw is None:
        if fmt.MANIFEST not in {p.part for p in report.problems}:
            report.add(fmt.MANIFEST, "missing: this is not a Cancer Desk quarterly package",
                       "در پرونده نیست؛ این پرونده بسته فصل «میز حمایت» نیست.")
        return None
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.add(fmt.MANIFEST, f"altered or damaged: not valid JSON ({exc})",
                   "دست‌کاری شده یا آسیب دیده است.")
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != fmt.FORMAT_NAME:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        report.add(fmt.MANIFEST, f"not a Cancer Desk quarterly package (format {found!r})",
                   "این پرونده بسته فصل «میز حمایت» نیست.")
        return None
    if manifest.get("format_version") != fmt.FORMAT_VERSION:
        report.add(fmt.MANIFEST, f"format version {manifest.get('format_version')!r}; this "
                                 f"program reads version {fmt.FORMAT_VERSION}",
                   to_persian_digits(
                       f"نسخه قالب بسته ({manifest.get('format_version')!s}) با نسخه‌ای که "
                       f"این برنامه می‌خواند ({fmt.FORMAT_VERSION}) یکی نیست."))
        return None
    if manifest.get(fmt.DIGEST_FIELD) != fmt.manifest_digest(manifest):
        # An altered manifest vouches for nothing: the files are not checked against it.
        report.add(fmt.MANIFEST, "altered: its own checksum does not match its content",
                   "دست‌کاری شده است: چکیده آن با محتوایش نمی‌خواند.")
        return None
    return manifest


def _check_files(members: dict[str, bytes], manifest: dict, report: VerifyReport) -> bool:
    listed = manifest.get("files") or {}
    clean = True
    for name in fmt.DATA_FILES:
        if name not in listed:
            report.add(fmt.MANIFEST, f"does not list {name}", f"نام {name} را ندارد.")
            clean = False
    for name, entry in sorted(listed.items()):
        content = members.get(name)
        if content is None:
            if name not in {p.part for p in report.problems}:
                report.add(name, "missing from the package", "در بسته نیست.")
            clean = False
        elif fmt.sha256(content) != entry.get("sha256") or len(content) != entry.get("bytes"):
            report.add(name, "altered: its checksum does not match the manifest",
                       "دست‌کاری شده است: چکیده آن با فهرست بسته نمی‌خواند.")
            clean = False
    for name in sorted(set(members) - set(listed) - {fmt.MANIFEST}):
        report.add(name, "not listed in the manifest",
                   "در فهرست بسته نیست و به آن افزوده شده است.")
        clean = False
    return clean


def _int(value: object) -> int:
    return int(value) if value not in ("", None) else 0


def _check_consistency(members: dict[str, bytes], manifest: dict, report: VerifyReport) -> None:
    try:
        data = json.loads(members[fmt.DATA_JSON].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.add(fmt.DATA_JSON, f"not valid JSON ({exc})", "خوانده نمی‌شود.")
        return
    report.data = data
    tables = {fmt.FORM2_CSV: "form2", fmt.PATIENTS_CSV: "patients",
              fmt.ASSESSMENTS_CSV: "assessments", fmt.COST_ITEMS_CSV: "cost_items"}
    for csv_name, key in tables.items():
        try:
            rows = fmt.read_csv(members[csv_name])
        except (UnicodeDecodeError, ValueError) as exc:
            report.add(csv_name, f"not readable CSV ({exc})", "خوانده نمی‌شود.")
            continue
        if rows != fmt.json_rows_as_csv_text(data.get(key, [])):
            report.add(csv_name, f"differs from the same table in {fmt.DATA_JSON}",
                       f"با همین جدول در {fmt.DATA_JSON} یکی نیست.")

    form2 = {int(r["group_id"]): r for r in data.get("form2", [])}
    total = form2.pop(0, None)
    if total is None:
        report.add(fmt.FORM2_CSV, "has no total row", "ردیف جمع کل ندارد.")
        return
    for column in ("seen", "covered", "spent_toman"):
        if sum(_int(r[column]) for r in form2.values()) != _int(total[column]):
            report.add(fmt.FORM2_CSV, f"the total row's {column} is not the sum of the rows",
                       "ردیف جمع کل با جمع ردیف‌ها برابر نیست.")
    recount: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for patient in data.get("patients", []):
        numbers = recount[_int(patient.get("cancer_group_id"))]
        numbers[0] += 1
        numbers[1] += bool(patient.get("covered"))
        numbers[2] += _int(patient.get("period_support_toman"))
    for group_id, row in sorted(form2.items()):
        expected = recount.get(group_id, [0, 0, 0])
        found = [_int(row["seen"]), _int(row["covered"]), _int(row["spent_toman"])]
        if found != expected:
            report.add(fmt.FORM2_CSV, f"group {group_id}: Form 2 says seen/covered/spent "
                                      f"{found}, the Form 1 records add up to {expected}",
                       to_persian_digits(
                           f"ردیف {group_id}: مراجعه‌کننده/مشمول/هزینه‌کرد فرم شماره دو "
                           f"({'، '.join(map(str, found))}) با جمع فرم‌های شماره یک بیماران "
                           f"({'، '.join(map(str, expected))}) برابر نیست."))
    if set(recount) - set(form2):
        report.add(fmt.PATIENTS_CSV, f"patients in groups Form 2 has no row for: "
                                     f"{sorted(set(recount) - set(form2))}",
                   "بیمارانی دارد که نوع سرطانشان در فرم شماره دو ردیفی ندارد.")
    support = sum(_int(c.get("support_toman")) for c in data.get("cost_items", []))
    if support != _int(total["spent_toman"]):
        report.add(fmt.COST_ITEMS_CSV, f"support of the cost items ({support}) is not "
                                       f"Form 2's money spent ({total['spent_toman']})",
                   "جمع حمایت اقلام هزینه با هزینه‌کرد فرم شماره دو برابر نیست.")
    codes = {p.get("national_code") for p in data.get("patients", [])}
    for key, csv_name in (("assessments", fmt.ASSESSMENTS_CSV),
                          ("cost_items", fmt.COST_ITEMS_CSV)):
        strays = {r.get("national_code") for r in data.get(key, [])} - codes
        if strays:
            report.add(csv_name, f"{len(strays)} record(s) of patients missing from "
                                 f"{fmt.PATIENTS_CSV}",
                       f"ردیف‌هایی از بیمارانی دارد که در {fmt.PATIENTS_CSV} نیستند.")
    counts = manifest.get("counts", {})
    expected_counts = {"patients": len(data.get("patients", [])),
                       "assessments": len(data.get("assessments", [])),
                       "cost_items": len(data.get("cost_items", [])),
                       "seen": _int(total["seen"]), "covered": _int(total["covered"])}
    if counts != expected_counts:
        report.add(fmt.MANIFEST, f"counts {counts} do not match the data {expected_counts}",
                   "شمارش‌های فهرست بسته با داده‌ها نمی‌خواند.")
    if manifest.get("sums", {}).get("spent_toman") != _int(total["spent_toman"]):
        report.add(fmt.MANIFEST, "the money spent does not match Form 2",
                   "هزینه‌کرد فهرست بسته با فرم شماره دو نمی‌خواند.")


def verify_bytes(data: bytes, password: str | None = None) -> VerifyReport:
    report = VerifyReport()
    members = _members(data, password, report)
    if members is None:
        return report
    manifest = _check_manifest(members, report)
    if manifest is None:
        return report
    report.manifest = manifest
    if _check_files(members, manifest, report) and not report.problems:
        _check_consistency(members, manifest, report)
    return report


def verify_file(path: Path, password: str | None = None) -> VerifyReport:
    try:
        data = path.read_bytes()
    except OSError as exc:
        report = VerifyReport()
        report.add("package", f"cannot be read: {exc}", "پرونده خوانده نمی‌شود.")
        return report
    return verify_bytes(data, password)
