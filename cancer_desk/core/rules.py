"""Eligibility rule sets: the questionnaire, its points and the coverage bands, as data.

A rule set is one TOML file (see ``resources/rules/moh-1388.toml`` for the format).
:func:`load_ruleset` checks the whole file and reports every problem it finds, with
where it is, so that whoever prepares a new year's file can fix it in one pass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cancer_desk.core.nesting import TooDeep, check_toml

CriterionKind = Literal["choice", "count"]

_ID = re.compile(r"[a-z][a-z0-9_]*")
_RULESET_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


class RuleSetError(ValueError):
    """A rule-set file is not usable; ``problems`` lists everything wrong with it."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems))
        self.source = source
        self.problems = problems


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    points: int
    amount_min: int | None = None
    amount_max: int | None = None
    # Whether the bound itself is in the bracket. The file's `amount_min` / `amount_max`
    # are «از» (inclusive) / «زیر» (exclusive); `amount_above` («بیشتر از») and
    # `amount_up_to` («تا … خودش») give the other two.
    min_included: bool = True
    max_included: bool = False

    def holds_amount(self, amount: int) -> bool:
        """Within the bracket's bounds, each inclusive or not; ``None`` is unbounded."""
        if self.amount_min is None and self.amount_max is None:
            return False
        low_ok = (self.amount_min is None or amount > self.amount_min
                  or (self.min_included and amount == self.amount_min))
        high_ok = (self.amount_max is None or amount < self.amount_max
                   or (self.max_included and amount == self.amount_max))
        return low_ok and high_ok

    @property
    def lowest_amount(self) -> int | None:
        """The smallest whole amount the bracket holds (``None``: no lower bound)."""
        if self.amount_min is None:
            return None
        return self.amount_min if self.min_included else self.amount_min + 1

    @property
    def highest_amount(self) -> int | None:
        """The largest whole amount the bracket holds (``None``: no upper bound)."""
        if self.amount_max is None:
            return None
        return self.amount_max if self.max_included else self.amount_max - 1


