"""The first sheet of an .xlsx, streamed: its XML parsed as it is decompressed, each
cell handed to the table's budget as it is read.

A workbook's own account of itself is not trusted: the sheet's ``<dimension>`` (which
can claim the whole grid for a file of a few kilobytes) is not read at all, a zip
member's declared size is checked before it is opened and what it really inflates to
is counted as it is read, and the XML parser may not hold more than a little of the
file unparsed (a tag or a comment padded out to gigabytes is refused at the limit).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import posixpath
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO
from xml.parsers import expat

from cancer_desk.core.persian import format_number
from cancer_desk.services.tabular import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    TableBudget,
    TableReadError,
    check_cell_length,
    too_big,
)

MAX_SHEET_XML_BYTES = 256 * 1024 * 1024  # the sheet, inflated
MAX_PART_XML_BYTES = 32 * 1024 * 1024  # shared strings, styles, the workbook's index
MAX_UNPARSED_BYTES = 1024 * 1024  # what the XML parser may hold while a token goes on
MAX_SHARED_CHARS = 16 * 1024 * 1024
MAX_FORMAT_CODE_CHARS = 255  # Excel's own limit for a number format
_CHUNK = 64 * 1024
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Built-in number formats that are dates (ECMA-376 Part 1, 18.8.30).
_BUILTIN_DATE_FORMATS = frozenset((*range(14, 23), *range(45, 48)))

DAMAGED_FA = "پرونده اکسل خراب است یا کامل نیست؛ آن را دوباره از اکسل ذخیره کنید (xlsx)."


class _Damaged(Exception):
    """The workbook is not what an .xlsx is; said as ``DAMAGED_FA``."""


def _column_index(reference: str) -> int:
    """"B7" → 1; 0 for a reference without letters."""
    index = 0
    for char in reference:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            index = index * 26 + ord(char) - 96
        else:
            break
        if index > MAX_COLUMNS:
            return index
    return max(index - 1, 0)


class _XmlStream:
    """A zip member fed to an expat parser in chunks, with namespaces as
    ``uri local``. The member's inflated bytes are counted, and the parser may not
    sit on more than ``MAX_UNPARSED_BYTES`` of them without reaching an event."""

    def __init__(self, name: str, limit: int) -> None:
        self.name, self.limit = name, limit
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_doctype
        self.last_event = 0

    def _refuse_doctype(self, *_args: object) -> None:
        raise _Damaged("a DOCTYPE or entity declaration")

    def seen(self) -> None:
        self.last_event = self.parser.CurrentByteIndex

    def run(self, stream: IO[bytes]) -> None:
        fed = 0
        while chunk := stream.read(_CHUNK):
            fed += len(chunk)
            if fed > self.limit:
                raise too_big(self.name, f"a workbook part over {self.limit} bytes",
                              f"بخشی از پرونده اکسل باز شده بیش از "
                              f"{format_number(self.limit // (1024 * 1024))} مگابایت است")
            self.parser.Parse(chunk, False)
            if fed - self.last_event > MAX_UNPARSED_BYTES:
                raise too_big(self.name, "an XML token too long",
                              "پرونده اکسل ساختاری بیش از اندازه بلند دارد")
        self.parser.Parse(b"", True)


class _Workbook:
    """The zip, its members' sizes checked before any is opened."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.archive = zipfile.ZipFile(path)
        self.members = {info.filename: info for info in self.archive.infolist()}

    def parse(self, member: str, limit: int, start: Callable[..., None],
              text: Callable[[str], None] | None = None,
              end: Callable[[str], None] | None = None) -> None:
        info = self.members.get(member)
        if info is None:
            raise _Damaged(f"no part {member}")
        if info.file_size > limit:
            raise too_big(self.name, f"{member} declares {info.file_size} bytes",
                          f"بخشی از پرونده اکسل باز شده بیش از "
                          f"{format_number(limit // (1024 * 1024))} مگابایت است")
        xml = _XmlStream(self.name, limit)

        def on_start(tag: str, attributes: dict[str, str]) -> None:
            xml.seen()
            start(tag, attributes)

        def on_text(data: str) -> None:
            xml.seen()
            if text is not None:
                text(data)

        def on_end(tag: str) -> None:
            xml.seen()
            if end is not None:
                end(tag)

        xml.parser.StartElementHandler = on_start
        xml.parser.CharacterDataHandler = on_text
        xml.parser.EndElementHandler = on_end
        xml.parser.CommentHandler = lambda _data: xml.seen()
        with self.archive.open(info) as stream:
            xml.run(stream)

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id → (type, target member)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        found: dict[str, tuple[str, str]] = {}

        def start(tag: str, attributes: dict[str, str]) -> None:
            if tag == f"{_PACKAGE_RELATIONSHIPS} Relationship":
                target = attributes.get("Target", "")
                member = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(folder, target))
                found[attributes.get("Id", "")] = (attributes.get("Type", ""), member)

        self.parse(rels, MAX_PART_XML_BYTES, start)
        return found


