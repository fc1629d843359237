"""Reading the spreadsheets hospitals keep: CSV (any encoding Excel saves) and XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

MAX_ROWS = 200_000


class TableReadError(ValueError):
    """The file cannot be read as a table; ``message_fa`` says why, in Persian."""

    def __init__(self, message: str, message_fa: str) -> None:
        super().__init__(message)
        self.message_fa = message_fa


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (row number in the file, cells)


def _cell_text(value: object) -> object:
    """Excel keeps numbers as floats: 499370899.0 is the code 499370899."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value  # dates and None stay as they are, for the caller to judge


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Persian Windows saves «CSV» in the Arabic code page.
        return data.decode("cp1256", errors="strict")


def _read_csv(path: Path) -> list[list[object]]:
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise TableReadError(f"{path.name}: unknown text encoding",
                             "نویسه‌های پرونده خوانا نیست؛ آن را با UTF-8 ذخیره کنید.") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(path: Path) -> list[list[object]]:
    # A damaged workbook fails in many ways (a bad zip, cut-off XML, corrupt compressed
    # data, missing parts); every one of them means the same to the person importing.
    damaged = ("پرونده اکسل خراب است یا کامل نیست؛ آن را دوباره از اکسل ذخیره کنید "
               "(xlsx).")
    try:
        from openpyxl import load_workbook  # only when a spreadsheet is read

        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise TableReadError(f"{path.name}: not a readable xlsx file ({exc})",
                             damaged) from exc
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:
        raise TableReadError(f"{path.name}: damaged xlsx ({exc})", damaged) from exc
    finally:
        book.close()


def read_table(path: Path) -> Table:
    """The first sheet (or the CSV): a header row, then the non-empty rows."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise TableReadError(f"{path}: no such file", "پرونده پیدا نشد.")
    if suffix == ".csv":
        raw = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        raw = _read_xlsx(path)
    elif suffix == ".xls":
        raise TableReadError(f"{path.name}: old .xls format",
                             "قالب قدیمی xls خوانده نمی‌شود؛ در اکسل با قالب xlsx ذخیره کنید.")
    else:
        raise TableReadError(f"{path.name}: expected .csv or .xlsx",
                             "فقط پرونده‌های csv و xlsx پذیرفته می‌شوند.")
    rows = [(number, [_cell_text(c) for c in cells])
            for number, cells in enumerate(raw, start=1)]
    rows = [(n, cells) for n, cells in rows if any(c not in (None, "") for c in cells)]
    if not rows:
        raise TableReadError(f"{path.name}: empty", "پرونده خالی است.")
    if len(rows) > MAX_ROWS:
        raise TableReadError(f"{path.name}: more than {MAX_ROWS} rows",
                             "پرونده بیش از اندازه بزرگ است.")
    header_number, header = rows[0]
    del header_number
    headers = [str(h).strip() if h is not None else "" for h in header]
    return Table(headers, rows[1:])

