"""Nothing a file can do hurts the hospital's data or the PC: hostile files of every kind
the readers meet, each given to the program in a child process held to a memory and a
time limit. Each must be refused cleanly — exit 2, a Persian reason, no traceback —
within the budget, with the database byte for byte as it was."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from cancer_desk import paths
from tests.conftest import open_signed_in
from tests.hostile import files
from tests.hostile.child import file_digest, import_arguments, run_child

MB = files.MB


@pytest.fixture
def hospital(tmp_path: Path) -> Path:
    """A set-up hospital database, closed (the child opens it)."""
    database = tmp_path / "hospital.sqlite3"
    open_signed_in(paths.sqlite_url(database)).close()
    return database


def _refused_import(path: Path, hospital: Path, tmp_path: Path, *, seconds: float = 30):
    before = file_digest(hospital)
    outcome = run_child(import_arguments(path, hospital), tmp_path / "data", timeout=seconds)
    outcome.assert_refused_cleanly()
    assert file_digest(hospital) == before
    return outcome


# --- CSV --------------------------------------------------------------------------------

def _big_csv(path: Path, size: int) -> Path:
    block = (files.ROW * (MB // len(files.ROW.encode()))).encode()
    with path.open("wb") as out:
        out.write(files.HEADER.encode())
        for _ in range(size // len(block)):
            out.write(block)
    return path


def test_a_200_mb_csv_is_refused_at_once(hospital, tmp_path) -> None:
    outcome = _refused_import(_big_csv(tmp_path / "big.csv", 200 * MB), hospital, tmp_path)
    assert "بزرگ" in outcome.err
    assert outcome.seconds < 5 and outcome.peak_mb < 150, outcome


def test_a_csv_under_the_byte_limit_is_refused_at_its_row_limit(hospital, tmp_path) -> None:
    """60 MB of short rows: read up to row 100,001 and no further."""
    path = tmp_path / "rows.csv"
    with path.open("wb") as out:
        out.write(files.HEADER.encode())
        out.write(b"1\n" * (30 * MB))
    outcome = _refused_import(path, hospital, tmp_path)
    assert "۱۰۰٬۰۰۰ ردیف" in outcome.err
    assert outcome.peak_mb < 150, outcome


@pytest.mark.parametrize("kind", ["one long line", "one long quoted cell", "300 columns",
                                  "3 million cells", "10 MB of two-letter cells", "binary",
                                  "NULs here and there", "a million empty lines"])
def test_hostile_csvs_are_refused(hospital, tmp_path, kind) -> None:
    path = tmp_path / "hostile.csv"
    content = {
        "one long line": b"a," * (5 * MB),
        "one long quoted cell": files.HEADER.encode() + b'"' + b"x\n" * (5 * MB) + b'"\n',
        "300 columns": files.HEADER.encode() + b"1," * 300 + b"\n",
        "3 million cells": files.HEADER.encode() + (b"1," * 200 + b"\n") * 15_001,
        "10 MB of two-letter cells": files.HEADER.encode() + (b"ab," * 199 + b"ab\n") * 16_000,
        "binary": bytes(range(256)) * 40_000,
        "NULs here and there": files.HEADER.encode() + b"\0a\0b\0\0\0c,\n" * 1000,
        "a million empty lines": files.HEADER.encode() + b",,,\n" * 1_000_001,
    }[kind]
    path.write_bytes(content)
    _refused_import(path, hospital, tmp_path)


# --- XLSX -------------------------------------------------------------------------------

def test_a_sheet_claiming_the_whole_grid_costs_nothing(hospital, tmp_path) -> None:
    """5 KB saying A1:XFD1048576: the dimension is not read, and a cell far out is
    refused by the column budget."""
    body = ('<dimension ref="A1:XFD1048576"/><sheetData>'
            + files.inline_row(1, files.HEADER.strip().split(","))
            + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            + "</sheetData>")
    path = files.xlsx(tmp_path / "grid.xlsx", body)
    assert path.stat().st_size < 5_000
    outcome = _refused_import(path, hospital, tmp_path)
    assert "ستون" in outcome.err


def test_a_sheet_padded_with_whitespace_is_refused(hospital, tmp_path) -> None:
    """300 MB of spaces between the rows, honestly declared: refused before inflating."""
    path = files.xlsx(tmp_path / "padded.xlsx", b" " * MB, chunks=300)
    outcome = _refused_import(path, hospital, tmp_path)
    assert outcome.seconds < 10, outcome


def test_a_sheet_whose_header_lies_about_its_size_is_refused(hospital, tmp_path) -> None:
    path = files.xlsx(tmp_path / "padded.xlsx", b" " * MB, chunks=300)
    path.write_bytes(files.lie_about_sizes(path.read_bytes(), "xl/worksheets/sheet1.xml",
                                           10_000))
    outcome = _refused_import(path, hospital, tmp_path)
    assert "خراب" in outcome.err and outcome.seconds < 10, outcome


@pytest.mark.parametrize("kind", ["a tag padded out", "a comment padded out",
                                  "entities", "a cell too long", "not xml"])
def test_hostile_sheets_are_refused(hospital, tmp_path, kind) -> None:
    body = {
        "a tag padded out": b"<sheetData><row r=\"1\"" + b" " * (40 * MB) + b"></row>",
        "a comment padded out": b"<!--" + b"x" * (40 * MB) + b"-->",
        "entities": b"",
        "a cell too long": b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
                           + b"x" * 100_000 + b"</t></is></c></row></sheetData>",
        "not xml": b"<sheetData><row r=\"1\"><c></row>",
    }[kind]
    path = files.xlsx(tmp_path / "hostile.xlsx", body)
    if kind == "entities":  # the billion laughs
        laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i + 1} "{("&lol" + str(i) + ";") * 10}">'
                            for i in range(9)).replace("&lol0;", "&lol;")
                  + ']><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
                  '&lol9;</t></is></c></row></sheetData></worksheet>')
        import zipfile

        source = zipfile.ZipFile(path)
        parts = {n: source.read(n) for n in source.namelist()}
        source.close()
        parts["xl/worksheets/sheet1.xml"] = laughs.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    _refused_import(path, hospital, tmp_path)


def test_a_utf16_csv_without_its_mark_is_read(hospital, tmp_path) -> None:
    """Not refused: read as what it is (the other hostile tests' counterpart)."""
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes((files.HEADER + files.ROW).encode(encoding))
        outcome = run_child([*import_arguments(path, hospital), "--dry-run"],
                            tmp_path / "data")
        assert outcome.code == 0 and "ستون" not in outcome.err, outcome
        assert not path.read_bytes().startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
