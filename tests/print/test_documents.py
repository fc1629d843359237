"""The three printed documents: their text is there, every string is shaped as HarfBuzz
shapes it, the font is embedded, and the same data gives the same bytes."""

from __future__ import annotations

import datetime as dt

import pytest

from cancer_desk.core.case import FamilyCancer
from cancer_desk.core.costs import CostItemInput
from cancer_desk.print import rtl
from cancer_desk.services.documents import DocumentUnavailableError
from tests.builders import identity
from tests.conftest import full_answers
from tests.print.harfbuzz_check import pdf_lines
from tests.print.pdf_reading import RENDERERS, assert_shaped_and_printed, nfkc, render


@pytest.mark.parametrize("kind", list(RENDERERS))
def test_every_string_is_shaped_like_harfbuzz_and_printed(kind, patient_with_everything,
                                                          tmp_path, regular_font, bold_font):
    ctx, patient_id = patient_with_everything
    path = tmp_path / f"{kind}.pdf"
    drawn = render(ctx, patient_id, kind, path)
    assert len(drawn) > 20
    assert_shaped_and_printed(drawn, path, regular_font, bold_font)




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


@pytest.fixture
def with_a_partly_insured_stay(patient_with_everything):
    """And a stay of 5,000,000 on 1403/04/15, 3,000,000 of it within insurance
    obligations: 70% of the other 2,000,000 = 1,400,000."""
    ctx, patient_id = patient_with_everything
    stay = ctx.costs.add(patient_id, CostItemInput(dt.date(2024, 7, 5), "hospital_stay",
                                                   5_000_000, insured_part=3_000_000,
                                                   description="جراحی"))
    assert stay.support.amount == 1_400_000
    return ctx, patient_id


def test_form1_shows_the_insured_and_outside_totals(with_a_partly_insured_stay, tmp_path):
    """Amounts 12,500,000 + 3,400,000 + 800,000 + 5,000,000 = 21,700,000; within insurance
    3,400,000 + 3,000,000 = 6,400,000; outside 15,300,000; support 8,750,000 + 1,400,000."""
    ctx, patient_id = with_a_partly_insured_stay
    doc = ctx.documents.form1(patient_id)
    assert (doc.totals.total_amount, doc.totals.total_insured,
            doc.totals.total_outside_insurance, doc.totals.total_support) == (
        21_700_000, 6_400_000, 15_300_000, 10_150_000)
    path = tmp_path / "form1.pdf"
    render(ctx, patient_id, "form1", path)
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        assert len(pdf.pages) == 1  # the split takes no page of its own
    text = "\n".join(nfkc(line) for line in pdf_lines(path))
    for phrase in ("جمع کل هزینه", "۲۱٬۷۰۰٬۰۰۰ تومان", "در تعهد بیمه (با فرانشیز)",
                   "۶٬۴۰۰٬۰۰۰ تومان", "خارج از تعهد بیمه", "۱۵٬۳۰۰٬۰۰۰ تومان",
                   "۱۰٬۱۵۰٬۰۰۰ تومان"):
        assert nfkc(rtl.visual(phrase)) in text, phrase


def test_the_referral_has_a_column_for_the_insured_part(with_a_partly_insured_stay, tmp_path):
    ctx, patient_id = with_a_partly_insured_stay
    path = tmp_path / "referral.pdf"
    render(ctx, patient_id, "referral", path)
    lines = [nfkc(line) for line in pdf_lines(path)]
    text = "\n".join(lines)
    for phrase in ("در تعهد بیمه (تومان)", "۳٬۴۰۰٬۰۰۰", "۳٬۰۰۰٬۰۰۰", "۶٬۴۰۰٬۰۰۰",
                   "۱٬۴۰۰٬۰۰۰", "۱۰٬۱۵۰٬۰۰۰"):
        assert nfkc(rtl.visual(phrase)) in text, phrase
    assert not any(nfkc(rtl.visual(word)) in line for line in lines for word in ("بلی", "خیر"))
