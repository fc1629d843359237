"""The receiving side: ten hubs' packages merged into one roll-up, amendments, and
files that must be refused without touching what is there."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.core.settings import HubSettingsInput
from cancer_desk.exchange import format as fmt
from cancer_desk.exchange.rollup import combined_form2, hubs_in_rollup
from cancer_desk.exchange.writer import encrypt
from cancer_desk.models import RollupPackage, RollupRow
from cancer_desk.services.exports import export_quarter
from tests.builders import make_hub
from tests.exchange.old_packages import as_version_2
from tests.exchange.rollup_helpers import rollup_import
from tests.services.quarter_data import j

Q4_1403 = JalaliQuarter(1403, 4)
HUBS = range(1, 11)
# Hubs 1–10 of the reference list and their universities.
UNIVERSITIES = {"تهران": [1, 2], "شهید بهشتی": [3, 4, 5], "اصفهان": [6], "یزد": [7],
                "شیراز": [8], "مشهد": [9], "تبریز": [10]}




@pytest.fixture(scope="module")
def ten_packages(tmp_path_factory, reference) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("hubs")
    packages = {}
    for number in HUBS:
        context, _ = make_hub(folder, number, reference)
        packages[number] = export_quarter(context, Q4_1403, folder / f"hub{number}-v1.zip").path
        context.close()
    return packages


def expected_group_rows(hubs: list[int]) -> dict[int, tuple[int, int, int]]:
    """By hand: per hub, group 1 = (2, 1, 700,000 + 7,000 × hub), group 2 = (1, 0, 0),
    group 3 = (2, 1, 1,200,000); the other groups are empty, and so is the line outside
    the groups (10), summed on its own."""
    n = len(hubs)
    rows = {g: (0, 0, 0) for g in range(1, 11)}
    rows[1] = (2 * n, n, 700_000 * n + 7_000 * sum(hubs))
    rows[2] = (n, 0, 0)
    rows[3] = (2 * n, n, 1_200_000 * n)
    return rows


def as_numbers(rows) -> dict[int, tuple[int, int, int]]:
    return {g: (r.seen, r.covered, r.spent) for g, r in rows.items()}


def rollup_state(context) -> tuple[int, int, list]:
    with context.database.session_factory() as session:
        return (session.scalar(select(func.count(RollupPackage.id))),
                session.scalar(select(func.count(RollupRow.id))),
                sorted(session.execute(select(RollupPackage.sha256, RollupPackage.current))
                       .all()))


def test_ten_hubs_make_the_combined_form2(context, ten_packages) -> None:
    outcomes = rollup_import(context, list(ten_packages.values()))
    assert [o.status for o in outcomes] == ["imported"] * 10, [o.message for o in outcomes]
    combined = combined_form2(context.database.session_factory, 1403, 4)
    assert set(combined) == {*UNIVERSITIES, ""}
    for university, hubs in UNIVERSITIES.items():
        assert as_numbers(combined[university]) == expected_group_rows(hubs), university
    country = as_numbers(combined[""])
    assert country == expected_group_rows(list(HUBS))
    assert country[1] == (20, 10, 7_385_000)  # 10 × 700,000 + 7,000 × 55
    assert sum(r[2] for r in country.values()) == 19_385_000
    hubs = hubs_in_rollup(context.database.session_factory, 1403, 4)
    assert len(hubs) == 10  # two «امام خمینی» hospitals, kept apart by university
    assert combined_form2(context.database.session_factory, 1403, 3) == {"": {}}


def test_importing_the_same_packages_again_changes_nothing(context, ten_packages) -> None:
    rollup_import(context, list(ten_packages.values()))
    before = rollup_state(context)
    again = rollup_import(context, list(ten_packages.values()))
    assert [o.status for o in again] == ["unchanged"] * 10
    assert rollup_state(context) == before


def test_a_version_2_package_is_merged_like_a_new_one(context, ten_packages,
                                                     tmp_path) -> None:
    """A hub still on the program before the insured part sends version 2: it is merged
    with the same numbers (its insured stay of 500,000 got nothing either way)."""
    old = tmp_path / "hub1-format2.zip"
    old.write_bytes(as_version_2(ten_packages[1].read_bytes()))
    outcome, = rollup_import(context, [old])
    assert outcome.status == "imported", outcome.message
    [package] = hubs_in_rollup(context.database.session_factory, 1403, 4)
    assert package.manifest["format_version"] == 2
    assert as_numbers(combined_form2(context.database.session_factory, 1403, 4)[""]) == \
        expected_group_rows([1])


def test_an_encrypted_copy_is_the_same_package(context, ten_packages, tmp_path) -> None:
    sealed = tmp_path / "sealed.zip"
    sealed.write_bytes(encrypt(ten_packages[1].read_bytes(), "۱۲۳۴رمز"))
    first, = rollup_import(context, [sealed], password="۱۲۳۴رمز")
    assert first.status == "imported"
    plain, = rollup_import(context, [ten_packages[1]])
    assert plain.status == "unchanged"
    locked, = rollup_import(context, [sealed])
    assert locked.status == "refused" and "password" in locked.message


def test_an_amendment_replaces_its_earlier_version(context, ten_packages, tmp_path,
                                                   reference) -> None:
    rollup = context.database.session_factory
    rollup_import(context, list(ten_packages.values()))
    hub_context, data = make_hub(tmp_path, 3, reference)
    v1 = export_quarter(hub_context, Q4_1403, tmp_path / "v1.zip")
    assert v1.path.read_bytes() == ten_packages[3].read_bytes()  # deterministic, too
    hub_context.quarters.reopen(Q4_1403, reason="هزینه جاافتاده بیمار")
    data.add_drug("E", j(1403, 12, 30), 100_000)  # + 90,000 support in group 3
    v2 = export_quarter(hub_context, Q4_1403, tmp_path / "v2.zip")
    hub_context.close()
    assert v2.version == 2

    replaced, = rollup_import(context, [v2.path])
    assert replaced.status == "replaced" and "v2" in replaced.message
    combined = combined_form2(rollup, 1403, 4)
    assert combined["شهید بهشتی"][3].spent == 3 * 1_200_000 + 90_000
    assert combined[""][3].spent == 10 * 1_200_000 + 90_000
    assert len(hubs_in_rollup(rollup, 1403, 4)) == 10
    before = rollup_state(context)
    old, = rollup_import(context, [ten_packages[3]])
    assert (old.status, "replaced by a later version" in old.message) == ("unchanged", True)
    assert rollup_state(context) == before


def test_an_older_version_arriving_late_is_refused(context, tmp_path, reference) -> None:
    hub_context, data = make_hub(tmp_path, 7, reference)
    v1 = export_quarter(hub_context, Q4_1403, tmp_path / "v1.zip")
    hub_context.quarters.reopen(Q4_1403, reason="اصلاح هزینه")
    data.add_drug("B", j(1403, 12, 30), 10)
    hub_context.cases.save(data.ids["B"], full_case_for_b(), None)
    v2 = export_quarter(hub_context, Q4_1403, tmp_path / "v2.zip")
    hub_context.close()
    assert [o.status for o in rollup_import(context, [v2.path])] == ["imported"]
    before = rollup_state(context)
    late, = rollup_import(context, [v1.path])
    assert late.status == "refused" and "not newer" in late.message
    assert rollup_state(context) == before


def full_case_for_b():
    from tests.builders import full_case

    return dataclasses.replace(full_case(), completed_by="مددکار")


def damaged(original: bytes, kind: str) -> bytes:
    if kind == "one byte":
        at = len(original) // 3
        return original[:at] + bytes([original[at] ^ 0xFF]) + original[at + 1:]
    if kind == "truncated":
        return original[: len(original) - 100]
    if kind == "foreign":
        return fmt.deterministic_zip({"invoice.txt": "صورتحساب".encode()})
    if kind == "wrong version":
        import io
        import json
        import zipfile

        archive = zipfile.ZipFile(io.BytesIO(original))
        files = {n: archive.read(n) for n in archive.namelist()}
        manifest = json.loads(files[fmt.MANIFEST])
        manifest["format_version"] = 99
        manifest[fmt.DIGEST_FIELD] = fmt.manifest_digest(manifest)
        return fmt.deterministic_zip({**files, fmt.MANIFEST: fmt.package_json(manifest)})
    raise AssertionError(kind)


@pytest.mark.parametrize(("kind", "reason"), [
    ("one byte", "damaged"), ("truncated", "truncated"),
    ("foreign", "not a Cancer Desk quarterly package"), ("wrong version", "format version 99"),
])
def test_bad_files_are_refused_and_the_rollup_is_untouched(context, ten_packages, tmp_path,
                                                           kind, reason) -> None:
    rollup = context.database.session_factory
    rollup_import(context, [ten_packages[n] for n in (1, 2)])
    before, combined = rollup_state(context), combined_form2(rollup, 1403, 4)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(damaged(ten_packages[4].read_bytes(), kind))
    outcome, = rollup_import(context, [bad])
    assert outcome.status == "refused"
    assert reason in outcome.message
    assert rollup_state(context) == before
    assert combined_form2(rollup, 1403, 4) == combined


def test_a_missing_file_is_reported_and_the_others_still_import(context, ten_packages,
                                                                tmp_path) -> None:
    outcomes = rollup_import(context,
                            [tmp_path / "nowhere.zip", ten_packages[5]])
    assert [o.status for o in outcomes] == ["refused", "imported"]
    assert "cannot be read" in outcomes[0].message


def test_a_hub_that_retyped_its_name_is_still_one_hub(context, tmp_path, reference) -> None:
    hub_context, data = make_hub(tmp_path, 9, reference)
    v1 = export_quarter(hub_context, Q4_1403, tmp_path / "v1.zip")
    settings = hub_context.settings.get()
    hub_context.settings.save(HubSettingsInput.of(settings, hospital="بیمارستان امید مشهد"))
    hub_context.quarters.reopen(Q4_1403, reason="هزینه جاافتاده")
    data.add_drug("E", j(1403, 12, 30), 100_000)
    v2 = export_quarter(hub_context, Q4_1403, tmp_path / "v2.zip")
    hub_context.close()
    rollup = context.database.session_factory
    outcomes = rollup_import(context, [v1.path, v2.path])
    assert [o.status for o in outcomes] == ["imported", "replaced"]
    hubs = hubs_in_rollup(rollup, 1403, 4)
    assert [(h.hospital, h.version) for h in hubs] == [("بیمارستان امید مشهد", 2)]
    assert combined_form2(rollup, 1403, 4)[""][3].spent == 1_290_000
