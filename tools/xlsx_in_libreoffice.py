"""Open a quarterly package's spreadsheet the way a spreadsheet user would, with
LibreOffice, and check what it shows against the package's own CSV tables.

    python tools/xlsx_in_libreoffice.py PACKAGE.zip [OUTPUT_DIR]

Needs ``soffice`` (LibreOffice) on the PATH. Each sheet is converted to CSV by
LibreOffice and compared cell by cell with the machine tables (national codes keep
their leading zeros, money keeps its digits, Persian text comes back unchanged); the
whole workbook is also printed to PDF and its first pages to PNG in OUTPUT_DIR, to look
at. Exits 1 if anything differs.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from cancer_desk.exchange import format as fmt

# sheet → (package table, the package column shown in each sheet column, or None)
SHEETS = {
    "فرم شماره دو": (fmt.FORM2_CSV, ["group_id", "label", "seen", "covered", "spent_toman"]),
    "هزینه‌ها": (fmt.COST_ITEMS_CSV, ["national_code", "item_date_jalali", None, "drug",
                                     "description", "quantity", "amount_toman", None,
                                     "coverage_percent", "support_toman", None]),
}
# UTF-8, comma, double quote, every sheet to its own file, cells as shown.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def convert(xlsx: Path, target: str, out: Path) -> None:
    subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", str(out),
                    str(xlsx)], check=True, capture_output=True, timeout=300)


def main(argv: list[str]) -> int:
    if not argv or shutil.which("soffice") is None:
        print(__doc__)
        return 2
    package = zipfile.ZipFile(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    xlsx = out / "report.xlsx"
    xlsx.write_bytes(package.read(fmt.REPORT_XLSX))
    convert(xlsx, CSV_FILTER, out)
    convert(xlsx, "pdf", out)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "3",
                    str(out / "report.pdf"), str(out / "page")], check=False)
    failures = 0
    for sheet, (table, columns) in SHEETS.items():
        shown = list(csv.reader(io.StringIO((out / f"report-{sheet}.csv")
                                            .read_text(encoding="utf-8"))))[1:]
        expected = fmt.read_csv(package.read(table))
        if len(shown) != len(expected):
            print(f"{sheet}: {len(shown)} rows, the package has {len(expected)}")
            failures += 1
            continue
        for number, (cells, row) in enumerate(zip(shown, expected, strict=True), start=2):
            for cell, column in zip(cells, columns, strict=False):
                want = row[column] if column else None
                if column == "group_id" and want == "0":
                    want = ""  # the total row has no number
                if want is not None and cell.replace(",", "") != want:
                    print(f"{sheet} row {number}, {column}: shows {cell!r}, package {want!r}")
                    failures += 1
    patients = list(csv.reader(io.StringIO((out / "report-فرم شماره یک.csv")
                                           .read_text(encoding="utf-8"))))[1:]
    codes = [row["national_code"] for row in fmt.read_csv(package.read(fmt.PATIENTS_CSV))]
    if [row[0] for row in patients] != codes:
        print("فرم شماره یک: the national codes differ from patients.csv")
        failures += 1
    print(f"{'ok' if not failures else f'{failures} difference(s)'}; pictures in {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
