"""The Unicode bidirectional algorithm for one line, with bracket pairs (rule N0).

python-bidi's pure-Python algorithm mirrors brackets but has no rule N0, so a line such
as «رژیم FOLFOX-6 (۱۲ دوره)» comes out with the number before the drug name and both
brackets facing one way. Its compiled algorithm has N0 but does not mirror. This module
runs python-bidi's public stages and adds N0 between the weak and neutral rules
(UAX #9, BD16 and N0), so ordering and mirroring are both right.
"""

from __future__ import annotations

from typing import Any

from bidi.algorithm import (
    PARAGRAPH_LEVELS,
    apply_mirroring,
    explicit_embed_and_overrides,
    get_embedding_levels,
    get_empty_storage,
    reorder_resolved_levels,
    resolve_implicit_levels,
    resolve_neutral_types,
    resolve_weak_types,
)

# python-bidi's pure-Python stages imported above, and the shape of the storage they share
# («chars» with «ch», «type» and «level»; «runs» with «start», «length» and «sor»;
# «base_level», «base_dir»), are internals, not its documented API: a new series may
# rename or reshape them and printing would go wrong without an error.
# pyproject.toml keeps to the series this module was checked with, and a test fails
# on any other.
CHECKED_PYTHON_BIDI_SERIES = "0.6"

# Bidi_Paired_Bracket: opening → closing. « » are quotation marks, not paired brackets.
_PAIRS = {"(": ")", "[": "]", "{": "}", "⟨": "⟩", "〈": "〉", "⁅": "⁆", "❨": "❩", "﴾": "﴿"}
_CLOSING = {v: k for k, v in _PAIRS.items()}
_MAX_DEPTH = 63  # BD16: a deeper stack stops pairing


def _strong(kind: str) -> str | None:
    """L or R as N0 sees it (numbers count as R); None for a neutral."""
    if kind == "L":
        return "L"
    if kind in ("R", "AL", "EN", "AN"):
        return "R"
    return None


def _bracket_pairs(chars: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """BD16 within one run: positions of matched pairs, sorted by the opening one."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for index, char in enumerate(chars):
        if char["type"] != "ON":
            continue
        symbol = char["ch"]
        if symbol in _PAIRS:
            if len(stack) == _MAX_DEPTH:
                break
            stack.append((_PAIRS[symbol], index))
        elif symbol in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == symbol:
                    pairs.append((stack[depth][1], index))
                    del stack[depth:]
                    break
    return sorted(pairs)


def resolve_bracket_pairs(storage: dict[str, Any]) -> None:
    """Rule N0: a bracket pair takes the direction of the strong text inside it, or of
    the text before it when only the other direction is inside."""
    for run in storage["runs"]:
        chars = storage["chars"][run["start"]:run["start"] + run["length"]]
        if not chars:
            continue
        embedding = "R" if chars[0]["level"] % 2 else "L"
        for opening, closing in _bracket_pairs(chars):
            inside = {_strong(c["type"]) for c in chars[opening + 1:closing]} - {None}
            if not inside:
                continue
            if embedding in inside:
                direction = embedding
            else:
                before = next((s for c in reversed(chars[:opening])
                               if (s := _strong(c["type"])) is not None), run["sor"])
                direction = before if before != embedding else embedding
            chars[opening]["type"] = chars[closing]["type"] = direction


def display(text: str, base_dir: str = "R") -> str:
    """One line in visual order, brackets paired (N0) and mirrored."""
    storage = get_empty_storage()
    storage["base_level"] = PARAGRAPH_LEVELS[base_dir]
    storage["base_dir"] = base_dir
    get_embedding_levels(text, storage)
    explicit_embed_and_overrides(storage)
    resolve_weak_types(storage)
    resolve_bracket_pairs(storage)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    reorder_resolved_levels(storage, False)
    apply_mirroring(storage, False)
    return "".join(c["ch"] for c in storage["chars"])
