"""Reading back what the program printed: rendering a document, its text as a person
reads it, its pages, its signature."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

from cancer_desk.print import layout, rtl
from cancer_desk.print.assessment_sheet import render_assessment_sheet
from cancer_desk.print.form1 import render_form1
from cancer_desk.print.referral import render_referral
from tests.builders import TODAY
from tests.print.certificates import (
    trust_in,
)
from tests.print.harfbuzz_check import pdf_lines, same_glyphs

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


def printed(value: str) -> str:
    """``value`` as it reads back from the page (visual order, shaped, then NFKC)."""
    return nfkc(rtl.visual(value))


def pages(path: Path) -> list[str]:
    """Each page's text, line by line as on the paper."""
    import pdfplumber

    texts = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            lines: dict[int, list[tuple[float, str]]] = {}
            for char in page.chars:
                lines.setdefault(round(char["top"]), []).append((char["x0"], char["text"]))
            texts.append("\n".join(nfkc("".join(t for _, t in sorted(chars)))
                                   for _, chars in sorted(lines.items())))
    return texts


def signature_status(pdf: bytes, certificate):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    [embedded] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return embedded, validate_pdf_signature(embedded, trust_in(certificate))


def on_page(path: Path, phrase: str) -> bool:
    wanted = nfkc(rtl.visual(phrase))
    return any(wanted in nfkc(line) for line in pdf_lines(path))
