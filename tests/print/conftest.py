from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import RESOURCES
from tests.print.harfbuzz_check import GlyphFont


@pytest.fixture(scope="session")
def regular_font() -> GlyphFont:
    return GlyphFont(RESOURCES / "fonts" / "Vazirmatn-Regular.ttf")


@pytest.fixture(scope="session")
def bold_font() -> GlyphFont:
    return GlyphFont(RESOURCES / "fonts" / "Vazirmatn-Bold.ttf")


@pytest.fixture
def pdf_path(tmp_path: Path) -> Path:
    return tmp_path / "out.pdf"


@pytest.fixture
def patient_with_everything(configured_context):
    """A patient with an assessment, a complete Form 1 case record and three costs."""
    from cancer_desk.core.costs import CostItemInput
    from cancer_desk.services.formulary import DrugInput
    from tests.builders import full_case, identity
    from tests.conftest import full_answers

    ctx = configured_context
    patient = ctx.patients.create(identity(
        "0499370899", "زهرا", "پاکزاد", phone="09123456789", address_province="تهران",
        address_city="تهران", address_street="ولیعصر", icd10_code="C50.9"))
    ctx.assessments.record(patient.id, full_answers(),
                           assessed_on=dt.date(2024, 6, 20))
    ctx.cases.save(patient.id, full_case(), None)
    drug = ctx.formulary.save(DrugInput("تراستوزوماب", "Trastuzumab", "ویال ۴۴۰ میلی‌گرم"))
    ctx.costs.add(patient.id, CostItemInput(dt.date(2024, 7, 2), "drug", 12_500_000, 2,
                                            drug_id=drug.id, pharmacy="داروخانه هلال احمر"))
    ctx.costs.add(patient.id, CostItemInput(dt.date(2024, 7, 3), "hospital_stay", 3_400_000,
                                            insured_part=3_400_000, description="بخش انکولوژی"))
    ctx.costs.add(patient.id, CostItemInput(dt.date(2024, 7, 5), "drug", 800_000,
                                            description="داروی خارج از فهرست"))
    return ctx, patient.id
