"""Every command's ``--help`` runs: the list is walked from the parser itself, so a new
subcommand is covered as soon as it is added."""

from __future__ import annotations

import argparse

import pytest

from cancer_desk.cli import build_parser, main


def _command_paths(parser: argparse.ArgumentParser,
                   path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                paths += _command_paths(subparser, (*path, name))
    return paths


COMMANDS = _command_paths(build_parser())


def test_the_walk_finds_the_nested_commands() -> None:
    assert ("score",) in COMMANDS and ("package", "rollup") in COMMANDS
    assert len(COMMANDS) > 30


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "cancer-desk")
def test_help_exits_0_with_a_description(path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*path, "--help"])
    out, err = capsys.readouterr()
    assert exit_.value.code == 0, err
    assert out.startswith("usage: cancer-desk") and "--help" in out
    assert err == ""
