"""Importing a patient list: every valid row in one transaction, or nothing."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Action, Actor
from cancer_desk.core.duplicates import Reason
from cancer_desk.core.patient import PatientIdentity
from cancer_desk.core.patient_import import (
    COLUMN_HELP,
    COLUMNS,
    REQUIRED,
    TEXT_COLUMNS,
    Problem,
    check_row,
    header_text,
    map_headers,
)
from cancer_desk.core.persian import to_persian_digits
from cancer_desk.core.progress import NO_PROGRESS, Progress
from cancer_desk.core.reference import ReferenceData
from cancer_desk.models import Patient
from cancer_desk.models.base import utc_now
from cancer_desk.services import audit
from cancer_desk.services.access import Access
from cancer_desk.services.duplicates import DuplicateService
from cancer_desk.services.patients import patient_search_key, patient_sort_key
from cancer_desk.services.tabular import Table, TableReadError, read_table

INSERT_BATCH = 2000


@dataclass
class ImportReport:
    rows: int = 0  # data rows read
    imported: int = 0
    problems: list[Problem] = field(default_factory=list)  # any of these stops the import
    warnings: list[Problem] = field(default_factory=list)  # shown; the import goes on
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One Persian sentence for the window and the command line."""
        fa = to_persian_digits
        if self.problems:
            return (f"{fa(len(self.problems))} اشکال در پرونده هست؛ هیچ بیماری وارد نشد. "
                    "پرونده را درست کنید و دوباره وارد کنید.")
        if self.dry_run:
            return f"{fa(self.rows)} ردیف بی‌اشکال است و وارد می‌شود (آزمایشی؛ چیزی ذخیره نشد)."
        return f"{fa(self.imported)} بیمار وارد شد."


def import_patients(session_factory: sessionmaker[Session], access: Access, path: Path, *,
                    dry_run: bool = False, progress: Progress = NO_PROGRESS,
                    reference: ReferenceData | None = None) -> ImportReport:
    """Every row or none, each new patient recorded in the audit trail. ``progress``
    counts the rows checked and may cancel the import until its transaction commits
    (it then rolls back whole)."""
    actor = access.require(Action.EDIT_PATIENTS)
    report = ImportReport(dry_run=dry_run)
    progress.step(0, 0, "خواندن پرونده…")
    read = _read_rows(path, report)
    if read is None:
        return report
    patients = _checked_rows(*read, report, progress, reference)
    del read  # the file's cells: the patients are all that is needed from here
    _refuse_registered(session_factory, patients, report)
    report.problems.sort(key=lambda p: (p.row, p.column))
    _warn_similar(DuplicateService(session_factory, access), patients, report, progress)
    if report.problems or dry_run:
        return report
    progress.step(0, 0, "ذخیره بیماران…")
    try:
        _insert(session_factory, actor, [p for _, p in patients], progress)
    except IntegrityError:
        # Another PC registered one of these codes between the check and the insert;
        # the transaction rolled back whole.
        report.problems.append(Problem(0, "", "در همین فاصله یکی از این بیماران در رایانه "
                                              "دیگری ثبت شد؛ هیچ بیماری وارد نشد. دوباره "
                                              "وارد کنید تا ردیف آن نشان داده شود."))
        return report
    report.imported = len(patients)
    return report


def _read_rows(path: Path, report: ImportReport) -> tuple[Table, dict[int, str]] | None:
    """The table and which column is which key; ``None`` when the file, its header row or
    its lack of rows is a problem (in ``report``)."""
    try:
        table = read_table(path)
    except TableReadError as exc:
        report.problems.append(Problem(0, "", exc.message_fa))
        return None
    mapping, header_problems = map_headers(table.headers)
    report.warnings += [p for p in header_problems if p.warning]
    report.problems += [p for p in header_problems if not p.warning]
    if report.problems:
        return None
    report.rows = len(table.rows)
    if not table.rows:
        report.problems.append(Problem(0, "", "پرونده جز سرستون‌ها ردیفی ندارد."))
        return None
    return table, mapping


def _checked_rows(table: Table, mapping: dict[int, str], report: ImportReport,
                  progress: Progress, reference: ReferenceData | None = None,
                  ) -> list[tuple[int, PatientIdentity]]:
    """The rows that are sound patients, each code once (row number, identity); the
    problems of the others go to ``report``."""
    patients: list[tuple[int, PatientIdentity]] = []
    first_row_of: dict[str, int] = {}
    checking = "بررسی ردیف‌های پرونده…"
    for done, (number, cells) in enumerate(table.rows):
        if done % 200 == 0:
            progress.step(done, len(table.rows), checking)
        identity, problems = check_row(number, cells, mapping, reference=reference)
        report.problems += problems
        if identity is None:
            continue
        earlier = first_row_of.setdefault(identity.national_code, number)
        if earlier != number:
            report.problems.append(Problem(
                number, "national_code", f"این کد ملی در ردیف {to_persian_digits(earlier)} "
                                         "هم آمده است."))
            continue
        patients.append((number, identity))
    return patients


