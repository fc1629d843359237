"""Running the command line as a person does, for the command-line tests."""

from __future__ import annotations

import io
import sys

from cancer_desk.cli import main
from tests.conftest import TEST_USERNAME

ROLLUP_SIGNED_IN = ("setup", "import", "accept-key", "keys", "remove")


def run(argv, capsys, stdin: str | None = None, monkeypatch=None, *,
        user: str | None = TEST_USERNAME):
    """``main(argv)`` signed in as ``user`` (of the roll-up's ``package`` commands, those
    that change the roll-up sign in to its own accounts; checking a package, or reading
    the combined Form 2, signs in to nothing)."""
    if user is not None and argv and (argv[0] != "package"
                                      or (argv[1:2] and argv[1] in ROLLUP_SIGNED_IN)):
        argv = [*argv, "--user", user]
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err
