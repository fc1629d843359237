"""The package's spreadsheet for people: right-to-left sheets with Persian headers and
Persian option labels, in the same order as the CSV files."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Any

from cancer_desk import APP_NAME
from cancer_desk.core import case as case_fields
from cancer_desk.core.costs import COST_KINDS, NO_SUPPORT_REASONS, NoSupport
from cancer_desk.core.jalali import format_jalali
from cancer_desk.core.patient import NATIONALITY_CHOICES, SEX_CHOICES
from cancer_desk.core.progress import NO_PROGRESS, Progress
from cancer_desk.core.records import HubSettingsRecord, PeriodData, Row
from cancer_desk.core.rules import Criterion
from cancer_desk.exchange.format import FORM2_GROUP_IDS, zip_entry

HEADER_COLOUR = "DDEBF7"
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 8, 45  # in widths of a digit
FIT_TO_PAGE_COLUMNS = 25

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


# The spreadsheet is written as SpreadsheetML text directly: openpyxl makes a Python
# object per cell and hashes its style, which was 7 of the 13 seconds a quarter of
# 10,000 patients took to export (about 800,000 cells); this writer takes under one.
# The parts and their order follow ECMA-376 Part 1 (what Excel and LibreOffice read).
_SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles, as indexes into styles.xml's cellXfs below.
STYLE_PLAIN, STYLE_HEADER, STYLE_TEXT, STYLE_MONEY = 0, 1, 2, 3
MONEY_FORMAT_ID = 3  # one of the formats built into Excel: «#,##0»
_STYLES = f"""{_XML_HEADER}<styleSheet xmlns="{_SPREADSHEET_NS}">\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="3"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill>\
<fill><patternFill patternType="solid"><fgColor rgb="FF{HEADER_COLOUR}"/></patternFill></fill>\
</fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" \
applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment horizontal="right"/></xf>\
<xf numFmtId="{MONEY_FORMAT_ID}" fontId="0" fillId="0" borderId="0" xfId="0" \
applyNumberFormat="1"/>\
</cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""

# Characters XML 1.0 does not allow, even escaped (a control character pasted into a
# field must not make the whole spreadsheet unreadable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    value = _NOT_XML.sub("", value)
    if "&" in value or "<" in value or ">" in value or '"' in value:
        value = (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                 .replace('"', "&quot;"))
    return value


def _number_text(value: int | float | Decimal) -> str | None:
    """A number as a cell's value holds it; ``None`` for what is no number there (NaN,
    infinity: written as text). The base types' own repr: a subclass's (an IntEnum's
    «<Kind.DRUG: 1>») would not be a number, or even XML."""
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return float.__repr__(value) if math.isfinite(value) else None
    return format(value, "f") if value.is_finite() else None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _quoted_sheet_name(name: str) -> str:
    """A sheet's name as a formula names it: in quotes, its own quotes doubled."""
    return "'" + name.replace("'", "''") + "'"


