"""``rules`` and ``score``: the rule set, and scoring answers by it. (Imports inside
functions: see _common; ``score`` in particular loads no database and no Qt.)"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cancer_desk.cli._common import EXIT_OK, BadInput, warn_skipped

if TYPE_CHECKING:
    from cancer_desk.cli._common import Subcommands
    from cancer_desk.core.rules import Option, RuleSet


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    rules = sub.add_parser("rules", parents=[common], help="print the active rule set")
    rules.add_argument("--json", action="store_true", help="machine-readable output")
    rules.add_argument("--file", dest="ruleset_file", type=Path, metavar="RULESET.toml",
                       help="check and print this rule-set file instead")
    rules.set_defaults(handler=show_rules)

    score = sub.add_parser("score", parents=[common],
                           help="score an answers JSON object keyed by criterion id")
    score.add_argument("file", nargs="?", default="-", metavar="FILE|-",
                       help="answers file, or - for standard input (default)")
    score.add_argument("--ruleset", metavar="ID", help="rule-set id (default: the active one)")
    score.set_defaults(handler=score_answers)


def _ruleset_for(args: argparse.Namespace) -> RuleSet:
    from cancer_desk.app import load_rulebook
    from cancer_desk.core.rules import RuleSetError, load_ruleset

    try:
        if getattr(args, "ruleset_file", None) is not None:
            return load_ruleset(args.ruleset_file)
        rulebook = load_rulebook()
        warn_skipped(rulebook)
        ruleset_id = getattr(args, "ruleset", None)
        if ruleset_id:
            if ruleset_id not in rulebook:
                known = ", ".join(r.id for r in rulebook)
                raise BadInput(f"unknown rule set {ruleset_id!r} (known: {known})")
            return rulebook[ruleset_id]
        return rulebook.active()
    except RuleSetError as exc:
        raise BadInput("the rule set is not valid:\n  " + "\n  ".join(
            [exc.source, *exc.problems])) from exc


def ruleset_as_dict(ruleset: RuleSet) -> dict[str, Any]:
    criteria = []
    for c in ruleset.criteria:
        entry: dict[str, Any] = {"id": c.id, "kind": c.kind, "label": c.label,
                                 "max_points": c.max_points}
        if c.kind == "choice":
            entry["options"] = [_option_as_dict(o) for o in c.options]
        else:
            entry["min"] = c.minimum
            entry["thresholds"] = [vars(t) for t in c.thresholds]
        if c.decisions:
            entry["decisions"] = list(c.decisions)
        criteria.append(entry)
    return {
        "id": ruleset.id,
        "name": ruleset.name,
        "title": ruleset.title,
        "source": ruleset.source,
        "effective_from": ruleset.effective_from.isoformat(),
        "max_score": ruleset.max_score,
        "criteria": criteria,
        "bands": [vars(b) for b in ruleset.bands],
        "band_rule": ruleset.band_rule,
    }


def _option_as_dict(option: Option) -> dict[str, Any]:
    """An option with its bracket's bounds named as the rule file names them."""
    entry: dict[str, Any] = {"id": option.id, "label": option.label, "points": option.points}
    if option.amount_min is not None:
        entry["amount_min" if option.min_included else "amount_above"] = option.amount_min
    if option.amount_max is not None:
        entry["amount_up_to" if option.max_included else "amount_max"] = option.amount_max
    return entry


def show_rules(args: argparse.Namespace) -> int:
    ruleset = _ruleset_for(args)
    if args.json:
        print(json.dumps(ruleset_as_dict(ruleset), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{ruleset.id} — {ruleset.title}")
    print(f"effective from {ruleset.effective_from.isoformat()}, max score {ruleset.max_score}")
    for c in ruleset.criteria:
        print(f"\n{c.id} ({c.kind}) — {c.label}")
        if c.kind == "choice":
            for o in c.options:
                print(f"  {o.id:<20} {o.points:>3}  {o.label}")
        else:
            for t in c.thresholds:
                print(f"  ≥ {t.at_least:<18} {t.points:>3}  {t.label}")
    print("\nbands")
    for b in reversed(ruleset.bands):
        print(f"  {b.min_score:>3}–{b.max_score:<3} → {b.coverage_percent}%")
    return EXIT_OK


# A rule set has a dozen criteria; an answers file is a few hundred bytes.
MAX_ANSWERS_CHARS = 1024 * 1024
MAX_ANSWERS_VALUES = 10_000


def _read_answers(file: str) -> str:
    """The answers' text, from a file or standard input, read no further than the
    limit allows (one character more, to tell that it goes on)."""
    try:
        if file == "-":
            return sys.stdin.read(MAX_ANSWERS_CHARS + 1)
        with Path(file).open(encoding="utf-8") as stream:
            return stream.read(MAX_ANSWERS_CHARS + 1)
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read {file}: {exc}") from exc


def score_answers(args: argparse.Namespace) -> int:
    from cancer_desk.core.nesting import TooDeep, check_json
    from cancer_desk.core.scoring import ScoringError, score

    text = _read_answers(args.file)
    if len(text) > MAX_ANSWERS_CHARS:
        raise BadInput(f"the answers are longer than {MAX_ANSWERS_CHARS} characters\n"
                       "پاسخ‌ها بیش از اندازه بلند است.")
    try:
        check_json(text, max_values=MAX_ANSWERS_VALUES)
        answers = json.loads(text)
    except TooDeep as exc:
        raise BadInput(f"the answers are not usable JSON: {exc}\n{exc.message_fa}") from exc
    # ValueError: a JSONDecodeError, or a number past Python's 4,300 digits.
    except (ValueError, RecursionError) as exc:
        raise BadInput(f"the answers are not valid JSON: {exc}") from exc
    if not isinstance(answers, dict):
        raise BadInput("the answers must be a JSON object keyed by criterion id")
    ruleset = _ruleset_for(args)
    try:
        result = score(ruleset, answers)
    except ScoringError as exc:
        raise BadInput("\n".join(exc.problems)) from exc
    print(json.dumps(result.as_dict(), ensure_ascii=False))
    return EXIT_OK
