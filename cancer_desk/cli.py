"""The ``cancer-desk`` command: the window, and subcommands for IT staff and scripts.

Exit status: 0 on success, 2 on bad input or a refusal (with the reason on stderr), 1
when something else went wrong (or, for ``audit verify``, when the trail is broken).

Commands that read or change a hospital's records sign in first: ``--user NAME``, with
the password from ``$CANCER_DESK_PASSWORD`` (scheduled jobs) or asked at a prompt.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cancer_desk import APP_NAME, __version__

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
PASSWORD_ENV_VAR = "CANCER_DESK_PASSWORD"


class BadInput(Exception):
    """Raised by a subcommand for input it cannot use; main() prints it and exits 2."""


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: $CANCER_DESK_DB, else the file in "
             "the user's data folder)",
    )
    common.add_argument(
        "--user", metavar="NAME", default=argparse.SUPPRESS,
        help=f"sign in as NAME (commands that read or change records; the password is "
             f"read from ${PASSWORD_ENV_VAR}, or asked)")
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

    demo = sub.add_parser("demo", parents=[common],
                          help="fill the database with realistic synthetic patients")
    demo.add_argument("--patients", type=int, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=None, metavar="S",
                      help="random seed, for the same data again (default: random)")

    rules = sub.add_parser("rules", parents=[common], help="print the active rule set")
    rules.add_argument("--json", action="store_true", help="machine-readable output")
    rules.add_argument("--file", dest="ruleset_file", type=Path, metavar="RULESET.toml",
                       help="check and print this rule-set file instead")

    score = sub.add_parser("score", parents=[common],
                           help="score an answers JSON object keyed by criterion id")
    score.add_argument("file", nargs="?", default="-", metavar="FILE|-",
                       help="answers file, or - for standard input (default)")
    score.add_argument("--ruleset", metavar="ID", help="rule-set id (default: the active one)")

    period = argparse.ArgumentParser(add_help=False)
    period.add_argument("--year", type=int, metavar="Y", help="Jalali year, e.g. 1404")
    period.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), metavar="Q",
                        help="1 = Farvardin–Khordad … 4 = Dey–Esfand")
    period.add_argument("--from", dest="date_from", metavar="YYYY/MM/DD",
                        help="any range instead of a quarter: first day (Jalali)")
    period.add_argument("--to", dest="date_to", metavar="YYYY/MM/DD", help="last day (Jalali)")

    printing = sub.add_parser("print", parents=[common, period],
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
    _add_sign_option(printing)

    patients = sub.add_parser("patients", parents=[common], help="list or import patients")
    patients_sub = patients.add_subparsers(dest="patients_command", metavar="ACTION",
                                           required=True)
    listing = patients_sub.add_parser("list", parents=[common], help="print the patients")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    importing = patients_sub.add_parser(
        "import", parents=[common],
        help="import a CSV/XLSX list: every row or, if any row is wrong, none")
    importing.add_argument("file", type=Path, metavar="FILE.csv|xlsx")
    importing.add_argument("--dry-run", action="store_true",
                           help="check the file and report; save nothing")
    template = patients_sub.add_parser("template", parents=[common],
                                       help="write the import template")
    template.add_argument("-o", "--output", type=Path, required=True,
                          metavar="FILE.xlsx|csv")

    formulary = sub.add_parser("formulary", parents=[common],
                               help="the list of drugs the programme covers")
    formulary_sub = formulary.add_subparsers(dest="formulary_command", metavar="ACTION",
                                             required=True)
    drug_list = formulary_sub.add_parser("list", parents=[common], help="print the formulary")
    drug_list.add_argument("--json", action="store_true")
    drug_import = formulary_sub.add_parser(
        "import", parents=[common],
        help="import drugs from CSV/XLSX (columns name, generic_name, form)")
    drug_import.add_argument("file", type=Path, metavar="FILE.csv|xlsx")
    drug_import.add_argument("--dry-run", action="store_true")

    form2 = sub.add_parser("form2", parents=[common, period],
                           help="Form 2 of a period, and the checks before closing it")
    form2.add_argument("--json", action="store_true")

    export = sub.add_parser("export", parents=[common],
                            help="write the quarterly package for the ministry; this closes "
                                 "the quarter")
    export.add_argument("--year", type=int, required=True, metavar="Y")
    export.add_argument("--quarter", type=int, required=True, choices=(1, 2, 3, 4), metavar="Q")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.zip")
    _password_options(export, "encrypt the package with a password (AES-256)")

    quarter = sub.add_parser("quarter", parents=[common], help="the state of a quarter")
    quarter_sub = quarter.add_subparsers(dest="quarter_command", metavar="ACTION",
                                         required=True)
    for name, text in (("status", "closed or open, and its exports"),
                       ("reopen", "reopen a closed quarter; the next export is an amendment")):
        action = quarter_sub.add_parser(name, parents=[common], help=text)
        action.add_argument("--year", type=int, required=True, metavar="Y")
        action.add_argument("--quarter", type=int, required=True, choices=(1, 2, 3, 4),
                            metavar="Q")
        if name == "reopen":
            action.add_argument("--reason", required=True,
                                help="why (recorded, with the signed-in director)")

    allocation = sub.add_parser("allocation", parents=[common],
                                help="the hub's allocation for a programme year")
    allocation.add_argument("--year", type=int, required=True, metavar="Y")
    allocation.add_argument("--set", dest="amount", metavar="TOMANS",
                            help="set it (whole tomans)")

    package = sub.add_parser("package", parents=[common],
                             help="the receiving side: verify and merge quarterly packages")
    package_sub = package.add_subparsers(dest="package_command", metavar="ACTION",
                                         required=True)
    verify = package_sub.add_parser("verify", parents=[common],
                                    help="check a package's structure, checksums and sums")
    verify.add_argument("file", type=Path, metavar="FILE")
    _password_options(verify, "the package's password")
    rollup_db = argparse.ArgumentParser(add_help=False)
    rollup_db.add_argument(
        "--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS,
        help="the roll-up database (default: cancer-desk-rollup.sqlite3 in the user's data "
             "folder; $CANCER_DESK_DB is not used, and a hospital's database is refused)")
    merge = package_sub.add_parser("import", parents=[rollup_db],
                                   help="merge packages into this (roll-up) database")
    merge.add_argument("files", type=Path, nargs="+", metavar="FILE")
    _password_options(merge, "the packages' password")
    rollup = package_sub.add_parser("rollup", parents=[rollup_db],
                                    help="the combined Form 2 per university and country")
    rollup.add_argument("--year", type=int, required=True, metavar="Y")
    rollup.add_argument("--quarter", type=int, required=True, choices=(1, 2, 3, 4),
                        metavar="Q")
    rollup.add_argument("--json", action="store_true")

    audit = sub.add_parser("audit", parents=[common], help="the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    audit_verify = audit_sub.add_parser(
        "verify", parents=[common],
        help="check the hash chain: names any entry edited, deleted or moved (no sign-in "
             "needed); prints the last entry's number and hash, to note down")
    audit_verify.add_argument(
        "--expect", metavar="SEQ:HASH",
        help="a head noted earlier: the trail must still pass through it (this also finds "
             "a trail rewritten with every hash recomputed, or cut short)")
    log = audit_sub.add_parser("log", parents=[common], help="print recorded changes")
    log.add_argument("--patient", metavar="NATIONAL_CODE", help="only this patient's")
    log.add_argument("--limit", type=int, default=50, metavar="N")
    log.add_argument("--json", action="store_true")

    backup = sub.add_parser("backup", parents=[common],
                            help="write a checked copy of the database (SQLite's online "
                                 "backup API; safe while the program is open)")
    backup.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.sqlite3")
    restore = sub.add_parser(
        "restore", parents=[common],
        help="replace the database by a backup: the database now is backed up first, and "
             "a file that is not a sound Cancer Desk database of a known version is refused")
    restore.add_argument("file", type=Path, metavar="FILE.sqlite3")
    copy_to = sub.add_parser(
        "copy-to", parents=[common],
        help="copy the whole database into an empty one, e.g. a department's PostgreSQL "
             "server (administrator); checked by the row counts and the audit trail's last "
             "entry; the source is only read")
    copy_to.add_argument("target", metavar="URL_OR_FILE",
                         help="postgresql+psycopg://user@server/database, or a new file")
    sub.add_parser("check", parents=[common],
                   help="integrity, schema version and counts of the database (no sign-in "
                        "needed); exit 1 if integrity_check finds a problem")

    check = sub.add_parser("verify-print", parents=[common],
                           help="does a printed Form 1 with this code match the record now? "
                                "(no sign-in needed)")
    check.add_argument("code", metavar="CODE", help="the code printed under the QR code, or "
                                                    "what a scanner reads from it")
    check.add_argument("--json", action="store_true")
    _add_signing_commands(sub, common)
    return parser


def _password_options(parser: argparse.ArgumentParser, text: str) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--password", action="store_true", help=f"{text}: asked at a prompt")
    group.add_argument("--password-env", metavar="VAR",
                       help=f"{text}: read from this environment variable (scheduled jobs)")


def _password(args: argparse.Namespace, *, confirm: bool = False) -> str | None:
    if getattr(args, "password_env", None):
        value = os.environ.get(args.password_env)
        if not value:
            raise BadInput(f"the environment variable {args.password_env} is empty or unset")
        return value
    if getattr(args, "password", False):
        import getpass

        value = getpass.getpass("password: ")
        if confirm and getpass.getpass("again: ") != value:
            raise BadInput("the two passwords differ")
        if not value:
            raise BadInput("an empty password")
        return value
    return None


def _warn_skipped(rulebook) -> None:
    for error in rulebook.skipped:
        print(f"cancer-desk: warning: rule-set file set aside: {error}", file=sys.stderr)


def _database_url(args: argparse.Namespace, *, demo: bool = False) -> str:
    from cancer_desk.paths import database_url

    return database_url(getattr(args, "db", None), demo=demo)


def _open_context(args: argparse.Namespace, *, url: str | None = None,
                  sign_in: bool = True):
    from cancer_desk.app import open_context
    from cancer_desk.core.reference import ReferenceDataError
    from cancer_desk.core.rules import RuleSetError
    from cancer_desk.db.database import DatabaseOpenError

    try:
        context = open_context(url or _database_url(args))
    except (DatabaseOpenError, RuleSetError, ReferenceDataError) as exc:
        raise BadInput(str(exc)) from exc
    _warn_skipped(context.rulebook)
    if sign_in:
        try:
            _sign_in(context, args)
        except BaseException:
            context.close()
            raise
    return context


def _sign_in(context, args: argparse.Namespace) -> None:
    from cancer_desk.services.accounts import SignInError

    if not context.accounts.has_accounts():
        raise BadInput(f"{context.database.location} has no accounts yet (it is not set up): "
                       "open the program once to create the administrator and enter the hub")
    user = getattr(args, "user", None)
    if not user:
        raise BadInput(f"this command reads or changes the hospital's records: sign in with "
                       f"--user NAME (the password is read from ${PASSWORD_ENV_VAR}, or "
                       "asked)")
    password = os.environ.get(PASSWORD_ENV_VAR)
    if not password:
        if not sys.stdin.isatty():
            raise BadInput(f"no password: set ${PASSWORD_ENV_VAR} or run at a terminal")
        import getpass

        password = getpass.getpass(f"password for {user}: ")
    try:
        context.accounts.sign_in(user, password)
    except SignInError as exc:
        raise BadInput(f"cannot sign in as {user}: {exc}") from exc
    if context.accounts.must_change_password():
        context.accounts.sign_out()
        raise BadInput(f"{user} must choose a new password first: sign in once in the window")


# --- subcommands ----------------------------------------------------------------------


def _cmd_demo(args: argparse.Namespace) -> int:
    from cancer_desk.app import DemoRefusedError, fill_demo

    if args.patients < 1:
        raise BadInput("--patients must be at least 1")
    context = _open_context(args, sign_in=False)
    try:
        if context.accounts.has_accounts():  # a new database gets the demo's accounts
            _sign_in(context, args)
        seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4))

        def progress(done: int, total: int) -> None:
            print(f"\r{done}/{total} patients", end="", file=sys.stderr, flush=True)

        try:
            added = fill_demo(context, args.patients, seed, progress=progress)
        except DemoRefusedError as exc:
            raise BadInput(str(exc)) from exc
        print(file=sys.stderr)
        print(f"added {added} synthetic patients (seed {seed}) to {context.database.location}")
    finally:
        context.close()
    return EXIT_OK


def _ruleset_for(args: argparse.Namespace):
    from cancer_desk.app import load_rulebook
    from cancer_desk.core.rules import RuleSetError, load_ruleset

    try:
        if getattr(args, "ruleset_file", None) is not None:
            return load_ruleset(args.ruleset_file)
        rulebook = load_rulebook()
        _warn_skipped(rulebook)
        ruleset_id = getattr(args, "ruleset", None)
        if ruleset_id:
            if ruleset_id not in rulebook:
                known = ", ".join(r.id for r in rulebook)
                raise BadInput(f"unknown rule set {ruleset_id!r} (known: {known})")
            return rulebook[ruleset_id]
        return rulebook.active()
    except RuleSetError as exc:
        raise BadInput("the rule set is not valid:\n  " + "\n  ".join(
            [exc.source, *exc.problems])) from exc


def ruleset_as_dict(ruleset) -> dict:
    criteria = []
    for c in ruleset.criteria:
        entry: dict = {"id": c.id, "kind": c.kind, "label": c.label, "max_points": c.max_points}
        if c.kind == "choice":
            entry["options"] = [
                {k: v for k, v in vars(o).items() if v is not None} for o in c.options
            ]
        else:
            entry["min"] = c.minimum
            entry["thresholds"] = [vars(t) for t in c.thresholds]
        criteria.append(entry)
    return {
        "id": ruleset.id,
        "name": ruleset.name,
        "title": ruleset.title,
        "source": ruleset.source,
        "effective_from": ruleset.effective_from.isoformat(),
        "max_score": ruleset.max_score,
        "criteria": criteria,
        "bands": [vars(b) for b in ruleset.bands],
    }


def _cmd_rules(args: argparse.Namespace) -> int:
    ruleset = _ruleset_for(args)
    if args.json:
        print(json.dumps(ruleset_as_dict(ruleset), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{ruleset.id} — {ruleset.title}")
    print(f"effective from {ruleset.effective_from.isoformat()}, max score {ruleset.max_score}")
    for c in ruleset.criteria:
        print(f"\n{c.id} ({c.kind}) — {c.label}")
        if c.kind == "choice":
            for o in c.options:
                print(f"  {o.id:<20} {o.points:>3}  {o.label}")
        else:
            for t in c.thresholds:
                print(f"  ≥ {t.at_least:<18} {t.points:>3}  {t.label}")
    print("\nbands")
    for b in reversed(ruleset.bands):
        print(f"  {b.min_score:>3}–{b.max_score:<3} → {b.coverage_percent}%")
    return EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from cancer_desk.core.scoring import ScoringError, score

    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read {args.file}: {exc}") from exc
    try:
        answers = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"the answers are not valid JSON: {exc}") from exc
    if not isinstance(answers, dict):
        raise BadInput("the answers must be a JSON object keyed by criterion id")
    ruleset = _ruleset_for(args)
    try:
        result = score(ruleset, answers)
    except ScoringError as exc:
        raise BadInput("\n".join(exc.problems)) from exc
    print(json.dumps(result.as_dict(), ensure_ascii=False))
    return EXIT_OK


def _patient_by_code(context, text: str):
    from cancer_desk.core import national_code
    from cancer_desk.core.errors import InputError

    try:
        code = national_code.normalize(text)
    except InputError as exc:
        raise BadInput(f"national code {text!r}: {exc.message}") from exc
    record = context.patients.find_by_national_code(code)
    if record is None:
        raise BadInput(f"no patient has the national code {code}")
    return record


def _period(args: argparse.Namespace):
    """(start, end, quarter or None) from --year/--quarter or --from/--to."""
    from cancer_desk.core.errors import InputError
    from cancer_desk.core.jalali import JalaliQuarter, parse_jalali

    try:
        if args.date_from or args.date_to:
            if not (args.date_from and args.date_to) or args.year or args.quarter:
                raise BadInput("give --from and --to together, or --year and --quarter")
            start = parse_jalali(args.date_from, field="--from", label="از")
            end = parse_jalali(args.date_to, field="--to", label="تا")
            if end < start:
                raise BadInput("--to is before --from")
            return start, end, None
        if args.year is None or args.quarter is None:
            raise BadInput("give --year and --quarter (or --from and --to)")
        quarter = JalaliQuarter(args.year, args.quarter)
        return quarter.start, quarter.end, quarter
    except InputError as exc:
        raise BadInput(str(exc)) from exc


def _cmd_print(args: argparse.Namespace) -> int:
    from cancer_desk.print.registry import render_document
    from cancer_desk.services.documents import DocumentUnavailableError
    from cancer_desk.services.errors import NotFoundError
    from cancer_desk.services.referrals import NothingToReferError

    if args.all_patients:
        if args.document != "form1":
            raise BadInput("--all is for form1")
        if args.national_code or args.number is not None or args.sign:
            raise BadInput("form1 --all is of every patient of a period (--year/--quarter or "
                           "--from/--to), not of one patient, and is not signed")
        return _print_period_form1(args)
    if args.document == "form2":
        if args.national_code or args.number is not None:
            raise BadInput("form2 is of a period (--year/--quarter or --from/--to), not of a "
                           "patient")
        return _print_form2(args)
    if not args.national_code:
        raise BadInput(f"{args.document} needs the patient's NATIONAL_CODE")
    if args.year or args.quarter or args.date_from or args.date_to:
        raise BadInput(f"{args.document} is of a patient; --year, --quarter, --from and --to "
                       "are for form2 and form1 --all")
    context = _open_context(args)
    try:
        passphrase = _signing_passphrase_for(args)
        patient = _patient_by_code(context, args.national_code)
        subject = patient.id
        if args.document == "referral":
            subject = _referral_number(context, patient.id, args.number)
        elif args.number is not None:
            raise BadInput("--number is for a referral")
        try:
            render_document(args.document, context.documents, subject, args.output)
        except (DocumentUnavailableError, NothingToReferError, NotFoundError) as exc:
            raise BadInput(f"{exc} ({getattr(exc, 'message_fa', '')})") from exc
        except OSError as exc:
            raise BadInput(f"cannot write {args.output}: {exc}") from exc
        if passphrase is not None:
            _sign_written_form1(context, patient.id, args.output, passphrase)
        print(f"wrote {args.output}")
    finally:
        context.close()
    return EXIT_OK


def _print_form2(args: argparse.Namespace) -> int:
    from cancer_desk.print.form2 import render_form2
    from cancer_desk.services.documents import DocumentUnavailableError

    start, end, quarter = _period(args)
    context = _open_context(args)
    try:
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
            render_form2(document, partial)
            partial.replace(args.output)
        except OSError as exc:
            raise BadInput(f"cannot write {args.output}: {exc}") from exc
        finally:
            partial.unlink(missing_ok=True)
        for problem in report.problems:
            print(f"warning: {problem.message}", file=sys.stderr)
        print(f"wrote {args.output}")
    finally:
        context.close()
    return EXIT_OK


def _print_period_form1(args: argparse.Namespace) -> int:
    from cancer_desk.core.jalali import format_jalali
    from cancer_desk.core.progress import Progress
    from cancer_desk.services.batch_print import print_period_form1
    from cancer_desk.services.documents import DocumentUnavailableError

    class Counting(Progress):
        def step(self, done: int, total: int, text: str = "") -> None:
            if total and (done % 100 == 0 or done == total):
                print(f"\r{done}/{total} forms", end="", file=sys.stderr, flush=True)

    start, end, quarter = _period(args)
    name = quarter.label if quarter else f"دوره {format_jalali(start)} تا {format_jalali(end)}"
    context = _open_context(args)
    try:
        try:
            # Interrupted (Ctrl+C), it leaves no file: the PDF is put in place only whole.
            count = print_period_form1(context, start, end, args.output, period_name=name,
                                       progress=Counting())
        except DocumentUnavailableError as exc:
            raise BadInput(f"{exc} ({exc.message_fa})") from exc
        except OSError as exc:
            raise BadInput(f"cannot write {args.output}: {exc}") from exc
        finally:
            print(file=sys.stderr)
        print(f"wrote {args.output}: Form 1 of {count} patients")
    finally:
        context.close()
    return EXIT_OK


def _cmd_form2(args: argparse.Namespace) -> int:
    from cancer_desk.core.jalali import format_jalali

    start, end, _ = _period(args)
    context = _open_context(args)
    try:
        report = context.quarters.report(start, end)
    finally:
        context.close()
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


def _cmd_export(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from cancer_desk.core.errors import InputError
    from cancer_desk.core.jalali import JalaliQuarter
    from cancer_desk.services.exports import ExportRefusedError, export_quarter

    try:
        quarter = JalaliQuarter(args.year, args.quarter)
    except InputError as exc:
        raise BadInput(str(exc)) from exc
    password = _password(args, confirm=True)
    context = _open_context(args)
    try:
        if context.settings.get() is None:
            raise BadInput("the hub is not set up: open the program once and enter it")
        try:
            result = export_quarter(context, quarter, args.output, password=password)
        except ExportRefusedError as exc:
            raise BadInput(f"{exc}\n{exc.message_fa}") from exc
        except OSError as exc:
            raise BadInput(f"cannot write {args.output}: {exc}") from exc
        except OperationalError as exc:  # another PC held the database past the timeout
            raise BadInput(f"the database is busy, try again: {exc.orig}") from exc
        if result.newly_closed:
            print(f"wrote {args.output}: version {result.version}, closed the quarter; "
                  f"sha256 {result.package.sha256}")
        else:
            print(f"wrote {args.output}: version {result.version} as sent when the quarter "
                  f"was closed; sha256 {result.package.sha256}")
            if result.changed_since:
                print(f"warning: {len(result.changed_since)} change(s) since it was closed; "
                      "reopen the quarter to send an amendment", file=sys.stderr)
    finally:
        context.close()
    return EXIT_OK


def _cmd_quarter(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from cancer_desk.core.errors import InputError
    from cancer_desk.core.jalali import JalaliQuarter

    try:
        quarter = JalaliQuarter(args.year, args.quarter)
    except InputError as exc:
        raise BadInput(str(exc)) from exc
    context = _open_context(args)
    try:
        if args.quarter_command == "reopen":
            try:
                rebanded = context.quarters.reopen(quarter, reason=args.reason)
            except ValueError as exc:
                raise BadInput(str(exc)) from exc
            except OperationalError as exc:
                raise BadInput(f"the database is busy, try again: {exc.orig}") from exc
            print(f"reopened {args.year} Q{args.quarter}; the next export is an amendment")
            if rebanded:
                print(f"the support of {rebanded} cost item(s) now follows the assessments "
                      "recorded while the quarter was closed")
            return EXIT_OK
        status = context.quarters.status(quarter)
        print(json.dumps({"year": args.year, "quarter": args.quarter, "closed": status.closed,
                          "exports": status.versions,
                          "last_closed_by": status.last_closed_by,
                          "reopen_reason": status.reopened_reason}, ensure_ascii=False))
    finally:
        context.close()
    return EXIT_OK


def _cmd_allocation(args: argparse.Namespace) -> int:
    from cancer_desk.core.jalali import MAX_YEAR, MIN_YEAR
    from cancer_desk.core.persian import parse_int

    if not MIN_YEAR <= args.year <= MAX_YEAR:
        raise BadInput(f"--year {args.year}: a Jalali year between {MIN_YEAR} and {MAX_YEAR}")
    context = _open_context(args)
    try:
        if args.amount is not None:  # an administrator may set it without seeing reports
            try:
                amount = parse_int(args.amount)
                context.allocations.set(args.year, amount)
            except ValueError as exc:
                raise BadInput(f"--set {args.amount!r}: {exc}") from exc
        else:
            amount = context.allocations.get(args.year)
        print(json.dumps({"programme_year": args.year, "allocation_toman": amount}))
    finally:
        context.close()
    return EXIT_OK


def _cmd_package(args: argparse.Namespace) -> int:
    from cancer_desk.exchange.verify import verify_file

    if args.package_command == "verify":
        report = verify_file(args.file, _password(args))
        for line in report.describe():
            print(line, file=sys.stderr)
        if report.ok and report.manifest:
            hub, period = report.manifest["hub"], report.manifest["period"]
            print(f"ok: {hub['hospital']} ({hub['university']}), {period['start_jalali']} – "
                  f"{period['end_jalali']}, version {report.manifest['version']}")
        return EXIT_OK if report.ok else EXIT_BAD_INPUT
    from cancer_desk.app import patient_count
    from cancer_desk.exchange.rollup import combined_form2, import_files
    from cancer_desk.paths import rollup_database_url

    # The roll-up database holds packages, not patients, and no accounts of its own.
    context = _open_context(args, url=rollup_database_url(getattr(args, "db", None)),
                            sign_in=False)
    try:
        if patient_count(context):
            raise BadInput("this database holds a hospital's patients; keep the roll-up in "
                           "a database of its own (leave out --db, or give a new file)")
        if args.package_command == "import":
            outcomes = import_files(context.database.session_factory, args.files,
                                    password=_password(args))
            for outcome in outcomes:
                stream = sys.stdout if outcome.ok else sys.stderr
                print(f"{outcome.source}: {outcome.status}: {outcome.message}", file=stream)
            return EXIT_OK if all(o.ok for o in outcomes) else EXIT_BAD_INPUT
        combined = combined_form2(context.database.session_factory, args.year, args.quarter)
        if args.json:
            print(json.dumps({u or "country": [vars(r) for r in rows.values()]
                              for u, rows in combined.items()}, ensure_ascii=False, indent=2))
        else:
            for university, rows in sorted(combined.items(), key=lambda kv: (kv[0] == "", kv[0])):
                print(university or "— country —")
                for r in rows.values():
                    print(f"  {r.group_id:>2} {r.seen:>7} {r.covered:>7} {r.spent:>16,}")
    finally:
        context.close()
    return EXIT_OK


def _referral_number(context, patient_id: int, number: int | None) -> int:
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


def _cmd_patients(args: argparse.Namespace) -> int:
    if args.patients_command == "template":
        from cancer_desk.services.patient_import import write_template

        try:
            write_template(args.output)
        except OSError as exc:
            raise BadInput(f"cannot write {args.output}: {exc}") from exc
        print(f"wrote {args.output}")
        return EXIT_OK
    context = _open_context(args)
    try:
        if args.patients_command == "list":
            return _list_patients(context, args.json)
        from cancer_desk.services.patient_import import import_patients

        report = import_patients(context.database.session_factory, context.access, args.file,
                                 dry_run=args.dry_run)
        for problem in report.problems:
            print(problem.describe(), file=sys.stderr)
        for warning in report.warnings:
            print(f"warning: {warning.describe()}", file=sys.stderr)
        print(report.summary())
        return EXIT_OK if report.ok else EXIT_BAD_INPUT
    finally:
        context.close()


def _list_patients(context, as_json: bool) -> int:
    rows = []
    offset = 0
    while batch := context.patients.search("", offset=offset, limit=1000):
        offset += len(batch)
        rows.extend(batch)
    if not as_json:
        for row in rows:
            print(f"{row.national_code}  {row.last_name}، {row.first_name} ({row.father_name})")
        return EXIT_OK
    out = []
    for row in rows:
        identity = context.patients.get(row.id).identity
        entry = identity.as_dict()
        entry["birth_date"] = identity.birth_date.isoformat()
        from cancer_desk.core.jalali import format_jalali

        entry["birth_date_jalali"] = format_jalali(identity.birth_date, persian_digits=False)
        entry["latest_score"] = row.latest_score
        entry["latest_coverage_percent"] = row.latest_coverage_percent
        out.append(entry)
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return EXIT_OK


def _cmd_formulary(args: argparse.Namespace) -> int:
    context = _open_context(args, sign_in=args.formulary_command != "list")
    try:
        if args.formulary_command == "list":
            drugs = context.formulary.list(include_inactive=True)
            if args.json:
                print(json.dumps([vars(d) for d in drugs], ensure_ascii=False, indent=2))
            else:
                for drug in drugs:
                    state = "" if drug.active else "  (withdrawn)"
                    print(f"{drug.id:>5}  {drug.label}{state}")
            return EXIT_OK
        result = context.formulary.import_file(args.file, dry_run=args.dry_run)
        for _, message in result.problems:
            print(message, file=sys.stderr)
        print(result.summary())
        return EXIT_BAD_INPUT if result.problems else EXIT_OK
    finally:
        context.close()


def _run_window(args: argparse.Namespace) -> int:
    from cancer_desk.ui.main import run

    return run(_database_url(args, demo=args.demo), demo=args.demo)


def _cmd_audit(args: argparse.Namespace) -> int:
    from cancer_desk.services import audit

    if args.audit_command == "verify":
        expected = _expected_head(args.expect) if args.expect else None
        context = _open_context(args, sign_in=False)
        try:
            report = audit.verify(context.database.session_factory)
            through = expected is None or audit.passes_through(
                context.database.session_factory, *expected)
        finally:
            context.close()
        for problem in report.problems:
            print(f"broken: {problem.describe()}", file=sys.stderr)
        if not through:
            print(f"broken: entry {expected[0]} no longer has the hash noted down "
                  f"({expected[1]}…): the trail was rewritten or cut short", file=sys.stderr)
        intact = report.intact and through
        state = "intact" if intact else "BROKEN"
        print(f"audit trail {state}: {report.entries} entries; last entry "
              f"{report.head_seq}:{report.head_hash}")
        return EXIT_OK if intact else EXIT_FAILURE
    if args.limit < 1:
        raise BadInput("--limit must be at least 1")
    context = _open_context(args)
    try:
        entries = (context.audit.patient_history(
                       _patient_by_code(context, args.patient).id)[:args.limit]
                   if args.patient else context.audit.recent(limit=args.limit))
    finally:
        context.close()
    if args.json:
        print(json.dumps([{**vars(e), "at": e.at.isoformat()} for e in entries],
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    for e in entries:
        fields = ", ".join(f"{k}: {v[0]!r} → {v[1]!r}" for k, v in e.changes.items())
        reason = f" ({e.reason})" if e.reason else ""
        print(f"#{e.seq} {e.at:%Y-%m-%d %H:%M} UTC {e.actor} {e.action} {e.table_name} "
              f"{e.record_id}{reason} {fields}".rstrip())
    return EXIT_OK


def _expected_head(text: str) -> tuple[int, str]:
    seq, _, digest = text.partition(":")
    if not (seq.isdigit() and len(digest) >= 16
            and all(c in "0123456789abcdef" for c in digest.lower())):
        raise BadInput(f"--expect {text!r}: give SEQ:HASH as 'audit verify' printed it "
                       "(at least 16 hex digits of the hash)")
    return int(seq), digest.lower()


def _cmd_verify_print(args: argparse.Namespace) -> int:
    from cancer_desk.services.seals import SealStatus

    context = _open_context(args, sign_in=False)
    try:
        check = context.seals.check(args.code)
    finally:
        context.close()
    if check.status == SealStatus.MALFORMED:
        raise BadInput(f"{args.code!r} is not a Form 1 code (12 letters and digits, as "
                       "printed under the QR code)")
    seal = check.seal
    if args.json:
        print(json.dumps({
            "status": check.status.value, "code": check.code,
            "patient": check.patient_name or None, "national_code": check.national_code or None,
            "sealed_at": seal.sealed_at.isoformat() if seal else None,
            "sealed_by": seal.sealed_by if seal else None,
            "unsealed_at": seal.unsealed_at.isoformat() if seal and seal.unsealed_at else None,
            "unseal_reason": seal.unseal_reason if seal else None,
            "printed": seal.summary if seal else None,
            "current_code": check.current_code}, ensure_ascii=False, indent=2))
    else:
        print(f"{check.code}: {check.status.value}")
        if seal is not None:
            print(f"Form 1 of {check.patient_name} ({check.national_code}), approved by "
                  f"{seal.sealed_by} at {seal.sealed_at:%Y-%m-%d %H:%M} UTC")
            if seal.summary:
                print("the printout says: " + ", ".join(
                    f"{key} {value}" for key, value in seal.summary.items() if value))
            if seal.unsealed_at is not None:
                print(f"unsealed by {seal.unsealed_by} at {seal.unsealed_at:%Y-%m-%d %H:%M} "
                      f"UTC: {seal.unseal_reason}")
            if check.current_code and check.current_code != check.code:
                print(f"the form in force now has code {check.current_code}")
    return EXIT_OK if check.status == SealStatus.CURRENT else EXIT_FAILURE


# --- signing printed PDFs with the hospital's certificate --------------------------------

SIGNING_PASSWORD_ENV_VAR = "CANCER_DESK_SIGNING_PASSWORD"


def _add_sign_option(printing: argparse.ArgumentParser) -> None:
    printing.add_argument(
        "--sign", action="store_true",
        help=f"form1: sign the PDF with the hospital's certificate (see 'signing load'); "
             f"only an approved Form 1. The certificate's passphrase is read from "
             f"${SIGNING_PASSWORD_ENV_VAR}, or asked")


def _add_signing_commands(sub, common: argparse.ArgumentParser) -> None:
    signing = sub.add_parser("signing", parents=[common],
                             help="the hospital's certificate for signing printed PDFs")
    actions = signing.add_subparsers(dest="signing_command", metavar="ACTION", required=True)
    load = actions.add_parser(
        "load", parents=[common],
        help=f"install a certificate and its key from a PKCS#12 file (.p12/.pfx), replacing "
             f"the one before; its passphrase is read from ${SIGNING_PASSWORD_ENV_VAR} or "
             f"asked, here and at each signing, and never stored")
    load.add_argument("file", type=Path, metavar="FILE.p12")
    status = actions.add_parser(
        "status", parents=[common],
        help="the installed certificate; exit status 1 if none or expired (no sign-in "
             "needed)")
    status.add_argument("--json", action="store_true")


def _signing_passphrase() -> str:
    passphrase = os.environ.get(SIGNING_PASSWORD_ENV_VAR)
    if passphrase:
        return passphrase
    if not sys.stdin.isatty():
        raise BadInput(f"no certificate passphrase: set ${SIGNING_PASSWORD_ENV_VAR} or run at "
                       "a terminal")
    import getpass

    return getpass.getpass("certificate passphrase: ")


def _signing_refused(exc) -> BadInput:
    return BadInput(f"{exc}\n{exc.message_fa}")


def _signing_passphrase_for(args: argparse.Namespace) -> str | None:
    """For ``print --sign``: the passphrase, checked before anything is written."""
    if not getattr(args, "sign", False):
        return None
    if args.document != "form1":
        raise BadInput("--sign is for form1")
    from cancer_desk.print import signing

    passphrase = _signing_passphrase()
    try:
        signing.check_passphrase(passphrase)
    except signing.SigningError as exc:
        raise _signing_refused(exc) from exc
    return passphrase


def _sign_written_form1(context, patient_id: int, output: Path, passphrase: str) -> None:
    """Replace the PDF just written with its signed copy; on failure remove it, so an
    unsigned file is never left where a signed one was asked for."""
    from cancer_desk.print import signing
    from cancer_desk.services.documents import DocumentUnavailableError

    partial = output.with_name(output.name + ".partial")
    try:
        signed = context.signing.sign_form1(patient_id, output.read_bytes(), passphrase)
        partial.write_bytes(signed)
        partial.replace(output)
    except (signing.SigningError, DocumentUnavailableError) as exc:
        output.unlink(missing_ok=True)
        raise _signing_refused(exc) from exc
    except OSError as exc:
        output.unlink(missing_ok=True)
        raise BadInput(f"cannot write {output}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)


def _certificate_text(info) -> str:
    return (f"{info.subject_name} (issued by {info.issuer}), valid "
            f"{info.valid_from:%Y-%m-%d} – {info.valid_to:%Y-%m-%d}; "
            f"sha256 {info.fingerprint_sha256}")


def _cmd_signing(args: argparse.Namespace) -> int:
    from cancer_desk.print import signing

    if args.signing_command == "status":
        info = signing.installed_certificate()
        if args.json:
            print(json.dumps(None if info is None else {
                "subject": info.subject_name, "issuer": info.issuer,
                "valid_from": info.valid_from.isoformat(),
                "valid_to": info.valid_to.isoformat(), "expired": info.expired(),
                "sha256": info.fingerprint_sha256}, ensure_ascii=False, indent=2))
        elif info is None:
            print("no signing certificate installed")
        else:
            state = " — EXPIRED" if info.expired() else ""
            print(f"{_certificate_text(info)}{state}")
        return EXIT_OK if info is not None and not info.expired() else EXIT_FAILURE
    context = _open_context(args)
    try:
        try:
            info = context.signing.install(args.file, _signing_passphrase())
        except signing.SigningError as exc:
            raise _signing_refused(exc) from exc
    finally:
        context.close()
    print(f"installed the signing certificate of {_certificate_text(info)}")
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from cancer_desk.db.backup import BackupError

    context = _open_context(args)
    try:
        try:
            written = context.backups.backup_to(args.output)
        except BackupError as exc:
            raise BadInput(str(exc)) from exc
    finally:
        context.close()
    print(f"wrote {written} (checked with integrity_check)")
    return EXIT_OK


def _cmd_copy_to(args: argparse.Namespace) -> int:
    from cancer_desk import paths
    from cancer_desk.services.transfer import CopyRefusedError, copy_database

    context = _open_context(args)
    try:
        try:
            report = copy_database(context.database, context.access,
                                   paths.database_url(args.target))
        except CopyRefusedError as exc:
            raise BadInput(f"{exc}\n{exc.message_fa}") from exc
    finally:
        context.close()
    print(f"copied to {report.target}: " + ", ".join(
        f"{table} {count}" for table, count in report.counts.items() if count))
    print(f"audit trail head on both: {report.trail_head}")
    print("to use it, start the program with --db (or CANCER_DESK_DB) set to it")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from cancer_desk.db.backup import BackupError

    context = _open_context(args)
    try:
        try:
            facts, before = context.backups.restore(args.file)
        except BackupError as exc:
            message = getattr(exc, "message_fa", "")
            raise BadInput(f"{exc}\n{message}".rstrip()) from exc
    finally:
        context.close()
    counts = ", ".join(f"{n} {table}" for table, n in facts.counts.items())
    print(f"restored {args.file} ({counts}); the database before it is kept in {before}")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from cancer_desk.db.backup import BackupError

    context = _open_context(args, sign_in=False)
    try:
        try:
            facts = context.backups.check()
        except BackupError as exc:
            raise BadInput(str(exc)) from exc
    finally:
        context.close()
    print(f"database: {facts.path}")
    print(f"schema: {facts.revision}")
    if not facts.integrity_checked:
        print("integrity: the server's own care (PostgreSQL checks its pages itself)")
    else:
        print("integrity: " + ("ok" if facts.sound else "PROBLEMS"))
    for problem in facts.problems[:20]:
        print(f"  {problem}")
    for table, count in facts.counts.items():
        print(f"{table}: {count}")
    return EXIT_OK if facts.sound else EXIT_FAILURE


COMMANDS = {"demo": _cmd_demo, "rules": _cmd_rules, "score": _cmd_score, "print": _cmd_print,
            "patients": _cmd_patients, "formulary": _cmd_formulary, "form2": _cmd_form2,
            "export": _cmd_export, "quarter": _cmd_quarter, "allocation": _cmd_allocation,
            "package": _cmd_package, "audit": _cmd_audit, "verify-print": _cmd_verify_print,
            "signing": _cmd_signing, "backup": _cmd_backup, "restore": _cmd_restore,
            "check": _cmd_check, "copy-to": _cmd_copy_to}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = _parser()
    args = parser.parse_args(argv)
    if args.self_test:
        if args.command or args.demo:
            parser.error("--self-test runs on a database of its own: no command, no --demo")
        from cancer_desk.selftest import run_self_test

        return run_self_test(report=args.self_test_report,
                             screenshot=args.self_test_screenshot)
    if args.self_test_report or args.self_test_screenshot:
        parser.error("--self-test-report and --self-test-screenshot go with --self-test")
    handler = COMMANDS.get(args.command, _run_window)
    if handler is _run_window:
        # Straight to the sign-in window: the database layer loads beside it (and the
        # window says a refusal itself).
        return _run_window(args)
    from cancer_desk.services.access import AccessDeniedError
    from cancer_desk.services.seals import SealedRecordError

    try:
        return handler(args)
    except BadInput as exc:
        print(f"cancer-desk: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (AccessDeniedError, SealedRecordError) as exc:
        print(f"cancer-desk: refused: {exc}\n{exc.message_fa}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
