"""Workbooks whose shared strings or number formats are built to cost far more to read
than their size: each is refused, or read, within the memory and time budgets."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cancer_desk import paths
from cancer_desk.services.tabular import MAX_CELL_CHARS, TableReadError, read_table
from tests.conftest import open_signed_in
from tests.hostile import files
from tests.hostile.child import file_digest, import_arguments, run_child


@pytest.fixture
def hospital(tmp_path: Path) -> Path:
    database = tmp_path / "hospital.sqlite3"
    open_signed_in(paths.sqlite_url(database)).close()
    return database


def test_a_shared_string_past_the_cell_limit_is_refused(tmp_path) -> None:
    path = files.xlsx_with_parts(tmp_path / "long.xlsx", shared="a" * (MAX_CELL_CHARS + 1),
                                 rows=2, cells=3)
    assert path.stat().st_size < 5000
    with pytest.raises(TableReadError) as refused:
        read_table(path)
    assert "نویسه" in refused.value.message_fa


def test_a_shared_string_at_the_cell_limit_is_read(tmp_path) -> None:
    path = files.xlsx_with_parts(tmp_path / "long.xlsx", shared="a" * MAX_CELL_CHARS,
                                 rows=2, cells=3)
    table = read_table(path)
    assert [len(cell) for cell in table.headers] == [MAX_CELL_CHARS] * 3


def test_one_long_string_shown_in_many_cells_is_refused_within_budget(hospital,
                                                                     tmp_path) -> None:
    """Every cell's strip() would copy 32 KB: 200,000 cells would be gigabytes."""
    path = files.xlsx_with_parts(tmp_path / "amplified.xlsx",
                                 shared="a" * (MAX_CELL_CHARS - 1) + " ", rows=1000, cells=200)
    assert path.stat().st_size < 200_000
    before = file_digest(hospital)
    outcome = run_child(import_arguments(path, hospital), tmp_path / "data", timeout=60)
    outcome.assert_refused_cleanly()
    assert file_digest(hospital) == before


def test_a_number_format_of_brackets_is_read_in_linear_time(tmp_path) -> None:
    """openpyxl's date-format check is quadratic on '[[[[…'."""
    styles = ('<numFmts><numFmt numFmtId="164" formatCode="' + "[" * 60_000
              + '"/></numFmts><cellXfs>' + '<xf numFmtId="164"/>' * 4 + "</cellXfs>")
    path = files.xlsx_with_parts(tmp_path / "styles.xlsx", shared="x", rows=2, cells=1,
                                 styles=styles)
    assert path.stat().st_size < 3000
    started = time.monotonic()
    with pytest.raises(TableReadError):
        read_table(path)
    assert time.monotonic() - started < 1.0


def test_many_cell_styles_of_one_date_format_are_read(tmp_path) -> None:
    styles = ('<numFmts><numFmt numFmtId="164" formatCode="yyyy/mm/dd"/></numFmts>'
              "<cellXfs>" + '<xf numFmtId="164"/>' * 50_000 + "</cellXfs>")
    path = files.xlsx_with_parts(tmp_path / "styles.xlsx", shared="x", rows=2, cells=1,
                                 styles=styles)
    started = time.monotonic()
    assert read_table(path).headers == ["x"]
    assert time.monotonic() - started < 5.0