def _first_sheet(book: _Workbook) -> tuple[str, dict[str, str], bool]:
    """The first sheet's member, the workbook's other parts by kind, and whether its
    dates count from 1904."""
    package = book.relationships("")
    workbook = next((m for t, m in package.values() if t.endswith("/officeDocument")),
                    "xl/workbook.xml")
    sheet_ids: list[str] = []
    date1904 = [False]

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag == f"{_MAIN} sheet":
            sheet_ids.append(attributes.get(f"{_RELATIONSHIPS} id", ""))
        elif tag == f"{_MAIN} workbookPr":
            date1904[0] = attributes.get("date1904", "0") in ("1", "true")

    book.parse(workbook, MAX_PART_XML_BYTES, start)
    relations = book.relationships(workbook)
    if not sheet_ids or sheet_ids[0] not in relations:
        raise _Damaged("no first sheet")
    parts = {kind.rsplit("/", 1)[-1]: member for kind, member in relations.values()}
    return relations[sheet_ids[0]][1], parts, date1904[0]


def _shared_strings(book: _Workbook, member: str | None) -> list[str]:
    if member is None or member not in book.members:
        return []
    strings: list[str] = []
    current: list[str] = []
    state = {"in_text": False, "phonetic": 0, "chars": 0, "this_string": 0}

    def start(tag: str, _attributes: dict[str, str]) -> None:
        if tag == f"{_MAIN} t" and not state["phonetic"]:
            state["in_text"] = True
        elif tag == f"{_MAIN} rPh":
            state["phonetic"] += 1

    def text(data: str) -> None:
        if state["in_text"]:
            state["chars"] += len(data)
            # One string may fill every cell that points at it: held to a cell's limit.
            state["this_string"] += len(data)
            check_cell_length(book.name, state["this_string"])
            if state["chars"] > MAX_SHARED_CHARS:
                raise too_big(book.name, "shared strings too long",
                              "متن‌های پرونده اکسل بیش از اندازه بلند است")
            current.append(data)

    def end(tag: str) -> None:
        if tag == f"{_MAIN} t":
            state["in_text"] = False
        elif tag == f"{_MAIN} rPh":
            state["phonetic"] -= 1
        elif tag == f"{_MAIN} si":
            strings.append("".join(current))
            current.clear()
            state["this_string"] = 0
            if len(strings) > MAX_CELLS:
                raise too_big(book.name, "too many shared strings",
                              f"بیش از {format_number(MAX_CELLS)} متن دارد")

    book.parse(member, MAX_PART_XML_BYTES, start, text, end)
    return strings


def _date_styles(book: _Workbook, member: str | None) -> set[int]:
    """The indexes of the cell styles that show a number as a date."""
    if member is None or member not in book.members:
        return set()
    from openpyxl.styles.numbers import is_date_format

    custom: dict[int, str] = {}
    styles: list[int] = []
    depth = {"cellXfs": 0}

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag == f"{_MAIN} numFmt":
            code = attributes.get("formatCode", "")
            # openpyxl's date test is quadratic in a format's length.
            if len(code) > MAX_FORMAT_CODE_CHARS:
                raise _Damaged(f"number format of {len(code)} characters")
            with contextlib.suppress(ValueError):
                custom[int(attributes.get("numFmtId", ""))] = code
        elif tag == f"{_MAIN} cellXfs":
            depth["cellXfs"] += 1
        elif tag == f"{_MAIN} xf" and depth["cellXfs"]:
            try:
                styles.append(int(attributes.get("numFmtId", "0")))
            except ValueError:
                styles.append(0)

    def end(tag: str) -> None:
        if tag == f"{_MAIN} cellXfs":
            depth["cellXfs"] -= 1

    book.parse(member, MAX_PART_XML_BYTES, start, end=end)
    date_formats = _BUILTIN_DATE_FORMATS | {format_id for format_id, code in custom.items()
                                            if is_date_format(code)}
    return {index for index, format_id in enumerate(styles) if format_id in date_formats}