def _column_widths(headers: list[str], rows: list[list[object]],
                   money_columns: AbstractSet[int]) -> tuple[list[int], int]:
    """Each column's width, and the lines the header row needs for its longest header."""
    widths: list[int] = []
    header_lines = 1
    for index, header in enumerate(headers):
        money = index in money_columns
        widest = max((_text_width(row[index], money) for row in rows), default=0)
        width = min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, widest + 2))
        # A long header wraps rather than widening a column of short values.
        width = max(width, min(MAX_COLUMN_WIDTH, (len(header) + 2) // 3 + 2))
        header_lines = max(header_lines, -(-(len(header) + 2) // (width - 1)))
        widths.append(width)
    return widths, header_lines


class SpreadsheetWriter:
    """Right-to-left sheets of plain values, each with a styled header row, written as
    one .xlsx. Strings go to the shared-strings table once each."""

    def __init__(self) -> None:
        self._sheets: list[tuple[str, str]] = []  # (title, worksheet XML)
        self._strings: dict[str, int] = {}

    def _string_index(self, value: str) -> int:
        index = self._strings.get(value)
        if index is None:
            index = self._strings[value] = len(self._strings)
        return index

    def add_sheet(self, title: str, headers: list[str], rows: list[list[object]],
                  money_columns: AbstractSet[int] = frozenset(),
                  progress: Progress = NO_PROGRESS) -> None:
        """One right-to-left sheet: columns as wide as their contents (within reason),
        the header wrapped on as many lines as it needs, printed landscape and one page
        wide with the header on every page. ``None`` and ``""`` leave a cell empty."""
        letters = [column_letter(i) for i in range(max(len(headers), 1))]
        widths, header_lines = _column_widths(headers, rows, money_columns)
        fit = len(headers) <= FIT_TO_PAGE_COLUMNS  # wider sheets would print unreadably small
        last = f"{letters[len(headers) - 1]}{len(rows) + 1}" if headers else "A1"
        parts = [
            f'{_XML_HEADER}<worksheet xmlns="{_SPREADSHEET_NS}" '
            f'xmlns:r="{_RELATIONSHIPS_NS}"><sheetPr>'
            f'<pageSetUpPr fitToPage="{1 if fit else 0}"/></sheetPr>'
            f'<dimension ref="A1:{last}"/>'
            '<sheetViews><sheetView rightToLeft="1" workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>',
            # <cols> holds one <col> at least, or Excel offers to repair the file.
            *(("<cols>", *(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>'
                           for i, w in enumerate(widths)), "</cols>") if widths else ()),
            '<sheetData>',
            f'<row r="1" ht="{15 * header_lines + 3}" customHeight="1">',
            *(f'<c r="{letters[i]}1" t="s" s="{STYLE_HEADER}">'
              f'<v>{self._string_index(h)}</v></c>' for i, h in enumerate(headers)),
            "</row>",
        ]
        progress.step(0, len(rows), f"نوشتن برگه «{title}» در پرونده اکسل بسته…")
        number_styles = [f'" s="{STYLE_MONEY if i in money_columns else STYLE_PLAIN}"><v>'
                         for i in range(len(headers))]
        for row_number, row in enumerate(rows, start=2):
            if row_number % 500 == 0:
                progress.step(row_number - 1, len(rows))
            parts.append(self._row_xml(row_number, row, letters, number_styles))
        parts.append(
            '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
            'header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape"'
            + (' fitToWidth="1" fitToHeight="0"' if fit else "") + "/></worksheet>")
        self._sheets.append((title, "".join(parts)))

    # Dates and codes are left-to-right runs that a right-to-left sheet would otherwise
    # push to the far side of their cells: text is aligned right.
    _TEXT_CELL = f'" t="s" s="{STYLE_TEXT}"><v>'

    def _row_xml(self, row_number: int, row: list[object], letters: list[str],
                 number_styles: list[str]) -> str:
        """One data row: numbers as numbers (styled per column), the rest as shared
        strings; empty cells left out."""
        text_cell = self._TEXT_CELL
        strings, add_string = self._strings, self._string_index
        cells = [f'<row r="{row_number}">']
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) \
                    and (number := _number_text(value)) is not None:
                cells.append(f'<c r="{letters[index]}{row_number}{number_styles[index]}'
                             f'{number}</v></c>')
                continue
            text = value if isinstance(value, str) else str(value)
            shared = strings.get(text)
            if shared is None:
                shared = add_string(text)
            cells.append(f'<c r="{letters[index]}{row_number}{text_cell}{shared}</v></c>')
        cells.append("</row>")
        return "".join(cells)

    def to_bytes(self, *, title: str, creator: str) -> bytes:
        """The whole .xlsx, with fixed times: the same sheets give the same bytes."""
        # Strings were keyed as given; they are escaped once each, here.
        shared = "".join(f"<si><t xml:space=\"preserve\">{_xml_text(s)}</t></si>"
                         for s in self._strings)
        sheets = "".join(f'<sheet name="{_xml_text(name)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, (name, _) in enumerate(self._sheets, start=1))
        # Print titles: the header row on every printed page.
        titles = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{_xml_text(_quoted_sheet_name(name))}!$1:$1</definedName>"
            for i, (name, _) in enumerate(self._sheets))
        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self._sheets) + 1))
        sheet_relations = "".join(
            f'<Relationship Id="rId{i}" Type="{_RELATIONSHIPS_NS}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(self._sheets) + 1))
        after = len(self._sheets)
        time = "2000-01-01T00:00:00Z"  # document properties must not carry the clock
        office = "application/vnd.openxmlformats-officedocument"
        files = {
            "[Content_Types].xml":
                f'{_XML_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{office}.'
                'spreadsheetml.sheet.main+xml"/>' + sheet_types +
                f'<Override PartName="/xl/styles.xml" ContentType="{office}.'
                'spreadsheetml.styles+xml"/>'
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{office}.'
                'spreadsheetml.sharedStrings+xml"/>'
                '<Override PartName="/docProps/core.xml" ContentType="application/'
                'vnd.openxmlformats-package.core-properties+xml"/>'
                f'<Override PartName="/docProps/app.xml" ContentType="{office}.'
                'extended-properties+xml"/></Types>',
            "_rels/.rels":
                f'{_XML_HEADER}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS_NS}">'
                f'<Relationship Id="rId1" Type="{_RELATIONSHIPS_NS}/officeDocument" '
                'Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/'
                '2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{_RELATIONSHIPS_NS}/extended-properties" '
                'Target="docProps/app.xml"/></Relationships>',
            "docProps/app.xml":
                f'{_XML_HEADER}<Properties xmlns="http://schemas.openxmlformats.org/'
                'officeDocument/2006/extended-properties"><Application>'
                f'{_xml_text(creator)}</Application></Properties>',
            "docProps/core.xml":
                f'{_XML_HEADER}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.'
                'org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/'
                'elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f'<dc:title>{_xml_text(title)}</dc:title>'
                f'<dc:creator>{_xml_text(creator)}</dc:creator>'
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{time}</dcterms:created>'
                f'<dcterms:modified xsi:type="dcterms:W3CDTF">{time}</dcterms:modified>'
                '</cp:coreProperties>',
            "xl/workbook.xml":
                f'{_XML_HEADER}<workbook xmlns="{_SPREADSHEET_NS}" '
                f'xmlns:r="{_RELATIONSHIPS_NS}"><bookViews><workbookView activeTab="0"/>'
                f'</bookViews><sheets>{sheets}</sheets>'
                + (f"<definedNames>{titles}</definedNames>" if titles else "")
                + "</workbook>",
            "xl/_rels/workbook.xml.rels":
                f'{_XML_HEADER}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS_NS}">'
                + sheet_relations +
                f'<Relationship Id="rId{after + 1}" Type="{_RELATIONSHIPS_NS}/styles" '
                'Target="styles.xml"/>'
                f'<Relationship Id="rId{after + 2}" Type="{_RELATIONSHIPS_NS}/sharedStrings" '
                'Target="sharedStrings.xml"/></Relationships>',
            "xl/styles.xml": _STYLES,
            "xl/sharedStrings.xml":
                f'{_XML_HEADER}<sst xmlns="{_SPREADSHEET_NS}" count="{len(self._strings)}" '
                f'uniqueCount="{len(self._strings)}">{shared}</sst>',
            **{f"xl/worksheets/sheet{i}.xml": xml
               for i, (_, xml) in enumerate(self._sheets, start=1)},
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, text in files.items():  # [Content_Types].xml first, as Excel writes it
                archive.writestr(zip_entry(name), text.encode("utf-8"))
        return buffer.getvalue()


def _value(name: str, value: object) -> object:
    if isinstance(value, bool):
        return "بلی" if value else "خیر"
    if name in CHOICE_LABELS and value not in ("", None):
        # A choice is kept as its number: an int, or its digits as text.
        return CHOICE_LABELS[name].get(int(value), value)  # type: ignore[call-overload]
    return value


def report_xlsx(form2: list[dict[str, Any]], period: PeriodData, settings: HubSettingsRecord,
                start: dt.date, end: dt.date, criteria: Sequence[Criterion] = (),
                progress: Progress = NO_PROGRESS) -> bytes:
    """``criteria``: those of the rule sets the period's assessments used, for Persian
    headers and answers (an id without one is shown as it is). ``progress`` hears of
    every few hundred rows, and may stop the work between them."""
    book = SpreadsheetWriter()
    book.add_sheet("فرم شماره دو", *_form2_sheet(form2), money_columns={4})
    book.add_sheet("فرم شماره یک", *_patients_sheet(form2, period.patients),
                   money_columns={16}, progress=progress)
    book.add_sheet("ارزیابی‌ها", *_assessments_sheet(period.assessments, criteria),
                   progress=progress)
    book.add_sheet("هزینه‌ها", *_cost_items_sheet(period.cost_items),
                   money_columns={6, 9}, progress=progress)
    progress.step(0, 0, "ذخیره پرونده اکسل بسته…")
    return book.to_bytes(
        creator=APP_NAME,
        title=f"فرم شماره دو — {settings.hospital} — {format_jalali(start)} تا "
              f"{format_jalali(end)}")


_Sheet = tuple[list[str], list[list[object]]]  # headers, rows


def _form2_sheet(form2: list[dict[str, Any]]) -> _Sheet:
    return (["ردیف", "نوع سرطان", "تعداد کل بیماران سرطانی مراجعه‌کننده",
             "تعداد کل بیماران سرطانی مشمول دستورالعمل", "هزینه‌کرد از محل ردیف (تومان)"],
            # The total and the line outside the groups are not numbered rows of the form.
            [[r["group_id"] if r["group_id"] in FORM2_GROUP_IDS else "", r["label"], r["seen"],
              r["covered"], r["spent_toman"]] for r in form2])


def _patients_sheet(form2: list[dict[str, Any]], patients: list[Row]) -> _Sheet:
    group_labels = {r["group_id"]: r["label"] for r in form2}
    return ([label for _, label in PATIENT_COLUMNS],
            [[group_labels.get(p.get(key), p.get(key)) if key == "cancer_group_id"
              else _value(key, p.get(key, "")) for key, _ in PATIENT_COLUMNS]
             for p in patients])


def _assessments_sheet(assessments: list[Row], criteria: Sequence[Criterion]) -> _Sheet:
    """The rule sets' criteria in their order and wording, then any answered criterion
    they do not have, by its id."""
    labels = {c.id: c.label for c in criteria}
    options = {c.id: {o.id: o.label for o in c.options} for c in criteria}
    order = {c.id: index for index, c in enumerate(criteria)}
    answered = sorted({k.removeprefix("answer_") for r in assessments for k in r
                       if k.startswith("answer_")}, key=lambda c: (order.get(c, len(order)), c))
    return (["کد ملی", "تاریخ ارزیابی", "دستورالعمل", "امتیاز کل", "سهم حمایت (درصد)",
             "ارزیاب", *(labels.get(c, c) for c in answered),
             *(f"امتیاز: {labels.get(c, c)}" for c in answered)],
            [[a["national_code"], a["assessed_on_jalali"], a["ruleset"], a["score"],
              a["coverage_percent"], a["assessor"],
              *(options.get(c, {}).get(str(a.get(f"answer_{c}", "")), a.get(f"answer_{c}", ""))
                for c in answered),
              *(a.get(f"points_{c}", "") for c in answered)] for a in assessments])


def _cost_items_sheet(cost_items: list[Row]) -> _Sheet:
    return (["کد ملی", "تاریخ", "نوع", "دارو", "شرح", "تعداد", "مبلغ (تومان)",
             "در تعهد بیمه (تومان)",
             "سهم (درصد)", "حمایت (تومان)", "علت نبود حمایت"],
            [[c["national_code"], c["item_date_jalali"],
              COST_KINDS.get(str(c["kind"]), c["kind"]),
              c["drug"], c["description"], c["quantity"], c["amount_toman"],
              c["insured_toman"], c["coverage_percent"],
              c["support_toman"],
              NO_SUPPORT_REASONS[NoSupport(c["no_support_reason"])]
              if c["no_support_reason"] else ""] for c in cost_items])
