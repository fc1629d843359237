"""``formulary``: the drugs the programme covers. (Imports inside functions: see
_common.)"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cancer_desk.cli._common import EXIT_BAD_INPUT, EXIT_OK, open_signed_in

if TYPE_CHECKING:
    from cancer_desk.cli._common import Subcommands


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


def list_drugs(args: argparse.Namespace) -> int:
    with open_signed_in(args, sign_in=False) as context:
        drugs = context.formulary.list(include_inactive=True)
    if args.json:
        print(json.dumps([vars(d) for d in drugs], ensure_ascii=False, indent=2))
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
