"""Importing the Excel lists hospitals keep: all valid rows or nothing, and a Persian
report of what is wrong, row by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from cancer_desk.core.patient_import import COLUMNS, header_text
from cancer_desk.core.progress import Cancelled, Progress
from cancer_desk.services.patient_import import import_patients, write_template
from tests.builders import GOOD_ROWS, HEADER, write_csv


def write_xlsx(path: Path, rows: list[list[object]], *, header=HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def run(context, path: Path, **kw):
    return import_patients(context.database.session_factory, context.access, path, **kw)


def test_a_good_csv_is_imported_whole(context, tmp_path: Path) -> None:
    rows = [*GOOD_ROWS[:2], ["", "", "", "", "", "", "", "", ""], GOOD_ROWS[2]]  # empty row
    report = run(context, write_csv(tmp_path / "list.csv", rows))
    assert report.ok, [p.describe() for p in report.problems]
    assert (report.rows, report.imported) == (3, 3)
    karimi = context.patients.find_by_national_code("0499370899")
    assert (karimi.identity.first_name, karimi.identity.last_name) == ("علی", "کریمی")
    assert context.patients.find_by_national_code("0012345679").identity.cancer_group_id == 6
    pakzad = context.patients.find_by_national_code("1234567891").identity
    assert pakzad.birth_date == dt.date(1972, 3, 20) and pakzad.phone == "02188776655"
    assert context.patients.search("کریمی")  # search keys were written too


def test_a_good_xlsx_with_numbers_excel_made(context, tmp_path: Path) -> None:
    rows = [[499370899, "علی", "کریمی", "حسن", 1, "1365/02/30", 1, 9123456789, "تهران"]]
    report = run(context, write_xlsx(tmp_path / "list.xlsx", rows))
    assert report.ok, [p.describe() for p in report.problems]
    stored = context.patients.find_by_national_code("0499370899").identity
    assert stored.phone == "09123456789"


def test_persian_headers_are_understood(context, tmp_path: Path) -> None:
    header = [COLUMNS[k].split(" (")[0] for k in HEADER]
    report = run(context, write_csv(tmp_path / "fa.csv", GOOD_ROWS, header=header))
    assert report.ok, [p.describe() for p in report.problems]
    template_header = [header_text(k) for k in HEADER]
    report = run(context, write_csv(tmp_path / "t.csv", GOOD_ROWS, header=template_header),
                 dry_run=True)
    assert report.problems[0].message.startswith("این کد ملی پیش‌تر")  # already imported


@pytest.mark.parametrize("encoding", ["utf-16", "cp1256", "utf-8"])
def test_encodings_excel_saves(context, tmp_path: Path, encoding: str) -> None:
    rows = [[c.replace("ی", "ي").replace("ک", "ك") for c in GOOD_ROWS[0]]]
    path = write_csv(tmp_path / "enc.csv", rows, encoding=encoding, delimiter=";")
    report = run(context, path)
    assert report.ok, [p.describe() for p in report.problems]
    assert context.patients.find_by_national_code("0499370899").identity.last_name == "کریمی"


def test_bad_rows_are_reported_and_nothing_is_imported(context, tmp_path: Path) -> None:
    rows = [
        GOOD_ROWS[0],
        ["1234567890", "رضا", "نوری", "علی", "1", "1360/01/01", "1", "", ""],   # check digit
        ["0012345679", "", "احمدی", "رضا", "3", "1370/13/15", "11", "", ""],     # four faults
        ["0499370899", "علی", "کریمی", "حسن", "1", "1365/02/30", "1", "", ""],  # repeated code
        GOOD_ROWS[2],
    ]
    report = run(context, write_csv(tmp_path / "bad.csv", rows))
    assert not report.ok and report.imported == 0
    described = [p.describe() for p in report.problems]
    assert any(d.startswith("ردیف ۳، ستون «کد ملی»") and "رقم کنترل" in d for d in described)
    row4 = [p for p in report.problems if p.row == 4]
    assert {p.column for p in row4} == {"first_name", "sex", "birth_date", "cancer_group"}
    assert any(p.row == 5 and "ردیف ۲" in p.message for p in report.problems)
    assert "هیچ بیماری وارد نشد" in report.summary()
    assert context.patients.count() == 0


def test_an_unknown_column_is_left_out_with_a_warning(context, tmp_path: Path) -> None:
    header = ["ردیف", *HEADER]  # the numbering column people add
    rows = [[str(i), *r] for i, r in enumerate(GOOD_ROWS, start=1)]
    report = run(context, write_csv(tmp_path / "numbered.csv", rows, header=header))
    assert report.ok and report.imported == 3
    assert "«ردیف» شناخته نیست" in report.warnings[0].describe()


def test_a_namesake_already_registered_is_a_warning(context, tmp_path: Path) -> None:
    run(context, write_csv(tmp_path / "first.csv", GOOD_ROWS[:1]))
    twin = ["0012345679", *GOOD_ROWS[0][1:]]  # same person data, another code
    report = run(context, write_csv(tmp_path / "twin.csv", [twin]), dry_run=True)
    assert report.ok and "۰۴۹۹۳۷۰۸۹۹" in report.warnings[0].message


def test_a_code_one_digit_from_one_on_file_is_a_warning(context, tmp_path: Path) -> None:
    """1234567891 is on file; 1234567881 (one digit apart, its check digit still right)
    is someone else's name in the file, and still worth a look before it is imported."""
    run(context, write_csv(tmp_path / "first.csv", GOOD_ROWS[2:]))
    slip = ["1234567881", "نرگس", "امینی", "محمود", *GOOD_ROWS[2][4:]]
    report = run(context, write_csv(tmp_path / "slip.csv", [slip]), dry_run=True)
    warning, = report.warnings
    assert report.ok and warning.row == 2 and warning.column == "national_code"
    assert "۱۲۳۴۵۶۷۸۹۱" in warning.message and "کد ملی یک رقم متفاوت" in warning.message