def _refuse_registered(session_factory: sessionmaker[Session],
                       patients: list[tuple[int, PatientIdentity]], report: ImportReport) -> None:
    """A problem for each row whose national code is registered already."""
    with session_factory() as session:
        codes = [p.national_code for _, p in patients]
        existing: dict[str, str] = {}
        for start in range(0, len(codes), 500):
            for code, first, last in session.execute(
                    select(Patient.national_code, Patient.first_name, Patient.last_name)
                    .where(Patient.national_code.in_(codes[start:start + 500]))):
                existing[code] = f"{first} {last}"
    for number, identity in patients:
        if identity.national_code in existing:
            report.problems.append(Problem(
                number, "national_code",
                f"این کد ملی پیش‌تر برای «{existing[identity.national_code]}» ثبت شده است."))


def _warn_similar(duplicates: DuplicateService,
                  patients: list[tuple[int, PatientIdentity]], report: ImportReport,
                  progress: Progress) -> None:
    """A warning for each row that may be a patient registered under another code (one
    digit or one swap away, or the same names and birth date), or another row."""
    progress.step(0, len(patients), "جست‌وجوی بیمارانی که شاید پیش‌تر ثبت شده‌اند…")
    report.warnings += [
        Problem(s.row, "national_code" if set(s.reasons) - {Reason.SAME_NAMES} else "",
                s.describe_fa(), warning=True)
        for s in duplicates.among_rows(patients, progress=progress)]


def _insert(session_factory: sessionmaker[Session], actor: Actor,
            patients: list[PatientIdentity], progress: Progress) -> None:
    """The new patients and their audit entries, in one transaction. The rows are built
    a batch at a time: all of a large list's at once (each with its audit entry) was
    most of the memory an import took."""
    now = utc_now()
    with session_factory.begin() as session:
        for start in range(0, len(patients), INSERT_BATCH):
            rows = [{**dataclasses.asdict(p),
                     "search_key": patient_search_key(p.first_name, p.last_name),
                     "sort_key": patient_sort_key(p.first_name, p.last_name),
                     "created_at": now, "updated_at": now, "version": 1}
                    for p in patients[start:start + INSERT_BATCH]]
            ids = session.scalars(insert(Patient).returning(Patient.id,
                                                            sort_by_parameter_order=True),
                                  rows).all()
            audit.append(session, actor, [
                audit.Draft("insert", "patients", str(patient_id), patient_id,
                            {k: [None, audit.json_value(v)] for k, v in row.items()
                             if k not in audit.UNRECORDED_FIELDS and v not in (None, "")})
                for patient_id, row in zip(ids, rows, strict=True)], reason="import")
            progress.step(start, len(patients))
        progress.check()  # the last moment a cancel rolls the import back whole


def write_template(path: Path) -> Path:
    """The import template: one header row (Persian label and key), nothing else.

    An .xlsx gets right-to-left sheets, text-formatted code columns (so Excel keeps
    leading zeros) and a second sheet that explains each column.
    """
    headers = [header_text(key) for key in COLUMNS]
    if path.suffix.lower() == ".csv":
        # UTF-8 with a BOM: what Excel needs to open Persian CSV correctly.
        path.write_text(",".join(headers) + "\r\n", encoding="utf-8-sig")
        return path
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "بیماران"
    sheet.sheet_view.rightToLeft = True
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for index, key in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(14, len(headers[index - 1]) + 2)
        if key in TEXT_COLUMNS:
            for row in range(2, 2001):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("راهنما")
    guide.sheet_view.rightToLeft = True
    guide.append(["ستون", "کلید", "لازم است", "توضیح"])
    for key, label in COLUMNS.items():
        guide.append([label, key, "بلی" if key in REQUIRED else "خیر", COLUMN_HELP.get(key, "")])
    for letter, width in (("A", 34), ("B", 22), ("C", 10), ("D", 70)):
        guide.column_dimensions[letter].width = width
    book.save(path)
    return path


class PatientImportService:
    """Importing patient lists, for the window (which holds no database objects)."""

    def __init__(self, session_factory: sessionmaker[Session], access: Access,
                 reference: ReferenceData | None = None) -> None:
        self._sessions = session_factory
        self._access = access
        self._reference = reference

    def check(self, path: Path, progress: Progress = NO_PROGRESS) -> ImportReport:
        return import_patients(self._sessions, self._access, path, dry_run=True,
                               progress=progress, reference=self._reference)

    def run(self, path: Path, progress: Progress = NO_PROGRESS) -> ImportReport:
        return import_patients(self._sessions, self._access, path, progress=progress,
                               reference=self._reference)

    @staticmethod
    def write_template(path: Path) -> Path:
        return write_template(path)
