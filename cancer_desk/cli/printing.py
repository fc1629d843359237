"""``print``: a printed document as PDF. (Imports inside functions: see _common.)"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cancer_desk.cli._common import (
    EXIT_OK,
    BadInput,
    cannot_write,
    open_signed_in,
    patient_by_code,
    period,
    period_options,
)
from cancer_desk.cli.signing import add_sign_option, sign_written_form1, signing_passphrase_for
from cancer_desk.core.progress import Progress

if TYPE_CHECKING:
    from cancer_desk.app import AppContext
    from cancer_desk.cli._common import Subcommands


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    printing = sub.add_parser("print", parents=[common, period_options()],
                              help="write a printed document as PDF")
    printing.add_argument("document", choices=["assessment", "form1", "form2", "referral"],
                          help="form1, the assessment sheet, the referral to accounting, or "
                               "form2 for a period")
    printing.add_argument("national_code", metavar="NATIONAL_CODE", nargs="?",
                          help="the patient (not for form2, nor with --all)")
    printing.add_argument("--all", dest="all_patients", action="store_true",
                          help="form1: of every patient Form 2 counts in the period "
                               "(--year/--quarter or --from/--to), one after another in one "
                               "PDF")
    printing.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    printing.add_argument("--number", type=int, metavar="N",
                          help="referral: print referral N again instead of referring the "
                               "costs not yet referred")
    add_sign_option(printing)
    printing.set_defaults(handler=print_document)


def _refuse_what_does_not_belong(args: argparse.Namespace) -> None:
    """Three ways of printing, each with the arguments it takes: form1 --all and form2 of
    a period, the other documents of one patient. The first rule broken is named (the
    messages name the documents, which argparse's own groups could not)."""
    doc, patient = args.document, bool(args.national_code)
    number = args.number is not None
    of_period = bool(args.year or args.quarter or args.date_from or args.date_to)
    of_patient = not args.all_patients and doc != "form2"
    rules = (
        (args.all_patients and doc != "form1", "--all is for form1"),
        (args.all_patients and (patient or number or args.sign),
         "form1 --all is of every patient of a period (--year/--quarter or --from/--to), "
         "not of one patient, and is not signed"),
        (not args.all_patients and doc == "form2" and (patient or number),
         "form2 is of a period (--year/--quarter or --from/--to), not of a patient"),
        (of_patient and not patient, f"{doc} needs the patient's NATIONAL_CODE"),
        (of_patient and of_period, f"{doc} is of a patient; --year, --quarter, --from and "
                                   "--to are for form2 and form1 --all"),
        (of_patient and args.sign and doc != "form1", "--sign is for form1"),
        (of_patient and number and doc != "referral", "--number is for a referral"),
    )
    for broken, message in rules:
        if broken:
            raise BadInput(message)


def print_document(args: argparse.Namespace) -> int:
    _refuse_what_does_not_belong(args)
    if args.all_patients:
        return _print_period_form1(args)
    if args.document == "form2":
        return _print_form2(args)
    return _print_of_patient(args)


def _print_of_patient(args: argparse.Namespace) -> int:
    from cancer_desk.print.registry import render_document
    from cancer_desk.services.documents import DocumentUnavailableError
    from cancer_desk.services.errors import NotFoundError
    from cancer_desk.services.referrals import NothingToReferError

    with open_signed_in(args) as context:
        passphrase = signing_passphrase_for(args)
        patient = patient_by_code(context, args.national_code)
        subject = patient.id
        if args.document == "referral":
            subject = _referral_number(context, patient.id, args.number)
        with cannot_write(args.output):
            try:
                render_document(args.document, context.documents, subject, args.output)
            except (DocumentUnavailableError, NothingToReferError, NotFoundError) as exc:
                raise BadInput(f"{exc} ({getattr(exc, 'message_fa', '')})") from exc
        if passphrase is not None:
            sign_written_form1(context, patient.id, args.output, passphrase)
        print(f"wrote {args.output}")
    return EXIT_OK


def _referral_number(context: AppContext, patient_id: int, number: int | None) -> int:
    """An existing referral of this patient, or a new one for the costs not referred."""
    from cancer_desk.services.errors import NotFoundError
    from cancer_desk.services.referrals import NothingToReferError

    if number is not None:
        try:
            referral = context.referrals.get(number)
        except NotFoundError as exc:
            raise BadInput(f"there is no referral {number}") from exc
        if referral.patient_id != patient_id:
            raise BadInput(f"referral {number} is of another patient")
        return number
    if not context.assessments.history(patient_id, limit=1):
        raise BadInput("the patient has not been assessed yet, so there is no support to "
                       "refer")
    try:
        return context.referrals.create(patient_id).number
    except NothingToReferError as exc:
        raise BadInput(f"{exc} ({exc.message_fa})") from exc


def _print_form2(args: argparse.Namespace) -> int:
    from cancer_desk.print.form2 import render_form2
    from cancer_desk.services.documents import DocumentUnavailableError

    start, end, quarter = period(args)
    with open_signed_in(args) as context:
        report = context.quarters.report(start, end)
        # Only a quarter closed by its export prints final; anything else is a draft.
        closed = quarter is not None and context.quarters.status(quarter).closed
        try:
            document = context.documents.form2(report.form2,
                                               period_name=quarter.label if quarter else "",
                                               closed=closed)
        except DocumentUnavailableError as exc:
            raise BadInput(str(exc)) from exc
        partial = args.output.with_name(args.output.name + ".partial")
        try:
            with cannot_write(args.output):
                render_form2(document, partial)
                partial.replace(args.output)
        finally:
            partial.unlink(missing_ok=True)
        for problem in report.problems:
            print(f"warning: {problem.message}", file=sys.stderr)
        print(f"wrote {args.output}")
    return EXIT_OK


class _Counting(Progress):
    """Form 1 of a whole period: the count so far on stderr, every hundred forms."""

    def step(self, done: int, total: int, text: str = "") -> None:
        if total and (done % 100 == 0 or done == total):
            print(f"\r{done}/{total} forms", end="", file=sys.stderr, flush=True)


def _print_period_form1(args: argparse.Namespace) -> int:
    from cancer_desk.core.jalali import format_jalali
    from cancer_desk.services.batch_print import print_period_form1
    from cancer_desk.services.documents import DocumentUnavailableError

    start, end, quarter = period(args)
    name = quarter.label if quarter else f"دوره {format_jalali(start)} تا {format_jalali(end)}"
    with open_signed_in(args) as context:
        try:
            # Interrupted (Ctrl+C), it leaves no file: the PDF is put in place only whole.
            with cannot_write(args.output):
                count = print_period_form1(context, start, end, args.output,
                                           period_name=name, progress=_Counting())
        except DocumentUnavailableError as exc:
            raise BadInput(f"{exc} ({exc.message_fa})") from exc
        finally:
            print(file=sys.stderr)
        print(f"wrote {args.output}: Form 1 of {count} patients")
    return EXIT_OK
