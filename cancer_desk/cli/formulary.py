"""``formulary``: the drugs the programme covers. (Imports inside functions: see
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
    cannot_write,
    open_signed_in,
)

if TYPE_CHECKING:
    import datetime as dt

    from cancer_desk.cli._common import Subcommands
    from cancer_desk.core.records import DrugRecord


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    formulary = sub.add_parser("formulary", parents=[common],
                               help="the list of drugs the programme covers")
    actions = formulary.add_subparsers(dest="formulary_command", metavar="ACTION",
                                       required=True)
    drug_list = actions.add_parser("list", parents=[common], help="print the formulary")
    drug_list.add_argument("--json", action="store_true")
    drug_list.set_defaults(handler=list_drugs)
    drug_import = actions.add_parser(
        "import", parents=[common],
        help="import drugs from CSV/XLSX (columns name, generic_name, form)")
    drug_import.add_argument("file", type=Path, metavar="FILE.csv|xlsx")
    drug_import.add_argument("--dry-run", action="store_true")
    drug_import.set_defaults(handler=import_drugs)
    template = actions.add_parser("template", parents=[common],
                                  help="write the import template (CSV or XLSX)")
    template.add_argument("file", type=Path, metavar="FILE.xlsx|csv")
    template.set_defaults(handler=write_import_template)
    history = actions.add_parser("history", parents=[common],
                                 help="each drug's periods of coverage")
    history.add_argument("drug", nargs="?", type=int, metavar="DRUG_ID",
                         help="one drug (default: all)")
    history.set_defaults(handler=print_history)
    for name, verb in (("withdraw", "take a drug off the list"),
                       ("relist", "put a withdrawn drug back on the list")):
        change = actions.add_parser(name, parents=[common], help=f"{verb} from a date on")
        change.add_argument("drug", type=int, metavar="DRUG_ID")
        change.add_argument("--from", dest="date_from", metavar="YYYY/MM/DD",
                            help="Jalali date (default today); for withdraw, the first day "
                                 "not covered")
        change.add_argument("--reason", default="")
        change.add_argument("--dry-run", action="store_true",
                            help="say how many cost items would change; change nothing")
        change.set_defaults(handler=change_coverage, relist=name == "relist")


def list_drugs(args: argparse.Namespace) -> int:
    with open_signed_in(args, sign_in=False) as context:
        drugs = context.formulary.list(include_inactive=True)
    if args.json:
        print(json.dumps([_as_json(d) for d in drugs], ensure_ascii=False, indent=2))
    else:
        for drug in drugs:
            state = "" if drug.active else "  (withdrawn)"
            print(f"{drug.id:>5}  {drug.label}{state}")
    return EXIT_OK


def import_drugs(args: argparse.Namespace) -> int:
    with open_signed_in(args) as context:
        result = context.formulary.import_file(args.file, dry_run=args.dry_run)
    for _, message in result.problems:
        print(message, file=sys.stderr)
    print(result.summary())
    return EXIT_BAD_INPUT if result.problems else EXIT_OK


def _as_json(drug: DrugRecord) -> dict[str, object]:
    return {"id": drug.id, "name": drug.name, "generic_name": drug.generic_name,
            "form": drug.form, "active": drug.active,
            "periods": [{"covered_from": p.covered_from.isoformat(),
                         "covered_until": p.covered_until.isoformat() if p.covered_until
                         else None, "recorded_by": p.recorded_by, "reason": p.reason}
                        for p in drug.periods]}


def write_import_template(args: argparse.Namespace) -> int:
    from cancer_desk.services.formulary import write_template

    with cannot_write(args.file):
        write_template(args.file)
    print(f"wrote {args.file}")
    return EXIT_OK


def print_history(args: argparse.Namespace) -> int:
    from cancer_desk.core.formulary import status_label
    from cancer_desk.core.jalali import format_jalali

    with open_signed_in(args, sign_in=False) as context:
        drugs = context.formulary.list(include_inactive=True)
    if args.drug is not None:
        drugs = [d for d in drugs if d.id == args.drug]
        if not drugs:
            raise BadInput(f"no drug {args.drug} on the formulary")
    today = _today()
    for drug in drugs:
        print(f"{drug.id:>5}  {drug.label}  [{status_label(drug.periods, today)}]")
        for period in drug.periods:
            until = format_jalali(period.covered_until, persian_digits=False) or "..."
            print(f"       {format_jalali(period.covered_from, persian_digits=False)} – "
                  f"{until}  {period.reason}  ({period.recorded_by})")
    return EXIT_OK


def _today() -> dt.date:
    import datetime as dt

    return dt.date.today()


def _day(text: str | None) -> dt.date:
    from cancer_desk.core.errors import InputError
    from cancer_desk.core.jalali import parse_jalali

    if not text:
        return _today()
    try:
        return parse_jalali(text, field="--from", label="از تاریخ")
    except InputError as exc:
        raise BadInput(str(exc)) from exc


def change_coverage(args: argparse.Namespace) -> int:
    from cancer_desk.core.errors import ValidationErrors
    from cancer_desk.services.errors import NotFoundError

    day = _day(args.date_from)
    with open_signed_in(args) as context:
        change = context.formulary.relist if args.relist else context.formulary.withdraw
        try:
            result = change(args.drug, day, reason=args.reason, dry_run=args.dry_run)
        except NotFoundError as exc:
            raise BadInput(str(exc)) from exc
        except ValidationErrors as exc:
            raise BadInput("refused: " + " ".join(exc.errors.values())) from exc
    prefix = "(dry run) " if args.dry_run else ""
    print(f"{prefix}{result.drug.label}: {result.summary()}")
    return EXIT_OK
