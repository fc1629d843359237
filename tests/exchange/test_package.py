"""The quarterly package: deterministic, self-checking, and every kind of damage named."""

from __future__ import annotations

import csv
import io
import json
import struct
import zipfile

import pytest
from openpyxl import load_workbook

from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.exchange import format as fmt
from cancer_desk.exchange.verify import verify_bytes, verify_file
from cancer_desk.exchange.writer import encrypt
from cancer_desk.services.exports import build_quarter_package, export_quarter
from tests.builders import CODES, identity
from tests.conftest import full_answers
from tests.exchange.old_packages import as_version_2
from tests.services.quarter_data import EXPECTED_Q4_1403, fill_quarter_hub, j

Q4_1403 = JalaliQuarter(1403, 4)


@pytest.fixture
def package(configured_context) -> bytes:
    fill_quarter_hub(configured_context)
    built, version, new = build_quarter_package(configured_context, Q4_1403,
                                                exported_by="مریم احمدی")
    assert (version, new) == (1, True)
    return built.data


def members(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def with_manifest(files: dict[str, bytes], change) -> bytes:
    """The package with its manifest edited and its own checksum made to match again."""
    manifest = json.loads(files[fmt.MANIFEST])
    change(manifest)
    manifest[fmt.DIGEST_FIELD] = fmt.manifest_digest(manifest)
    return fmt.deterministic_zip({**files, fmt.MANIFEST: fmt.package_json(manifest)})


def flip(content: bytes, at: int) -> bytes:
    return content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1:]


def test_a_fresh_package_verifies(package, tmp_path) -> None:
    report = verify_bytes(package)
    assert report.ok, report.describe()
    manifest = report.manifest
    assert manifest["format"] == "cancer-desk-quarterly-package"
    assert manifest["format_version"] == 3
    assert manifest["period"] == {"year": 1403, "quarter": 4, "start": "2024-12-21",
                                  "end": "2025-03-20", "start_jalali": "1403/10/01",
                                  "end_jalali": "1403/12/30"}
    assert manifest["counts"] == {"patients": 5, "assessments": 2, "cost_items": 4, "seen": 5,
                                  "covered": 2}
    # D's stay of 500,000 is all within insurance obligations.
    assert manifest["sums"] == {"spent_toman": 1_900_000, "cost_toman": 2_833_333,
                                "insured_toman": 500_000}
    assert manifest["rulesets"] == ["moh-1388"]
    assert manifest["hub"]["number"] == 1 and manifest["program"]["name"]
    assert sorted(manifest["files"]) == sorted(fmt.DATA_FILES)
    assert set(members(package)) == {*fmt.DATA_FILES, fmt.MANIFEST}
    assert members(package)[fmt.FORM2_PDF].startswith(b"%PDF")
    # The closed quarter's own copy is final: no draft mark.
    assert b"/Title" in members(package)[fmt.FORM2_PDF]
    from tests.print.pdf_reading import on_page

    copy = tmp_path / "form2.pdf"
    copy.write_bytes(members(package)[fmt.FORM2_PDF])
    assert on_page(copy, "فرم شماره دو") and not on_page(copy, "پیش‌نویس")


def test_the_same_data_gives_the_same_bytes(configured_context) -> None:
    fill_quarter_hub(configured_context)
    first, _, _ = build_quarter_package(configured_context, Q4_1403, exported_by="مریم")
    second, _, _ = build_quarter_package(configured_context, Q4_1403, exported_by="مریم")
    assert first.data == second.data
    assert first.sha256 == second.sha256


