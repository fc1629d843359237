"""The TOML depth pre-scan sets strings aside as TOML ends them: a multi-line string
may end in one or two of its own quote characters."""

from __future__ import annotations

import tomllib

import pytest

from cancer_desk.core.nesting import MAX_TOML_DEPTH, TooDeep, check_toml

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("quote", ['"""', "'''"])
@pytest.mark.parametrize("ending", [1, 2])
def test_brackets_after_a_multiline_string_ending_in_its_quote_are_counted(quote,
                                                                           ending) -> None:
    text = f"a = [{quote}x{quote[0] * ending}{quote}, {DEEP}, {quote[0]}y{quote[0]}]\n"
    with pytest.raises(TooDeep):
        check_toml(text)


@pytest.mark.parametrize("quote", ['"""', "'''"])
@pytest.mark.parametrize("ending", [0, 1, 2])
def test_brackets_inside_a_multiline_string_ending_in_its_quote_are_not(quote,
                                                                       ending) -> None:
    deep = "[" * (MAX_TOML_DEPTH + 10)
    text = f"a = [{quote}{deep}{quote[0] * ending}{quote}, 'b']\n"
    check_toml(text)
    assert tomllib.loads(text)["a"][0] == deep + quote[0] * ending
