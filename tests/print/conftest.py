from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RESOURCES
from tests.print.harfbuzz_check import GlyphFont


@pytest.fixture(scope="session")
def regular_font() -> GlyphFont:
    return GlyphFont(RESOURCES / "fonts" / "Vazirmatn-Regular.ttf")


@pytest.fixture(scope="session")
def bold_font() -> GlyphFont:
    return GlyphFont(RESOURCES / "fonts" / "Vazirmatn-Bold.ttf")


@pytest.fixture
def pdf_path(tmp_path: Path) -> Path:
    return tmp_path / "out.pdf"
