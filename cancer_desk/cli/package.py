"""``package``: the receiving side, verifying quarterly packages and merging them into a
roll-up database. (Imports inside functions: see _common.)"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cancer_desk.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    BadInput,
    add_password_options,
    add_quarter_options,
    open_signed_in,
    password,
)

if TYPE_CHECKING:
    from cancer_desk.app import AppContext
    from cancer_desk.cli._common import Subcommands


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    package = sub.add_parser("package", parents=[common],
                             help="the receiving side: verify and merge quarterly packages")
    actions = package.add_subparsers(dest="package_command", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", parents=[common],
                                help="check a package's structure, checksums and sums")
    verify.add_argument("file", type=Path, metavar="FILE")
    add_password_options(verify, "the package's password")
    verify.set_defaults(handler=verify_package)
    rollup_db = argparse.ArgumentParser(add_help=False)
    rollup_db.add_argument(
        "--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS,
        help="the roll-up database (default: cancer-desk-rollup.sqlite3 in the user's data "
             "folder; $CANCER_DESK_DB is not used, and a hospital's database is refused)")
    merge = actions.add_parser("import", parents=[rollup_db],
                               help="merge packages into this (roll-up) database")
    merge.add_argument("files", type=Path, nargs="+", metavar="FILE")
    add_password_options(merge, "the packages' password")
    merge.set_defaults(handler=import_packages)
    rollup = actions.add_parser("rollup", parents=[rollup_db],
                                help="the combined Form 2 per university and country")
    add_quarter_options(rollup)
    rollup.add_argument("--json", action="store_true")
    rollup.set_defaults(handler=show_rollup)


def verify_package(args: argparse.Namespace) -> int:
    from cancer_desk.exchange.verify import verify_file

    report = verify_file(args.file, password(args))
    for english, persian in zip(report.describe(), report.describe_fa(), strict=True):
        print(f"{english}\n{persian}", file=sys.stderr)
    if report.ok and report.manifest:
        hub, period = report.manifest["hub"], report.manifest["period"]
        print(f"ok: {hub['hospital']} ({hub['university']}), {period['start_jalali']} – "
              f"{period['end_jalali']}, version {report.manifest['version']}")
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


@contextlib.contextmanager
def _open_rollup(args: argparse.Namespace) -> Iterator[AppContext]:
    """The roll-up database holds packages, not patients, and no accounts of its own."""
    from cancer_desk.app import patient_count
    from cancer_desk.paths import rollup_database_url

    with open_signed_in(args, url=rollup_database_url(getattr(args, "db", None)),
                        sign_in=False) as context:
        if patient_count(context):
            raise BadInput("this database holds a hospital's patients; keep the roll-up in "
                           "a database of its own (leave out --db, or give a new file)")
        yield context


def import_packages(args: argparse.Namespace) -> int:
    from cancer_desk.exchange.rollup import ImportOutcome, import_files

    def tell(outcome: ImportOutcome) -> None:
        stream = sys.stdout if outcome.ok else sys.stderr
        persian = f"\n{outcome.message_fa}" if outcome.message_fa and not outcome.ok else ""
        print(f"{outcome.source}: {outcome.status}: {outcome.message}{persian}", file=stream,
              flush=True)

    with _open_rollup(args) as context:
        outcomes = import_files(context.database.session_factory, args.files,
                                password=password(args), on_outcome=tell)
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_BAD_INPUT


def show_rollup(args: argparse.Namespace) -> int:
    from cancer_desk.exchange.rollup import combined_form2

    with _open_rollup(args) as context:
        combined = combined_form2(context.database.session_factory, args.year, args.quarter)
    if args.json:
        print(json.dumps({u or "country": [vars(r) for r in rows.values()]
                          for u, rows in combined.items()}, ensure_ascii=False, indent=2))
    else:
        for university, rows in sorted(combined.items(), key=lambda kv: (kv[0] == "", kv[0])):
            print(university or "— country —")
            for r in rows.values():
                print(f"  {r.group_id:>2} {r.seen:>7} {r.covered:>7} {r.spent:>16,}")
    return EXIT_OK
