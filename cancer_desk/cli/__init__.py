"""The ``cancer-desk`` command: the window, and subcommands for IT staff and scripts.

Exit status: 0 on success, 2 on bad input or a refusal (with the reason on stderr), 1
when something else went wrong (or, for ``audit verify``, when the trail is broken).

Commands that read or change a hospital's records sign in first: ``--user NAME``, with
the password from ``$CANCER_DESK_PASSWORD`` (scheduled jobs) or asked at a prompt.

One module per command group, each adding its parsers (``register``) next to their
handlers (``set_defaults(handler=…)``); ``_common`` holds what they share. A module's
imports of the services and libraries are made inside its handlers, so that building
the parser, ``--help`` and ``score`` stay quick and never load the database or Qt.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cancer_desk import APP_NAME, __version__
from cancer_desk.cli import (
    audit,
    database,
    demo,
    formulary,
    package,
    patients,
    printing,
    quarters,
    rules,
    signing,
    verify_print,
)
from cancer_desk.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    EXIT_OK,
    PASSWORD_ENV_VAR,
    BadInput,
    common_options,
    database_url,
    run_handler,
)
from cancer_desk.cli.rules import ruleset_as_dict
from cancer_desk.cli.signing import SIGNING_PASSWORD_ENV_VAR

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILURE", "EXIT_OK", "PASSWORD_ENV_VAR",
           "SIGNING_PASSWORD_ENV_VAR", "BadInput", "build_parser", "main", "ruleset_as_dict"]

# In the order of the list of commands in --help.
_GROUPS = (demo, rules, printing, patients, formulary, quarters, package, audit, database,
           verify_print, signing)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="cancer-desk", parents=[common],
        description=f"{APP_NAME} — support desk for the cancer-patient programme. "
                    "Without a subcommand, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="open the window on a demo database with synthetic patients")
    parser.add_argument(
        "--self-test", action="store_true",
        help="check that this copy of the program works (a throw-away database migrated, "
             "demo patients, every printed PDF, a signature, a quarterly package, the "
             "window), one line per step; exit 1 naming the steps that failed")
    parser.add_argument("--self-test-report", type=Path, metavar="FILE",
                        help="also write the self-test's report to FILE (a windowed build "
                             "on Windows has no console to print it to)")
    parser.add_argument("--self-test-screenshot", type=Path, metavar="FILE.png",
                        help="the self-test saves a picture of the main window to FILE.png")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in _GROUPS:
        group.register(sub, common)
    return parser


def _run_window(args: argparse.Namespace) -> int:
    from cancer_desk.ui.main import run

    return run(database_url(args, demo=args.demo), demo=args.demo)


# What a shell reports for a command ended by SIGPIPE: the reader (``| head``) had all it
# wanted and went away.
EXIT_BROKEN_PIPE = 128 + 13


def main(argv: Sequence[str] | None = None) -> int:
    """The command's exit status. Output to a pipe whose reader has gone ends the
    command quietly, as other command-line tools end, rather than with a traceback."""
    try:
        status = _main(argv)
        sys.stdout.flush()  # here, where a closed pipe is still caught
        return status
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE


def _quiet_stdout() -> None:
    """Nothing more goes to the closed pipe, not even Python's flush at exit (which
    would print "Exception ignored … BrokenPipeError")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):  # stdout is no file (a test's)
        pass


def _main(argv: Sequence[str] | None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        if args.command or args.demo:
            parser.error("--self-test runs on a database of its own: no command, no --demo")
        from cancer_desk.selftest import run_self_test

        return run_self_test(report=args.self_test_report,
                             screenshot=args.self_test_screenshot)
    if args.self_test_report or args.self_test_screenshot:
        parser.error("--self-test-report and --self-test-screenshot go with --self-test")
    handler = getattr(args, "handler", None)
    if handler is None:
        # Straight to the sign-in window: the database layer loads beside it (and the
        # window says a refusal itself).
        return _run_window(args)
    return run_handler(handler, args)