def test_machine_tables_have_english_keys_iso_and_jalali_dates(package) -> None:
    files = members(package)
    form2 = list(csv.DictReader(io.StringIO(files[fmt.FORM2_CSV].decode("utf-8"))))
    assert list(form2[0]) == ["group_id", "group", "label", "seen", "covered", "spent_toman"]
    by_group = {int(r["group_id"]): (int(r["seen"]), int(r["covered"]), int(r["spent_toman"]))
                for r in form2}
    assert {g: v for g, v in by_group.items() if g and v != (0, 0, 0)} == EXPECTED_Q4_1403
    assert by_group[0] == (5, 2, 1_900_000) and form2[0]["group"] == "breast"
    patients = list(csv.DictReader(io.StringIO(files[fmt.PATIENTS_CSV].decode("utf-8"))))
    first = patients[0]
    assert first["national_code"] == "0012345679"  # sorted by code, leading zero kept
    assert (first["birth_date"], first["birth_date_jalali"]) == ("1980-01-01", "1358/10/11")
    # Form 1's relatives with cancer, in the order entered, on the patients' rows.
    assert {p["family_cancers"] for p in patients} >= {"پستان: خاله; روده بزرگ: پدربزرگ"}
    assessments = list(csv.DictReader(io.StringIO(
        files[fmt.ASSESSMENTS_CSV].decode("utf-8"))))
    assert {a["assessed_on"] for a in assessments} == {"2024-12-30", "2025-03-20"}
    assert assessments[0]["answer_income"] == "under_k300"  # the directive's option ids
    assert assessments[0]["points_income"] == "18"
    data = json.loads(files[fmt.DATA_JSON])
    assert [r["group"] for r in data["form2"][-2:]] == ["total", "outside"]
    assert [c["support_toman"] for c in data["cost_items"]] == [700_000, 900_000, 0, 300_000]


def test_the_spreadsheet_is_right_to_left_with_persian_headers(package) -> None:
    book = load_workbook(io.BytesIO(members(package)[fmt.REPORT_XLSX]))
    assert book.sheetnames == ["فرم شماره دو", "فرم شماره یک", "ارزیابی‌ها", "هزینه‌ها"]
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    form2 = book["فرم شماره دو"]
    assert [c.value for c in form2[1]] == [
        "ردیف", "نوع سرطان", "تعداد کل بیماران سرطانی مراجعه‌کننده",
        "تعداد کل بیماران سرطانی مشمول دستورالعمل", "هزینه‌کرد از محل ردیف (تومان)"]
    assert [c.value for c in form2[2]] == [1, "پستان", 2, 1, 700_000]
    assert [c.value for c in form2[11]][1:] == ["جمع کل", 5, 2, 1_900_000]
    assert form2["E2"].number_format == "#,##0"
    patients = book["فرم شماره یک"]
    assert patients["A1"].value == "کد ملی" and patients["A2"].value == "0012345679"
    group_column = [c.value for c in patients[1]].index("نوع سرطان")
    assert patients.cell(row=2, column=group_column + 1).value == "پستان"  # patient B
    sex_column = [c.value for c in patients[1]].index("جنسیت")
    assert patients.cell(row=2, column=sex_column + 1).value == "مرد"
    assessments = book["ارزیابی‌ها"]
    headers = [c.value for c in assessments[1]]
    assert headers[6] == "وضعیت سرپرست خانواده"  # the rule set's order and wording
    income = headers.index("میزان درآمد خانواده")
    assert assessments.cell(row=2, column=income + 1).value == "زیر ۳۰۰ هزار تومان"
    costs = book["هزینه‌ها"]
    assert costs["H1"].value == "در تعهد بیمه (تومان)"
    assert [c.value for c in costs["H"]][1:] == [0, 0, 500_000, 0]
    assert [c.value for c in costs["J"]][1:] == [700_000, 900_000, 0, 300_000]
    assert costs["K4"].value  # the reason for no support, in Persian
    assert book.properties.created.year == 2000  # no clock in the file


