"""How deep and how many: a cheap look at JSON and TOML text before it is parsed.

Python's JSON and TOML parsers recurse once per level of nesting: a few thousand
brackets in a file of a few kilobytes end them in a RecursionError, and a few million
empty ``{}`` become gigabytes of objects. Strings and comments are set aside first (a
bracket inside a name is no nesting), then the brackets that are left are counted;
that is all done by the regular-expression engine and bytes methods, in C.
"""

from __future__ import annotations

import itertools
import re

MAX_JSON_DEPTH = 64  # a package's data is four levels deep
MAX_TOML_DEPTH = 32  # a rule set's, three or four

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# TOML: multi-line strings first, then one-line ones, then comments. A multi-line
# string may end in one or two of its own quotes just before the closing three.
_TOML_SET_ASIDE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"{3,5}|' r"'''(?:[^']|'(?!''))*'{3,5}|"
    r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|' r"'[^'\n]*'|" r"#[^\n]*",
    re.DOTALL)
_OPENING = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class TooDeep(ValueError):
    """The text nests deeper, or holds more values, than any file of its kind can."""

    def __init__(self, message: str, message_fa: str) -> None:
        super().__init__(message)
        self.message_fa = message_fa


def _depth(brackets: bytes) -> int:
    """The deepest nesting of a run of brackets (unbalanced ones are the parser's to
    refuse)."""
    steps = (_OPENING[b] for b in brackets)
    return max(itertools.accumulate(steps), default=0)


def check_json(data: bytes | str, *, max_depth: int = MAX_JSON_DEPTH,
               max_values: int | None = None) -> None:
    """Raise :class:`TooDeep` for JSON nested deeper than ``max_depth``, or with more
    than ``max_values`` values in its arrays and objects."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    bare = _JSON_STRING.sub(b'""', raw)
    brackets = bare.translate(None, bytes(b for b in range(256) if b not in _OPENING))
    if max_values is not None:
        values = bare.count(b",") + len(brackets) // 2
        if values > max_values:
            raise TooDeep(f"more than {max_values} values",
                          "بیش از اندازه داده دارد.")
    # A run of openings deeper than the limit is found without adding up every bracket.
    if (b"[" * (max_depth + 1) in brackets.replace(b"{", b"[")
            or _depth(brackets) > max_depth):
        raise TooDeep(f"nested more than {max_depth} levels deep",
                      "تودرتویی ساختار آن بیش از اندازه است.")


def check_toml(text: str, *, max_depth: int = MAX_TOML_DEPTH) -> None:
    """Raise :class:`TooDeep` for TOML whose arrays and inline tables nest deeper than
    ``max_depth``."""
    bare = _TOML_SET_ASIDE.sub("", text).encode("utf-8", "surrogatepass")
    brackets = bare.translate(None, bytes(b for b in range(256) if b not in _OPENING))
    if _depth(brackets) > max_depth:
        raise TooDeep(f"nested more than {max_depth} levels deep",
                      "تودرتویی ساختار آن بیش از اندازه است.")
