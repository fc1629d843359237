"""A small right-to-left layout for A4 forms: rows of boxed cells that grow to fit.

Every printed document is made of a header, section titles, rows of cells (a label
and a value, or a label and its options with the chosen one marked) and signature
boxes. Cells wrap long values inside their box, in the right line order; a row that
does not fit on the page moves to the next page under a short running header.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from cancer_desk import APP_NAME, APP_NAME_FA, __version__
from cancer_desk.paths import keep_private
from cancer_desk.print import rtl
from cancer_desk.print.fonts import BOLD, REGULAR, register_fonts, string_width

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 28.0
PADDING = 4.0
LINE = 1.45  # line height as a multiple of the font size
BODY = 9.0
LABEL = 8.5
GREY = Color(0.93, 0.93, 0.93)
DARK_GREY = Color(0.35, 0.35, 0.35)
DARK = Color(0.18, 0.18, 0.18)  # a chosen cell: dark fill, white bold text
BOX = 7.0  # side of an option's tick box
BOX_GAP = 2.5  # between a tick box and its label


# A cell's drawing, given its left and right edges and its top.
_Draw = Callable[[float, float, float], None]


@dataclass
class Cell:
    """One box of a row. ``weight`` is its share of the row's width.

    ``options``: (label, chosen) pairs, each tick box on the right of its own label (read
    first, right to left); a pair whose ``chosen`` is ``None`` is plain text among them (a
    date after «بلی»).
    ``heading``: a shaded cell with bold text, for table headers.
    ``dark``: a dark cell with white bold text, the one chosen among its row.
    """

    label: str = ""
    value: str = ""
    weight: float = 1.0
    options: Sequence[tuple[str, bool | None]] = field(default_factory=tuple)
    heading: bool = False
    align: str = "right"  # or "center", for numbers in tables
    min_height: float = 0.0
    dark: bool = False


@dataclass(frozen=True)
class Aside:
    """A framed block at the left end of the signature band (the seal of an approved
    form), kept on the page of the signatures it belongs with.

    ``draw(left, bottom, width, height)`` draws the inside of its frame; the band is as
    tall as the taller of the boxes and ``height``.
    """

    width: float
    height: float
    draw: Callable[[float, float, float, float], None]


class Sheet:
    def __init__(self, target: Path | BinaryIO, *, title: str, running_header: str,
                 subject: str = "", author: str = "") -> None:
        """``subject``: what the document is, for the viewer's properties; ``author``:
        the hospital it is from (the program's name if not given)."""
        register_fonts()
        # invariant: no creation date or random id, so the same data gives the same bytes.
        self._path = target if isinstance(target, Path) else None
        self.canvas = Canvas(str(target) if isinstance(target, Path) else target,
                             pagesize=A4, invariant=1, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setSubject(subject or title)
        self.canvas.setAuthor(author or APP_NAME_FA)
        self.canvas.setCreator(f"{APP_NAME_FA} ({APP_NAME} {__version__})")
        self.canvas.setKeywords("")
        self.running_header = running_header
        self.width = PAGE_WIDTH - 2 * MARGIN
        self.right = PAGE_WIDTH - MARGIN
        self.y = PAGE_HEIGHT - MARGIN
        self.page = 1

    # --- text ------------------------------------------------------------------------

    def text(self, x: float, y: float, text: str, *, size: float = BODY, bold: bool = False,
             align: str = "right", color: Color = black) -> None:
        """Draw one logical line; ``x`` is the right edge (or centre, or left edge)."""
        c = self.canvas
        c.setFillColor(color)
        c.setFont(BOLD if bold else REGULAR, size)
        shown = rtl.visual(text)
        if align == "right":
            c.drawRightString(x, y, shown)
        elif align == "center":
            c.drawCentredString(x, y, shown)
        else:
            c.drawString(x, y, shown)
        c.setFillColor(black)

    def latin(self, x: float, y: float, text: str, *, size: float = BODY,
              bold: bool = False, align: str = "left", char_space: float = 0.0) -> None:
        """Draw Latin letters, digits and dashes exactly as given: no reshaping and no
        reordering, so a code someone must type reads — and extracts — character for
        character. ``x`` is the left edge, or the centre."""
        font = BOLD if bold else REGULAR
        if align == "center":
            x -= self.latin_width(text, size=size, bold=bold, char_space=char_space) / 2
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, y, text, charSpace=char_space)

    @staticmethod
    def latin_width(text: str, *, size: float = BODY, bold: bool = False,
                    char_space: float = 0.0) -> float:
        font = BOLD if bold else REGULAR
        return string_width(text, font, size) + char_space * max(len(text) - 1, 0)

    @staticmethod
    def width_of(text: str, *, size: float = BODY, bold: bool = False) -> float:
        return rtl.width(text, BOLD if bold else REGULAR, size)

    @staticmethod
    def wrap(text: str, width: float, *, size: float = BODY, bold: bool = False) -> list[str]:
        return rtl.wrap(text, BOLD if bold else REGULAR, size, width)

    # --- pages ---------------------------------------------------------------------------

    def ensure(self, height: float) -> None:
        if self.y - height < MARGIN + 14:
            self.new_page()

    def new_page(self) -> None:
        self._footer()
        self.canvas.showPage()
        self.page += 1
        self.y = PAGE_HEIGHT - MARGIN
        self.text(self.right, self.y - 10, self.running_header, size=8, color=DARK_GREY)
        self.y -= 20

    def _footer(self) -> None:
        self.text(PAGE_WIDTH / 2, MARGIN - 12, f"صفحه {rtl.fa_digits(self.page)}", size=7,
                  align="center", color=DARK_GREY)

    def next_document(self, *, running_header: str) -> None:
        """End this document's last page; the next starts on a new page numbered 1 (a
        batch of forms in one file, each with its own pages)."""
        self._footer()
        self.canvas.showPage()
        self.page = 1
        self.y = PAGE_HEIGHT - MARGIN
        self.running_header = running_header

    def finish(self) -> None:
        self._footer()
        self.canvas.showPage()
        if self._path is not None:
            # A patient's form: the file is made readable by this account only before
            # anything is written into it (saving keeps the mode of the file it empties).
            keep_private(self._path)
        self.canvas.save()

    # --- blocks --------------------------------------------------------------------------

    def title(self, text: str, *, size: float = 13) -> None:
        self.ensure(size * 2)
        self.y -= size * 1.4
        self.text(PAGE_WIDTH / 2, self.y, text, size=size, bold=True, align="center")
        self.y -= size * 0.5

    def lines(self, lines: Sequence[str], *, size: float = BODY, bold: bool = False,
              align: str = "right") -> None:
        """Paragraphs across the full width, wrapped."""
        for line in lines:
            for part in self.wrap(line, self.width, size=size, bold=bold):
                self.ensure(size * LINE)
                self.y -= size * LINE
                x = self.right if align == "right" else PAGE_WIDTH / 2
                self.text(x, self.y, part, size=size, bold=bold, align=align)
        self.y -= size * 0.45  # room for descenders above whatever is drawn next

    def gap(self, height: float = 6) -> None:
        self.y -= height

    def section(self, text: str) -> None:
        self.ensure(BODY * 2 + 40)
        self.y -= 4
        height = BODY * 1.9
        self.canvas.setFillColor(GREY)
        self.canvas.rect(MARGIN, self.y - height, self.width, height, stroke=1, fill=1)
        self.canvas.setFillColor(black)
        self.text(self.right - PADDING, self.y - height + 0.55 * BODY, text, bold=True)
        self.y -= height

    # --- rows of cells -------------------------------------------------------------------

    def row(self, cells: Sequence[Cell]) -> None:
        total = sum(c.weight for c in cells)
        widths = [self.width * c.weight / total for c in cells]
        layouts = [self._layout(c, w) for c, w in zip(cells, widths, strict=True)]
        height = max(max(h for h, _ in layouts), max(c.min_height for c in cells))
        self.ensure(height)
        right = self.right
        for cell, cell_width, (_, draw) in zip(cells, widths, layouts, strict=True):
            left = right - cell_width
            if cell.dark:
                self.canvas.setFillColor(DARK)
                self.canvas.rect(left, self.y - height, cell_width, height, stroke=1, fill=1)
                self.canvas.setFillColor(black)
            elif cell.heading:
                self.canvas.setFillColor(GREY)
                self.canvas.rect(left, self.y - height, cell_width, height, stroke=1, fill=1)
                self.canvas.setFillColor(black)
            else:
                self.canvas.rect(left, self.y - height, cell_width, height, stroke=1, fill=0)
            draw(left, right, self.y)
            right = left
        self.y -= height

    def _layout(self, cell: Cell, width: float) -> tuple[float, _Draw]:
        """(height, draw(left, right, top)) for one cell."""
        inner = width - 2 * PADDING
        step = BODY * LINE
        bold = cell.heading or cell.dark
        color = white if cell.dark else black
        if cell.options:
            return self._layout_options(cell, inner)
        if cell.heading and not cell.value:
            return self._layout_heading(cell, inner)
        label = f"{cell.label}:" if cell.label and not cell.heading else cell.label
        label_width = self.width_of(label, size=LABEL, bold=True) if label else 0.0
        value_lines: list[str] = []
        inline = False
        if cell.value:
            if label and label_width + PADDING + self.width_of(cell.value, bold=bold) <= inner:
                inline = True
                value_lines = [cell.value]
            else:
                value_lines = self.wrap(cell.value, inner, bold=bold)
        lines = (0 if inline or not label or not value_lines else 1) + len(value_lines)
        height = max(lines, 1) * step + PADDING * 1.2

        def draw(left: float, right: float, top: float) -> None:
            y = top - step + 1.5
            if label:
                self.text(right - PADDING, y, label, size=LABEL, bold=True, color=DARK_GREY)
            if inline:
                self.text(right - PADDING - label_width - PADDING, y, cell.value, bold=bold,
                          color=color)
                return
            if label and value_lines:
                y -= step
            for line in value_lines:
                if cell.align == "center":
                    self.text((left + right) / 2, y, line, bold=bold, align="center",
                              color=color)
                else:
                    self.text(right - PADDING, y, line, bold=bold, color=color)
                y -= step

        return height, draw

    def _layout_heading(self, cell: Cell, inner: float) -> tuple[float, _Draw]:
        """A table's column heading: bold, wrapped to its column, centred if asked."""
        step = LABEL * LINE
        lines = self.wrap(cell.label, inner, size=LABEL, bold=True)
        height = len(lines) * step + PADDING * 1.2

        def draw(left: float, right: float, top: float) -> None:
            x = (left + right) / 2 if cell.align == "center" else right - PADDING
            for index, line in enumerate(lines):
                self.text(x, top - (index + 1) * step + 1.5, line, size=LABEL, bold=True,
                          align=cell.align)

        return height, draw

    def _layout_options(self, cell: Cell, inner: float) -> tuple[float, _Draw]:
        """Label, then «☐ ۱. مرد ☒ ۲. زن» flowing right to left onto as many lines as
        need: each box on the right of its own option, so it is read just before it."""
        step = BODY * LINE
        label = f"{cell.label}:"
        label_width = self.width_of(label, size=LABEL, bold=True)
        # Close to its own label, far from the next pair's.
        pieces = [(text, chosen, self.width_of(text) + (BOX + BOX_GAP if chosen is not None
                                                        else 0) + 3 * PADDING)
                  for text, chosen in cell.options]
        placed: list[tuple[int, float, str, bool | None]] = []  # (line, offset from right, …)
        line, offset = 0, label_width + PADDING
        for text, chosen, piece_width in pieces:
            if offset + piece_width > inner and offset > 0:
                line, offset = line + 1, 0.0
            placed.append((line, offset, text, chosen))
            offset += piece_width
        height = (line + 1) * step + PADDING * 1.2

        def draw(_left: float, right: float, top: float) -> None:
            y = top - step + 1.5
            self.text(right - PADDING, y, label, size=LABEL, bold=True, color=DARK_GREY)
            for line_no, from_right, text, chosen in placed:
                x = right - PADDING - from_right
                base = y - line_no * step
                if chosen is not None:
                    self._tick_box(x - BOX, base - 1, chosen)
                    x -= BOX + BOX_GAP
                self.text(x, base, text)

        return height, draw

    def _tick_box(self, x: float, y: float, chosen: bool) -> None:
        c = self.canvas
        c.setLineWidth(0.7)
        c.rect(x, y, BOX, BOX, stroke=1, fill=0)
        if chosen:
            c.setLineWidth(1.3)
            c.line(x + 1.2, y + 1.2, x + BOX - 1.2, y + BOX - 1.2)
            c.line(x + 1.2, y + BOX - 1.2, x + BOX - 1.2, y + 1.2)
        c.setLineWidth(1)

    def signature_boxes(self, titles: Sequence[tuple[str, str]], *, height: float = 78,
                        aside: Aside | None = None) -> None:
        """Boxes for a stamp and signature: (title, name printed under it); ``aside``
        takes its width from the left end of the band."""
        if aside is not None:
            height = max(height, aside.height)
        self.ensure(height + 8)
        self.y -= 8
        boxes_width = self.width - (aside.width if aside is not None else 0.0)
        width = boxes_width / len(titles)
        right = self.right
        for title, name in titles:
            left = right - width
            self.canvas.rect(left + 3, self.y - height, width - 6, height, stroke=1, fill=0)
            self.text(right - 3 - PADDING, self.y - LABEL * LINE, title, size=LABEL, bold=True)
            if name:
                self.text((left + right) / 2, self.y - height + PADDING + 2, name, size=LABEL,
                          align="center", color=DARK_GREY)
            right = left
        if aside is not None:
            left = right - aside.width
            self.canvas.rect(left + 3, self.y - height, aside.width - 6, height, stroke=1,
                             fill=0)
            aside.draw(left + 3, self.y - height, aside.width - 6, height)
        self.y -= height

    def header(self, *, form_name: str, university: str, hospital: str,
               left_lines: Sequence[str] = ()) -> None:
        """The ministry header of every document."""
        top = self.y
        self.text(self.right, top - 12, "وزارت بهداشت، درمان و آموزش پزشکی", size=9, bold=True)
        self.text(self.right, top - 25, "معاونت سلامت", size=9)
        self.text(PAGE_WIDTH / 2, top - 16, form_name, size=12, bold=True, align="center")
        for index, line in enumerate(left_lines):
            self.text(MARGIN, top - 12 - 13 * index, line, size=8, align="left")
        self.y = top - 30
        # Full-width lines that wrap: a hospital typed by hand can be long.
        self.lines([f"دانشگاه علوم پزشکی و خدمات بهداشتی درمانی: {university}",
                    f"مرکز آموزشی درمانی / بیمارستان: {hospital}"], size=9)
        self.y -= 2
        self.canvas.setStrokeColor(DARK_GREY)
        self.canvas.line(MARGIN, self.y, self.right, self.y)
        self.canvas.setStrokeColor(black)


__all__ = ["BODY", "Aside", "Cell", "Sheet", "white"]
