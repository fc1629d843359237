"""Reading the spreadsheets hospitals keep: CSV (any encoding Excel saves) and XLSX.

Nothing in a file is trusted to say how big it is. Both readers stream: a CSV is read
in chunks, a workbook's sheet is parsed as it is decompressed, and every row and cell
is counted against the budgets below as it arrives. A file past a budget is refused
at that moment, before the rest is read (docs/import.md lists the limits).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cancer_desk.core.persian import format_number

# A hospital's whole list fits with room to spare; past these the file is refused.
MAX_ROWS = 100_000  # data rows, the header row not counted
MAX_COLUMNS = 200
MAX_CELLS = 2_500_000  # filled cells in the whole table: 100,000 rows of the 22 columns fit
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
# All the text of all the cells: 100,000 rows of 22 columns at 29 characters a cell fit.
# A shared string of an XLSX counts once for every cell that shows it.
MAX_TEXT_CHARS = 64_000_000
MAX_FILE_BYTES = 64 * 1024 * 1024  # the file as it is on disk, CSV or XLSX
MAX_LINES = 1_000_000  # lines of a CSV, empty ones too
_CHUNK = 64 * 1024


class TableReadError(ValueError):
    """The file cannot be read as a table; ``message_fa`` says why, in Persian."""

    def __init__(self, message: str, message_fa: str) -> None:
        super().__init__(message)
        self.message_fa = message_fa


def too_big(name: str, what: str, limit_fa: str) -> TableReadError:
    return TableReadError(f"{name}: too large ({what})",
                          f"پرونده بیش از اندازه بزرگ است: {limit_fa}. فهرست را در چند "
                          "پرونده کوچک‌تر وارد کنید.")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (row number in the file, cells)


class TableBudget:
    """Counts rows and filled cells as a reader hands them over, and refuses the file
    at the first row past a budget. Empty rows are dropped here, trailing empty cells
    too: neither takes room."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: list[tuple[int, list[object]]] = []
        self.cells = 0
        self.chars = 0

    def add(self, number: int, cells: list[object]) -> None:
        cells = [_cell_text(c) for c in cells]
        while cells and cells[-1] in (None, ""):
            cells.pop()
        if not cells:
            return
        if len(cells) > MAX_COLUMNS:
            raise too_big(self.name, f"more than {MAX_COLUMNS} columns",
                          f"بیش از {format_number(MAX_COLUMNS)} ستون")
        if len(self.rows) > MAX_ROWS:  # the header and MAX_ROWS rows are in already
            raise too_big(self.name, f"more than {MAX_ROWS} rows",
                          f"بیش از {format_number(MAX_ROWS)} ردیف")
        self.cells += len(cells)
        if self.cells > MAX_CELLS:
            raise too_big(self.name, f"more than {MAX_CELLS} cells",
                          f"بیش از {format_number(MAX_CELLS)} خانه پر")
        self.chars += sum(len(c) for c in cells if isinstance(c, str))
        if self.chars > MAX_TEXT_CHARS:
            raise too_big(self.name, f"more than {MAX_TEXT_CHARS} characters of text",
                          f"بیش از {format_number(MAX_TEXT_CHARS)} نویسه متن")
        self.rows.append((number, cells))


def check_cell_length(name: str, length: int) -> None:
    if length > MAX_CELL_CHARS:
        raise too_big(name, f"a cell of more than {MAX_CELL_CHARS} characters",
                      f"خانه‌ای بیش از {format_number(MAX_CELL_CHARS)} نویسه دارد")


def _cell_text(value: object) -> object:
    """Excel keeps numbers as floats: 499370899.0 is the code 499370899."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value  # dates and None stay as they are, for the caller to judge


# --- CSV -------------------------------------------------------------------------------

_UNREADABLE_FA = "نویسه‌های پرونده خوانا نیست؛ آن را با UTF-8 ذخیره کنید."


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 saved without its byte-order mark: the commas, digits and line breaks of
    a CSV are ASCII, whose other byte is NUL, all on one side of each pair."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = head[0:pairs * 2:2].count(0)
    odd = head[1:pairs * 2:2].count(0)
    if odd >= pairs // 5 and even <= odd // 20:
        return "utf-16-le"
    if even >= pairs // 5 and odd <= even // 20:
        return "utf-16-be"
    return None


def _encodings(head: bytes, name: str) -> list[str]:
    """The encodings to try, in order, from the file's first bytes."""
    if head.startswith(codecs.BOM_UTF8):
        return ["utf-8-sig"]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ["utf-16"]
    if b"\x00" in head:
        guessed = _utf16_without_bom(head)
        if guessed is None:
            raise TableReadError(
                f"{name}: binary data or an unknown text encoding",
                "پرونده متن نیست یا با قالب UTF-16 ناشناخته‌ای ذخیره شده است؛ آن را در "
                "اکسل با «CSV UTF-8» ذخیره کنید.")
        return [guessed]
    # Persian Windows saves «CSV» in the Arabic code page.
    return ["utf-8", "cp1256"]