class _SheetReader:
    """Cells as the sheet's XML goes past, each row handed to the budget at its end."""

    def __init__(self, book: _Workbook, budget: TableBudget, strings: list[str],
                 date_styles: set[int], date1904: bool) -> None:
        self.book, self.budget, self.strings = book, budget, strings
        self.date_styles, self.date1904 = date_styles, date1904
        self.row_number = 0
        self.cells: list[object] = []
        self.cell: dict[str, str] | None = None
        self.column = 0
        self.text: list[str] = []
        self.text_chars = 0
        self.collect = False

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == f"{_MAIN} c":
            self.cell = attributes
            self.column = _column_index(attributes.get("r", "")) if "r" in attributes \
                else len(self.cells)
            self.text.clear()
            self.text_chars = 0
        elif tag in (f"{_MAIN} v", f"{_MAIN} t") and self.cell is not None:
            self.collect = True
        elif tag == f"{_MAIN} row":
            try:
                self.row_number = int(attributes.get("r", ""))
            except ValueError:
                self.row_number += 1
            self.cells = []

    def on_text(self, data: str) -> None:
        if self.collect:
            self.text_chars += len(data)
            check_cell_length(self.book.name, self.text_chars)
            self.text.append(data)

    def end(self, tag: str) -> None:
        if tag in (f"{_MAIN} v", f"{_MAIN} t"):
            self.collect = False
        elif tag == f"{_MAIN} c" and self.cell is not None:
            value = self._value(self.cell, "".join(self.text))
            self.cell = None
            if value is None or value == "":
                return
            if self.column >= MAX_COLUMNS:
                raise too_big(self.book.name, f"more than {MAX_COLUMNS} columns",
                              f"بیش از {format_number(MAX_COLUMNS)} ستون")
            if self.column >= len(self.cells):
                self.cells.extend([None] * (self.column + 1 - len(self.cells)))
            self.cells[self.column] = value
        elif tag == f"{_MAIN} row":
            self.budget.add(self.row_number, self.cells)
            self.cells = []

    def _value(self, cell: dict[str, str], text: str) -> object:
        kind = cell.get("t", "n")
        if kind == "s":
            try:
                return self.strings[int(text)]
            except (ValueError, IndexError):
                raise _Damaged(f"shared string {text!r}") from None
        if kind in ("str", "inlineStr", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if text == "":
            return None
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(text)
            except ValueError:
                return text
        return self._number(cell, text)

    def _number(self, cell: dict[str, str], text: str) -> object:
        try:
            number: int | float = int(text) if text.lstrip("-").isdigit() else float(text)
        except ValueError:
            raise _Damaged(f"number {text!r}") from None
        try:
            style = int(cell.get("s", "0"))
        except ValueError:
            style = 0
        if style in self.date_styles:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

            try:
                return from_excel(number, CALENDAR_MAC_1904 if self.date1904
                                  else CALENDAR_WINDOWS_1900)
            except (ValueError, OverflowError):
                return number
        return number


def read_first_sheet(path: Path, budget: TableBudget) -> TableBudget:
    """The first sheet's rows into ``budget``; a damaged workbook or one past a budget
    raises :class:`TableReadError`."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise too_big(path.name, f"more than {MAX_FILE_BYTES} bytes",
                      f"بیش از {format_number(MAX_FILE_BYTES // (1024 * 1024))} مگابایت")
    try:
        book = _Workbook(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError) as exc:
        raise TableReadError(f"{path.name}: not a readable xlsx file ({exc})",
                             DAMAGED_FA) from exc
    # A damaged workbook fails in many ways (a bad zip, cut-off XML, corrupt compressed
    # data, missing parts); every one of them means the same to the person importing.
    try:
        sheet, parts, date1904 = _first_sheet(book)
        strings = _shared_strings(book, parts.get("sharedStrings"))
        date_styles = _date_styles(book, parts.get("styles"))
        reader = _SheetReader(book, budget, strings, date_styles, date1904)
        book.parse(sheet, MAX_SHEET_XML_BYTES, reader.start, reader.on_text, reader.end)
    except (_Damaged, expat.ExpatError, zipfile.BadZipFile, zlib.error, OSError,
            EOFError, NotImplementedError, RuntimeError, KeyError) as exc:
        raise TableReadError(f"{path.name}: damaged xlsx ({exc})", DAMAGED_FA) from exc
    finally:
        book.archive.close()
    return budget
