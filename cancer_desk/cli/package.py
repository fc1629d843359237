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
    PASSWORD_ENV_VAR,
    BadInput,
    add_password_options,
    add_quarter_options,
    open_signed_in,
    password,
    secret_for,
    sign_in_as_user,
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
    rollup_db.add_argument(
        "--user", metavar="NAME", default=argparse.SUPPRESS,
        help=f"sign in to the roll-up as NAME (the password is read from "
             f"${PASSWORD_ENV_VAR}, or asked)")
    setup = actions.add_parser("setup", parents=[rollup_db],
                               help="make the roll-up's first administrator (--user NAME "
                                    "--name 'FULL NAME'; the password as for signing in)")
    setup.add_argument("--name", required=True, metavar="FULL_NAME")
    setup.set_defaults(handler=set_up_rollup)
    merge = actions.add_parser("import", parents=[rollup_db],
                               help="merge packages into this (roll-up) database")
    merge.add_argument("files", type=Path, nargs="+", metavar="FILE")
    add_password_options(merge, "the packages' password")
    merge.add_argument("--accept-unsigned", metavar="REASON", default="",
                       help="take packages without a signature (format 1-3) from hubs whose "
                            "key is not pinned, for this reason (an administrator's decision)")
    merge.set_defaults(handler=import_packages)
    accept = actions.add_parser(
        "accept-key", parents=[rollup_db],
        help="pin a hub's new key, from a package signed under it, once its fingerprint "
             "was compared with the hub by phone")
    accept.add_argument("file", type=Path, metavar="FILE")
    accept.add_argument("--fingerprint", required=True, metavar="XXXX-XXXX-XXXX-XXXX-XXXX",
                        help="the hub key's fingerprint as the hub read it out")
    accept.add_argument("--reason", required=True)
    add_password_options(accept, "the package's password")
    accept.set_defaults(handler=accept_hub_key)
    keys = actions.add_parser("keys", parents=[rollup_db],
                              help="the hub keys this roll-up holds, and those replaced")
    keys.set_defaults(handler=list_hub_keys)
    remove = actions.add_parser("remove", parents=[rollup_db],
                                help="take a package out of the roll-up's sums (kept, with "
                                     "who and why)")
    remove.add_argument("package_id", type=int, metavar="ID",
                        help="the package's number, as `package keys` and the roll-up show")
    remove.add_argument("--reason", required=True)
    remove.set_defaults(handler=remove_package)
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
def _open_rollup(args: argparse.Namespace, *, sign_in: bool = True) -> Iterator[AppContext]:
    """The roll-up database holds packages, not patients, and accounts of its own: who
    imports, accepts a key or removes a package is named in its trail."""
    from cancer_desk.app import patient_count
    from cancer_desk.paths import rollup_database_url

    with open_signed_in(args, url=rollup_database_url(getattr(args, "db", None)),
                        sign_in=False) as context:
        if patient_count(context):
            raise BadInput("this database holds a hospital's patients; keep the roll-up in "
                           "a database of its own (leave out --db, or give a new file)")
        if sign_in:
            if not context.accounts.has_accounts():
                raise BadInput("the roll-up has no accounts yet: make its administrator with "
                               "`package setup --user NAME --name 'FULL NAME'`")
            sign_in_as_user(context, args)
        yield context


def set_up_rollup(args: argparse.Namespace) -> int:
    from cancer_desk.core.errors import ValidationErrors
    from cancer_desk.services.accounts import AccountsExistError

    user = getattr(args, "user", None)
    if not user:
        raise BadInput("give the administrator's username with --user NAME")
    with _open_rollup(args, sign_in=False) as context:
        try:
            context.accounts.create_first_administrator(user, args.name, secret_for(user))
        except AccountsExistError as exc:
            raise BadInput("the roll-up has accounts already; its administrator makes "
                           "others") from exc
        except ValidationErrors as exc:
            raise BadInput("; ".join(f"{k}: {v}" for k, v in exc.errors.items())) from exc
    print(f"the roll-up's administrator {user} is made")
    return EXIT_OK


def accept_hub_key(args: argparse.Namespace) -> int:
    from cancer_desk.core.errors import InputError
    from cancer_desk.core.keys import display_fingerprint

    with _open_rollup(args) as context:
        try:
            accepted = context.rollup.accept_hub_key(
                args.file, typed_fingerprint=args.fingerprint, reason=args.reason,
                password=password(args))
        except InputError as exc:
            raise BadInput(f"{exc.field}: {exc.message}") from exc
    before = f" (replacing {display_fingerprint(accepted.replaced)})" \
        if accepted.replaced and accepted.replaced != accepted.fingerprint else ""
    print(f"{accepted.hospital}: hub key {display_fingerprint(accepted.fingerprint)} "
          f"pinned{before}")
    return EXIT_OK


def list_hub_keys(args: argparse.Namespace) -> int:
    with _open_rollup(args) as context:
        for key in context.rollup.hub_keys():
            state = f"replaced {key.replaced_at:%Y-%m-%d}" if key.replaced_at else "in force"
            print(f"{key.hospital}\t{key.display}\t{state}\tpinned {key.pinned_at:%Y-%m-%d} "
                  f"by {key.pinned_by}: {key.reason}")
    return EXIT_OK


def remove_package(args: argparse.Namespace) -> int:
    from cancer_desk.core.errors import InputError
    from cancer_desk.services.errors import NotFoundError

    with _open_rollup(args) as context:
        try:
            context.rollup.remove(args.package_id, args.reason)
        except (InputError, NotFoundError) as exc:
            raise BadInput(str(getattr(exc, "message", exc))) from exc
    print(f"package {args.package_id} removed from the roll-up")
    return EXIT_OK


def import_packages(args: argparse.Namespace) -> int:
    from cancer_desk.core.errors import InputError
    from cancer_desk.exchange.rollup import ImportOutcome

    def tell(outcome: ImportOutcome) -> None:
        stream = sys.stdout if outcome.ok else sys.stderr
        persian = f"\n{outcome.message_fa}" if outcome.message_fa and not outcome.ok else ""
        print(f"{outcome.source}: {outcome.status}: {outcome.message}{persian}", file=stream,
              flush=True)

    with _open_rollup(args) as context:
        try:
            outcomes = context.rollup.import_files(args.files, password=password(args),
                                                   unsigned_reason=args.accept_unsigned,
                                                   on_outcome=tell)
        except InputError as exc:
            raise BadInput(f"--accept-unsigned: {exc.message}") from exc
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_BAD_INPUT


def show_rollup(args: argparse.Namespace) -> int:
    from cancer_desk.exchange.rollup import combined_form2

    with _open_rollup(args, sign_in=False) as context:  # reading, as a report
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
