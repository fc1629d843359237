"""``patients``: list, import, the import template, and duplicates (list, merge, mark as
two people). (Imports inside functions: see _common.)"""

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
    busy_is_bad_input,
    cannot_write,
    open_signed_in,
    patient_by_code,
    with_persian,
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
    _register_duplicates(actions, common)


def _register_duplicates(actions: Subcommands, common: argparse.ArgumentParser) -> None:
    duplicates = actions.add_parser(
        "duplicates", parents=[common],
        help="list likely duplicates: codes one digit or one swap apart, or the same names, "
             "father's name and birth date")
    duplicates.add_argument("--json", action="store_true", help="machine-readable output")
    duplicates.set_defaults(handler=list_duplicates)
    merge = actions.add_parser(
        "merge", parents=[common],
        help="merge two records of one person: keep one, move the other's records onto it")
    merge.add_argument("--keep", required=True, metavar="CODE", help="national code kept")
    merge.add_argument("--remove", required=True, metavar="CODE",
                       help="national code whose record is moved and deleted")
    merge.add_argument("--reason", default="", help="recorded in the audit trail")
    merge.set_defaults(handler=merge_patients)
    distinct = actions.add_parser(
        "not-duplicate", parents=[common],
        help="mark two records as two people: not listed as duplicates again")
    distinct.add_argument("codes", nargs=2, metavar="CODE")
    distinct.add_argument("--reason", default="", help="recorded in the audit trail")
    distinct.set_defaults(handler=mark_not_duplicate)


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


def list_duplicates(args: argparse.Namespace) -> int:
    with open_signed_in(args) as context:
        pairs = context.duplicates.find_all()
    if args.json:
        print(json.dumps([{
            "first": {"national_code": p.first.national_code, "name": p.first.full_name},
            "second": {"national_code": p.second.national_code, "name": p.second.full_name},
            "reasons": [r.value for r in p.reasons],
        } for p in pairs], ensure_ascii=False, indent=2))
        return EXIT_OK
    for p in pairs:
        print(f"{p.first.national_code} {p.first.full_name}  —  {p.second.national_code} "
              f"{p.second.full_name}: {p.reasons_fa}")
    print(f"{len(pairs)} likely duplicate pair(s)")
    return EXIT_OK


def merge_patients(args: argparse.Namespace) -> int:
    from cancer_desk.services.duplicates import MergeRefusedError

    with open_signed_in(args) as context:
        keep = patient_by_code(context, args.keep)
        remove = patient_by_code(context, args.remove)
        try:
            with busy_is_bad_input():
                report = context.duplicates.merge(keep.id, remove.id, args.reason)
        except MergeRefusedError as exc:
            raise BadInput(f"refused: {with_persian(exc)}") from exc
    print(report.summary_fa)
    return EXIT_OK


def mark_not_duplicate(args: argparse.Namespace) -> int:
    from cancer_desk.services.duplicates import MergeRefusedError

    with open_signed_in(args) as context:
        first, second = (patient_by_code(context, code) for code in args.codes)
        try:
            with busy_is_bad_input():
                context.duplicates.mark_not_duplicate(first.id, second.id, args.reason)
        except MergeRefusedError as exc:
            raise BadInput(f"refused: {with_persian(exc)}") from exc
    print(f"{first.identity.national_code} and {second.identity.national_code} are marked as "
          "two people")
    return EXIT_OK
