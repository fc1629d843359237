"""The seal as Form 1 prints it, read back the way a checker would: the QR code decoded
from a 200 dpi rendering of the page, the short code from the PDF's text layer, and both
checked against the record — before and after the seal is lifted."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from cancer_desk.core.records import FormSealMark
from cancer_desk.core.seal import qr_payload
from cancer_desk.print import rtl
from cancer_desk.print.form1 import render_form1
from cancer_desk.print.layout import MARGIN, Sheet
from cancer_desk.print.seal_mark import CHECK_HINT, DRAFT_TEXT, approval_line, seal_aside
from cancer_desk.services.seals import SealStatus
from tests.builders import TODAY
from tests.print.harfbuzz_check import pdf_lines
from tests.print.pdf_reading import assert_shaped_and_printed, nfkc, render

DPI = 200
CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


def render_form1_pdf(ctx, patient_id: int, path: Path) -> Path:
    render_form1(ctx.documents.form1(patient_id, today=TODAY), path)
    return path


def page_images(path: Path) -> list:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.render(scale=DPI / 72).to_pil().convert("L") for page in pdf]
    finally:
        pdf.close()


def qr_codes(path: Path) -> list[tuple[int, object]]:
    """(page number, zxing result) of every QR code found on the rendered pages."""
    import zxingcpp

    return [(number, found) for number, image in enumerate(page_images(path), start=1)
            for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def printed_codes(path: Path) -> list[str]:
    """Short codes in the text layer, as a copy-paste or a screen reader gets them."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [code for page in pdf.pages for code in CODE.findall(page.extract_text())]


def says_draft(path: Path) -> bool:
    wanted = nfkc(rtl.visual(DRAFT_TEXT))
    return any(wanted in nfkc(line) for line in pdf_lines(path))


def test_an_approved_form1_carries_its_seal_as_a_qr_code(patient_with_everything, tmp_path):
    ctx, patient_id = patient_with_everything
    seal = ctx.seals.approve(patient_id)
    path = render_form1_pdf(ctx, patient_id, tmp_path / "sealed.pdf")
    [(_, found)] = qr_codes(path)
    assert found.text == qr_payload(seal.content_sha256)
    assert found.ec_level == "M"
    check = ctx.seals.check(found.text)
    assert check.status == SealStatus.CURRENT
    assert check.seal is not None and check.seal.patient_id == patient_id
    assert not says_draft(path)


def test_the_qr_code_is_about_24_mm_with_its_quiet_zone_clear(patient_with_everything,
                                                               tmp_path):
    ctx, patient_id = patient_with_everything
    ctx.seals.approve(patient_id)
    path = render_form1_pdf(ctx, patient_id, tmp_path / "sealed.pdf")
    [(page, found)] = qr_codes(path)
    modules = 17 + 4 * int(found.extra["Version"])
    corners = found.position
    xs = [corners.top_left.x, corners.top_right.x, corners.bottom_left.x,
          corners.bottom_right.x]
    ys = [corners.top_left.y, corners.top_right.y, corners.bottom_left.y,
          corners.bottom_right.y]
    symbol = max(xs) - min(xs)  # pixels, without the quiet zone
    module = symbol / modules
    with_quiet_zone_mm = (modules + 8) * module / DPI * 25.4
    assert 22 <= with_quiet_zone_mm <= 26
    # Four modules of white all round: nothing of the frame or the code in them.
    image = page_images(path)[page - 1]
    quiet = round(4 * module) - 2
    left, top, right, bottom = min(xs), min(ys), max(xs), max(ys)
    for box in ((left - quiet, top - quiet, left - 2, bottom + quiet),
                (right + 2, top - quiet, right + quiet, bottom + quiet),
                (left - quiet, top - quiet, right + quiet, top - 2),
                (left - quiet, bottom + 2, right + quiet, bottom + quiet)):
        assert image.crop(box).getextrema()[0] > 200, box


def test_the_printed_code_reads_back_as_typed_and_checks(patient_with_everything, tmp_path):
    ctx, patient_id = patient_with_everything
    seal = ctx.seals.approve(patient_id)
    path = render_form1_pdf(ctx, patient_id, tmp_path / "sealed.pdf")
    [code] = printed_codes(path)
    assert code == seal.code
    assert ctx.seals.check(code).status == SealStatus.CURRENT
    # On the line below the QR code, left to right, character for character.
    assert any(line.startswith(seal.code) for line in pdf_lines(path))


