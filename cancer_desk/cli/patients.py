"""``patients``: list, import, and the import template. (Imports inside functions: see
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
    from cancer_desk.cli._common import Subcommands


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    patients = sub.add_parser("patients", parents=[common], help="list or import patients")
    actions = patients.add_subparsers(dest="patients_command", metavar="ACTION",
                                      required=True)
    listing = actions.add_parser("list", parents=[common], help="print the patients")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument("--search", metavar="TEXT", default="",
                         help="only the patients whose names have every word of TEXT, or "
                              "whose national code starts with its digits")
    listing.set_defaults(handler=list_patients)
    importing = actions.add_parser(
        "import", parents=[common],
        help="import a CSV/XLSX list: every row or, if any row is wrong, none")
    importing.add_argument("file", type=Path, metavar="FILE.csv|xlsx")
    importing.add_argument("--dry-run", action="store_true",
                           help="check the file and report; save nothing")
    importing.set_defaults(handler=import_list)
    template = actions.add_parser("template", parents=[common],
                                  help="write the import template")
    template.add_argument("-o", "--output", type=Path, required=True,
                          metavar="FILE.xlsx|csv")
    template.set_defaults(handler=write_import_template)


def write_import_template(args: argparse.Namespace) -> int:
    from cancer_desk.services.patient_import import write_template

    with cannot_write(args.output):
        write_template(args.output)
    print(f"wrote {args.output}")
    return EXIT_OK


def import_list(args: argparse.Namespace) -> int:
    from cancer_desk.services.patient_import import import_patients
    from cancer_desk.services.tabular import TableReadError, read_table

    # A file that cannot be read is refused before the database is opened or signed in
    # to: it leaves the database as it was, byte for byte. (Read again by the import: a
    # table held here through it would double the memory a large list takes.)
    try:
        read_table(args.file)
    except TableReadError as exc:
        raise BadInput(f"{exc}\n{exc.message_fa}") from exc
    with open_signed_in(args) as context:
        report = import_patients(context.database.session_factory, context.access,
                                 args.file, dry_run=args.dry_run)
    for problem in report.problems:
        print(problem.describe(), file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning.describe()}", file=sys.stderr)
    print(report.summary())
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def list_patients(args: argparse.Namespace) -> int:
    from cancer_desk.core.errors import InputError
    from cancer_desk.core.jalali import format_jalali
    from cancer_desk.services.patients import check_search

    try:
        check_search(args.search)
    except InputError as exc:
        raise BadInput(f"--search: {exc.message}\n{exc.message_fa}") from exc
    with open_signed_in(args) as context:
        rows = []
        offset = 0
        while batch := context.patients.search(args.search, offset=offset, limit=1000):
            offset += len(batch)
            rows.extend(batch)
        if not args.json:
            for row in rows:
                print(f"{row.national_code}  {row.last_name}، {row.first_name} "
                      f"({row.father_name})")
            return EXIT_OK
        out = []
        for row in rows:
            identity = context.patients.get(row.id).identity
            entry = identity.as_dict()
            entry["birth_date"] = identity.birth_date.isoformat()
            entry["birth_date_jalali"] = format_jalali(identity.birth_date,
                                                       persian_digits=False)
            entry["latest_score"] = row.latest_score
            entry["latest_coverage_percent"] = row.latest_coverage_percent
            out.append(entry)
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return EXIT_OK
