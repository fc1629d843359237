"""The package's encodings: package_json byte for byte as the format defines it, and
the spreadsheet writer's parts as Excel reads them."""

from __future__ import annotations

import io
import json
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cancer_desk.exchange import format as fmt
from cancer_desk.exchange.xlsx import SpreadsheetWriter, column_letter


def library_package_json(value: object) -> bytes:
    """The format's definition (docs/quarterly-package.md), as the library writes it."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


scalars = (st.none() | st.booleans() | st.integers() | st.text()
           | st.floats(allow_nan=False) | st.sampled_from(["بلی", "کد ملی", "a\"b\\c\n"]))
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=5),
    max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(values)
def test_package_json_is_the_libraries_indented_json_byte_for_byte(value) -> None:
    assert fmt.package_json(value) == library_package_json(value)


def test_package_json_of_records_and_tuples_and_odd_keys() -> None:
    record = {"national_code": "0012345679", "score": 72, "covered": True, "note": None,
              "ratio": 0.25, "nested": {"b": [1, (2, 3)], "a": {}}, "empty": []}
    assert fmt.package_json([record, record]) == library_package_json([record, record])
    odd_keys = {2: "two", 1: {3.5: "x"}}  # not strings: left to the library
    assert fmt.package_json(odd_keys) == library_package_json(odd_keys)


def test_odd_numbers_and_an_empty_sheet_still_make_a_well_formed_spreadsheet() -> None:
    """An IntEnum, NaN, infinity, a Decimal, a huge int; a sheet with no columns."""
    import enum
    import math
    import xml.dom.minidom
    from decimal import Decimal

    class Kind(enum.IntEnum):
        DRUG = 1

    book = SpreadsheetWriter()
    book.add_sheet("اعداد", ["a", "b", "c", "d", "e", "f"],
                   [[Kind.DRUG, math.nan, math.inf, Decimal("12.50"), 10**30, -0.0]])
    book.add_sheet("بی‌ستون", [], [])
    data = book.to_bytes(title="t", creator="c")
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            xml.dom.minidom.parseString(archive.read(name))  # raises if not well formed
    assert b"<cols>" not in archive.read("xl/worksheets/sheet2.xml")
    row = [c.value for c in load_workbook(io.BytesIO(data))["اعداد"][2]]
    assert row[0] == 1 and row[3] == 12.5 and row[4] == 10**30 and row[5] == 0
    assert row[1] == "nan" and row[2] == "inf"  # no number: kept as text


def test_column_letters_run_as_excel_counts() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == \
        ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_the_spreadsheet_writer_keeps_values_styles_and_print_setup() -> None:
    book = SpreadsheetWriter()
    rows = [["0012345679", "۱۴۰۳/۰۱/۰۱", 1_500_000, "", None, "<b> & \"q\"\x01"],
            ["کد", "متن", 0, 2.5, "بلی", "بلی"]]
    book.add_sheet("برگه 'یک'", ["کد ملی", "تاریخ", "مبلغ", "عدد", "پاسخ", "متن"], rows,
                   money_columns={2})
    book.add_sheet("خالی", ["ستون"], [])
    data = book.to_bytes(title="عنوان & آزمون", creator="Cancer Desk")
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    assert book.to_bytes(title="عنوان & آزمون", creator="Cancer Desk") == data  # no clock

    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["برگه 'یک'", "خالی"]
    sheet = workbook["برگه 'یک'"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["کد ملی", "تاریخ", "مبلغ", "عدد", "پاسخ", "متن"],
        ["0012345679", "۱۴۰۳/۰۱/۰۱", 1_500_000, None, None, "<b> & \"q\""],  # \x01 dropped
        ["کد", "متن", 0, 2.5, "بلی", "بلی"]]
    assert sheet.sheet_view.rightToLeft
    assert sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet["C2"].number_format == "#,##0" and sheet["D3"].number_format == "General"
    assert sheet["A2"].alignment.horizontal == "right"
    header = sheet["A1"]
    assert header.font.b and header.alignment.wrap_text
    assert header.fill.fgColor.rgb.endswith("DDEBF7")
    assert sheet.column_dimensions["A"].width == 12  # "0012345679" and two to spare
    assert workbook.properties.title == "عنوان & آزمون"
    assert workbook.properties.created.year == 2000
    assert [[c.value for c in row] for row in workbook["خالی"].iter_rows()] == [["ستون"]]


def test_an_amendment_compares_old_cost_items_as_version_2_wrote_them() -> None:
    """A quarter closed under version 2 kept a hash of each cost item with
    `under_insurance`; an item insured wholly or not at all hashes the same way now, so
    only a partly insured one (which version 2 could not say) reads as changed."""
    from cancer_desk.core.records import PeriodData
    from cancer_desk.exchange.writer import snapshot_of

    def item(ident: int, insured: int) -> dict:
        return {"cost_item_id": ident, "amount_toman": 1000, "insured_toman": insured,
                "support_toman": 0 if insured == 1000 else 700 - insured * 7 // 10}

    def as_v2(row: dict) -> dict:
        older = {k: v for k, v in row.items() if k != "insured_toman"}
        return {**older, "under_insurance": row["insured_toman"] == 1000}

    rows = [item(1, 0), item(2, 1000), item(3, 400)]
    records = snapshot_of([], PeriodData([], [], rows))["records"]
    assert records["cost_item:1"] == fmt.sha256(fmt.package_json(as_v2(rows[0])))
    assert records["cost_item:2"] == fmt.sha256(fmt.package_json(as_v2(rows[1])))
    assert records["cost_item:3"] == fmt.sha256(fmt.package_json(rows[2]))
