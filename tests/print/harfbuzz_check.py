"""Checking printed Persian against HarfBuzz, the shaper behind Qt's screen text.

For each line drawn in a PDF: read its characters back (pdfplumber), in left-to-right
order; map each through the font's cmap to a glyph. Separately, shape the logical
string with HarfBuzz one bidi level run at a time and put the runs in visual order.
The two glyph sequences must match glyph for glyph — compared by outline and advance,
because a presentation-form character and the shaped base letter may be different
glyphs in the font that look the same.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import uharfbuzz as hb
from bidi.algorithm import (
    explicit_embed_and_overrides,
    get_embedding_levels,
    get_empty_storage,
    resolve_implicit_levels,
    resolve_neutral_types,
    resolve_weak_types,
)
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from cancer_desk.core.persian import ZWNJ
from cancer_desk.print.bidi_order import resolve_bracket_pairs
from cancer_desk.print.rtl import prepare

_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class GlyphFont:
    def __init__(self, path: Path) -> None:
        self.tt = TTFont(str(path))
        self.cmap = self.tt.getBestCmap()
        self.glyph_set = self.tt.getGlyphSet()
        self.order = self.tt.getGlyphOrder()
        blob = hb.Blob.from_file_path(str(path))
        self.hb_font = hb.Font(hb.Face(blob))

    @cache  # noqa: B019  (fonts live for the test session)
    def signature(self, glyph: str) -> tuple:
        """What a glyph looks like: its outline and its advance."""
        pen = RecordingPen()
        self.glyph_set[glyph].draw(pen)
        return tuple(pen.value), self.tt["hmtx"][glyph][0]

    def glyph_for_char(self, char: str) -> str:
        return self.cmap[ord(char)]

    def shape_run(self, text: str, rtl: bool) -> list[str]:
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.direction = "rtl" if rtl else "ltr"
        buffer.script = "Arab" if rtl else "Latn"
        buffer.language = "fa"
        buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        hb.shape(self.hb_font, buffer, {"kern": False, "calt": False})
        # HarfBuzz keeps an invisible glyph where a ZWNJ was; print drops the ZWNJ
        # once it has broken the join, so it is left out here too.
        return [self.order[info.codepoint] for info in buffer.glyph_infos
                if text[info.cluster] != ZWNJ]


def _levels(text: str) -> list[int]:
    """Resolved embedding levels of each character, paragraph direction RTL.

    The levels come from the same algorithm the program uses; that the resulting
    order is right is checked on its own against another implementation
    (test_bidi_order.py). Here they only decide which runs HarfBuzz shapes."""
    storage = get_empty_storage()
    storage["base_level"] = 1
    storage["base_dir"] = "R"
    get_embedding_levels(text, storage, upper_is_rtl=False)
    explicit_embed_and_overrides(storage)
    resolve_weak_types(storage)
    resolve_bracket_pairs(storage)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    return [ch["level"] for ch in storage["chars"]]


def harfbuzz_visual_glyphs(font: GlyphFont, logical: str) -> list[str]:
    """Shape per level run, then reorder the runs (UBA rule L2)."""
    text = prepare(logical)
    # The UBA drops explicit controls and boundary-neutral characters (ZWNJ) before
    # resolving levels (rule X9); a ZWNJ still matters to shaping, so it rides along
    # at the level of the letter before it.
    levels = iter(_levels(text))
    runs: list[tuple[int, str]] = []
    level = 1
    for char in text:
        if char in _CONTROLS:
            continue
        if unicodedata.bidirectional(char) != "BN":
            level = next(levels)
        if runs and runs[-1][0] == level:
            runs[-1] = (level, runs[-1][1] + char)
        else:
            runs.append((level, char))
    shaped = [(level, font.shape_run(chunk, level % 2 == 1)) for level, chunk in runs]
    highest = max((level for level, _ in shaped), default=0)
    lowest_odd = min((level for level, _ in shaped if level % 2), default=1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(shaped):
            if shaped[i][0] >= level:
                j = i
                while j < len(shaped) and shaped[j][0] >= level:
                    j += 1
                shaped[i:j] = reversed(shaped[i:j])
                i = j
            else:
                i += 1
    return [g for _, glyphs in shaped for g in glyphs]


def pdf_lines(pdf_path: Path) -> list[str]:
    """The characters of each text line of a PDF, left to right, top line first."""
    import pdfplumber

    lines: dict[int, list[tuple[float, str]]] = {}
    with pdfplumber.open(str(pdf_path)) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                key = round(char["top"] + page.page_number * 10_000)
                lines.setdefault(key, []).append((char["x0"], char["text"]))
    return ["".join(t for _, t in sorted(chars)) for _, chars in sorted(lines.items())]


def compare(font: GlyphFont, drawn: str, logical: str) -> tuple[list[str], list[str]]:
    """Glyph signatures of what was drawn and of what HarfBuzz would draw."""
    printed = [font.glyph_for_char(c) for c in drawn]
    expected = harfbuzz_visual_glyphs(font, logical)
    return printed, expected


def same_glyphs(font: GlyphFont, printed: list[str], expected: list[str]) -> bool:
    return [font.signature(g) for g in printed] == [font.signature(g) for g in expected]
