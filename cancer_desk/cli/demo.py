"""``demo``: synthetic patients. (Imports inside functions: see _common.)"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from cancer_desk.cli._common import EXIT_OK, BadInput, open_signed_in, sign_in_as_user

if TYPE_CHECKING:
    from cancer_desk.cli._common import Subcommands


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser("demo", parents=[common],
                          help="fill the database with realistic synthetic patients")
    demo.add_argument("--patients", type=int, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=None, metavar="S",
                      help="random seed, for the same data again (default: random)")
    demo.set_defaults(handler=fill)


def fill(args: argparse.Namespace) -> int:
    from cancer_desk.app import DemoRefusedError, fill_demo

    if args.patients < 1:
        raise BadInput("--patients must be at least 1")
    with open_signed_in(args, sign_in=False) as context:
        if context.accounts.has_accounts():  # a new database gets the demo's accounts
            sign_in_as_user(context, args)
        seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4))

        def progress(done: int, total: int) -> None:
            print(f"\r{done}/{total} patients", end="", file=sys.stderr, flush=True)

        try:
            added = fill_demo(context, args.patients, seed, progress=progress)
        except DemoRefusedError as exc:
            raise BadInput(str(exc)) from exc
        print(file=sys.stderr)
        print(f"added {added} synthetic patients (seed {seed}) to {context.database.location}")
    return EXIT_OK