@dataclass(frozen=True)
class Threshold:
    at_least: int
    points: int
    label: str


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: CriterionKind
    label: str
    help: str = ""
    options: tuple[Option, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    minimum: int = 0
    unit: str = ""
    amount_unit: str = ""
    # Cases the directive's words leave open, each decided with its reason.
    decisions: tuple[str, ...] = ()

    @property
    def max_points(self) -> int:
        values = [o.points for o in self.options] or [t.points for t in self.thresholds]
        return max(values)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def threshold_for(self, count: int) -> Threshold:
        """The threshold a count falls under (``count`` ≥ ``minimum``)."""
        chosen = self.thresholds[0]
        for threshold in self.thresholds:
            if count >= threshold.at_least:
                chosen = threshold
        return chosen

    @property
    def takes_amount(self) -> bool:
        return any(o.amount_min is not None or o.amount_max is not None for o in self.options)

    def option_for_amount(self, amount: int) -> Option | None:
        """The option whose bracket holds ``amount`` (see the rule-set file's rule)."""
        return next((o for o in self.options if o.holds_amount(amount)), None)


@dataclass(frozen=True)
class Band:
    min_score: int
    max_score: int
    coverage_percent: int

    def contains(self, score: int) -> bool:
        return self.min_score <= score <= self.max_score


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str  # short, for lists: «دستورالعمل ۱۳۸۸»
    title: str
    source: str
    effective_from: dt.date
    max_score: int
    criteria: tuple[Criterion, ...]
    bands: tuple[Band, ...]  # ascending by score
    amount_rule: str = ""
    band_rule: str = ""  # how the band table's edges are read, for whoever sees the bands
    path: str = field(default="", compare=False)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def band_for(self, score: int) -> Band:
        for band in self.bands:
            if band.contains(score):
                return band
        raise ValueError(f"score {score} outside 0-{self.max_score}")

    @property
    def thresholds(self) -> list[int]:
        """Lowest score of each band above the first: where the coverage steps up."""
        return [b.min_score for b in self.bands[1:]]


# --- loading -----------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, what: str) -> None:
        self.items.append(f"{where}: {what}")


def _int(value: Any, where: str, name: str, problems: _Problems, *, minimum: int | None = 0,
         required: bool = True) -> int | None:
    if value is None:
        if required:
            problems.add(where, f"'{name}' is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(where, f"'{name}' must be a whole number, not {value!r}")
        return None
    if minimum is not None and value < minimum:
        problems.add(where, f"'{name}' must be at least {minimum}, not {value}")
        return None
    return value


def _text(value: Any, where: str, name: str, problems: _Problems, *, required: bool = True) -> str:
    if value is None:
        if required:
            problems.add(where, f"'{name}' is missing")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(where, f"'{name}' must be non-empty text")
        return ""
    return value.strip()


def _check_unknown_keys(table: Mapping[str, Any], allowed: set[str], where: str,
                        problems: _Problems) -> None:
    for key in sorted(set(table) - allowed):
        problems.add(where, f"unknown key '{key}'")


def _parse_option(raw: Any, where: str, problems: _Problems) -> Option | None:
    if not isinstance(raw, dict):
        problems.add(where, "an option must be a table")
        return None
    _check_unknown_keys(raw, _OPTION_KEYS, where, problems)
    option_id = _text(raw.get("id"), where, "id", problems)
    if option_id and not _ID.fullmatch(option_id):
        problems.add(where, f"id '{option_id}' must be lower-case letters, digits and _")
    label = _text(raw.get("label"), where, "label", problems)
    points = _int(raw.get("points"), where, "points", problems)
    low, low_included = _bound(raw, "amount_min", "amount_above", where, problems)
    high, high_included = _bound(raw, "amount_up_to", "amount_max", where, problems)
    option = Option(option_id, label, points or 0, low, high, low_included, high_included)
    lowest, highest = option.lowest_amount, option.highest_amount
    if lowest is not None and highest is not None and highest < lowest:
        problems.add(where, f"the amount bracket holds no amount: "
                            f"{_bound_names(raw)} leave nothing between them")
    if points is None or not option_id:
        return None
    return option


_OPTION_KEYS = {"id", "label", "points", "amount_min", "amount_above", "amount_max",
                "amount_up_to"}


def _bound(raw: Mapping[str, Any], included_key: str, excluded_key: str, where: str,
           problems: _Problems) -> tuple[int | None, bool]:
    """One side of an amount bracket: its value and whether the value itself is in it.

    Each side may be given by one key: the lower by `amount_min` (inclusive) or
    `amount_above` (exclusive), the upper by `amount_up_to` (inclusive) or `amount_max`
    (exclusive). Files written before `amount_above` / `amount_up_to` read as before.
    """
    included = _int(raw.get(included_key), where, included_key, problems, required=False)
    excluded = _int(raw.get(excluded_key), where, excluded_key, problems, required=False)
    if included is not None and excluded is not None:
        problems.add(where, f"'{included_key}' and '{excluded_key}' are both given; "
                            f"a bracket has one bound on each side")
    if included is not None:
        return included, True
    return excluded, False


def _bound_names(raw: Mapping[str, Any]) -> str:
    return " and ".join(f"'{k}' = {raw[k]}" for k in sorted(_OPTION_KEYS) if
                        k.startswith("amount_") and k in raw)


def _parse_threshold(raw: Any, where: str, problems: _Problems) -> Threshold | None:
    if not isinstance(raw, dict):
        problems.add(where, "a threshold must be a table")
        return None
    _check_unknown_keys(raw, {"at_least", "points", "label"}, where, problems)
    at_least = _int(raw.get("at_least"), where, "at_least", problems)
    points = _int(raw.get("points"), where, "points", problems)
    label = _text(raw.get("label"), where, "label", problems)
    if at_least is None or points is None:
        return None
    return Threshold(at_least, points, label)


def _check_brackets(options: list[Option], where: str, problems: _Problems) -> None:
    """Side by side, the brackets hold every whole amount once: no overlap, no gap."""
    bracketed = sorted(
        (o for o in options if o.amount_min is not None or o.amount_max is not None),
        key=lambda o: (o.lowest_amount if o.lowest_amount is not None else -1),
    )
    for lower, upper in itertools.pairwise(bracketed):
        top, bottom = lower.highest_amount, upper.lowest_amount
        if top is None or bottom is None or top >= bottom:
            problems.add(where, f"amount brackets of '{lower.id}' and '{upper.id}' overlap")
        elif top + 1 < bottom:
            problems.add(where, f"amounts {top + 1}-{bottom - 1} fall between the brackets "
                                f"of '{lower.id}' and '{upper.id}'")


_CRITERION_KEYS = {"id", "kind", "label", "help", "options", "thresholds", "min", "unit",
                   "amount_unit", "decisions"}


def _parse_criterion(raw: Any, where: str, problems: _Problems) -> Criterion | None:
    if not isinstance(raw, dict):
        problems.add(where, "a criterion must be a table")
        return None
    _check_unknown_keys(raw, _CRITERION_KEYS, where, problems)
    criterion_id = _text(raw.get("id"), where, "id", problems)
    if criterion_id:
        where = f"criterion '{criterion_id}'"
        if not _ID.fullmatch(criterion_id):
            problems.add(where, "id must be lower-case letters, digits and _")
    kind = raw.get("kind")
    label = _text(raw.get("label"), where, "label", problems)
    help_text = _text(raw.get("help"), where, "help", problems, required=False)
    decisions = _decisions(raw.get("decisions"), where, problems)
    if kind == "choice":
        parsed = _parse_choice(raw, where, problems, criterion_id, label, help_text)
    elif kind == "count":
        parsed = _parse_count(raw, where, problems, criterion_id, label, help_text)
    else:
        problems.add(where, f"'kind' must be \"choice\" or \"count\", not {kind!r}")
        return None
    return dataclasses.replace(parsed, decisions=decisions) if parsed else None


def _decisions(value: Any, where: str, problems: _Problems) -> tuple[str, ...]:
    """A criterion's `decisions`: a list of texts, each a case decided and why."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                              for v in value):
        problems.add(where, "'decisions' must be a list of non-empty texts")
        return ()
    return tuple(v.strip() for v in value)


def _parse_choice(raw: dict[str, Any], where: str, problems: _Problems, criterion_id: str,
                  label: str, help_text: str) -> Criterion | None:
    """The rest of a criterion answered by picking one of its options."""
    raw_options = raw.get("options")
    if not isinstance(raw_options, list) or not raw_options:
        problems.add(where, "a choice criterion needs at least one [[criteria.options]]")
        return None
    if "thresholds" in raw or "min" in raw:
        problems.add(where, "a choice criterion takes options, not thresholds or min")
    options = [
        o for i, r in enumerate(raw_options, start=1)
        if (o := _parse_option(r, f"{where}, option {i}", problems)) is not None
    ]
    _check_duplicates([o.id for o in options], where, "option id", problems)
    _check_brackets(options, where, problems)
    if len(options) != len(raw_options):
        return None
    return Criterion(criterion_id, "choice", label, help_text, options=tuple(options),
                     amount_unit=_text(raw.get("amount_unit"), where, "amount_unit",
                                       problems, required=False))


def _parse_count(raw: dict[str, Any], where: str, problems: _Problems, criterion_id: str,
                 label: str, help_text: str) -> Criterion | None:
    """The rest of a criterion answered by a number, scored by thresholds."""
    minimum = _int(raw.get("min"), where, "min", problems)
    raw_thresholds = raw.get("thresholds")
    if not isinstance(raw_thresholds, list) or not raw_thresholds:
        problems.add(where, "a count criterion needs at least one [[criteria.thresholds]]")
        return None
    if "options" in raw:
        problems.add(where, "a count criterion takes thresholds, not options")
    thresholds = [
        t for i, r in enumerate(raw_thresholds, start=1)
        if (t := _parse_threshold(r, f"{where}, threshold {i}", problems)) is not None
    ]
    steps = [t.at_least for t in thresholds]
    if steps != sorted(set(steps)):
        problems.add(where, "thresholds must be in strictly increasing 'at_least' order")
    if minimum is not None and thresholds and thresholds[0].at_least != minimum:
        problems.add(where, f"the first threshold must start at min = {minimum}")
    if minimum is None or len(thresholds) != len(raw_thresholds):
        return None
    return Criterion(criterion_id, "count", label, help_text, thresholds=tuple(thresholds),
                     minimum=minimum,
                     unit=_text(raw.get("unit"), where, "unit", problems, required=False))


def _check_duplicates(ids: list[str], where: str, what: str, problems: _Problems) -> None:
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        problems.add(where, f"{what} '{duplicate}' appears more than once")


def _parse_bands(raw: Any, max_score: int | None, problems: _Problems) -> list[Band]:
    if not isinstance(raw, list) or not raw:
        problems.add("bands", "at least one [[bands]] entry is needed")
        return []
    bands = [
        b for i, entry in enumerate(raw, start=1)
        if (b := _parse_band(entry, f"band {i}", problems)) is not None
    ]
    bands.sort(key=lambda b: b.min_score)
    if bands and len(bands) == len(raw):
        _check_band_order(bands, max_score, problems)
    return bands


def _parse_band(entry: Any, where: str, problems: _Problems) -> Band | None:
    if not isinstance(entry, dict):
        problems.add(where, "a band must be a table")
        return None
    _check_unknown_keys(entry, {"min_score", "max_score", "coverage_percent"}, where,
                        problems)
    low = _int(entry.get("min_score"), where, "min_score", problems)
    high = _int(entry.get("max_score"), where, "max_score", problems)
    coverage = _int(entry.get("coverage_percent"), where, "coverage_percent", problems,
                    minimum=1)
    if coverage is not None and coverage > 100:
        problems.add(where, f"coverage_percent {coverage} is above 100")
    if low is not None and high is not None and high < low:
        problems.add(where, f"max_score {high} is below min_score {low}")
        return None
    if low is None or high is None or coverage is None:
        return None
    return Band(low, high, coverage)


def _check_band_order(bands: list[Band], max_score: int | None, problems: _Problems) -> None:
    """Sorted bands from 0 to ``max_score``, with no gap or overlap, coverage not falling."""
    if bands[0].min_score != 0:
        problems.add("bands", f"the lowest band must start at 0, not {bands[0].min_score}")
    if max_score is not None and bands[-1].max_score != max_score:
        problems.add("bands", f"the highest band must end at max_score = {max_score}, "
                              f"not {bands[-1].max_score}")
    for lower, upper in itertools.pairwise(bands):
        if upper.min_score <= lower.max_score:
            problems.add("bands", f"bands {lower.min_score}-{lower.max_score} and "
                                  f"{upper.min_score}-{upper.max_score} overlap")
        elif upper.min_score != lower.max_score + 1:
            problems.add("bands", f"scores {lower.max_score + 1}-{upper.min_score - 1} "
                                  f"fall in no band")
        if upper.coverage_percent < lower.coverage_percent:
            problems.add("bands", f"coverage must not fall as the score rises "
                                  f"({lower.coverage_percent}% below "
                                  f"{upper.coverage_percent}%)")


_FILE_KEYS = {"ruleset", "criteria", "bands"}
_HEAD_KEYS = {"id", "name", "title", "source", "effective_from", "max_score", "amount_rule",
              "band_rule"}


def parse_ruleset(data: Mapping[str, Any], source: str = "<rules>") -> RuleSet:
    """Build a :class:`RuleSet` from parsed TOML, or raise :class:`RuleSetError`."""
    problems = _Problems()
    _check_unknown_keys(data, _FILE_KEYS, "file", problems)
    head = data.get("ruleset")
    if not isinstance(head, dict):
        raise RuleSetError(source, ["[ruleset]: the table is missing"])
    _check_unknown_keys(head, _HEAD_KEYS, "[ruleset]", problems)
    ruleset_id = _text(head.get("id"), "[ruleset]", "id", problems)
    if ruleset_id and not _RULESET_ID.fullmatch(ruleset_id):
        problems.add("[ruleset]", f"id '{ruleset_id}' must be lower-case letters, digits, . _ -")
    name = _text(head.get("name"), "[ruleset]", "name", problems)
    title = _text(head.get("title"), "[ruleset]", "title", problems)
    effective_from = _effective_from(head.get("effective_from"), problems)
    max_score = _int(head.get("max_score"), "[ruleset]", "max_score", problems, minimum=1)
    criteria = _parse_criteria(data.get("criteria"), max_score, problems)
    bands = _parse_bands(data.get("bands"), max_score, problems)
    notes = {key: _text(head.get(key), "[ruleset]", key, problems, required=False)
             for key in ("source", "amount_rule", "band_rule")}
    if problems.items:
        raise RuleSetError(source, problems.items)
    return RuleSet(
        id=ruleset_id,
        name=name,
        title=title,
        source=notes["source"],
        effective_from=effective_from,
        max_score=max_score or 0,
        criteria=tuple(criteria),
        bands=tuple(bands),
        amount_rule=notes["amount_rule"],
        band_rule=notes["band_rule"],
        path=source,
    )


def _effective_from(value: Any, problems: _Problems) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        problems.add("[ruleset]", "'effective_from' must be a date such as 2009-08-16")
        return dt.date.min
    return value


def _parse_criteria(raw: Any, max_score: int | None, problems: _Problems) -> list[Criterion]:
    """Every [[criteria]] entry; their best answers must add up to ``max_score``."""
    if not isinstance(raw, list) or not raw:
        problems.add("criteria", "at least one [[criteria]] entry is needed")
        return []
    criteria = [
        c for i, r in enumerate(raw, start=1)
        if (c := _parse_criterion(r, f"criterion {i}", problems)) is not None
    ]
    _check_duplicates([c.id for c in criteria], "criteria", "criterion id", problems)
    best = sum(c.max_points for c in criteria)
    if max_score is not None and len(criteria) == len(raw) and best != max_score:
        problems.add("criteria", f"the best answers add up to {best}, "
                                 f"but max_score is {max_score}")
    return criteria


MAX_RULESET_BYTES = 1024 * 1024  # the directive's is 12 KB


def load_ruleset(path: Path) -> RuleSet:
    """Read and check one rule-set file."""
    try:
        if path.stat().st_size > MAX_RULESET_BYTES:
            raise RuleSetError(str(path), [f"larger than {MAX_RULESET_BYTES} bytes"])
        text = path.read_text(encoding="utf-8")
        check_toml(text)
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetError(str(path), [f"not valid TOML: {exc}"]) from exc
    except (TooDeep, RecursionError) as exc:
        raise RuleSetError(str(path), [f"not usable TOML: nested too deep ({exc})"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleSetError(str(path), [f"cannot be read: {exc}"]) from exc
    except ValueError as exc:  # an integer past Python's 4,300 digits
        raise RuleSetError(str(path), [f"not usable TOML: {exc}"]) from exc
    return parse_ruleset(data, str(path))


class RuleBook:
    """Every rule set the program knows, by id; the newest in force is the active one.

    A file that cannot be used (broken, or reusing an id) is set aside in ``skipped``
    rather than stopping the program: a half-written draft in the rules folder must
    not keep a social worker from her patients. Only having no usable rule set at all
    is an error.
    """

    def __init__(self, rulesets: Iterable[RuleSet],
                 skipped: Iterable[RuleSetError] = ()) -> None:
        self._by_id: dict[str, RuleSet] = {}
        self.skipped: list[RuleSetError] = list(skipped)
        for ruleset in rulesets:
            if ruleset.id in self._by_id:
                self.skipped.append(RuleSetError(ruleset.path, [
                    f"rule-set id '{ruleset.id}' is already used by "
                    f"{self._by_id[ruleset.id].path}"]))
                continue
            self._by_id[ruleset.id] = ruleset
        if not self._by_id:
            problems = [f"{e.source}: {p}" for e in self.skipped for p in e.problems]
            raise RuleSetError("rules", ["no usable rule set was found", *problems])

    @classmethod
    def from_directories(cls, directories: Iterable[Path]) -> RuleBook:
        """Built-in rules first, so a copy in the user's folder cannot displace them."""
        files = [f for d in directories if d.is_dir() for f in sorted(d.glob("*.toml"))]
        loaded: list[RuleSet] = []
        skipped: list[RuleSetError] = []
        for path in files:
            try:
                loaded.append(load_ruleset(path))
            except RuleSetError as exc:
                skipped.append(exc)
        return cls(loaded, skipped)

    def __getitem__(self, ruleset_id: str) -> RuleSet:
        return self._by_id[ruleset_id]

    def get(self, ruleset_id: str) -> RuleSet | None:
        return self._by_id.get(ruleset_id)

    def __contains__(self, ruleset_id: object) -> bool:
        return ruleset_id in self._by_id

    def __iter__(self) -> Iterator[RuleSet]:
        return iter(sorted(self._by_id.values(), key=lambda r: r.effective_from))

    def active(self, today: dt.date | None = None) -> RuleSet:
        """The rule set with the latest ``effective_from`` on or before ``today``."""
        today = today or dt.date.today()
        in_force = [r for r in self if r.effective_from <= today]
        return (in_force or list(self))[-1]
