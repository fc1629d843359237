"""A package's zip with more entries than the format holds is refused before its
entries cost time or memory; a few extra are still named one by one."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from cancer_desk.exchange.verify import MAX_ENTRIES, verify_bytes


def many_entries(count: int, name=lambda i: f"{i:x}") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        for i in range(count):
            archive.writestr(zipfile.ZipInfo(name(i)), b"")
    return buf.getvalue()


def test_twenty_thousand_entries_are_refused_at_once() -> None:
    data = many_entries(20_000)
    started = time.monotonic()
    report = verify_bytes(data)
    assert time.monotonic() - started < 1.0
    assert [p.part for p in report.problems] == ["package"]
    assert "entries" in report.problems[0].message


def test_one_entry_past_the_limit_is_refused_by_count() -> None:
    report = verify_bytes(many_entries(MAX_ENTRIES + 1))
    assert [p.part for p in report.problems] == ["package"]
    assert f"{MAX_ENTRIES + 1} entries" in report.problems[0].message


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_name_stored_many_times_is_named_once() -> None:
    report = verify_bytes(many_entries(20, name=lambda i: "x" if i % 2 else f"{i}"))
    assert [p.part for p in report.problems if "twice" in p.message] == ["x"]


def test_a_zip_comment_does_not_hide_the_directory_size() -> None:
    data = many_entries(20_000)
    commented = data[:-2] + (60_000).to_bytes(2, "little") + b"\0" * 60_000
    assert zipfile.ZipFile(io.BytesIO(commented)).comment
    started = time.monotonic()
    report = verify_bytes(commented)
    assert time.monotonic() - started < 1.0
    assert "entries" in report.problems[0].message
