"""What Form 1 prints about its approval: the director's seal — a QR code, the short
code under it and how to check them — or, until the form is approved, a mark saying it
is a draft, so that a printout is never taken for an approved form."""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import black
from reportlab.lib.units import mm

from cancer_desk import APP_NAME_FA
from cancer_desk.core.records import FormSealMark
from cancer_desk.core.seal import qr_payload
from cancer_desk.print.common import jdate
from cancer_desk.print.layout import DARK_GREY, LINE, MARGIN, PADDING, Aside, Sheet

# The symbol with its quiet zone of four modules (the width the standard asks for):
# about half a millimetre a module, which a phone camera or a 200 dpi scan reads.
QR_SIDE = 24 * mm
QR_QUIET_MODULES = 4
QR_ERROR_CORRECTION = "M"  # survives a fold or a stamp's edge over the code (15%)
CODE_SIZE = 8.5
CODE_CHAR_SPACE = 0.6  # a little air between letters read aloud over the phone
APPROVAL_SIZE = 8.0
HINT_SIZE = 7.5
SEAL_WIDTH = 220.0  # what the two signature boxes can spare and still fit their titles
CODE_MAX_WIDTH = (SEAL_WIDTH - 6) / 2 - 2 * PADDING  # the code's column at its widest

DRAFT = "پیش‌نویس"
DRAFT_TEXT = f"{DRAFT} — هنوز به تأیید رئیس بیمارستان نرسیده است"
DRAFT_SIZE = 8.0
# What the program offers: the toolbar's «بررسی برگه چاپی» (the command line has the
# same check, but a command in English on a stamped paper helps nobody who reads it).
CHECK_HINT = (f"درستی این برگه را در برنامه «{APP_NAME_FA}»، دکمه «بررسی برگه چاپی»، "
              "با این کد بسنجید")


def approval_line(mark: FormSealMark) -> str:
    # The no-break space keeps the date on the line of «در» that introduces it.
    return f"تأیید و مهر شده به دست {mark.sealed_by} در\u00a0{jdate(mark.sealed_on)}"


def draw_qr(sheet: Sheet, payload: str, left: float, bottom: float, side: float) -> None:
    widget = QrCodeWidget(payload, barLevel=QR_ERROR_CORRECTION, barBorder=QR_QUIET_MODULES,
                          barWidth=side, barHeight=side)
    drawing = Drawing(side, side)
    drawing.add(widget)
    renderPDF.draw(drawing, sheet.canvas, left, bottom)


def code_font_size(sheet: Sheet, code: str) -> float:
    """CODE_SIZE, or smaller if the code would not fit its column whole (the column
    leaves the text beside it at least half the frame)."""
    most = CODE_MAX_WIDTH
    width = sheet.latin_width(code, size=CODE_SIZE, bold=True, char_space=CODE_CHAR_SPACE)
    if width <= most:
        return CODE_SIZE
    spacing = CODE_CHAR_SPACE * max(len(code) - 1, 0)  # does not shrink with the font
    return CODE_SIZE * (most - spacing) / (width - spacing) * 0.98


def seal_aside(sheet: Sheet, mark: FormSealMark) -> Aside:
    """The seal as a framed block beside the signature boxes: the QR code and its short
    code on the left, who approved it when and how to check it on the right."""
    inner = SEAL_WIDTH - 6  # the band draws the frame 3 points inside each side
    code_size = code_font_size(sheet, mark.code)
    code_width = sheet.latin_width(mark.code, size=code_size, bold=True,
                                   char_space=CODE_CHAR_SPACE)
    column = max(QR_SIDE, code_width)
    text_width = inner - column - 3 * PADDING
    approval = sheet.wrap(approval_line(mark), text_width, size=APPROVAL_SIZE, bold=True)
    hint = sheet.wrap(CHECK_HINT, text_width, size=HINT_SIZE)
    text_height = (len(approval) * APPROVAL_SIZE * LINE + len(hint) * HINT_SIZE * LINE
                   + HINT_SIZE * 0.6)
    code_height = CODE_SIZE * LINE
    height = max(QR_SIDE + code_height, text_height) + 2 * PADDING

    def draw(left: float, bottom: float, width: float, band_height: float) -> None:
        top = bottom + band_height
        centre = left + PADDING + column / 2
        draw_qr(sheet, qr_payload(mark.content_sha256), centre - QR_SIDE / 2,
                top - PADDING - QR_SIDE, QR_SIDE)
        # One string, left to right, on a line of its own under the QR code: a code
        # split over two lines is read in the wrong order in a right-to-left page.
        sheet.latin(centre, top - PADDING - QR_SIDE - CODE_SIZE, mark.code, size=code_size,
                    bold=True, align="center", char_space=CODE_CHAR_SPACE)
        right = left + width - PADDING
        y = top - PADDING
        for line in approval:
            y -= APPROVAL_SIZE * LINE
            sheet.text(right, y, line, size=APPROVAL_SIZE, bold=True)
        y -= HINT_SIZE * 0.6
        for line in hint:
            y -= HINT_SIZE * LINE
            sheet.text(right, y, line, size=HINT_SIZE, color=DARK_GREY)

    return Aside(SEAL_WIDTH, height, draw)


def draw_draft_mark(sheet: Sheet, header_top: float, text: str = DRAFT_TEXT) -> None:
    """A framed line at the left of the header, under the print date: in the corner a
    reader looks for the date, and taking no height from the form."""
    baseline = header_top - 27
    width = sheet.width_of(text, size=DRAFT_SIZE, bold=True)
    sheet.canvas.setStrokeColor(DARK_GREY)
    sheet.canvas.setLineWidth(0.6)
    sheet.canvas.rect(MARGIN, baseline - 3.5, width + 2 * PADDING, DRAFT_SIZE * 1.6, stroke=1,
                      fill=0)
    sheet.canvas.setLineWidth(1)
    sheet.canvas.setStrokeColor(black)
    sheet.text(MARGIN + PADDING + width, baseline, text, size=DRAFT_SIZE, bold=True,
               color=DARK_GREY)
