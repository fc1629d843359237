"""What a printout says about itself: a draft Form 2 says so, the metadata names the
hospital and the document, a tick box pairs with its own option, the chosen band is
dark, and the seal's code stays whole on one line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cancer_desk.print import layout, rtl
from cancer_desk.print.assessment_sheet import render_assessment_sheet
from cancer_desk.print.form1 import render_form1
from cancer_desk.print.form2 import render_form2
from cancer_desk.print.seal_mark import CHECK_HINT
from tests.builders import TODAY
from tests.print.harfbuzz_check import pdf_lines
from tests.print.pdf_reading import nfkc, on_page

START, END = dt.date(2024, 6, 21), dt.date(2024, 9, 21)  # summer 1403




def form2_pdf(ctx, path: Path, **kwargs) -> Path:
    report = ctx.quarters.report(START, END)
    render_form2(ctx.documents.form2(report.form2, period_name="فصل ۲", **kwargs), path)
    return path


def test_form2_of_a_quarter_not_closed_says_draft_up_to_today(patient_with_everything,
                                                               tmp_path):
    ctx, _ = patient_with_everything
    path = form2_pdf(ctx, tmp_path / "draft.pdf", today=dt.date(2024, 8, 1))
    assert on_page(path, "پیش‌نویس — تا تاریخ ۱۴۰۳/۰۵/۱۱")


def test_a_draft_form2_printed_after_its_quarter_counts_up_to_the_end(patient_with_everything,
                                                                      tmp_path):
    ctx, _ = patient_with_everything
    path = form2_pdf(ctx, tmp_path / "late.pdf", today=dt.date(2025, 1, 1))
    assert on_page(path, "پیش‌نویس — تا تاریخ ۱۴۰۳/۰۶/۳۱")


def test_form2_of_a_closed_quarter_is_final(patient_with_everything, tmp_path):
    ctx, _ = patient_with_everything
    path = form2_pdf(ctx, tmp_path / "final.pdf", closed=True)
    assert on_page(path, "فرم شماره دو")
    assert not on_page(path, "پیش‌نویس")
    assert on_page(path, "خارج از گروه‌های دستورالعمل")  # its own line, under the total


def test_the_copy_a_package_carries_is_final_and_anything_else_a_draft(
        patient_with_everything):
    from cancer_desk.services.documents import form2_document

    ctx, _ = patient_with_everything
    form2 = ctx.quarters.report(START, END).form2
    # What an export renders into the package (the quarter closes with it).
    assert form2_document(ctx.settings.get(), form2).draft_until is None
    assert ctx.documents.form2(form2, today=TODAY).draft_until == min(TODAY, END)
    assert ctx.documents.form2(form2, closed=True).draft_until is None


def test_a_draft_form2_is_repeatable(patient_with_everything, tmp_path):
    ctx, _ = patient_with_everything
    first = form2_pdf(ctx, tmp_path / "a.pdf", today=TODAY)
    second = form2_pdf(ctx, tmp_path / "b.pdf", today=TODAY)
    assert first.read_bytes() == second.read_bytes()


def metadata(path: Path) -> dict:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return dict(pdf.metadata)


@pytest.mark.parametrize("kind", ["form1", "assessment_sheet", "form2"])
def test_every_document_names_itself_and_its_hospital(kind, patient_with_everything,
                                                      tmp_path):
    ctx, patient_id = patient_with_everything
    path = tmp_path / f"{kind}.pdf"
    if kind == "form2":
        form2_pdf(ctx, path, today=TODAY)
    else:
        renderer = render_form1 if kind == "form1" else render_assessment_sheet
        renderer(getattr(ctx.documents, kind)(patient_id, today=TODAY), path)
    info = metadata(path)
    hospital = ctx.settings.get().hospital
    assert info["Author"] == hospital
    assert info["Subject"] and info["Subject"] != "unspecified"
    assert info["Title"].startswith(("فرم", "برگه"))
    assert "Cancer Desk" in info["Creator"] and "میز حمایت" in info["Creator"]
    assert "anonymous" not in str(info).lower() and "unspecified" not in str(info).lower()


def test_a_tick_box_sits_on_the_right_of_its_own_option(patient_with_everything, tmp_path):
    ctx, patient_id = patient_with_everything
    texts: list[tuple[float, float, str]] = []
    boxes: list[tuple[float, float]] = []
    original_text, original_box = layout.Sheet.text, layout.Sheet._tick_box

    def text(self, x, y, value, **kwargs):
        if kwargs.get("align", "right") == "right":
            texts.append((x, y, value))
        return original_text(self, x, y, value, **kwargs)

    def box(self, x, y, chosen):
        boxes.append((x, y))
        return original_box(self, x, y, chosen)

    layout.Sheet.text, layout.Sheet._tick_box = text, box
    try:
        render_form1(ctx.documents.form1(patient_id, today=TODAY), tmp_path / "f1.pdf")
    finally:
        layout.Sheet.text, layout.Sheet._tick_box = original_text, original_box
    assert len(boxes) > 20
    for left, bottom in boxes:
        # The option's text ends (on its right edge, where Persian starts) just left of
        # the box, on the same line: the box is read first, then its own label.
        label = [t for t in texts if abs(t[1] - (bottom + 1)) < 0.01
                 and 0 < left - t[0] <= layout.BOX_GAP + 0.01]
        assert len(label) == 1, (left, bottom)


def test_the_chosen_band_is_dark_with_white_text(patient_with_everything, tmp_path):
    import pdfplumber

    ctx, patient_id = patient_with_everything
    path = tmp_path / "sheet.pdf"
    render_assessment_sheet(ctx.documents.assessment_sheet(patient_id, today=TODAY), path)
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[0]
        dark = [r for r in page.rects if r["fill"] and max(r["non_stroking_color"]) < 0.3]
        white = "".join(c["text"] for c in page.chars
                        if tuple(c["non_stroking_color"]) in ((1, 1, 1), (1,)))
    assert len(dark) == 1
    assert nfkc(rtl.visual("۷۱ تا ۸۰: ۷۰ درصد")) in nfkc(white)


def test_the_seal_code_is_drawn_whole_on_one_line(patient_with_everything, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    ctx, patient_id = patient_with_everything
    seal = ctx.seals.approve(patient_id)
    drawn: list[str] = []
    original = Canvas.drawString

    def recording(self, x, y, text, *args, **kwargs):
        drawn.append(text)
        return original(self, x, y, text, *args, **kwargs)

    Canvas.drawString = recording
    try:
        path = tmp_path / "sealed.pdf"
        render_form1(ctx.documents.form1(patient_id, today=TODAY), path)
    finally:
        Canvas.drawString = original
    assert seal.code in drawn
    assert not [t for t in drawn if t != seal.code and t and t in seal.code]
    lines = pdf_lines(path)
    assert any(seal.code in line.replace(" ", "") for line in lines)


def test_the_check_hint_is_persian_and_names_what_the_program_offers():
    assert "verify-print" not in CHECK_HINT and "cancer-desk" not in CHECK_HINT
    assert "بررسی برگه چاپی" in CHECK_HINT


def test_a_longer_code_shrinks_to_stay_whole_in_its_column(tmp_path):
    from cancer_desk.print.layout import Sheet
    from cancer_desk.print.seal_mark import (
        CODE_CHAR_SPACE,
        CODE_MAX_WIDTH,
        CODE_SIZE,
        code_font_size,
    )

    sheet = Sheet(tmp_path / "x.pdf", title="x", running_header="x")
    assert code_font_size(sheet, "ABCD-EFGH-JKLM") == CODE_SIZE
    long = "ABCD-EFGH-JKLM-NPQR-STUV"
    size = code_font_size(sheet, long)
    assert size < CODE_SIZE
    assert sheet.latin_width(long, size=size, bold=True,
                             char_space=CODE_CHAR_SPACE) <= CODE_MAX_WIDTH
