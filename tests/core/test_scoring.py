"""Scoring against the directive's own table (directive.md §2), typed here by hand so
that a wrong number in the rule-set file fails a test."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cancer_desk.core.rules import RuleSet
from cancer_desk.core.scoring import ScoringError, partial_points, score
from tests.conftest import full_answers

CHOICE_POINTS = {
    "head_of_household": {"good": 0, "retired_deceased": 14, "deceased_or_absent": 20,
                          "addicted": 16, "disabled_worker": 18, "retired_living": 12},
    "income": {"k500_plus": 10, "k400_500": 14, "k300_400": 16, "under_k300": 18,
               "pension_welfare": 20},
    "housing": {"owned": 3, "mortgage": 3, "organizational": 4, "rent_under_half": 6,
                "rent_over_half": 8, "rural": 10},
    "debt": {"none": 0, "upto_k100": 2, "k100_300": 2, "k300_500": 3, "k500_1m": 4,
             "over_1m": 5},
}
COUNT_POINTS = {
    "family_size": {1: 0, 2: 0, 3: 2, 4: 2, 5: 2, 6: 3, 7: 4, 8: 5, 9: 5, 15: 5},
    "sick_children": {0: 0, 1: 20, 2: 25, 3: 30, 4: 30, 10: 30},
    "school_children": {0: 0, 1: 3, 2: 4, 3: 5, 6: 5},
    "university_children": {0: 0, 1: 3, 2: 4, 3: 5, 6: 5},
}
BANDS = [(0, 40, 30), (41, 50, 40), (51, 60, 50), (61, 70, 60), (71, 80, 70), (81, 90, 90),
         (91, 100, 100)]


@pytest.mark.parametrize(("criterion", "option", "points"), [
    (c, o, p) for c, options in CHOICE_POINTS.items() for o, p in options.items()
])
def test_every_choice_scores_as_the_directive_says(ruleset: RuleSet, criterion, option,
                                                   points) -> None:
    result = score(ruleset, full_answers(**{criterion: option}))
    assert result.points[criterion] == points
    assert result.answers[criterion] == option


@pytest.mark.parametrize(("criterion", "count", "points"), [
    (c, n, p) for c, counts in COUNT_POINTS.items() for n, p in counts.items()
])
def test_every_count_threshold_scores_as_the_directive_says(ruleset: RuleSet, criterion,
                                                            count, points) -> None:
    assert score(ruleset, full_answers(**{criterion: count})).points[criterion] == points


def test_rule_set_lists_exactly_the_directive_options(ruleset: RuleSet) -> None:
    for criterion_id, options in CHOICE_POINTS.items():
        criterion = ruleset.criterion(criterion_id)
        assert criterion is not None
        assert [o.id for o in criterion.options] == list(options)
    assert [c.id for c in ruleset.criteria] == [
        "head_of_household", "income", "housing", "family_size", "sick_children",
        "school_children", "university_children", "debt"]
    assert ruleset.max_score == 100


@pytest.mark.parametrize(("low", "high", "coverage"), BANDS)
def test_band_boundaries(ruleset: RuleSet, low: int, high: int, coverage: int) -> None:
    assert ruleset.band_for(low).coverage_percent == coverage
    assert ruleset.band_for(high).coverage_percent == coverage
    if low > 0:
        assert ruleset.band_for(low - 1).coverage_percent < coverage


def test_41_belongs_to_40_percent_and_there_is_no_80_band(ruleset: RuleSet) -> None:
    assert ruleset.band_for(40).coverage_percent == 30
    assert ruleset.band_for(41).coverage_percent == 40
    assert 80 not in {b.coverage_percent for b in ruleset.bands}


def test_scores_outside_range_have_no_band(ruleset: RuleSet) -> None:
    with pytest.raises(ValueError):
        ruleset.band_for(101)
    with pytest.raises(ValueError):
        ruleset.band_for(-1)


def test_worked_example(ruleset: RuleSet) -> None:
    result = score(ruleset, full_answers())
    assert result.score == 16 + 18 + 10 + 3 + 20 + 4 + 0 + 5 == 76
    assert result.coverage_percent == 70
    assert result.ruleset_id == "moh-1388"
    assert result.as_dict() == {"score": 76, "coverage_percent": 70, "ruleset": "moh-1388",
                                "points": result.points}


def test_best_and_worst_answers_reach_100_and_0(ruleset: RuleSet) -> None:
    best = full_answers(head_of_household="deceased_or_absent", income="pension_welfare",
                        family_size=8, sick_children=3, school_children=3,
                        university_children=3)
    assert score(ruleset, best).score == 100
    assert score(ruleset, best).coverage_percent == 100
    worst = full_answers(head_of_household="good", income="k500_plus", housing="owned",
                         family_size=1, sick_children=0, school_children=0,
                         university_children=0, debt="none")
    assert score(ruleset, worst).score == 13  # income and housing always score
    assert score(ruleset, worst).coverage_percent == 30


@pytest.mark.parametrize("missing", ["head_of_household", "family_size", "debt"])
def test_missing_criterion_is_named(ruleset: RuleSet, missing: str) -> None:
    answers = full_answers()
    del answers[missing]
    with pytest.raises(ScoringError) as caught:
        score(ruleset, answers)
    assert caught.value.criterion == missing
    assert missing in str(caught.value)


def test_none_counts_as_missing(ruleset: RuleSet) -> None:
    with pytest.raises(ScoringError) as caught:
        score(ruleset, full_answers(income=None))
    assert caught.value.criterion == "income"


def test_unknown_criterion_is_named(ruleset: RuleSet) -> None:
    with pytest.raises(ScoringError) as caught:
        score(ruleset, {**full_answers(), "car_owner": "yes"})
    assert caught.value.criterion == "car_owner"


@pytest.mark.parametrize(("criterion", "value"), [
    ("sick_children", -1), ("family_size", -3), ("family_size", 0), ("school_children", "x"),
    ("income", "k999"), ("income", 5), ("housing", True), ("university_children", 2.5),
])
def test_bad_answer_is_named(ruleset: RuleSet, criterion: str, value) -> None:
    with pytest.raises(ScoringError) as caught:
        score(ruleset, full_answers(**{criterion: value}))
    assert caught.value.criterion == criterion
    assert caught.value.message_fa  # a Persian message for the window


def test_counts_accept_persian_and_arabic_digits(ruleset: RuleSet) -> None:
    result = score(ruleset, full_answers(family_size="۷", sick_children="٢"))
    assert result.points["family_size"] == 4
    assert result.points["sick_children"] == 25
    assert result.answers["family_size"] == 7


def test_all_problems_are_listed(ruleset: RuleSet) -> None:
    with pytest.raises(ScoringError) as caught:
        score(ruleset, {"income": "nope"})
    assert len(caught.value.problems) == 8


# Each edge of a typed amount, read from the directive's words (hand-worked, one below,
# at and one above): «بیشتر از» strictly more, «زیر» strictly below, «به بالا» from the
# figure itself, an edge two «… تا …» brackets both name in the higher one.
AMOUNT_EDGES = {
    "income": [
        # «زیر ۳۰۰» (18) | «۳۰۰ تا ۴۰۰» (16)
        (0, "under_k300", 18), (299, "under_k300", 18), (300, "k300_400", 16),
        (301, "k300_400", 16),
        # «۳۰۰ تا ۴۰۰» (16) | «۴۰۰ تا ۵۰۰» (14): 400 is named by both, the higher has it
        (399, "k300_400", 16), (400, "k400_500", 14), (401, "k400_500", 14),
        # «۴۰۰ تا ۵۰۰» (14) | «۵۰۰ به بالا» (10): 500 is «به بالا»'s own figure
        (499, "k400_500", 14), (500, "k500_plus", 10), (501, "k500_plus", 10),
        (10_000, "k500_plus", 10),
    ],
    "debt": [
        # «بدون بدهی» (0) | «تا ۱۰۰» (2)
        (0, "none", 0), (1, "upto_k100", 2), (2, "upto_k100", 2),
        # «تا ۱۰۰» (2) | «۱۰۰ تا ۳۰۰» (2)
        (99, "upto_k100", 2), (100, "k100_300", 2), (101, "k100_300", 2),
        # «۱۰۰ تا ۳۰۰» (2) | «۳۰۰ تا ۵۰۰» (3)
        (299, "k100_300", 2), (300, "k300_500", 3), (301, "k300_500", 3),
        # «۳۰۰ تا ۵۰۰» (3) | «۵۰۰ هزار تا یک میلیون» (4)
        (499, "k300_500", 3), (500, "k500_1m", 4), (501, "k500_1m", 4),
        # «۵۰۰ هزار تا یک میلیون» (4) | «بیشتر از یک میلیون» (5): a million is not more
        # than a million
        (999, "k500_1m", 4), (1000, "k500_1m", 4), (1001, "over_1m", 5),
        (50_000, "over_1m", 5),
    ],
}


@pytest.mark.parametrize(("criterion", "amount", "option", "points"), [
    (c, a, o, p) for c, edges in AMOUNT_EDGES.items() for a, o, p in edges
])
def test_a_typed_amount_falls_where_the_directive_words_put_it(ruleset: RuleSet, criterion,
                                                                amount, option,
                                                                points) -> None:
    picked = ruleset.criterion(criterion).option_for_amount(amount)
    assert picked is not None and picked.id == option
    assert score(ruleset, full_answers(**{criterion: picked.id})).points[criterion] == points


def test_a_debt_of_exactly_a_million_stays_below_the_40_percent_band(ruleset: RuleSet) -> None:
    """The point the edge decides crosses a band: 20 + 10 + 3 + 0 + 0 + 3 + 0 = 36 before
    the debt; a debt of 1000 (thousand tomans) adds 4 → 40 → 30%, one of 1001 adds 5 →
    41 → 40%."""
    debt = ruleset.criterion("debt")
    answers = full_answers(head_of_household="deceased_or_absent", income="k500_plus",
                           housing="owned", family_size=2, sick_children=0,
                           school_children=1, university_children=0)
    at_a_million = score(ruleset, {**answers, "debt": debt.option_for_amount(1000).id})
    assert (at_a_million.score, at_a_million.coverage_percent) == (40, 30)
    above = score(ruleset, {**answers, "debt": debt.option_for_amount(1001).id})
    assert (above.score, above.coverage_percent) == (41, 40)


def test_the_band_edge_41_is_in_the_40_percent_band_and_said(ruleset: RuleSet) -> None:
    assert [ruleset.band_for(s).coverage_percent for s in (40, 41, 42)] == [30, 40, 40]
    assert "۴۱" in ruleset.band_rule and "۴۰٪" in ruleset.band_rule


def test_the_open_cases_are_decided_in_the_rule_file(ruleset: RuleSet) -> None:
    """The child patient counts among the sick children; rent of exactly half the income
    is not «more than half»."""
    (child,) = ruleset.criterion("sick_children").decisions
    assert "خود بیمار" in child and "«فرزند بیمار» شمرده می‌شود" in child
    (rent,) = ruleset.criterion("housing").decisions
    assert "درست برابر نصف درآمد «اجاره کمتر از نصف درآمد» (۶)" in rent


def test_partial_points_ignore_unanswered_and_invalid(ruleset: RuleSet) -> None:
    points = partial_points(ruleset, {"income": "under_k300", "family_size": -1})
    assert points == {"income": 18}


# --- properties ------------------------------------------------------------------------


def answer_sets(ruleset: RuleSet):
    return st.fixed_dictionaries({
        c.id: (st.sampled_from([o.id for o in c.options]) if c.kind == "choice"
               else st.integers(min_value=c.minimum, max_value=40))
        for c in ruleset.criteria
    })


@given(data=st.data())
def test_score_is_sum_of_points_and_within_range(ruleset: RuleSet, data) -> None:
    answers = data.draw(answer_sets(ruleset))
    result = score(ruleset, answers)
    assert result.score == sum(result.points.values())
    assert 0 <= result.score <= ruleset.max_score
    assert result.coverage_percent == ruleset.band_for(result.score).coverage_percent
    assert 30 <= result.coverage_percent <= 100


def test_coverage_never_falls_as_score_rises(ruleset: RuleSet) -> None:
    coverages = [ruleset.band_for(s).coverage_percent for s in range(ruleset.max_score + 1)]
    assert coverages == sorted(coverages)


@given(data=st.data())
def test_more_need_never_lowers_the_score(ruleset: RuleSet, data) -> None:
    answers = data.draw(answer_sets(ruleset))
    criterion = data.draw(st.sampled_from([c for c in ruleset.criteria if c.kind == "count"]))
    more = {**answers, criterion.id: answers[criterion.id] + 1}
    assert score(ruleset, more).score >= score(ruleset, answers).score
