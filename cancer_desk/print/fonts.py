"""Registering the bundled Vazirmatn with reportlab (embedded, subset, in every PDF)."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from cancer_desk.paths import resources_dir

REGULAR = "Vazirmatn"
BOLD = "Vazirmatn-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    fonts = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(REGULAR, str(fonts / "Vazirmatn-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "Vazirmatn-Bold.ttf")))
    return REGULAR, BOLD


def string_width(text: str, font: str, size: float) -> float:
    width: float = pdfmetrics.stringWidth(text, font, size)  # reportlab has no types
    return width
