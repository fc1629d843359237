"""Answers → score, coverage band and the points each answer gave.

The result says *why* (points per criterion, rule-set id), so every screen and
printout can show how the band was reached.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cancer_desk.core.persian import parse_int
from cancer_desk.core.rules import Band, Criterion, RuleSet

Answer = str | int


class ScoringError(ValueError):
    """An answer set is incomplete or wrong; ``criterion`` names the first culprit."""

    def __init__(self, criterion: str, message: str, message_fa: str,
                 problems: list[str] | None = None) -> None:
        super().__init__(f"criterion '{criterion}': {message}")
        self.criterion = criterion
        self.message = message
        self.message_fa = message_fa
        self.problems = problems or [str(self)]


@dataclass(frozen=True)
class ScoreResult:
    ruleset_id: str
    score: int
    coverage_percent: int
    points: dict[str, int]
    answers: dict[str, Answer]

    def as_dict(self) -> dict[str, object]:
        return {
            "score": self.score,
            "coverage_percent": self.coverage_percent,
            "ruleset": self.ruleset_id,
            "points": dict(self.points),
        }


def _answer_error(criterion: Criterion, value: object) -> ScoringError | None:
    """Why ``value`` is not an answer to ``criterion``, or ``None`` when it is."""
    if criterion.kind == "choice":
        if not isinstance(value, str) or criterion.option(value) is None:
            known = ", ".join(o.id for o in criterion.options)
            return ScoringError(criterion.id, f"unknown option {value!r} (expected one of {known})",
                                f"پاسخ «{criterion.label}» معتبر نیست.")
        return None
    try:
        count = parse_int(value) if not isinstance(value, bool) else None
    except ValueError:
        count = None
    if count is None:
        return ScoringError(criterion.id, f"expected a whole number, got {value!r}",
                            f"«{criterion.label}» باید یک عدد صحیح باشد.")
    if count < 0:
        return ScoringError(criterion.id, f"count {count} is negative",
                            f"«{criterion.label}» نمی‌تواند منفی باشد.")
    if count < criterion.minimum:
        return ScoringError(criterion.id, f"count {count} is below {criterion.minimum}",
                            f"«{criterion.label}» دست‌کم {criterion.minimum} است.")
    return None


def _as_answer(criterion: Criterion, value: object) -> Answer:
    """A valid answer as kept: the option id, or the count as a number."""
    return str(value) if criterion.kind == "choice" else parse_int(value)


def points_for(criterion: Criterion, value: Answer) -> int:
    """Points one valid answer gives."""
    if criterion.kind == "choice":
        option = criterion.option(str(value))
        assert option is not None
        return option.points
    return criterion.threshold_for(parse_int(value)).points


def score(ruleset: RuleSet, answers: Mapping[str, object]) -> ScoreResult:
    """Score a complete answer set.

    Every criterion must be answered: a missing criterion, an id the rule set does
    not know, an unknown option or a negative count raises :class:`ScoringError`
    naming the criterion — never a silent 0.
    """
    errors: list[ScoringError] = []
    for criterion in ruleset.criteria:
        if criterion.id not in answers or answers[criterion.id] is None:
            errors.append(ScoringError(criterion.id, "no answer",
                                       f"به پرسش «{criterion.label}» پاسخ دهید."))
        elif (error := _answer_error(criterion, answers[criterion.id])) is not None:
            errors.append(error)
    for unknown in sorted(set(answers) - {c.id for c in ruleset.criteria}):
        errors.append(ScoringError(unknown, f"not a criterion of rule set '{ruleset.id}'",
                                   f"پرسش «{unknown}» در این شاخص نیست."))
    if errors:
        first = errors[0]
        raise ScoringError(first.criterion, first.message, first.message_fa,
                           [str(e) for e in errors])

    normalised: dict[str, Answer] = {}
    points: dict[str, int] = {}
    for criterion in ruleset.criteria:
        raw = answers[criterion.id]
        value = _as_answer(criterion, raw)
        normalised[criterion.id] = value
        points[criterion.id] = points_for(criterion, value)
    total = sum(points.values())
    return ScoreResult(
        ruleset_id=ruleset.id,
        score=total,
        coverage_percent=ruleset.band_for(total).coverage_percent,
        points=points,
        answers=normalised,
    )


def partial_points(ruleset: RuleSet, answers: Mapping[str, object]) -> dict[str, int]:
    """Points of the answers given so far, for the live panel while the form is filled."""
    result: dict[str, int] = {}
    for criterion in ruleset.criteria:
        value = answers.get(criterion.id)
        if value is not None and _answer_error(criterion, value) is None:
            result[criterion.id] = points_for(criterion, _as_answer(criterion, value))
    return result


@dataclass(frozen=True)
class PartialResult:
    """Where an answer set stands while it is being filled in."""

    points: dict[str, int]
    score: int
    coverage_percent: int
    complete: bool
    next_band: Band | None  # the nearest band with more coverage, if any
    unanswered: list[str]  # criterion ids, in rule-set order

    @property
    def points_to_next_band(self) -> int | None:
        return self.next_band.min_score - self.score if self.next_band else None


def partial_result(ruleset: RuleSet, answers: Mapping[str, object]) -> PartialResult:
    points = partial_points(ruleset, answers)
    total = min(sum(points.values()), ruleset.max_score)
    band = ruleset.band_for(total)
    higher = [b for b in ruleset.bands
              if b.min_score > total and b.coverage_percent > band.coverage_percent]
    return PartialResult(
        points=points,
        score=total,
        coverage_percent=band.coverage_percent,
        complete=len(points) == len(ruleset.criteria),
        next_band=higher[0] if higher else None,
        unanswered=[c.id for c in ruleset.criteria if c.id not in points],
    )
