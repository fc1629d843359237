"""The rule-set loader: a good file loads, a broken one says everything wrong with it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from cancer_desk.core.rules import RuleBook, RuleSetError, load_ruleset
from tests.conftest import RULESET_1388

GOOD = RULESET_1388.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(write(tmp_path, text))
    return caught.value.problems


def test_the_1388_file_loads(ruleset) -> None:
    assert ruleset.id == "moh-1388"
    assert ruleset.effective_from == dt.date(2009, 8, 16)
    assert len(ruleset.criteria) == 8
    assert ruleset.thresholds == [41, 51, 61, 71, 81, 91]
    assert all(c.label and c.help for c in ruleset.criteria)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda t: t.replace('id = "moh-1388"', 'id = "Moh 1388"'), r"\[ruleset\]: id"),
    (lambda t: t.replace('id = "family_size"', 'id = "housing"'), r"'housing' appears more"),
    (lambda t: t.replace("points = 14\n", "points = -14\n", 1), r"'points' must be at least 0"),
    (lambda t: t.replace('kind = "count"', 'kind = "number"', 1), r"'kind' must be"),
    (lambda t: t.replace("min_score = 41", "min_score = 42"), r"scores 41-41 fall in no band"),
    (lambda t: t.replace("min_score = 41", "min_score = 40"), r"overlap"),
    (lambda t: t.replace("coverage_percent = 90", "coverage_percent = 20"), r"must not fall"),
    (lambda t: t.replace("max_score = 100\n", "max_score = 90\n", 1), r"add up to 100"),
    (lambda t: t.replace("points = 30\n", "points = 31\n"), r"add up to 101"),
    (lambda t: t.replace("amount_min = 400\n", "amount_min = 350\n"), r"brackets .* overlap"),
    (lambda t: t.replace('label = "خوب"\n', 'label = "خوب"\n  colour = "red"\n'),
     r"unknown key 'colour'"),
    (lambda t: t.replace("  at_least = 3\n  points = 2", "  at_least = 1\n  points = 2"),
     r"strictly increasing"),
    (lambda t: t.replace("effective_from = 2009-08-16", 'effective_from = "1388/05/25"'),
     r"effective_from"),
])
def test_broken_files_say_what_and_where(tmp_path: Path, change, expected) -> None:
    changed = change(GOOD)
    assert changed != GOOD, "the test's change did not apply"
    problems = problems_of(tmp_path, changed)
    assert any(re.search(expected, p) for p in problems), problems


def test_not_toml_at_all(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "[ruleset\nid = 1")
    assert "not valid TOML" in problems[0]


def test_missing_head_and_criteria(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "x = 1") == ["[ruleset]: the table is missing"]
    problems = problems_of(tmp_path, '[ruleset]\nid = "a"\nname = "a"\ntitle = "a"\n'
                                     'effective_from = 2020-01-01\nmax_score = 10\n')
    assert any("criteria" in p for p in problems)
    assert any("bands" in p for p in problems)


def test_several_problems_reported_together(tmp_path: Path) -> None:
    text = GOOD.replace("points = 14\n", "points = -1\n", 1).replace(
        "min_score = 41", "min_score = 45")
    assert len(problems_of(tmp_path, text)) >= 2


def test_newer_rule_set_is_a_second_file(tmp_path: Path) -> None:
    newer = (GOOD.replace('id = "moh-1388"', 'id = "moh-1404"')
             .replace("effective_from = 2009-08-16", "effective_from = 2025-03-21"))
    write(tmp_path, GOOD, "moh-1388.toml")
    write(tmp_path, newer, "moh-1404.toml")
    book = RuleBook.from_directories([tmp_path])
    assert [r.id for r in book] == ["moh-1388", "moh-1404"]
    assert book.active(dt.date(2025, 6, 1)).id == "moh-1404"
    assert book.active(dt.date(2024, 6, 1)).id == "moh-1388"
    assert book["moh-1388"].effective_from == dt.date(2009, 8, 16)


def test_a_second_file_with_the_same_id_is_set_aside(tmp_path: Path) -> None:
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    builtin.mkdir()
    user.mkdir()
    write(builtin, GOOD, "moh-1388.toml")
    write(user, GOOD.replace("points = 14\n", "points = 15\n", 1), "copy.toml")
    book = RuleBook.from_directories([builtin, user])
    assert [r.id for r in book] == ["moh-1388"]
    assert book["moh-1388"].path.endswith("builtin/moh-1388.toml")  # the built-in wins
    assert len(book.skipped) == 1 and "already used" in str(book.skipped[0])


def test_a_broken_draft_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "moh-1388.toml")
    write(tmp_path, "[ruleset\nhalf written", "draft.toml")
    book = RuleBook.from_directories([tmp_path])
    assert book.active().id == "moh-1388"
    assert "draft.toml" in book.skipped[0].source


def test_no_usable_rule_set_at_all(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match="no usable rule set"):
        RuleBook.from_directories([tmp_path / "missing"])
    write(tmp_path, "not = [toml", "bad.toml")
    with pytest.raises(RuleSetError) as caught:
        RuleBook.from_directories([tmp_path])
    assert any("bad.toml" in p for p in caught.value.problems)
