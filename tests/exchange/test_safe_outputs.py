"""What the program writes is safe to open: no CSV cell a spreadsheet would run as a
formula (format version 3), and every file holding patients' data readable by this
account only."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import stat
import zipfile

import pytest

from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.exchange import format as fmt
from cancer_desk.exchange.verify import verify_bytes
from cancer_desk.print.form1 import render_form1
from cancer_desk.services.exports import build_quarter_package, export_quarter
from tests.exchange.old_packages import as_version_2
from tests.services.quarter_data import fill_quarter_hub

Q4_1403 = JalaliQuarter(1403, 4)
FORMULAS = ["=HYPERLINK", "+SUM", "-cmd", "@SUM", "\tleading tab", "\rleading return"]


def test_text_cells_that_start_like_a_formula_get_a_quote_numbers_do_not() -> None:
    rows = [{"text": text, "number": -5, "amount": 1_000} for text in FORMULAS]
    rows.append({"text": "علی = حسن", "number": 0, "amount": -1})
    read = fmt.read_csv(fmt.to_csv(rows))
    assert [r["text"] for r in read] == [f"'{t}" for t in FORMULAS] + ["علی = حسن"]
    assert {r["number"] for r in read} == {"-5", "0"} and read[-1]["amount"] == "-1"
    assert read == fmt.json_rows_as_csv_text(rows)  # what verify compares
    # The JSON keeps the exact text.
    assert [r["text"] for r in json.loads(fmt.package_json(rows))][:6] == FORMULAS


def test_the_comparison_of_csv_and_json_follows_the_package_s_version() -> None:
    rows = [{"name": "=HYPERLINK", "n": -5}]
    assert fmt.json_rows_as_csv_text(rows, 3) == [{"name": "'=HYPERLINK", "n": "-5"}]
    assert fmt.json_rows_as_csv_text(rows, 2) == [{"name": "=HYPERLINK", "n": "-5"}]
    assert fmt.json_rows_as_csv_text(rows, 1) == [{"name": "=HYPERLINK", "n": "-5"}]


@pytest.fixture
def hostile_names(configured_context):
    """Patient A named as an attacker would, in a filled quarter."""
    hub = fill_quarter_hub(configured_context)
    record = configured_context.patients.get(hub.ids["A"])
    configured_context.patients.update(
        record.id, dataclasses.replace(record.identity, first_name="=HYPERLINK",
                                       last_name="@SUM", father_name="+حسن"),
        record.version)
    return configured_context


def members(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def test_a_package_s_csv_is_safe_and_its_json_exact(hostile_names) -> None:
    package, _, _ = build_quarter_package(hostile_names, Q4_1403, exported_by="مریم احمدی")
    files = members(package.data)
    patients = list(csv.DictReader(io.StringIO(files[fmt.PATIENTS_CSV].decode("utf-8"))))
    a = next(p for p in patients if p["national_code"] == "0499370899")
    assert (a["first_name"], a["last_name"], a["father_name"]) == (
        "'=HYPERLINK", "'@SUM", "'+حسن")
    data = json.loads(files[fmt.DATA_JSON])
    a = next(p for p in data["patients"] if p["national_code"] == "0499370899")
    assert (a["first_name"], a["last_name"], a["father_name"]) == (
        "=HYPERLINK", "@SUM", "+حسن")
    assert package.manifest["format_version"] == 3
    report = verify_bytes(package.data)
    assert report.ok, report.describe()


def _resealed(files: dict[str, bytes], *, version: int, raw_csv: bool) -> bytes:
    """The package as a version ``version`` writer would have made it: its patients' CSV
    as it was before version 3 (the text as it is) when ``raw_csv``."""
    data = json.loads(files[fmt.DATA_JSON])
    if raw_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        columns = fmt.csv_columns(data["patients"])
        writer.writerow(columns)
        writer.writerows([fmt._cell(row.get(c), 2) for c in columns] for row in data["patients"])
        files = {**files, fmt.PATIENTS_CSV: buffer.getvalue().encode("utf-8")}
    manifest = json.loads(files[fmt.MANIFEST])
    manifest["format_version"] = version
    manifest["files"] = {name: {"sha256": fmt.sha256(content), "bytes": len(content)}
                         for name, content in sorted(files.items()) if name != fmt.MANIFEST}
    manifest[fmt.DIGEST_FIELD] = fmt.manifest_digest(manifest)
    return fmt.deterministic_zip({**files, fmt.MANIFEST: fmt.package_json(manifest)})


def test_a_version_2_package_with_formula_text_as_it_was_still_verifies(hostile_names) -> None:
    package, _, _ = build_quarter_package(hostile_names, Q4_1403, exported_by="مریم احمدی")
    files = members(package.data)
    old = verify_bytes(as_version_2(package.data))
    assert old.ok, old.describe()
    # A version 3 package must have the quote: without it the CSV is not its JSON.
    unsafe = verify_bytes(_resealed(files, version=3, raw_csv=True))
    assert [(p.part, p.message) for p in unsafe.problems] == [
        (fmt.PATIENTS_CSV, "differs from the same table in data.json")]


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX's")
def test_the_written_package_and_forms_are_private(hostile_names, tmp_path) -> None:
    old_umask = os.umask(0o022)  # what a desktop session has
    try:
        target = tmp_path / "q.zip"
        export_quarter(hostile_names, Q4_1403, target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        pdf = tmp_path / "form1.pdf"
        patient_id = hostile_names.patients.find_by_national_code("0499370899").id
        render_form1(hostile_names.documents.form1(patient_id), pdf)
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
