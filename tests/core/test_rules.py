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
    # the edges of an amount bracket: one key a side, whole numbers, no gap, no overlap
    (lambda t: t.replace("amount_up_to = 1000", "amount_up_to = 1000\n  amount_max = 1000"),
     r"option 5: 'amount_up_to' and 'amount_max' are both given"),
    (lambda t: t.replace("amount_above = 1000", "amount_above = 1000\n  amount_min = 1001"),
     r"option 6: 'amount_min' and 'amount_above' are both given"),
    (lambda t: t.replace("amount_above = 1000", 'amount_above = "1000"'),
     r"'debt', option 6: 'amount_above' must be a whole number"),
    (lambda t: t.replace("amount_above = 1000", "amount_above = 1001"),
     r"amounts 1001-1001 fall between the brackets of 'k500_1m' and 'over_1m'"),
    (lambda t: t.replace("amount_above = 1000", "amount_min = 1000"),
     r"brackets of 'k500_1m' and 'over_1m' overlap"),
    (lambda t: t.replace("amount_min = 500\n  amount_up_to = 1000",
                         "amount_above = 500\n  amount_max = 501"),
     r"option 5: the amount bracket holds no amount"),
    (lambda t: t.replace("decisions = [", "decisions = 3\nx = [", 1),
     r"criterion 'housing': 'decisions' must be a list of non-empty texts"),
    (lambda t: t.replace('band_rule = "', 'band_rule = 41\nx = "', 1),
     r"\[ruleset\]: 'band_rule' must be non-empty text"),
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


OLD_FORMAT = (GOOD.replace("amount_up_to = 1000", "amount_max = 1000")
              .replace("amount_above = 1000", "amount_min = 1000"))


def test_a_file_written_before_inclusive_edges_reads_as_it_did(tmp_path: Path) -> None:
    """`amount_min` stays «from» (inclusive) and `amount_max` «below» (exclusive), and a
    file with no `decisions` or `band_rule` loads: a file written before them reads the
    same as then."""
    text = re.sub(r"^decisions = \[\n(?:  .*\n)*\]\n", "", OLD_FORMAT, flags=re.MULTILINE)
    text = re.sub(r"^band_rule = .*\n", "", text, flags=re.MULTILINE)
    assert not re.search(r"^(decisions|band_rule) =", text, flags=re.MULTILINE)
    old = load_ruleset(write(tmp_path, text))
    debt = old.criterion("debt")
    assert [debt.option_for_amount(a).id for a in (999, 1000, 1001)] == \
        ["k500_1m", "over_1m", "over_1m"]
    assert old.band_rule == "" and all(c.decisions == () for c in old.criteria)


def test_inclusive_and_exclusive_edges(ruleset) -> None:
    debt = ruleset.criterion("debt")
    below_a_million, over_a_million = debt.option("k500_1m"), debt.option("over_1m")
    assert (below_a_million.amount_max, below_a_million.max_included) == (1000, True)
    assert (over_a_million.amount_min, over_a_million.min_included) == (1000, False)
    assert (below_a_million.highest_amount, over_a_million.lowest_amount) == (1000, 1001)
    income = ruleset.criterion("income").option("under_k300")
    assert (income.amount_max, income.max_included, income.highest_amount) == (300, False, 299)
