"""The three printed documents: their text is there, every string is shaped as HarfBuzz
shapes it, the font is embedded, and the same data gives the same bytes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from cancer_desk.core.case import CaseRecord, FamilyCancer
from cancer_desk.core.costs import CostItemInput
from cancer_desk.print import layout, rtl
from cancer_desk.print.assessment_sheet import render_assessment_sheet
from cancer_desk.print.form1 import render_form1
from cancer_desk.print.referral import render_referral
from cancer_desk.services.documents import DocumentUnavailableError
from tests.conftest import full_answers
from tests.print.harfbuzz_check import pdf_lines, same_glyphs
from tests.services.test_patients import identity

TODAY = dt.date(2026, 11, 25)


def full_case() -> CaseRecord:
    return CaseRecord(
        diagnosis_method=1, diagnosis_date=dt.date(2024, 1, 10), stage_t="T2", stage_n="N1",
        stage_m="M0", grade="G2", treatment_intent=1, surgery=1,
        surgery_date=dt.date(2024, 2, 1), radiotherapy=2, chemotherapy=1,
        chemotherapy_date=dt.date(2024, 3, 1),
        chemotherapy_regimen="AC-T (دوکسوروبیسین، سیکلوفسفامید، سپس پاکلی‌تاکسل) "
                             "هر سه هفته، چهار دوره",
        hormone_therapy=3, received_item=2, admissions_count=4, hospital_stay_days=12,
        hospital_stay_months=0, recurrence=2, metastasis=1,
        metastasis_date=dt.date(2024, 6, 1), metastasis_site="کبد و ریه (چپ)", remission=3,
        vital_status=1, family_history=1,
        family_cancers=(FamilyCancer("پستان", "خاله"), FamilyCancer("روده بزرگ", "پدربزرگ")),
        completed_on=dt.date(2024, 7, 1), completed_by="مریم احمدی")


RENDERERS: dict[str, tuple[str, Callable]] = {
    "form1": ("form1", render_form1),
    "assessment": ("assessment_sheet", render_assessment_sheet),
    "referral": ("referral", render_referral),
}


def render(ctx, patient_id: int, kind: str, path: Path) -> list[tuple[str, bool]]:
    """Render one document; return every string drawn (logical text, bold)."""
    build, renderer = RENDERERS[kind]
    if kind == "referral":  # the costs not referred yet, or the referral made before
        made = ctx.referrals.list(patient_id)
        number = made[0].number if made else ctx.referrals.create(patient_id).number
        document = ctx.documents.referral(number)
    else:
        document = getattr(ctx.documents, build)(patient_id, today=TODAY)
    drawn: list[tuple[str, bool]] = []
    original = layout.Sheet.text

    def recording(self, x, y, text, *, size=layout.BODY, bold=False, align="right",
                  color=layout.black):
        drawn.append((text, bold))
        return original(self, x, y, text, size=size, bold=bold, align=align, color=color)

    layout.Sheet.text = recording
    try:
        renderer(document, path)
    finally:
        layout.Sheet.text = original
    return drawn


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize("kind", list(RENDERERS))
def test_every_string_is_shaped_like_harfbuzz_and_printed(kind, patient_with_everything,
                                                          tmp_path, regular_font, bold_font):
    ctx, patient_id = patient_with_everything
    path = tmp_path / f"{kind}.pdf"
    drawn = render(ctx, patient_id, kind, path)
    assert len(drawn) > 20
    assert_shaped_and_printed(drawn, path, regular_font, bold_font)


def assert_shaped_and_printed(drawn: list[tuple[str, bool]], path: Path, regular_font,
                              bold_font) -> None:
    """Each drawn string is on the page, glyph for glyph as HarfBuzz shapes it."""
    from tests.print.harfbuzz_check import compare

    lines = pdf_lines(path)
    for text, bold in drawn:
        visual = rtl.visual(text)
        if not visual.strip():
            continue
        font = bold_font if bold else regular_font
        printed, expected = compare(font, visual, text)
        assert same_glyphs(font, printed, expected), text
        # The font draws a no-break space with the space glyph, which reads back as " ".
        on_page = visual.replace("\u00a0", " ")
        assert any(on_page in line for line in lines), f"not found on the page: {text}"


@pytest.mark.parametrize(("kind", "expected"), [
    ("form1", ["زهرا", "پاکزاد", "۰۴۹۹۳۷۰۸۹۹", "فرم شماره یک", "دانشگاه علوم پزشکی و خدمات",
               "امام خمینی", "۱۴۰۲/۱۰/۲۰", "کبد و ریه (چپ)", "روده بزرگ", "پدربزرگ",
               "۱۶٬۷۰۰٬۰۰۰ تومان", "۸٬۷۵۰٬۰۰۰ تومان", "مریم احمدی", "C50.9",
               "مهر و امضاء ریاست/مدیریت بیمارستان", "معاون درمان دانشگاه/دانشکده",
               "دکتر محمود صالحی", "۰۹۱۲-۳۴۵-۶۷۸۹",
               "پیش‌نویس — هنوز به تأیید رئیس بیمارستان نرسیده است"]),
    ("assessment", ["برگه ارزیابی واجد شرایط بودن", "معتاد", "زیر ۳۰۰ هزار تومان",
                    "۷۶ از ۱۰۰", "۷۱ تا ۸۰: ۷۰ درصد", "۱۴۰۳/۰۳/۳۱", "مریم احمدی",
                    "۶ نفر (۶ نفر)", "ندارد",
                    "شاخص تعیین واجدین شرایط"]),
    ("referral", ["معرفی بیمار به حسابداری", "تراستوزوماب", "۱۲٬۵۰۰٬۰۰۰", "۸٬۷۵۰٬۰۰۰",
                  "بستری: بخش انکولوژی", "دارو در فهرست داروهای تحت پوشش نیست",
                  "در تعهد بیمه است", "امتیاز ۷۶ از ۱۰۰", "شماره: ۱", "۷۰٪"]),
])
def test_the_documents_say_what_they_must(kind, expected, patient_with_everything, tmp_path):
    ctx, patient_id = patient_with_everything
    path = tmp_path / f"{kind}.pdf"
    render(ctx, patient_id, kind, path)
    text = "\n".join(nfkc(line) for line in pdf_lines(path))
    for phrase in expected:
        assert nfkc(rtl.visual(phrase)) in text, phrase


@pytest.mark.parametrize("kind", list(RENDERERS))
def test_font_embedded_and_output_repeatable(kind, patient_with_everything, tmp_path):
    import pdfplumber

    ctx, patient_id = patient_with_everything
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render(ctx, patient_id, kind, first)
    render(ctx, patient_id, kind, second)
    data = first.read_bytes()
    assert b"/FontFile2" in data  # the TrueType font program is in the file
    with pdfplumber.open(str(first)) as pdf:
        fonts = {c["fontname"] for page in pdf.pages for c in page.chars}
    assert fonts and all("Vazirmatn" in f for f in fonts)
    assert data == second.read_bytes()


def test_form1_support_total_is_band_times_amount_outside_insurance(patient_with_everything):
    ctx, patient_id = patient_with_everything
    doc = ctx.documents.form1(patient_id)
    # drug on the formulary: 70% of 12,500,000; insured stay and unlisted drug: nothing
    assert doc.totals.total_support == 8_750_000
    assert doc.totals.total_amount == 12_500_000 + 3_400_000 + 800_000


def test_a_long_family_history_runs_onto_a_second_page(patient_with_everything, tmp_path):
    import pdfplumber

    ctx, patient_id = patient_with_everything
    many = tuple(FamilyCancer(f"سرطان شماره {n}", "بستگان دور") for n in range(120))
    state = ctx.cases.get(patient_id)
    from dataclasses import replace

    ctx.cases.save(patient_id, replace(state.record, family_cancers=many), state.version)
    path = tmp_path / "long.pdf"
    render(ctx, patient_id, "form1", path)
    with pdfplumber.open(str(path)) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:  # nothing but the page number in the bottom margin
            body = [c for c in page.chars if c["size"] > 7.5]
            assert all(c["bottom"] <= page.height - 28 for c in body)
    assert any(nfkc(rtl.visual("(ادامه)")) in nfkc(line) for line in pdf_lines(path))
    assert any(nfkc(rtl.visual("سرطان شماره 119")) in nfkc(line) for line in pdf_lines(path))


def test_documents_that_need_an_assessment_say_so(configured_context):
    patient = configured_context.patients.create(identity())
    with pytest.raises(DocumentUnavailableError) as caught:
        configured_context.documents.assessment_sheet(patient.id)
    assert "ارزیابی نشده" in caught.value.message_fa
    with pytest.raises(DocumentUnavailableError) as caught:
        configured_context.documents.referral(99)
    assert "پیدا نشد" in caught.value.message_fa
    configured_context.documents.form1(patient.id)  # Form 1 can be printed blank


def test_a_referral_carries_its_own_items_once(patient_with_everything):
    from cancer_desk.services.errors import ReferredItemError
    from cancer_desk.services.referrals import NothingToReferError

    ctx, patient_id = patient_with_everything
    first = ctx.referrals.create(patient_id)
    assert (first.number, first.items, first.total_support) == (1, 3, 8_750_000)
    with pytest.raises(NothingToReferError):
        ctx.referrals.create(patient_id)
    item = ctx.costs.list(patient_id)[0]
    with pytest.raises(ReferredItemError):
        ctx.costs.update(item.id, item.item, item.version)
    ctx.costs.add(patient_id, CostItemInput(dt.date(2024, 8, 1), "other", 100_000,
                                            description="ایاب و ذهاب"))
    second = ctx.referrals.create(patient_id)
    assert (second.number, second.items) == (2, 1)
    assert [i.item.amount for i in ctx.documents.referral(2).items] == [100_000]
    ctx.assessments.record(patient_id, full_answers(sick_children=3),
                           assessed_on=dt.date(2024, 6, 1))  # would re-band: not referred
    assert ctx.costs.list(patient_id)[0].support.amount == 8_750_000
