"""Printed Persian, glyph for glyph against HarfBuzz (what Qt draws on screen)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from cancer_desk.print import rtl
from cancer_desk.print.fonts import REGULAR, register_fonts
from cancer_desk.print.layout import Sheet
from tests.print.harfbuzz_check import compare, pdf_lines, same_glyphs

ZWNJ = "\u200c"

HARD_STRINGS = [
    "سلام",                                   # joining
    "لا لاله الا بلال",                       # lam-alef ligatures
    "پژوهش چگونه گچ ژاله",                    # پ چ ژ گ
    f"می{ZWNJ}خواهم کتاب{ZWNJ}ها",             # ZWNJ breaks the join, no gap glyph
    "عبدالله و رحمت‌الله",                      # the Allah ligature, as HarfBuzz draws it
    "(سهامی خاص) [بند ۲] {الف} «نقل قول»",    # brackets mirrored
    "بیمارستان امام خمینی (ره)",
    "خانه\u0654 ما و خانۀ شما",                # heh + hamza above → ۀ
    "مُحَمَّد",                                # harakat dropped
    "کد ملی ۰۴۹۹۳۷۰۸۹۹",                      # digits after Persian
    "تاریخ ۱۴۰۳/۰۵/۲۵ ثبت شد",                # slash dates as they are
    "تلفن " + rtl.ltr("۰۹۱۲-۳۴۵-۶۷۸۹"),      # a phone kept in its order
    "قانون ردیف " + rtl.ltr("۱۱-۵۲۰۰۰۰") + " سال ۱۴۰۴",
    "جمع: ۱۲٬۵۰۰٬۰۰۰ تومان",                  # thousands separators
    "پوشش ۷۰٪ هزینه",
    "کد C50.9 پستان",                          # Latin and digits inside Persian
    "Vazirmatn فونت و ICD-10",
    "شیمی‌درمانی AC-T (۴ دوره)",
    "رژیم FOLFOX-6 (۱۲ دوره)",                 # a bracket pair after Latin (rule N0)
    "سایر: آزمایش PET-CT (نوبت ۲)",
    "ي ك ى",                                   # Arabic letters still print
    "",                                        # nothing at all
]


def logical(visual_line: str) -> str:
    """A purely Persian visual line back to reading order: reverse the characters
    first (a lam-alef ligature is one character), then undo the presentation forms."""
    return unicodedata.normalize("NFKC", visual_line[::-1])


def draw_lines(path: Path, strings: list[str]) -> None:
    register_fonts()
    canvas = Canvas(str(path))
    y = 800
    for text in strings:
        canvas.setFont(REGULAR, 13)
        canvas.drawRightString(560, y, rtl.visual(text))
        y -= 28
    canvas.save()


@pytest.mark.parametrize("text", HARD_STRINGS)
def test_printed_glyphs_equal_harfbuzz(text: str, pdf_path: Path, regular_font) -> None:
    draw_lines(pdf_path, [text])
    lines = pdf_lines(pdf_path)
    drawn = lines[0] if lines else ""
    printed, expected = compare(regular_font, drawn, text)
    assert same_glyphs(regular_font, printed, expected), (printed, expected)


def test_the_check_catches_unshaped_text(pdf_path: Path, regular_font) -> None:
    """A control: drawing the logical string as it is (what reportlab does by itself)
    must fail the comparison, or the comparison proves nothing."""
    register_fonts()
    canvas = Canvas(str(pdf_path))
    canvas.setFont(REGULAR, 13)
    canvas.drawRightString(560, 800, "پژوهش چگونه")
    canvas.save()
    printed, expected = compare(regular_font, pdf_lines(pdf_path)[0], "پژوهش چگونه")
    assert not same_glyphs(regular_font, printed, expected)


def test_the_check_catches_reordering_before_reshaping(pdf_path: Path, regular_font) -> None:
    from bidi.algorithm import get_display

    register_fonts()
    canvas = Canvas(str(pdf_path))
    canvas.setFont(REGULAR, 13)
    canvas.drawRightString(560, 800, rtl.reshape(get_display("سلام دنیا")))
    canvas.save()
    printed, expected = compare(regular_font, pdf_lines(pdf_path)[0], "سلام دنیا")
    assert not same_glyphs(regular_font, printed, expected)


def test_wrapped_lines_keep_their_order(pdf_path: Path) -> None:
    """Wrap first, reorder each line after: the first words are on the top line."""
    words = ("یک دو سه چهار پنج شش هفت هشت نه ده یازده دوازده سیزده چهارده پانزده "
             "شانزده هفده هجده نوزده بیست").split() * 3
    sheet = Sheet(pdf_path, title="t", running_header="t")
    sheet.lines([" ".join(words)])
    sheet.finish()
    lines = [logical(line) for line in pdf_lines(pdf_path)]
    lines = [line for line in lines if "صفحه" not in line]
    assert len(lines) == 1 or lines[0].split()[0] == "یک"
    seen = " ".join(lines).split()
    assert seen == words


def test_a_long_value_wraps_inside_its_box_in_order(pdf_path: Path) -> None:
    from cancer_desk.print.layout import Cell

    text = ("رژیم شیمی درمانی بسیار طولانی که باید در چند سطر داخل همان خانه بیاید و ترتیب "
            "سطرها درست بماند تا آخر")
    sheet = Sheet(pdf_path, title="t", running_header="t")
    sheet.row([Cell("رژیم", text, weight=1), Cell("دیگر", "کوتاه", weight=2)])
    sheet.finish()
    import pdfplumber

    with pdfplumber.open(str(pdf_path)) as pdf:
        page = pdf.pages[0]
        box_right = page.width - 28 - 4 + 1
        box_left = page.width - 28 - (page.width - 56) / 3
        chars = [c for c in page.chars if box_left < c["x0"] < box_right and c["top"] < 200]
    rows: dict[int, list] = {}
    for char in chars:
        rows.setdefault(round(char["top"]), []).append(char)
    assert len(rows) >= 3, "the long value did not wrap"
    assert all(c["x1"] <= box_right + 0.5 and c["x0"] >= box_left - 0.5 for c in chars)
    read = " ".join(logical("".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])))
                    for _, row in sorted(rows.items()))
    assert read.replace("رژیم:", "").split() == text.split()