@pytest.mark.parametrize("part", fmt.DATA_FILES)
def test_one_changed_byte_in_a_file_is_named(package, part) -> None:
    files = members(package)
    tampered = fmt.deterministic_zip({**files, part: flip(files[part], len(files[part]) // 2)})
    report = verify_bytes(tampered)
    assert not report.ok
    assert [p.part for p in report.problems] == [part]
    assert "altered" in report.problems[0].message


@pytest.mark.parametrize("part", [*fmt.DATA_FILES, fmt.MANIFEST])
def test_one_flipped_byte_in_the_zip_itself_is_named(package, part) -> None:
    """Damage to the stored (compressed) bytes, as a bad disk or a cut download does."""
    archive = zipfile.ZipFile(io.BytesIO(package))
    info = archive.getinfo(part)
    name_length, extra_length = struct.unpack("<HH", package[info.header_offset + 26:
                                                             info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    report = verify_bytes(flip(package, start + info.compress_size // 2))
    assert not report.ok
    assert report.problems[0].part == part
    assert "damaged" in report.problems[0].message


def test_an_altered_manifest_is_refused_whole(package) -> None:
    files = members(package)
    manifest = json.loads(files[fmt.MANIFEST])
    manifest["sums"]["spent_toman"] = 9_900_000
    tampered = fmt.deterministic_zip({**files, fmt.MANIFEST: fmt.package_json(manifest)})
    report = verify_bytes(tampered)
    assert [(p.part, p.message) for p in report.problems] == [
        (fmt.MANIFEST, "altered: its own checksum does not match its content")]


def test_consistent_checksums_do_not_hide_numbers_that_do_not_add_up(package) -> None:
    """Someone who edits Form 2 and recomputes every checksum is still caught: the rows
    no longer add up from the patients' records."""
    files = members(package)
    data = json.loads(files[fmt.DATA_JSON])
    for row in data["form2"]:
        if row["group_id"] in (1, 0):
            row["covered"] += 1
    table = data["form2"]
    files = {**files, fmt.DATA_JSON: fmt.package_json(data), fmt.FORM2_CSV: fmt.to_csv(table)}

    def recount(manifest: dict) -> None:
        manifest["counts"]["covered"] += 1
        for name in (fmt.DATA_JSON, fmt.FORM2_CSV):
            manifest["files"][name] = {"sha256": fmt.sha256(files[name]),
                                       "bytes": len(files[name])}

    report = verify_bytes(with_manifest(files, recount))
    assert [p.part for p in report.problems] == [fmt.FORM2_CSV]
    assert "group 1" in report.problems[0].message


def test_csv_that_differs_from_the_json_is_named(package) -> None:
    files = members(package)
    patients = files[fmt.PATIENTS_CSV].replace("بیمار".encode(), "بیمر".encode(), 1)
    files = {**files, fmt.PATIENTS_CSV: patients}

    def relist(manifest: dict) -> None:
        manifest["files"][fmt.PATIENTS_CSV] = {"sha256": fmt.sha256(patients),
                                               "bytes": len(patients)}

    report = verify_bytes(with_manifest(files, relist))
    assert [(p.part, p.message) for p in report.problems] == [
        (fmt.PATIENTS_CSV, "differs from the same table in data.json")]


def test_a_file_added_or_removed_is_named(package) -> None:
    files = members(package)
    report = verify_bytes(fmt.deterministic_zip({**files, "notes.txt": b"hello"}))
    assert [p.part for p in report.problems] == ["notes.txt"]
    report = verify_bytes(fmt.deterministic_zip(
        {k: v for k, v in files.items() if k != fmt.REPORT_XLSX}))
    assert [(p.part, p.message) for p in report.problems] == [
        (fmt.REPORT_XLSX, "missing from the package")]


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_a_truncated_package_is_refused(package, cut) -> None:
    report = verify_bytes(package[:int(len(package) * cut)])
    assert [p.part for p in report.problems] == ["package"]
    assert "truncated" in report.problems[0].message


def test_foreign_and_wrong_version_files_are_refused(package) -> None:
    foreign = fmt.deterministic_zip({"readme.txt": b"not ours"})
    assert [(p.part, p.message.split(":")[0]) for p in verify_bytes(foreign).problems] == [
        (fmt.MANIFEST, "missing")]
    other_format = fmt.deterministic_zip({fmt.MANIFEST: b'{"format": "something-else"}'})
    assert "not a Cancer Desk" in verify_bytes(other_format).problems[0].message
    assert verify_bytes(b"%PDF-1.4 not a zip").problems[0].part == "package"
    unknown = fmt.FORMAT_VERSION + 1
    newer = with_manifest(members(package), lambda m: m.update(format_version=unknown))
    problem, = verify_bytes(newer).problems
    assert problem.part == fmt.MANIFEST and f"format version {unknown}" in problem.message


def test_a_password_protects_the_package(package, tmp_path) -> None:
    sealed = encrypt(package, "رمز-۱۴۰۳")
    assert b"manifest.json" in sealed and b'"format"' not in sealed  # names only
    assert "encrypted" in verify_bytes(sealed).problems[0].message
    assert "cannot decrypt" in verify_bytes(sealed, "wrong").problems[0].message
    opened = verify_bytes(sealed, "رمز-۱۴۰۳")
    assert opened.ok, opened.describe()
    assert opened.manifest == verify_bytes(package).manifest
    path = tmp_path / "sealed.zip"
    path.write_bytes(sealed)
    assert verify_file(path, "رمز-۱۴۰۳").ok
    assert verify_file(tmp_path / "nowhere.zip").problems[0].part == "package"


def test_the_written_file_is_the_package(configured_context, tmp_path) -> None:
    fill_quarter_hub(configured_context)
    target = tmp_path / "q4.zip"
    result = export_quarter(configured_context, Q4_1403, target)
    assert target.read_bytes() == result.package.data
    assert not list(tmp_path.glob("*.partial"))
    assert verify_file(target).ok


def test_problems_are_told_in_persian_too(package) -> None:
    files = members(package)
    tampered = fmt.deterministic_zip({**files, fmt.COST_ITEMS_CSV: b"x"})
    problem, = verify_bytes(tampered).problems
    assert problem.describe_fa() == ("جدول هزینه‌ها (cost_items.csv): دست‌کاری شده است: "
                                     "چکیده آن با فهرست بسته نمی‌خواند.")
    assert verify_bytes(package[:100]).describe_fa()[0].startswith("پرونده بسته: خوانده نمی‌شود")


def resealed(package: bytes, change_data=None, change_manifest=None) -> bytes:
    """The package edited by someone who knows the format: data.json and the CSVs
    rewritten from the edited data, every checksum and the manifest's digest
    recomputed. Only the numbers' agreement can give it away."""
    files = members(package)
    data = json.loads(files[fmt.DATA_JSON])
    if change_data:
        change_data(data)
    files[fmt.DATA_JSON] = fmt.package_json(data)
    if isinstance(data, dict):
        for name, key in ((fmt.FORM2_CSV, "form2"), (fmt.PATIENTS_CSV, "patients"),
                          (fmt.ASSESSMENTS_CSV, "assessments"),
                          (fmt.COST_ITEMS_CSV, "cost_items")):
            if isinstance(data.get(key), list) and all(isinstance(r, dict) for r in data[key]):
                files[name] = fmt.to_csv(data[key])

    def reseal(manifest: dict) -> None:
        manifest["files"] = {name: {"sha256": fmt.sha256(content), "bytes": len(content)}
                             for name, content in sorted(files.items())
                             if name != fmt.MANIFEST}
        if change_manifest:
            change_manifest(manifest)

    return with_manifest(files, reseal)


def by_code(data: dict, code: str) -> dict:
    return next(p for p in data["patients"] if p["national_code"] == code)


def test_resealing_unchanged_still_verifies(package) -> None:
    report = verify_bytes(resealed(package))
    assert report.ok, report.describe()


def move_support(data: dict) -> None:
    """A's 700,000 claimed by E's group instead (Form 2 rows edited to match)."""
    by_code(data, "0499370899")["period_support_toman"] = 0  # A, group 1
    by_code(data, "0499370899")["covered"] = False
    e = by_code(data, "4608968882")  # E, group 3
    e["period_support_toman"] += 700_000
    rows = {r["group_id"]: r for r in data["form2"]}
    rows[1]["covered"] -= 1
    rows[1]["spent_toman"] -= 700_000
    rows[3]["spent_toman"] += 700_000
    rows[0]["covered"] -= 1


def duplicate_row(data: dict) -> None:
    data["form2"].insert(1, dict(data["form2"][0]))


def inflate_support(data: dict) -> None:
    """A's drug «supported» at 100% instead of 70%, and everything above it to match."""
    item = data["cost_items"][0]
    assert (item["national_code"], item["support_toman"]) == ("0499370899", 700_000)
    item["support_toman"] = 1_000_000
    by_code(data, "0499370899")["period_support_toman"] = 1_000_000
    for row in data["form2"]:
        if row["group_id"] in (1, 0):
            row["spent_toman"] += 300_000


def wrongly_covered(data: dict) -> None:
    d = by_code(data, "0084575948")  # D: an insured stay, no support
    d["covered"] = True
    rows = {r["group_id"]: r for r in data["form2"]}
    rows[2]["covered"] += 1
    rows[0]["covered"] += 1


@pytest.mark.parametrize(("change_data", "change_manifest", "part", "words"), [
    (duplicate_row, None, fmt.FORM2_CSV, "once each"),
    (move_support, None, fmt.PATIENTS_CSV, "do not follow from the cost items"),
    (wrongly_covered, lambda m: m["counts"].update(covered=3), fmt.PATIENTS_CSV,
     "do not follow from the cost items"),
    (None, lambda m: m["sums"].update(cost_toman=1), fmt.MANIFEST, "sums"),
    (None, lambda m: m["period"].update(year=1404, quarter=1), fmt.MANIFEST, "1404 Q1"),
    (None, lambda m: m["period"].update(start="2025-03-21", end="2025-06-21", year=1404,
                                        quarter=1),
     fmt.ASSESSMENTS_CSV, "outside the period"),
    (lambda d: d["form2"][0].update(group_id="x"), None, fmt.FORM2_CSV, "not a whole number"),
    (lambda d: d.update(patients={"a": 1}), None, fmt.DATA_JSON, "not a list"),
    (None, lambda m: m.pop("hub"), fmt.MANIFEST, "no hub"),
    (None, lambda m: m.update(version="two"), fmt.MANIFEST, "version"),
    (None, lambda m: m["files"].update({"notes.txt": {"sha256": "0" * 64, "bytes": 1}}),
     fmt.MANIFEST, "not part of the format"),
    (None, lambda m: m.update(version=2**70), fmt.MANIFEST, "version"),
    (None, lambda m: m["hub"].update(number=0), fmt.MANIFEST, "hub number"),
    (lambda d: d["cost_items"][0].update(amount_toman=-1_000_000), None, fmt.COST_ITEMS_CSV,
     "out of range"),
    (inflate_support, lambda m: m["sums"].update(spent_toman=2_200_000), fmt.COST_ITEMS_CSV,
     "is not its amount outside insurance × its band"),
])
def test_a_resealed_package_whose_numbers_do_not_agree_is_caught(package, change_data,
                                                                 change_manifest, part, words):
    report = verify_bytes(resealed(package, change_data, change_manifest))
    assert not report.ok
    assert report.problems[0].part == part, report.describe()
    assert words in report.problems[0].message, report.describe()


def test_a_data_file_that_is_not_an_object_is_refused(package) -> None:
    report = verify_bytes(resealed(package, lambda d: d.clear() or None))
    assert not report.ok  # an empty object: no tables at all
    files = members(package)
    files[fmt.DATA_JSON] = b"[1, 2]\n"
    report = verify_bytes(resealed(fmt.deterministic_zip(files)))
    assert [p.part for p in report.problems] == [fmt.DATA_JSON]


def test_a_file_stored_twice_is_refused(package) -> None:
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a") as archive, pytest.warns(UserWarning, match="Duplicate"):
        archive.writestr(fmt.FORM2_CSV, b"group_id\n")
    report = verify_bytes(buffer.getvalue())
    assert [(p.part, p.message) for p in report.problems] == [
        (fmt.FORM2_CSV, "stored twice in the zip")]


def test_the_same_bytes_whatever_the_time_zone(configured_context, tmp_path) -> None:
    """Built by another process in another time zone, from the same database."""
    import os
    import subprocess
    import sys

    fill_quarter_hub(configured_context)
    mine, _, _ = build_quarter_package(configured_context, Q4_1403, exported_by="مریم")
    code = ("import sys\n"
            "from cancer_desk.core.jalali import JalaliQuarter\n"
            "from cancer_desk.services.exports import build_quarter_package\n"
            "from tests.conftest import open_signed_in\n"
            "ctx = open_signed_in(sys.argv[1])\n"
            "package, _, _ = build_quarter_package(ctx, JalaliQuarter(1403, 4), "
            "exported_by='مریم')\n"
            "print(package.sha256)\n")
    for zone in ("UTC", "Asia/Tehran", "America/Los_Angeles"):
        out = subprocess.run([sys.executable, "-c", code, str(configured_context.database
                                                               .engine.url)],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "TZ": zone})
        assert out.stdout.strip() == mine.sha256, zone


def drop_outside_line(data: dict) -> None:
    assert data["form2"][-1]["group_id"] == fmt.OUTSIDE_ROW_ID
    del data["form2"][-1]


def as_version_2_items(data: dict) -> None:
    """Cost items as versions 1 and 2 wrote them: under insurance or not."""
    for item in data["cost_items"]:
        insured = item.pop("insured_toman")
        assert insured in (0, item["amount_toman"])
        item["under_insurance"] = bool(insured)


def as_version_2_manifest(version: int = 2):
    def change(manifest: dict) -> None:
        del manifest["sums"]["insured_toman"]
        manifest["format_version"] = version
    return change


def test_a_partly_insured_item_travels_with_its_part(configured_context) -> None:
    """A's stay of 5,000,000 on 1403/11/01, 3,000,000 of it within insurance obligations:
    at A's 70%, support 1,400,000; the package says so and its sums add it up."""
    hub = fill_quarter_hub(configured_context)
    configured_context.costs.add(hub.ids["A"], CostItemInput(
        j(1403, 11, 1), "hospital_stay", 5_000_000, insured_part=3_000_000))
    built, _, _ = build_quarter_package(configured_context, Q4_1403, exported_by="مریم")
    report = verify_bytes(built.data)
    assert report.ok, report.describe()
    [stay] = [c for c in report.data["cost_items"] if c["amount_toman"] == 5_000_000]
    assert (stay["insured_toman"], stay["support_toman"], stay["no_support_reason"]) == (
        3_000_000, 1_400_000, "")
    assert "under_insurance" not in stay
    assert report.manifest["sums"] == {"spent_toman": 3_300_000, "cost_toman": 7_833_333,
                                       "insured_toman": 3_500_000}
    cost_csv = list(csv.DictReader(io.StringIO(
        members(built.data)[fmt.COST_ITEMS_CSV].decode("utf-8"))))
    assert [r["insured_toman"] for r in cost_csv] == ["0", "0", "3000000", "500000", "0"]


def test_a_version_2_package_is_still_read(package) -> None:
    """Version 2 said only whether an item was under insurance: yes is all of its
    amount within insurance obligations, no is none of it."""
    old = as_version_2(package)
    report = verify_bytes(old)
    assert report.ok, report.describe()
    [stay] = [c for c in report.data["cost_items"] if c["kind"] == "hospital_stay"]
    assert (stay["under_insurance"], stay["support_toman"]) == (True, 0)
    # Read as version 3 it lacks the insured part its reason needs.
    as_new = verify_bytes(resealed(package, as_version_2_items,
                                   lambda m: m["sums"].pop("insured_toman")))
    assert not as_new.ok and as_new.problems[0].part == fmt.COST_ITEMS_CSV


def test_an_insured_part_must_agree_with_the_support(package) -> None:
    """Version 3: support = band × (amount − insured part); a part changed without the
    support, or beyond the amount, is found."""
    def insure_part_of_a(data: dict) -> None:
        item = next(c for c in data["cost_items"] if c["support_toman"] == 700_000)
        item["insured_toman"] = 300_000  # 70% of the 700,000 left would be 490,000

    def insure_beyond(data: dict) -> None:
        item = next(c for c in data["cost_items"] if c["kind"] == "hospital_stay")
        item["insured_toman"] = item["amount_toman"] + 1

    def resum(manifest: dict) -> None:
        manifest["sums"]["insured_toman"] += 300_000

    changed = verify_bytes(resealed(package, insure_part_of_a, resum))
    assert not changed.ok and changed.problems[0].part == fmt.COST_ITEMS_CSV
    assert "490000" in changed.problems[0].message
    beyond = verify_bytes(resealed(package, insure_beyond, lambda m: m["sums"].update(
        insured_toman=500_001)))
    assert not beyond.ok and "insured_toman" in beyond.problems[0].message


def test_a_version_1_package_is_still_read(package) -> None:
    """Version 1 had the nine rows and the total only; version 2 adds the line outside
    the groups after the total, and must have it."""
    old = resealed(package, lambda d: (drop_outside_line(d), as_version_2_items(d)),
                   as_version_2_manifest(1))
    report = verify_bytes(old)
    assert report.ok, report.describe()
    assert [r["group_id"] for r in report.data["form2"]] == [*range(1, 10), 0]
    without = verify_bytes(resealed(package, drop_outside_line))
    assert not without.ok and without.problems[0].part == fmt.FORM2_CSV
    extra = verify_bytes(resealed(package, as_version_2_items, as_version_2_manifest(1)))
    assert not extra.ok and extra.problems[0].part == fmt.FORM2_CSV


def test_a_cancer_outside_the_groups_has_its_own_line(configured_context) -> None:
    """Patient G (thyroid, C73, outside the groups), assessed at 70% on 1403/10/01 with a
    drug of 1,000,000 on 10/05: seen, not covered, nothing spent; the nine rows and
    their total stay as worked out by hand (5, 2, 1,900,000)."""
    context = configured_context
    hub = fill_quarter_hub(context)
    g = context.patients.create(identity(CODES[6], "بیمار", "G", cancer_group_id=10,
                                         icd10_code="C73"))
    context.assessments.record(g.id, full_answers(), assessed_on=j(1403, 10, 1))
    item = context.costs.add(g.id, CostItemInput(j(1403, 10, 5), "drug", 1_000_000,
                                                 drug_id=hub.drug_id))
    assert item.support.amount == 0
    form2 = context.quarters.report(Q4_1403.start, Q4_1403.end).form2
    assert (form2.total.seen, form2.total.covered, form2.total.spent) == (5, 2, 1_900_000)
    assert form2.outside is not None and form2.outside.label == "خارج از گروه‌های دستورالعمل"
    assert (form2.outside.seen, form2.outside.covered, form2.outside.spent) == (1, 0, 0)
    built, _, _ = build_quarter_package(context, Q4_1403, exported_by="مریم احمدی")
    report = verify_bytes(built.data)
    assert report.ok, report.describe()
    rows = report.data["form2"]
    assert [r["group_id"] for r in rows] == [*range(1, 10), 0, 10]
    assert (rows[-1]["group"], rows[-1]["seen"], rows[-1]["covered"],
            rows[-1]["spent_toman"]) == ("outside", 1, 0, 0)
    assert (rows[-2]["seen"], rows[-2]["spent_toman"]) == (5, 1_900_000)
    assert report.manifest["counts"]["patients"] == 6 and report.manifest["counts"]["seen"] == 5
