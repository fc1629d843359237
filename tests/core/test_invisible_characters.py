"""Invisible format characters pasted into a name are removed, so «علی⁠رضا» is stored
as «علیرضا»; ZWNJ and ZWJ, which are spelling, stay."""

from __future__ import annotations

import pytest

from cancer_desk.core.persian import normalize_text


@pytest.mark.parametrize("mark", ["\u061c", "\u2060", "\u00ad", "\u180e", "\ufff9",
                                  "\ufffa", "\ufffb", "\U000e0001", "\U000e0041",
                                  "\U000e007f", "\u034f", "\u200b", "\u2066", "\ufeff"])
def test_an_invisible_format_character_is_removed_from_a_name(mark) -> None:
    assert normalize_text(f"علی{mark}رضا") == "علیرضا"


def test_zwnj_and_zwj_stay() -> None:
    assert normalize_text("می\u200cخواهم") == "می\u200cخواهم"
    assert normalize_text("ه\u200dا") == "ه\u200dا"
