"""Figures no hub's quarter has are refused at verify, and the roll-up's sums of many
large packages cannot overflow (they are added in Python's integers)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest

from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.exchange import format as fmt
from cancer_desk.exchange.rollup import combined_form2
from cancer_desk.exchange.verify import MAX_AMOUNT, MAX_COUNT, verify_bytes
from cancer_desk.models import RollupPackage, RollupRow
from cancer_desk.services.exports import build_quarter_package
from tests.services.quarter_data import fill_quarter_hub


def _resealed(package: bytes, change) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(package))
    files = {name: archive.read(name) for name in archive.namelist()}
    data = json.loads(files[fmt.DATA_JSON])
    change(data)
    files[fmt.DATA_JSON] = fmt.package_json(data)
    for name, key in ((fmt.FORM2_CSV, "form2"), (fmt.PATIENTS_CSV, "patients"),
                      (fmt.ASSESSMENTS_CSV, "assessments"), (fmt.COST_ITEMS_CSV, "cost_items")):
        files[name] = fmt.to_csv(data[key])
    manifest = json.loads(files[fmt.MANIFEST])
    manifest["files"] = {name: {"sha256": fmt.sha256(content), "bytes": len(content)}
                         for name, content in sorted(files.items()) if name != fmt.MANIFEST}
    manifest[fmt.DIGEST_FIELD] = fmt.manifest_digest(manifest)
    return fmt.deterministic_zip({**files, fmt.MANIFEST: fmt.package_json(manifest)})


@pytest.fixture
def package(configured_context) -> bytes:
    fill_quarter_hub(configured_context)
    built, _, _ = build_quarter_package(configured_context, JalaliQuarter(1403, 4),
                                        exported_by="مریم احمدی")
    return built.data


def test_an_amount_past_the_bound_is_refused(package) -> None:
    def absurd(data: dict) -> None:
        data["cost_items"][0]["amount_toman"] = MAX_AMOUNT + 1

    report = verify_bytes(_resealed(package, absurd))
    assert [p.part for p in report.problems] == [fmt.COST_ITEMS_CSV]
    assert "out of range" in report.problems[0].message


def test_a_count_past_the_bound_is_refused(package) -> None:
    def absurd(data: dict) -> None:
        data["patients"][0]["period_cost_items"] = MAX_COUNT + 1

    report = verify_bytes(_resealed(package, absurd))
    assert not report.ok and "out of range" in report.problems[0].message


def test_the_roll_up_adds_figures_past_what_the_database_keeps(context) -> None:
    """Three hubs at 2⁶² each: the database's SUM would pass 2⁶³ and fail the query."""
    huge = 2**62
    with context.database.session_factory.begin() as session:
        for hub in (1, 2, 3):
            package = RollupPackage(
                hub_key=f"hub:{hub}", hub_number=hub, university="تهران", province="تهران",
                hospital=f"بیمارستان {hub}", year=1403, quarter=4,
                period_start=dt.date(2024, 12, 21), period_end=dt.date(2025, 3, 20),
                version=1, sha256=f"{hub:064x}", current=True, manifest={})
            package.rows = [RollupRow(group_id=1, seen=5, covered=1, spent=huge)]
            session.add(package)
    combined = combined_form2(context.database.session_factory, 1403, 4)
    assert combined[""][1].spent == 3 * huge and combined[""][1].seen == 15
    assert combined["تهران"][1].covered == 3