def test_lifting_the_seal_voids_the_printout_and_a_new_approval_prints_a_new_code(
        patient_with_everything, tmp_path):
    ctx, patient_id = patient_with_everything
    ctx.seals.approve(patient_id)
    first = render_form1_pdf(ctx, patient_id, tmp_path / "first.pdf")
    [old_code] = printed_codes(first)
    [(_, old_qr)] = qr_codes(first)

    ctx.seals.unseal(patient_id, "تعداد دفعات بستری اشتباه ثبت شده بود")
    assert ctx.seals.check(old_code).status == SealStatus.SUPERSEDED
    assert ctx.seals.check(old_qr.text).status == SealStatus.SUPERSEDED
    between = render_form1_pdf(ctx, patient_id, tmp_path / "between.pdf")
    assert says_draft(between) and qr_codes(between) == [] and printed_codes(between) == []

    state = ctx.cases.get(patient_id)
    ctx.cases.save(patient_id, replace(state.record, admissions_count=5), state.version)
    seal = ctx.seals.approve(patient_id)
    second = render_form1_pdf(ctx, patient_id, tmp_path / "second.pdf")
    [new_code] = printed_codes(second)
    [(_, new_qr)] = qr_codes(second)
    assert new_code == seal.code != old_code
    assert new_qr.text == qr_payload(seal.content_sha256) != old_qr.text
    assert ctx.seals.check(new_code).status == SealStatus.CURRENT
    assert ctx.seals.check(new_qr.text).status == SealStatus.CURRENT
    assert ctx.seals.check(old_code).status == SealStatus.SUPERSEDED


def test_a_draft_says_so_and_carries_no_code(patient_with_everything, tmp_path):
    ctx, patient_id = patient_with_everything
    path = render_form1_pdf(ctx, patient_id, tmp_path / "draft.pdf")
    assert says_draft(path)
    assert qr_codes(path) == []
    assert printed_codes(path) == []


def test_every_page_of_a_long_draft_says_draft(patient_with_everything, tmp_path):
    from cancer_desk.core.case import FamilyCancer

    ctx, patient_id = patient_with_everything
    state = ctx.cases.get(patient_id)
    many = tuple(FamilyCancer(f"سرطان شماره {n}", "بستگان دور") for n in range(60))
    ctx.cases.save(patient_id, replace(state.record, family_cancers=many), state.version)
    path = render_form1_pdf(ctx, patient_id, tmp_path / "draft.pdf")
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        pages = [nfkc(page.extract_text()) for page in pdf.pages]
    assert len(pages) >= 2
    draft = nfkc(rtl.visual("پیش‌نویس"))
    assert all(draft in page for page in pages)


def test_the_seal_strings_are_shaped_like_harfbuzz(patient_with_everything, tmp_path,
                                                   regular_font, bold_font):
    ctx, patient_id = patient_with_everything
    ctx.seals.approve(patient_id)
    path = tmp_path / "sealed.pdf"
    drawn = render(ctx, patient_id, "form1", path)
    mark = ctx.documents.form1(patient_id).seal
    assert mark is not None
    said = " ".join(text for text, _ in drawn)  # lines wrapped at spaces, joined again
    assert approval_line(mark) in said and CHECK_HINT in said
    assert_shaped_and_printed(drawn, path, regular_font, bold_font)


def test_a_sealed_form1_is_repeatable(patient_with_everything, tmp_path):
    ctx, patient_id = patient_with_everything
    ctx.seals.approve(patient_id)
    first = render_form1_pdf(ctx, patient_id, tmp_path / "a.pdf")
    second = render_form1_pdf(ctx, patient_id, tmp_path / "b.pdf")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("room", [120.0, 60.0])
def test_the_seal_moves_to_the_next_page_with_the_signatures_whole(tmp_path, room):
    """With room for the signature boxes alone but not for the taller seal band, the
    band goes to the next page in one piece; with no room at all, the same."""
    mark = FormSealMark("G3FT-918N-D3C0", "80" * 32, "مریم احمدی", dt.date(2026, 11, 25))
    path = tmp_path / "band.pdf"
    sheet = Sheet(path, title="t", running_header="ادامه")
    aside = seal_aside(sheet, mark)
    assert aside.height > 78  # taller than the signature boxes by themselves
    sheet.y = MARGIN + 14 + 8 + min(room, aside.height - 1)
    sheet.signature_boxes([("مهر و امضاء", "")], aside=aside)
    sheet.finish()
    assert sheet.page == 2
    [(page, found)] = qr_codes(path)
    assert (page, found.text) == (2, qr_payload(mark.content_sha256))
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        first, second = pdf.pages
        assert CODE.findall(second.extract_text()) == [mark.code]
        assert nfkc(rtl.visual("مهر و امضاء")) in nfkc(second.extract_text())
        assert nfkc(rtl.visual("مهر و امضاء")) not in nfkc(first.extract_text())
        assert all(c["bottom"] <= second.height - MARGIN for c in second.chars
                   if c["size"] > 7.5)
