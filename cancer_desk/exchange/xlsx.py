"""The package's spreadsheet for people: right-to-left sheets with Persian headers and
Persian option labels, in the same order as the CSV files."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from copy import copy
from typing import TYPE_CHECKING

from cancer_desk.core import case as case_fields
from cancer_desk.core.costs import COST_KINDS, NO_SUPPORT_REASONS, NoSupport
from cancer_desk.core.jalali import format_jalali
from cancer_desk.core.patient import NATIONALITY_CHOICES, SEX_CHOICES
from cancer_desk.core.progress import NO_PROGRESS, Progress
from cancer_desk.core.records import HubSettingsRecord, PeriodData
from cancer_desk.core.rules import Criterion
from cancer_desk.exchange.format import repack_zip

if TYPE_CHECKING:
    from openpyxl import Workbook

# openpyxl is loaded when a spreadsheet is written, not when the window starts.
HEADER_COLOUR = "DDEBF7"
MONEY_FORMAT = "#,##0"
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 8, 45  # in widths of a digit
FIT_TO_PAGE_COLUMNS = 25
FIXED_TIME = dt.datetime(2000, 1, 1)  # document properties must not carry the clock

PATIENT_COLUMNS: list[tuple[str, str]] = [
    ("national_code", "کد ملی"), ("first_name", "نام"), ("last_name", "نام خانوادگی"),
    ("father_name", "نام پدر"), ("sex", "جنسیت"), ("birth_date_jalali", "تاریخ تولد"),
    ("cancer_group_id", "نوع سرطان"), ("icd10_code", "کد ICD-10"),
    ("nationality", "ملیت"), ("insurance_type", "نوع بیمه"),
    ("address_province", "استان محل سکونت"), ("address_city", "شهر محل سکونت"),
    ("registered_on_jalali", "تاریخ ثبت"), ("seen_assessed", "ارزیابی در دوره"),
    ("period_cost_items", "اقلام هزینه در دوره"), ("covered", "مشمول در دوره"),
    ("period_support_toman", "حمایت در دوره (تومان)"), ("form1_complete", "فرم ۱ کامل"),
    *((f"{name}_jalali" if name in case_fields.DATE_FIELDS else name, label)
      for name, label in case_fields.LABELS.items()),
]
CHOICE_LABELS = {"sex": SEX_CHOICES, "nationality": NATIONALITY_CHOICES,
                 **case_fields.CHOICES}


def _text_width(value: object, money: bool) -> int:
    if money and isinstance(value, int):
        return len(f"{value:,}")
    return len(str(value)) if value not in ("", None) else 0


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list[object]],
           money_columns: set[int] = frozenset(),  # type: ignore[assignment]
           progress: Progress = NO_PROGRESS) -> None:
    """One right-to-left sheet: columns as wide as their contents (within reason), the
    header wrapped on as many lines as it needs, printed landscape and one page wide
    with the header on every page."""
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = book.create_sheet(title)
    sheet.sheet_view.rightToLeft = True
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    # Dates and codes are left-to-right runs that a right-to-left sheet would otherwise
    # push to the far side of their cells.
    # Cells are addressed by number: sheet[sheet.max_row] looks at every cell written so
    # far, which made a quarter of 7,500 patients take minutes. And the right-aligned
    # style is worked out once, then copied: assigning it cell by cell costs openpyxl a
    # hash of the whole style each time (10 s for such a quarter).
    right_aligned = None
    progress.step(0, len(rows), f"نوشتن برگه «{title}» در پرونده اکسل بسته…")
    for row_number, row in enumerate(rows, start=2):
        if row_number % 500 == 0:
            progress.step(row_number - 1, len(rows))
        sheet.append(row)
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                cell = sheet.cell(row=row_number, column=column)
                if right_aligned is None:
                    cell.alignment = Alignment(horizontal="right")
                    right_aligned = cell._style
                else:
                    cell._style = copy(right_aligned)
    header_lines = 1
    for index, header in enumerate(headers):
        money = index in money_columns
        widest = max((_text_width(row[index], money) for row in rows), default=0)
        width = min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, widest + 2))
        # A long header wraps rather than widening a column of short values.
        width = max(width, min(MAX_COLUMN_WIDTH, (len(header) + 2) // 3 + 2))
        header_lines = max(header_lines, -(-(len(header) + 2) // (width - 1)))
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = width
        if money:
            for row_number in range(2, len(rows) + 2):
                sheet.cell(row=row_number, column=index + 1).number_format = MONEY_FORMAT
    sheet.row_dimensions[1].height = 15 * header_lines + 3
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    if len(headers) <= FIT_TO_PAGE_COLUMNS:  # wider sheets would print unreadably small
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _value(name: str, value: object) -> object:
    if isinstance(value, bool):
        return "بلی" if value else "خیر"
    if name in CHOICE_LABELS and value not in ("", None):
        return CHOICE_LABELS[name].get(int(value), value)  # type: ignore[call-overload]
    return value


def report_xlsx(form2: list[dict], period: PeriodData, settings: HubSettingsRecord,
                start: dt.date, end: dt.date, criteria: Sequence[Criterion] = (),
                progress: Progress = NO_PROGRESS) -> bytes:
    """``criteria``: those of the rule sets the period's assessments used, for Persian
    headers and answers (an id without one is shown as it is). ``progress`` hears of
    every few hundred rows, and may stop the work between them."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "Cancer Desk"
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.title = (f"فرم شماره دو — {settings.hospital} — {format_jalali(start)} تا "
                             f"{format_jalali(end)}")
    _sheet(book, "فرم شماره دو",
           ["ردیف", "نوع سرطان", "تعداد کل بیماران سرطانی مراجعه‌کننده",
            "تعداد کل بیماران سرطانی مشمول دستورالعمل", "هزینه‌کرد از محل ردیف (تومان)"],
           [[r["group_id"] or "", r["label"], r["seen"], r["covered"], r["spent_toman"]]
            for r in form2], money_columns={4})
    group_labels = {r["group_id"]: r["label"] for r in form2}
    _sheet(book, "فرم شماره یک", [label for _, label in PATIENT_COLUMNS],
           [[group_labels.get(p.get(key), p.get(key)) if key == "cancer_group_id"
             else _value(key, p.get(key, "")) for key, _ in PATIENT_COLUMNS]
            for p in period.patients],
           money_columns={16}, progress=progress)
    labels = {c.id: c.label for c in criteria}
    options = {c.id: {o.id: o.label for o in c.options} for c in criteria}
    order = {c.id: index for index, c in enumerate(criteria)}
    answered = sorted({k.removeprefix("answer_") for r in period.assessments for k in r
                       if k.startswith("answer_")}, key=lambda c: (order.get(c, len(order)), c))
    _sheet(book, "ارزیابی‌ها",
           ["کد ملی", "تاریخ ارزیابی", "دستورالعمل", "امتیاز کل", "سهم حمایت (درصد)",
            "ارزیاب", *(labels.get(c, c) for c in answered),
            *(f"امتیاز: {labels.get(c, c)}" for c in answered)],
           [[a["national_code"], a["assessed_on_jalali"], a["ruleset"], a["score"],
             a["coverage_percent"], a["assessor"],
             *(options.get(c, {}).get(str(a.get(f"answer_{c}", "")), a.get(f"answer_{c}", ""))
               for c in answered),
             *(a.get(f"points_{c}", "") for c in answered)] for a in period.assessments],
           progress=progress)
    _sheet(book, "هزینه‌ها",
           ["کد ملی", "تاریخ", "نوع", "دارو", "شرح", "تعداد", "مبلغ (تومان)", "در تعهد بیمه",
            "سهم (درصد)", "حمایت (تومان)", "علت نبود حمایت"],
           [[c["national_code"], c["item_date_jalali"], COST_KINDS.get(str(c["kind"]), c["kind"]),
             c["drug"], c["description"], c["quantity"], c["amount_toman"],
             "بلی" if c["under_insurance"] else "خیر", c["coverage_percent"],
             c["support_toman"],
             NO_SUPPORT_REASONS[NoSupport(c["no_support_reason"])]
             if c["no_support_reason"] else ""] for c in period.cost_items],
           money_columns={6, 9}, progress=progress)
    book.active = 0
    progress.step(0, 0, "ذخیره پرونده اکسل بسته…")
    buffer = io.BytesIO()
    book.save(buffer)
    return repack_zip(buffer.getvalue(), _fixed_times)


_W3CDTF = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _fixed_times(name: str, content: bytes) -> bytes:
    """openpyxl stamps the save time into the document properties; the package must not
    change when only the clock has."""
    if name != "docProps/core.xml":
        return content
    return _W3CDTF.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", content)



