"""Checking a quarterly package without trusting it: structure, checksums, and that its
Form 2 adds up from its own Form 1 records. Every problem names the part it is in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from cancer_desk.core.errors import InputError
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.core.nesting import TooDeep, check_json
from cancer_desk.core.persian import to_persian_digits
from cancer_desk.exchange import format as fmt
from cancer_desk.exchange.format import MAX_SIGNATURE_BYTES, SIGNATURE_JSON

if TYPE_CHECKING:
    from cancer_desk.exchange.signature import PackageSignature

_Object = dict[str, Any]  # a JSON object read from a package, its shape not yet trusted

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
    manifest: _Object | None = None
    data: _Object | None = None  # data.json, when it could be read

    @property
    def ok(self) -> bool:
        return not self.problems

    encrypted: bool = False  # the package needs a password, or the one given was wrong
    # What signature.json proves (format 4 on); None for a package without one.
    signature: PackageSignature | None = None

    def add(self, part: str, message: str, message_fa: str) -> None:
        self.problems.append(Problem(part, message, message_fa))

    def describe(self) -> list[str]:
        return [f"{p.part}: {p.message}" for p in self.problems]

    def describe_fa(self) -> list[str]:
        return [p.describe_fa() for p in self.problems]


# A big hub's quarter is some 30 MB inflated; these leave room for several times that
# while keeping a package built to exhaust the PC from doing so (docs/quarterly-package.md).
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one file inside, inflated
MAX_PACKAGE_BYTES = 128 * 1024 * 1024  # every file inside, inflated
MAX_MANIFEST_BYTES = 1024 * 1024
# The format has eight members; a few more are named as extra, past this it is refused
# before the zip's entries are listed (each costs memory, so the directory's size is
# held too: a short name and the extra fields of encryption fit in 512 bytes).
MAX_ENTRIES = 32
MAX_CENTRAL_DIRECTORY_BYTES = MAX_ENTRIES * 512
_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
MAX_DATA_VALUES = 3_000_000  # values in data.json's arrays and objects


MAX_VERSION = 999  # amendments of one quarter
MAX_HUB_NUMBER = 999  # the directive lists 44
# No hospital's quarter comes near these: a figure past them is a package made up, and
# the roll-up's sums of such figures could not be kept.
MAX_AMOUNT = 10**15  # tomans
MAX_COUNT = 10**7  # patients, items, and the like


class _Malformed(Exception):
    """A part that passed its checksum but is not shaped as the format says."""

    def __init__(self, part: str, message: str, message_fa: str = "") -> None:
        super().__init__(message)
        self.part, self.message = part, message
        self.message_fa = message_fa or "ساختار آن با قالب بسته نمی‌خواند (دست‌کاری شده است)."


_Archive = zipfile.ZipFile  # or pyzipper's subclass of it, for an encrypted package


def _directory_size(data: bytes) -> int | None:
    """The central directory's size as the zip's end record gives it, found where
    zipfile finds it; ``None`` when there is no end record (zipfile then says so) and
    -1 for a ZIP64 one, which no package needs."""
    at = len(data) - 22
    if at < 0 or data[at:at + 4] != _END_OF_DIRECTORY:
        at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - (1 << 16) - 22))
    if at < 0:
        return None
    if at >= 20 and data[at - 20:at - 16] == _ZIP64_LOCATOR:
        return -1
    return int.from_bytes(data[at + 12:at + 16], "little")


def _too_many_entries(data: bytes, report: VerifyReport) -> bool:
    size = _directory_size(data)
    if size is not None and not 0 <= size <= MAX_CENTRAL_DIRECTORY_BYTES:
        report.add("package", f"more entries than a package holds (a zip directory of "
                              f"{size} bytes; at most {MAX_CENTRAL_DIRECTORY_BYTES})",
                   "بیش از پرونده‌های یک بسته فصل را در خود دارد.")
        return True
    return False


def _open_archive(data: bytes, password: str | None, report: VerifyReport
                  ) -> tuple[_Archive, list[zipfile.ZipInfo]] | None:
    """The zip and its entries, when their names and declared sizes are sound; nothing
    is inflated here."""
    if _too_many_entries(data, report):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    # NotImplementedError: a ZIP version field no zip tool here knows.
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        report.add("package", f"not a readable zip file: truncated, damaged or not a "
                              f"package ({exc})",
                   "خوانده نمی‌شود: ناقص (نیمه‌کاره) رونوشت شده، آسیب دیده یا اصلاً بسته "
                   "فصل نیست.")
        return None
    if len(infos) > MAX_ENTRIES:
        report.add("package", f"{len(infos)} entries; a package holds at most {MAX_ENTRIES}",
                   "بیش از پرونده‌های یک بسته فصل را در خود دارد.")
        return None
    stored = Counter(info.filename for info in infos)
    for name in sorted(n for n, times in stored.items() if times > 1):
        report.add(name, "stored twice in the zip", "دو بار در پرونده آمده است.")
    for info in infos:
        if info.file_size > MAX_MEMBER_BYTES:
            report.add(info.filename, f"too large ({info.file_size} bytes inflated; at most "
                                      f"{MAX_MEMBER_BYTES})", "بیش از اندازه بزرگ است.")
    total = sum(info.file_size for info in infos)
    if total > MAX_PACKAGE_BYTES and not report.problems:
        report.add("package", f"too large ({total} bytes inflated; at most "
                              f"{MAX_PACKAGE_BYTES})", "بیش از اندازه بزرگ است.")
    if report.problems:
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
    return archive, infos


class _WrongPassword(Exception):
    pass


def _read_member(archive: _Archive, info: zipfile.ZipInfo, limit: int,
                 report: VerifyReport) -> bytes | None:
    """One entry inflated, no further than ``limit`` bytes whatever its header says;
    ``None`` (reported) when it is damaged or longer."""
    try:
        # By name: an encrypted package's entries are its own reader's, not these.
        with archive.open(info.filename) as stream:
            content = stream.read(limit + 1)
    except NotImplementedError as exc:  # a compression method no zip tool here knows
        report.add(info.filename, f"damaged or in an unknown format ({exc})",
                   "آسیب دیده یا با روشی ناشناخته فشرده شده است.")
        return None
    except RuntimeError as exc:  # a wrong password
        raise _WrongPassword(str(exc)) from exc
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
        report.add(info.filename, f"damaged inside the zip ({exc})",
                   "آسیب دیده است (بایت‌های آن در پرونده تغییر کرده‌اند).")
        return None
    if len(content) > limit:
        report.add(info.filename, f"altered: it inflates past the {limit} bytes it should "
                                  "have", "دست‌کاری شده است: بزرگ‌تر از اندازه‌ای است که "
                                          "فهرست بسته می‌گوید.")
        return None
    return content


def _listed_members(archive: _Archive, infos: list[zipfile.ZipInfo], manifest: _Object,
                    report: VerifyReport) -> dict[str, bytes]:
    """The files the manifest lists, each inflated only when its entry's declared size
    is the manifest's, and read no further than that size."""
    listed = manifest["files"]
    members: dict[str, bytes] = {}
    for info in infos:
        entry = listed.get(info.filename) if info.filename in fmt.DATA_FILES else None
        if entry is None:
            continue  # unlisted, or not of the format: told by _check_files, never read
        if info.file_size != entry["bytes"]:  # so its checksum cannot match either
            report.add(info.filename, "altered: its checksum does not match the manifest",
                       "دست‌کاری شده است: چکیده آن با فهرست بسته نمی‌خواند.")
            continue
        content = _read_member(archive, info, entry["bytes"], report)
        if content is not None:
            members[info.filename] = content
    return members


