"""Running the command line as a person does, for the command-line tests."""

from __future__ import annotations

import io
import sys

from cancer_desk.cli import main
from tests.conftest import TEST_USERNAME


def run(argv, capsys, stdin: str | None = None, monkeypatch=None, *,
        user: str | None = TEST_USERNAME):
    """``main(argv)`` signed in as ``user`` (the roll-up's ``package`` commands have no
    accounts to sign in to)."""
    if user is not None and argv and argv[0] != "package":
        argv = [*argv, "--user", user]
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err