class _CappedReader(io.RawIOBase):
    """A binary file that refuses to be read past ``limit`` bytes."""

    def __init__(self, stream: IO[bytes], limit: int, name: str) -> None:
        self._stream, self._left, self._name = stream, limit, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._stream.read(min(len(buffer), self._left + 1))
        self._left -= len(data)
        if self._left < 0:
            raise too_big(self._name, f"more than {MAX_FILE_BYTES} bytes",
                          f"بیش از {format_number(MAX_FILE_BYTES // (1024 * 1024))} مگابایت")
        buffer[:len(data)] = data
        return len(data)


def _lines(text: IO[str], name: str) -> Iterator[str]:
    """The file's lines, none longer than a row can be, and not too many of them."""
    longest = MAX_COLUMNS * (MAX_CELL_CHARS // 8)
    for count in range(MAX_LINES + 1):
        line = text.readline(longest + 1)
        if not line:
            return
        if count == MAX_LINES:
            raise too_big(name, f"more than {MAX_LINES} lines",
                          f"بیش از {format_number(MAX_LINES)} سطر")
        if len(line) > longest:
            raise too_big(name, "a line too long", "سطری بیش از اندازه بلند دارد")
        if "\x00" in line:
            raise TableReadError(f"{name}: binary data", _UNREADABLE_FA)
        yield line


def _read_csv_as(path: Path, encoding: str, head: bytes, budget: TableBudget) -> None:
    sample = codecs.decode(head, encoding, errors="ignore")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    with path.open("rb") as raw:
        capped = io.BufferedReader(_CappedReader(raw, MAX_FILE_BYTES, path.name), _CHUNK)
        text = io.TextIOWrapper(capped, encoding=encoding, newline="")
        for number, cells in enumerate(csv.reader(_lines(text, path.name), dialect),
                                       start=1):
            budget.add(number, list(cells))


def _read_csv(path: Path, budget_for: type[TableBudget]) -> TableBudget:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise too_big(path.name, f"more than {MAX_FILE_BYTES} bytes",
                      f"بیش از {format_number(MAX_FILE_BYTES // (1024 * 1024))} مگابایت")
    with path.open("rb") as raw:
        head = raw.read(4096)
    encodings = _encodings(head, path.name)
    for encoding in encodings:
        budget = budget_for(path.name)
        try:
            _read_csv_as(path, encoding, head, budget)
            return budget
        except UnicodeDecodeError as exc:
            if encoding == encodings[-1]:
                raise TableReadError(f"{path.name}: unknown text encoding",
                                     _UNREADABLE_FA) from exc
        except csv.Error as exc:
            raise TableReadError(f"{path.name}: not readable as CSV ({exc})",
                                 "پرونده CSV خوانا نیست (خانه‌ای بیش از اندازه بلند یا "
                                 "نشانه نقل‌قول ناتمام).") from exc
    raise AssertionError("unreachable: the last encoding raises")


# --- both ------------------------------------------------------------------------------


def read_table(path: Path) -> Table:
    """The first sheet (or the CSV): a header row, then the non-empty rows."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise TableReadError(f"{path}: no such file", "پرونده پیدا نشد.")
    if suffix == ".csv":
        budget = _read_csv(path, TableBudget)
    elif suffix in (".xlsx", ".xlsm"):
        from cancer_desk.services.xlsx_reader import read_first_sheet

        budget = read_first_sheet(path, TableBudget(path.name))
    elif suffix == ".xls":
        raise TableReadError(f"{path.name}: old .xls format",
                             "قالب قدیمی xls خوانده نمی‌شود؛ در اکسل با قالب xlsx ذخیره کنید.")
    else:
        raise TableReadError(f"{path.name}: expected .csv or .xlsx",
                             "فقط پرونده‌های csv و xlsx پذیرفته می‌شوند.")
    rows = budget.rows
    if not rows:
        raise TableReadError(f"{path.name}: empty", "پرونده خالی است.")
    header = rows[0][1]
    headers = [str(h).strip() if h is not None else "" for h in header]
    return Table(headers, rows[1:])