def _load_json(raw: bytes, max_values: int) -> Any:
    """JSON from a package, its depth and size looked at before it is parsed."""
    check_json(raw, max_values=max_values)
    return json.loads(raw.decode("utf-8"))


def _check_manifest(raw: bytes | None, report: VerifyReport) -> _Object | None:
    if raw is None:
        if fmt.MANIFEST not in {p.part for p in report.problems}:
            report.add(fmt.MANIFEST, "missing: this is not a Cancer Desk quarterly package",
                       "در پرونده نیست؛ این پرونده بسته فصل «میز حمایت» نیست.")
        return None
    try:
        manifest = _load_json(raw, max_values=MAX_MANIFEST_BYTES // 4)
    except TooDeep as exc:
        report.add(fmt.MANIFEST, f"altered: {exc}", f"دست‌کاری شده است: {exc.message_fa}")
        return None
    # ValueError: a JSONDecodeError, a UnicodeDecodeError, or a number past Python's
    # 4,300 digits.
    except (ValueError, RecursionError) as exc:
        report.add(fmt.MANIFEST, f"altered or damaged: not valid JSON ({exc})",
                   "دست‌کاری شده یا آسیب دیده است.")
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != fmt.FORMAT_NAME:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        report.add(fmt.MANIFEST, f"not a Cancer Desk quarterly package (format {found!r})",
                   "این پرونده بسته فصل «میز حمایت» نیست.")
        return None
    if manifest.get("format_version") not in fmt.READABLE_VERSIONS:
        readable = ", ".join(map(str, fmt.READABLE_VERSIONS))
        report.add(fmt.MANIFEST, f"format version {manifest.get('format_version')!r}; this "
                                 f"program reads versions {readable}",
                   to_persian_digits(
                       f"نسخه قالب بسته ({manifest.get('format_version')!s}) از نسخه‌هایی که "
                       f"این برنامه می‌خواند ({'، '.join(map(str, fmt.READABLE_VERSIONS))}) "
                       "نیست."))
        return None
    if manifest.get(fmt.DIGEST_FIELD) != fmt.manifest_digest(manifest):
        # An altered manifest vouches for nothing: the files are not checked against it.
        report.add(fmt.MANIFEST, "altered: its own checksum does not match its content",
                   "دست‌کاری شده است: چکیده آن با محتوایش نمی‌خواند.")
        return None
    try:
        _check_manifest_shape(manifest)
    except _Malformed as exc:
        report.add(exc.part, exc.message, exc.message_fa)
        return None
    return manifest


def _require(condition: bool, part: str, message: str) -> None:
    if not condition:
        raise _Malformed(part, f"malformed: {message}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _date(value: object, part: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _Malformed(part, f"malformed: {what} {value!r} is not a date") from None


def _check_manifest_shape(manifest: _Object) -> None:
    """What the rest of the checks and the roll-up rely on, of the right type."""
    part = fmt.MANIFEST
    _check_hub(manifest.get("hub"))
    _check_period(manifest.get("period"))
    # Any: untrusted JSON, each value's type checked before it is used.
    version: Any = manifest.get("version")
    _require(_is_int(version) and 1 <= version <= MAX_VERSION, part, "version")
    files = manifest.get("files")
    _require(isinstance(files, dict) and all(
        isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
        and _is_int(entry.get("bytes")) for entry in files.values()), part, "files")
    for key in ("counts", "sums"):
        _require(isinstance(manifest.get(key), dict), part, key)


def _check_hub(hub: Any) -> None:
    """The manifest's hub: its number (if any) and its names."""
    part = fmt.MANIFEST
    _require(isinstance(hub, dict), part, "no hub")
    number = hub.get("number")
    _require(number is None or (_is_int(number) and 1 <= number <= MAX_HUB_NUMBER), part,
             "hub number")
    for key in ("university", "province", "hospital"):
        _require(isinstance(hub.get(key), str) and hub[key].strip() != "", part, f"hub {key}")


def _check_period(period: Any) -> None:
    """The manifest's period: its dates, and the quarter they are if it names one."""
    part = fmt.MANIFEST
    _require(isinstance(period, dict), part, "no period")
    start = _date(period.get("start"), part, "period start")
    end = _date(period.get("end"), part, "period end")
    _require(start <= end, part, "the period ends before it starts")
    year, quarter = period.get("year"), period.get("quarter")
    if year is not None or quarter is not None:
        _require(_is_int(year) and _is_int(quarter) and 1 <= quarter <= 4, part,
                 "period year/quarter")
        try:
            bounds = JalaliQuarter(year, quarter)
        except InputError as exc:
            raise _Malformed(part, f"malformed: {exc}") from None
        _require((bounds.start, bounds.end) == (start, end), part,
                 f"{year} Q{quarter} is not {start} to {end}")


def _check_files(names: set[str], members: dict[str, bytes], manifest: _Object,
                 report: VerifyReport) -> bool:
    """The files against the manifest: ``names`` are the zip's, ``members`` those
    read."""
    listed = manifest["files"]
    clean = True
    for name in fmt.DATA_FILES:
        if name not in listed:
            report.add(fmt.MANIFEST, f"does not list {name}", f"نام {name} را ندارد.")
            clean = False
    for name in sorted(set(listed) - set(fmt.DATA_FILES)):
        report.add(fmt.MANIFEST, f"lists {name}, which is not part of the format",
                   f"نام {name} را دارد که جزو بسته نیست.")
        clean = False
    for name in fmt.DATA_FILES:
        entry, content = listed.get(name), members.get(name)
        if entry is None:
            continue
        if content is None:
            if name not in names:
                report.add(name, "missing from the package", "در بسته نیست.")
            clean = False  # or unreadable, or of another size: told as it was read
        elif fmt.sha256(content) != entry["sha256"] or len(content) != entry["bytes"]:
            report.add(name, "altered: its checksum does not match the manifest",
                       "دست‌کاری شده است: چکیده آن با فهرست بسته نمی‌خواند.")
            clean = False
    for name in sorted(names - set(fmt.DATA_FILES) - {fmt.MANIFEST, SIGNATURE_JSON}):
        report.add(name, "not listed in the manifest",
                   "در فهرست بسته نیست و به آن افزوده شده است.")
        clean = False
    return clean


def _int(value: object, part: str, what: str) -> int:
    """A count or an amount as JSON or CSV gives it: a whole number from 0 to
    ``MAX_COUNT`` (an amount in tomans, to ``MAX_AMOUNT``); anything else is a malformed
    part."""
    if value in ("", None):
        return 0
    if isinstance(value, bool):
        number = int(value)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isdigit():
        number = int(value)
    else:
        raise _Malformed(part, f"malformed: {what} {value!r} is not a whole number")
    limit = MAX_AMOUNT if what.endswith("toman") else MAX_COUNT
    _require(0 <= number <= limit, part, f"{what} {number} out of range (at most {limit})")
    return number


def _rows(data: _Object, key: str, part: str) -> list[_Object]:
    rows: Any = data.get(key)
    _require(isinstance(rows, list) and all(isinstance(r, dict) for r in rows), part,
             f"{key} is not a list of records")
    return cast("list[_Object]", rows)


def _check_consistency(members: dict[str, bytes], manifest: _Object, report: VerifyReport) -> None:
    try:
        data = _load_json(members[fmt.DATA_JSON], max_values=MAX_DATA_VALUES)
    except TooDeep as exc:
        report.add(fmt.DATA_JSON, f"not usable JSON: {exc}", exc.message_fa)
        return
    except (ValueError, RecursionError) as exc:  # as for the manifest
        report.add(fmt.DATA_JSON, f"not valid JSON ({exc})", "خوانده نمی‌شود.")
        return
    try:
        _require(isinstance(data, dict), fmt.DATA_JSON, "not an object")
        _check_tables(members, data, manifest["format_version"], report)
        _check_numbers(data, manifest, report)
    except _Malformed as exc:
        report.add(exc.part, exc.message, exc.message_fa)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # shapes not foreseen
        report.add(fmt.DATA_JSON, f"malformed: {exc!r}",
                   "ساختار آن با قالب بسته نمی‌خواند (دست‌کاری شده است).")
    if report.ok:
        report.data = data


def _check_tables(members: dict[str, bytes], data: _Object, data_version: int,
                  report: VerifyReport) -> None:
    tables = {fmt.FORM2_CSV: "form2", fmt.PATIENTS_CSV: "patients",
              fmt.ASSESSMENTS_CSV: "assessments", fmt.COST_ITEMS_CSV: "cost_items"}
    for csv_name, key in tables.items():
        rows = _rows(data, key, fmt.DATA_JSON)
        try:
            csv_rows = fmt.read_csv(members[csv_name])
        except (UnicodeDecodeError, ValueError, csv.Error) as exc:
            report.add(csv_name, f"not readable CSV ({exc})", "خوانده نمی‌شود.")
            continue
        if csv_rows != fmt.json_rows_as_csv_text(rows, data_version):
            report.add(csv_name, f"differs from the same table in {fmt.DATA_JSON}",
                       f"با همین جدول در {fmt.DATA_JSON} یکی نیست.")


def _check_numbers(data: _Object, manifest: _Object, report: VerifyReport) -> None:
    """Form 2 from the Form 1 records, each patient from their cost items and
    assessments, every date in the period, and the manifest's counts and sums."""
    start = dt.date.fromisoformat(manifest["period"]["start"])
    end = dt.date.fromisoformat(manifest["period"]["end"])
    form2, total, outside = _form2_numbers(data, report, manifest["format_version"])
    patients = _rows(data, "patients", fmt.PATIENTS_CSV)
    assessments = _rows(data, "assessments", fmt.ASSESSMENTS_CSV)
    cost_items = _rows(data, "cost_items", fmt.COST_ITEMS_CSV)
    codes = [str(p.get("national_code", "")) for p in patients]
    _require(len(set(codes)) == len(codes), fmt.PATIENTS_CSV, "a patient listed twice")
    _check_in_period(assessments, "assessed_on", fmt.ASSESSMENTS_CSV, start, end, report)
    _check_in_period(cost_items, "item_date", fmt.COST_ITEMS_CSV, start, end, report)
    _check_in_period([p for p in patients if p.get("seen_registered")], "registered_on",
                     fmt.PATIENTS_CSV, start, end, report)
    items = _items_per_patient(cost_items, report, manifest["format_version"])
    if items is None:
        return
    _check_strays(data, codes, report)
    assessed = {str(a.get("national_code")) for a in assessments}
    recount = _recount_form2(patients, codes, items, assessed, report)
    _check_form2_recount({**form2, **outside}, recount, report)
    support = sum(numbers[1] for numbers in items.values())
    spent = total[2] + sum(numbers[2] for numbers in outside.values())
    if support != spent:
        report.add(fmt.COST_ITEMS_CSV, f"support of the cost items ({support}) is not "
                                       f"Form 2's money spent ({spent})",
                   "جمع حمایت اقلام هزینه با هزینه‌کرد فرم شماره دو برابر نیست.")
    _check_manifest_numbers(manifest, total, patients, assessments, cost_items, report)


def _insured(item: _Object, format_version: int) -> int:
    """The tomans of an item within insurance obligations; a package before version 3
    said only yes (all of the amount) or no (none)."""
    amount = _int(item.get("amount_toman"), fmt.COST_ITEMS_CSV, "amount_toman")
    if format_version < fmt.INSURED_PART_VERSION:
        return amount if item.get("under_insurance") else 0
    insured = _int(item.get("insured_toman"), fmt.COST_ITEMS_CSV, "insured_toman")
    _require(insured <= amount, fmt.COST_ITEMS_CSV, f"insured_toman {insured} > amount")
    return insured


_FORM2_COLUMNS = ("seen", "covered", "spent_toman")


def _form2_numbers(data: _Object, report: VerifyReport, format_version: int
                   ) -> tuple[dict[int, list[int]], list[int], dict[int, list[int]]]:
    """Form 2's rows by group, its total row, and (from version 2) the line outside the
    groups by itself; a total that is not the sum of the nine rows is reported."""
    form2_rows = _rows(data, "form2", fmt.FORM2_CSV)
    ids = [_int(r.get("group_id"), fmt.FORM2_CSV, "group_id") for r in form2_rows]
    expected = fmt.form2_row_ids(format_version)
    _require(ids == expected, fmt.FORM2_CSV, f"rows {ids}, not {expected} once each")
    form2 = {group_id: [_int(row.get(c), fmt.FORM2_CSV, c) for c in _FORM2_COLUMNS]
             for group_id, row in zip(ids, form2_rows, strict=True)}
    total = form2.pop(fmt.TOTAL_ROW_ID)
    outside = {fmt.OUTSIDE_ROW_ID: form2.pop(fmt.OUTSIDE_ROW_ID)} \
        if fmt.OUTSIDE_ROW_ID in form2 else {}
    for index, column in enumerate(_FORM2_COLUMNS):
        if sum(numbers[index] for numbers in form2.values()) != total[index]:
            report.add(fmt.FORM2_CSV, f"the total row's {column} is not the sum of the rows",
                       "ردیف جمع کل با جمع ردیف‌ها برابر نیست.")
    return form2, total, outside


def _check_in_period(rows: list[_Object], column: str, part: str, start: dt.date, end: dt.date,
                     report: VerifyReport) -> None:
    """The first row whose ``column`` is outside the period is reported."""
    for row in rows:
        if not start <= _date(row.get(column), part, column) <= end:
            report.add(part, f"{column} {row.get(column)} is outside the period",
                       "تاریخی بیرون از دوره بسته دارد.")
            return


def _items_per_patient(cost_items: list[_Object], report: VerifyReport, format_version: int
                       ) -> dict[str, list[int]] | None:
    """Each patient's number of cost items and their support; ``None`` (reported) when an
    item's support does not follow from its amount and band."""
    items: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in cost_items:
        numbers = items[str(item.get("national_code"))]
        numbers[0] += 1
        support = _int(item.get("support_toman"), fmt.COST_ITEMS_CSV, "support_toman")
        numbers[1] += support
        expected = _support(item, _insured(item, format_version))
        if support != expected:
            report.add(fmt.COST_ITEMS_CSV,
                       f"cost item {item.get('cost_item_id')}: support {support} is not its "
                       f"amount outside insurance × its band ({expected})",
                       "حمایت یک قلم هزینه با مبلغ و سهم حمایت آن نمی‌خواند.")
            return None
    return items


def _check_strays(data: _Object, codes: list[str], report: VerifyReport) -> None:
    """Assessments and cost items of patients the patients' table does not have."""
    for key, part in (("assessments", fmt.ASSESSMENTS_CSV), ("cost_items", fmt.COST_ITEMS_CSV)):
        strays = {str(r.get("national_code")) for r in data[key]} - set(codes)
        if strays:
            report.add(part, f"{len(strays)} record(s) of patients missing from "
                             f"{fmt.PATIENTS_CSV}",
                       f"ردیف‌هایی از بیمارانی دارد که در {fmt.PATIENTS_CSV} نیستند.")


def _recount_form2(patients: list[_Object], codes: list[str], items: dict[str, list[int]],
                   assessed: set[str], report: VerifyReport) -> dict[int, list[int]]:
    """Form 2's seen/covered/spent per group, added up from the patients' rows; it stops
    at the first patient whose row does not follow from their items and assessments."""
    recount: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for patient, code in zip(patients, codes, strict=True):
        count, support = items.get(code, [0, 0])
        if not _patient_follows(patient, code, count, support, code in assessed, report):
            break
        numbers = recount[_int(patient.get("cancer_group_id"), fmt.PATIENTS_CSV,
                               "cancer_group_id")]
        numbers[0] += 1
        numbers[1] += support > 0
        numbers[2] += support
    return recount


def _patient_follows(patient: _Object, code: str, count: int, support: int, assessed: bool,
                     report: VerifyReport) -> bool:
    """Whether a patient's row agrees with their items and assessments, and they had a
    dealing in the period; if not, it is reported."""
    claimed = (_int(patient.get("period_cost_items"), fmt.PATIENTS_CSV, "period_cost_items"),
               _int(patient.get("period_support_toman"), fmt.PATIENTS_CSV,
                    "period_support_toman"),
               bool(patient.get("covered")), bool(patient.get("seen_assessed")))
    if claimed != (count, support, support > 0, assessed):
        report.add(fmt.PATIENTS_CSV,
                   f"patient {code}: items/support/covered/assessed {list(claimed)} do not "
                   f"follow from the cost items and assessments "
                   f"{[count, support, support > 0, assessed]}",
                   "شمار اقلام، حمایت یا «مشمول» یک بیمار با جدول هزینه‌ها و ارزیابی‌ها "
                   "نمی‌خواند.")
        return False
    if not (patient.get("seen_registered") or assessed or count):
        report.add(fmt.PATIENTS_CSV, f"patient {code} had no dealing in the period",
                   "بیماری دارد که در این دوره مراجعه‌ای نداشته است.")
        return False
    return True


def _check_form2_recount(form2: dict[int, list[int]], recount: dict[int, list[int]],
                         report: VerifyReport) -> None:
    """Form 2's rows against the same numbers added up from the Form 1 records."""
    for group_id, found in sorted(form2.items()):
        expected = recount.get(group_id, [0, 0, 0])
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


def _check_manifest_numbers(manifest: _Object, total: list[int], patients: list[_Object],
                            assessments: list[_Object], cost_items: list[_Object],
                            report: VerifyReport) -> None:
    """The manifest's counts and sums against the data."""
    expected_counts = {"patients": len(patients), "assessments": len(assessments),
                       "cost_items": len(cost_items), "seen": total[0], "covered": total[1]}
    if manifest["counts"] != expected_counts:
        report.add(fmt.MANIFEST, f"counts {manifest['counts']} do not match the data "
                                 f"{expected_counts}",
                   "شمارش‌های فهرست بسته با داده‌ها نمی‌خواند.")
    cost = sum(_int(c.get("amount_toman"), fmt.COST_ITEMS_CSV, "amount_toman")
               for c in cost_items)
    expected_sums = {"spent_toman": total[2], "cost_toman": cost}
    if manifest["format_version"] >= fmt.INSURED_PART_VERSION:
        expected_sums["insured_toman"] = sum(_insured(c, manifest["format_version"])
                                             for c in cost_items)
    if manifest["sums"] != expected_sums:
        report.add(fmt.MANIFEST, f"sums {manifest['sums']} do not match the data "
                                 f"{expected_sums}",
                   "جمع‌های فهرست بسته با داده‌ها نمی‌خواند.")


def _support(item: _Object, insured: int) -> int:
    """What an item's support must be: nothing with a reason for none, else the band ×
    the amount outside insurance obligations, rounded half up to a whole toman (as the
    program computes it). "Under insurance" is the reason exactly when all of it is."""
    amount = _int(item.get("amount_toman"), fmt.COST_ITEMS_CSV, "amount_toman")
    reason = item.get("no_support_reason")
    if reason != "outside_groups":
        _require((reason == "under_insurance") == (insured == amount), fmt.COST_ITEMS_CSV,
                 f"cost item {item.get('cost_item_id')}: no_support_reason {reason!r} with "
                 f"{insured} of {amount} within insurance")
    if reason:
        return 0
    percent = _int(item.get("coverage_percent"), fmt.COST_ITEMS_CSV, "coverage_percent")
    _require(percent <= 100, fmt.COST_ITEMS_CSV, f"coverage_percent {percent}")
    return ((amount - insured) * percent + 50) // 100


def verify_bytes(data: bytes, password: str | None = None) -> VerifyReport:
    report = VerifyReport()
    opened = _open_archive(data, password, report)
    if opened is None:
        return report
    archive, infos = opened
    try:
        manifest_info = next((i for i in infos if i.filename == fmt.MANIFEST), None)
        raw = None if manifest_info is None else \
            _read_member(archive, manifest_info, MAX_MANIFEST_BYTES, report)
        manifest = _check_manifest(raw, report)
        if manifest is None:
            return report
        report.manifest = manifest
        members = _listed_members(archive, infos, manifest, report)
        signature_info = next((i for i in infos if i.filename == SIGNATURE_JSON), None)
        if signature_info is not None and raw is not None:
            signed = _read_member(archive, signature_info, MAX_SIGNATURE_BYTES, report)
            if signed is not None:
                # Loaded here: the window that starts the program imports this module,
                # and needs no cryptography to appear.
                from cancer_desk.exchange.signature import read_signature

                report.signature = read_signature(signed, raw)
    except _WrongPassword as exc:
        report.problems.clear()
        report.add("package", f"cannot decrypt: {exc}", "رمز درست نیست.")
        return report
    names = {info.filename for info in infos}
    if _check_files(names, members, manifest, report) and not report.problems:
        _check_consistency(members, manifest, report)
    return report


def verify_file(path: Path, password: str | None = None) -> VerifyReport:
    try:
        if path.stat().st_size > MAX_PACKAGE_BYTES + 16 * 1024 * 1024:  # its index too
            report = VerifyReport()
            report.add("package", "too large to be a package",
                       "بزرگ‌تر از آن است که بسته فصل باشد.")
            return report
        data = path.read_bytes()
    except OSError as exc:
        report = VerifyReport()
        report.add("package", f"cannot be read: {exc}", "پرونده خوانده نمی‌شود.")
        return report
    return verify_bytes(data, password)