def test_two_rows_of_one_person_are_a_warning(context, tmp_path: Path) -> None:
    """The same names and birth date under two codes in one file: the later row is
    named with the earlier one's number."""
    twice = [GOOD_ROWS[0], ["0012345679", *GOOD_ROWS[0][1:]]]
    report = run(context, write_csv(tmp_path / "twice.csv", twice), dry_run=True)
    warning, = report.warnings
    assert warning.row == 3 and "ردیف ۲ همین پرونده" in warning.message
    assert "نام، نام پدر و تاریخ تولد یکسان" in warning.message


@pytest.mark.parametrize(("header", "expected"), [
    ([h for h in HEADER if h != "birth_date"], "این ستون لازم است"),
    ([*HEADER[:-1], "national_code"], "دو بار"),
])
def test_wrong_columns(context, tmp_path: Path, header, expected) -> None:
    rows = [r[: len(header)] for r in GOOD_ROWS]
    report = run(context, write_csv(tmp_path / "cols.csv", rows, header=header))
    assert any(expected in p.describe() for p in report.problems)
    assert context.patients.count() == 0


def test_dates_excel_turned_into_dates(context, tmp_path: Path) -> None:
    rows = [[*GOOD_ROWS[0][:5], dt.datetime(1986, 5, 20), *GOOD_ROWS[0][6:]]]
    report = run(context, write_xlsx(tmp_path / "dates.xlsx", rows))
    assert [p.column for p in report.problems] == ["birth_date"]
    assert "شمسی" in report.problems[0].message


def test_a_patient_already_registered_stops_the_import(context, tmp_path: Path) -> None:
    run(context, write_csv(tmp_path / "first.csv", GOOD_ROWS[:1]))
    report = run(context, write_csv(tmp_path / "again.csv", GOOD_ROWS))
    assert [p.row for p in report.problems] == [2]
    assert "«علی کریمی»" in report.problems[0].message
    assert context.patients.count() == 1


