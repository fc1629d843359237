"""The quarter's reporting: ``form2``, ``export`` (which closes the quarter), ``quarter``
status and reopen, and the hub's ``allocation``. (Imports inside functions: see
_common.)"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cancer_desk.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    BadInput,
    add_password_options,
    add_quarter_options,
    busy_is_bad_input,
    cannot_write,
    open_signed_in,
    password,
    period,
    period_options,
    quarter_of,
    with_persian,
)

if TYPE_CHECKING:
    from cancer_desk.cli._common import Subcommands


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    form2 = sub.add_parser("form2", parents=[common, period_options()],
                           help="Form 2 of a period, and the checks before closing it")
    form2.add_argument("--json", action="store_true")
    form2.set_defaults(handler=show_form2)

    export = sub.add_parser("export", parents=[common],
                            help="write the quarterly package for the ministry; this closes "
                                 "the quarter")
    add_quarter_options(export)
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.zip")
    add_password_options(export, "encrypt the package with a password (AES-256)")
    export.set_defaults(handler=export_package)

    quarter = sub.add_parser("quarter", parents=[common], help="the state of a quarter")
    actions = quarter.add_subparsers(dest="quarter_command", metavar="ACTION", required=True)
    status = actions.add_parser("status", parents=[common],
                                help="closed or open, and its exports")
    add_quarter_options(status)
    status.set_defaults(handler=quarter_status)
    reopen = actions.add_parser(
        "reopen", parents=[common],
        help="reopen a closed quarter; the next export is an amendment")
    add_quarter_options(reopen)
    reopen.add_argument("--reason", required=True,
                        help="why (recorded, with the signed-in director)")
    reopen.set_defaults(handler=reopen_quarter)

    allocation = sub.add_parser("allocation", parents=[common],
                                help="the hub's allocation for a programme year")
    allocation.add_argument("--year", type=int, required=True, metavar="Y")
    allocation.add_argument("--set", dest="amount", metavar="TOMANS",
                            help="set it (whole tomans)")
    allocation.set_defaults(handler=allocation_of_year)


def show_form2(args: argparse.Namespace) -> int:
    from cancer_desk.core.jalali import format_jalali

    start, end, _ = period(args)
    with open_signed_in(args) as context:
        report = context.quarters.report(start, end)
    rows = [*report.form2.rows, report.form2.total]
    if args.json:
        print(json.dumps({
            "start": start.isoformat(), "end": end.isoformat(),
            "rows": [{"group_id": r.group_id, "label": r.label, "seen": r.seen,
                      "covered": r.covered, "spent_toman": r.spent} for r in rows],
            "problems": [{"code": p.code, "message": p.message} for p in report.problems],
        }, ensure_ascii=False, indent=2))
    else:
        print(f"Form 2, {format_jalali(start, persian_digits=False)} – "
              f"{format_jalali(end, persian_digits=False)}")
        for r in rows:
            print(f"{r.group_id or '':>2}  {r.seen:>6} {r.covered:>6} {r.spent:>15,}  {r.label}")
        for problem in report.problems:
            print(f"check: {problem.message}")
    return EXIT_OK if report.can_close else EXIT_BAD_INPUT


def export_package(args: argparse.Namespace) -> int:
    from cancer_desk.services.exports import ExportRefusedError, export_quarter

    quarter = quarter_of(args)
    secret = password(args, confirm=True)
    with open_signed_in(args) as context:
        if context.settings.get() is None:
            raise BadInput("the hub is not set up: open the program once and enter it")
        with busy_is_bad_input(), cannot_write(args.output):
            try:
                result = export_quarter(context, quarter, args.output, password=secret)
            except ExportRefusedError as exc:
                raise BadInput(with_persian(exc)) from exc
    if result.newly_closed:
        print(f"wrote {args.output}: version {result.version}, closed the quarter; "
              f"sha256 {result.package.sha256}")
    else:
        print(f"wrote {args.output}: version {result.version} as sent when the quarter "
              f"was closed; sha256 {result.package.sha256}")
        if result.changed_since:
            print(f"warning: {len(result.changed_since)} change(s) since it was closed; "
                  "reopen the quarter to send an amendment", file=sys.stderr)
    return EXIT_OK


def quarter_status(args: argparse.Namespace) -> int:
    quarter = quarter_of(args)
    with open_signed_in(args) as context:
        status = context.quarters.status(quarter)
    print(json.dumps({"year": args.year, "quarter": args.quarter, "closed": status.closed,
                      "exports": status.versions,
                      "last_closed_by": status.last_closed_by,
                      "reopen_reason": status.reopened_reason}, ensure_ascii=False))
    return EXIT_OK


def reopen_quarter(args: argparse.Namespace) -> int:
    quarter = quarter_of(args)
    with open_signed_in(args) as context, busy_is_bad_input():
        try:
            rebanded = context.quarters.reopen(quarter, reason=args.reason)
        except ValueError as exc:
            raise BadInput(str(exc)) from exc
    print(f"reopened {args.year} Q{args.quarter}; the next export is an amendment")
    if rebanded:
        print(f"the support of {rebanded} cost item(s) now follows the assessments "
              "recorded while the quarter was closed")
    return EXIT_OK


def allocation_of_year(args: argparse.Namespace) -> int:
    from cancer_desk.core.jalali import MAX_YEAR, MIN_YEAR
    from cancer_desk.core.persian import parse_int

    if not MIN_YEAR <= args.year <= MAX_YEAR:
        raise BadInput(f"--year {args.year}: a Jalali year between {MIN_YEAR} and {MAX_YEAR}")
    amount: int | None
    with open_signed_in(args) as context:
        if args.amount is not None:  # an administrator may set it without seeing reports
            try:
                amount = parse_int(args.amount)
                context.allocations.set(args.year, amount)
            except ValueError as exc:
                raise BadInput(f"--set {args.amount!r}: {exc}") from exc
        else:
            amount = context.allocations.get(args.year)
    print(json.dumps({"programme_year": args.year, "allocation_toman": amount}))
    return EXIT_OK
