"""A rule file holding an integer of thousands of digits (past what Python turns into
an integer) is a rule-set error: refused on its own, set aside at start."""

from __future__ import annotations

import shutil

import pytest

from cancer_desk.core.rules import RuleBook, RuleSetError, load_ruleset
from tests.conftest import RULESET_1388

LONG_NUMBER = "9" * 5000


def test_a_rule_file_with_a_5000_digit_number_is_a_rule_set_error(tmp_path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(f"x = {LONG_NUMBER}\n")
    with pytest.raises(RuleSetError) as refused:
        load_ruleset(path)
    assert refused.value.source == str(path)
    assert "TOML" in refused.value.problems[0]


def test_a_rule_file_with_a_5000_digit_number_is_set_aside_at_start(tmp_path) -> None:
    shutil.copy(RULESET_1388, tmp_path / "a.toml")
    (tmp_path / "b.toml").write_text(f"x = {LONG_NUMBER}\n")
    book = RuleBook.from_directories([tmp_path])
    assert [r.id for r in book] == ["moh-1388"]
    assert [e.source for e in book.skipped] == [str(tmp_path / "b.toml")]