def test_dry_run_saves_nothing(context, tmp_path: Path) -> None:
    report = run(context, write_csv(tmp_path / "dry.csv", GOOD_ROWS), dry_run=True)
    assert report.ok and report.imported == 0 and "آزمایشی" in report.summary()
    assert context.patients.count() == 0


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("cut.xlsx", None, "خراب"),
    ("cut-sheet.xlsx", "sheet", "خراب"),
    ("flipped.xlsx", "flip", "خراب"),
    ("old.xls", b"\xd0\xcf\x11\xe0 old excel", "xlsx"),
    ("notes.txt", b"hello", "csv"),
    ("empty.csv", b"", "خالی"),
    ("header-only.csv", ",".join(HEADER).encode(), "ردیفی ندارد"),
])
def test_unreadable_files(context, tmp_path: Path, name, content, expected) -> None:
    path = tmp_path / name
    whole = write_xlsx(tmp_path / "whole.xlsx", GOOD_ROWS)
    if content is None:  # a truncated xlsx: the first half of a real one
        path.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    elif content == "sheet":  # a sound zip whose sheet XML stops half-way
        import zipfile

        with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = data[: len(data) // 2]
                target.writestr(info.filename, data)
    elif content == "flip":  # one byte of the compressed sheet changed
        import zipfile

        data = bytearray(whole.read_bytes())
        with zipfile.ZipFile(whole) as source:
            info = source.getinfo("xl/worksheets/sheet1.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        data[start + info.compress_size // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    else:
        path.write_bytes(content)
    report = run(context, path)
    assert not report.ok and expected in report.problems[0].message
    assert context.patients.count() == 0


def test_the_template_round_trips(context, tmp_path: Path) -> None:
    template = write_template(tmp_path / "template.xlsx")
    book = load_workbook(template)
    sheet = book["بیماران"]
    assert sheet.sheet_view.rightToLeft
    assert [c.value for c in sheet[1]] == [header_text(k) for k in COLUMNS]
    assert sheet.cell(row=2, column=1).number_format == "@"  # codes stay text
    assert book["راهنما"].max_row == len(COLUMNS) + 1
    for index, value in enumerate(GOOD_ROWS[0]):
        sheet.cell(row=2, column=list(COLUMNS).index(HEADER[index]) + 1, value=value)
    book.save(template)
    report = run(context, template)
    assert report.ok and report.imported == 1


class CancelAt(Progress):
    """Cancels once the import says ``text``: at that step, or with ``at_check`` at its
    last explicit check (the patients inserted, the transaction not yet committed)."""

    def __init__(self, text: str | None, *, at_check: bool = False) -> None:
        self.text, self.at_check = text, at_check
        self.texts: list[str] = []
        self.asked = False

    def step(self, done: int, total: int, text: str = "") -> None:
        if text:
            self.texts.append(text)
        self.asked = self.asked or (bool(text) and text == self.text)
        if not self.at_check:
            self.check()

    def check(self) -> None:
        if self.asked:
            raise Cancelled()


@pytest.mark.parametrize(("text", "at_check"), [
    ("بررسی ردیف‌های پرونده…", False),
    ("ذخیره بیماران…", True),
])
def test_a_cancelled_import_imports_nobody(context, tmp_path: Path, text, at_check) -> None:
    from sqlalchemy import func, select

    from cancer_desk.models import AuditEntry

    path = write_csv(tmp_path / "list.csv", GOOD_ROWS)
    with context.database.session_factory() as session:
        trail = session.scalar(select(func.count()).select_from(AuditEntry))
    progress = CancelAt(text, at_check=at_check)
    with pytest.raises(Cancelled):
        run(context, path, progress=progress)
    assert text in progress.texts
    assert context.patients.count() == 0
    with context.database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == trail
    assert run(context, path).imported == 3  # and the same list goes in afterwards


def test_the_import_tells_its_progress(context, tmp_path: Path) -> None:
    progress = CancelAt(None)  # only listens
    run(context, write_csv(tmp_path / "list.csv", GOOD_ROWS), progress=progress)
    assert progress.texts == ["خواندن پرونده…", "بررسی ردیف‌های پرونده…",
                              "جست‌وجوی بیمارانی که شاید پیش‌تر ثبت شده‌اند…",
                              "ذخیره بیماران…"]


def test_an_imported_row_s_group_follows_its_code(context, tmp_path: Path) -> None:
    header = [*HEADER, "icd10_code"]
    rows = [[*GOOD_ROWS[0], "C73"],                       # thyroid in breast: refused
            [*GOOD_ROWS[1][:6], "10", *GOOD_ROWS[1][7:], "C73"]]  # outside: taken
    report = run(context, write_csv(tmp_path / "codes.csv", rows, header=header),
                 reference=context.reference)
    assert [(p.row, p.column) for p in report.problems] == [(2, "cancer_group")]
    assert "«پستان»" in report.problems[0].message
    rows[0][6] = "10"
    report = run(context, write_csv(tmp_path / "codes.csv", rows, header=header),
                 reference=context.reference)
    assert report.ok and report.imported == 2
    assert context.patients.find_by_national_code("0499370899").identity.cancer_group_id == 10
