"""What the command groups share: exit codes, the options every command takes, the
database opened (and signed in to) for the length of a command, and turning refusals into
exit status 2 with one line on stderr.

Imports of the program's services, the database layer and the libraries behind them are
made inside the functions that need them, here and in every module of this package: the
command line builds its whole parser at each start, and ``score`` or ``--help`` must not
wait for (nor load) the database, the PDF libraries or Qt.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cancer_desk.core.errors import InputError

if TYPE_CHECKING:
    import datetime as dt

    from cancer_desk.app import AppContext
    from cancer_desk.core.jalali import JalaliQuarter
    from cancer_desk.core.records import PatientRecord
    from cancer_desk.core.rules import RuleBook

    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
PASSWORD_ENV_VAR = "CANCER_DESK_PASSWORD"

Handler = Callable[[argparse.Namespace], int]


class BadInput(Exception):
    """Raised by a subcommand for input it cannot use; main() prints it and exits 2."""


def run_handler(handler: Handler, args: argparse.Namespace) -> int:
    """The subcommand's exit status; a refusal is one line (English, then Persian where
    the refusal has it) on stderr and exit status 2, never a traceback."""
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


def with_persian(exc: Exception) -> str:
    """A refusal's English message, then its Persian one (``message_fa``)."""
    return f"{exc}\n{getattr(exc, 'message_fa', '')}"


@contextlib.contextmanager
def cannot_write(path: Path) -> Iterator[None]:
    """An OSError while writing ``path`` becomes a BadInput naming it."""
    try:
        yield
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc}") from exc


@contextlib.contextmanager
def busy_is_bad_input() -> Iterator[None]:
    """Another PC held the database past the timeout: say so, and that a retry may do."""
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:
        raise BadInput(f"the database is busy, try again: {exc.orig}") from exc


# --- options shared by several commands ----------------------------------------------


def common_options() -> argparse.ArgumentParser:
    """--db and --user, taken by the program and by every subcommand."""
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
    return common


def period_options() -> argparse.ArgumentParser:
    """A quarter (--year/--quarter) or any range (--from/--to); see ``period``."""
    period = argparse.ArgumentParser(add_help=False)
    period.add_argument("--year", type=int, metavar="Y", help="Jalali year, e.g. 1404")
    period.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), metavar="Q",
                        help="1 = Farvardin–Khordad … 4 = Dey–Esfand")
    period.add_argument("--from", dest="date_from", metavar="YYYY/MM/DD",
                        help="any range instead of a quarter: first day (Jalali)")
    period.add_argument("--to", dest="date_to", metavar="YYYY/MM/DD", help="last day (Jalali)")
    return period


def add_quarter_options(parser: argparse.ArgumentParser) -> None:
    """--year and --quarter, both required; see ``quarter_of``."""
    parser.add_argument("--year", type=int, required=True, metavar="Y")
    parser.add_argument("--quarter", type=int, required=True, choices=(1, 2, 3, 4),
                        metavar="Q")


def add_password_options(parser: argparse.ArgumentParser, text: str) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--password", action="store_true", help=f"{text}: asked at a prompt")
    group.add_argument("--password-env", metavar="VAR",
                       help=f"{text}: read from this environment variable (scheduled jobs)")


def password(args: argparse.Namespace, *, confirm: bool = False) -> str | None:
    """A package's password from --password-env or --password, or None for neither."""
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


def quarter_of(args: argparse.Namespace) -> JalaliQuarter:
    from cancer_desk.core.jalali import JalaliQuarter

    try:
        return JalaliQuarter(args.year, args.quarter)
    except InputError as exc:
        raise BadInput(str(exc)) from exc


def period(args: argparse.Namespace) -> tuple[dt.date, dt.date, JalaliQuarter | None]:
    """(start, end, quarter or None) from --year/--quarter or --from/--to."""
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


# --- the database, opened and signed in to -------------------------------------------


def warn_skipped(rulebook: RuleBook) -> None:
    for error in rulebook.skipped:
        print(f"cancer-desk: warning: rule-set file set aside: {error}", file=sys.stderr)


def database_url(args: argparse.Namespace, *, demo: bool = False) -> str:
    from cancer_desk.paths import database_url

    return database_url(getattr(args, "db", None), demo=demo)


@contextlib.contextmanager
def open_signed_in(args: argparse.Namespace, *, sign_in: bool = True,
                   url: str | None = None) -> Iterator[AppContext]:
    """The program's services on the database of ``--db`` (or ``url``), signed in as
    ``--user`` unless ``sign_in`` is false; closed when the block ends, however it ends."""
    from cancer_desk.app import open_context
    from cancer_desk.core.reference import ReferenceDataError
    from cancer_desk.core.rules import RuleSetError
    from cancer_desk.db.database import DatabaseOpenError

    try:
        context = open_context(url or database_url(args))
    except (DatabaseOpenError, RuleSetError, ReferenceDataError) as exc:
        raise BadInput(str(exc)) from exc
    try:
        warn_skipped(context.rulebook)
        if sign_in:
            sign_in_as_user(context, args)
        yield context
    finally:
        context.close()


def secret_for(user: str) -> str:
    """A person's password from the environment, or asked at the terminal."""
    secret = os.environ.get(PASSWORD_ENV_VAR)
    if not secret:
        if not sys.stdin.isatty():
            raise BadInput(f"no password: set ${PASSWORD_ENV_VAR} or run at a terminal")
        import getpass

        secret = getpass.getpass(f"password for {user}: ")
    return secret


def sign_in_as_user(context: AppContext, args: argparse.Namespace) -> None:
    """Sign in as ``--user`` with the password from the environment or a prompt."""
    from cancer_desk.services.accounts import SignInError

    if not context.accounts.has_accounts():
        raise BadInput(f"{context.database.location} has no accounts yet (it is not set up): "
                       "open the program once to create the administrator and enter the hub")
    user = getattr(args, "user", None)
    if not user:
        raise BadInput(f"this command reads or changes the hospital's records: sign in with "
                       f"--user NAME (the password is read from ${PASSWORD_ENV_VAR}, or "
                       "asked)")
    secret = secret_for(user)
    try:
        context.accounts.sign_in(user, secret)
    except SignInError as exc:
        raise BadInput(f"cannot sign in as {user}: {exc}") from exc
    if context.accounts.must_change_password():
        context.accounts.sign_out()
        raise BadInput(f"{user} must choose a new password first: sign in once in the window")


def patient_by_code(context: AppContext, text: str) -> PatientRecord:
    from cancer_desk.core import national_code

    try:
        code = national_code.normalize(text)
    except InputError as exc:
        raise BadInput(f"national code {text!r}: {exc.message}") from exc
    record = context.patients.find_by_national_code(code)
    if record is None:
        raise BadInput(f"no patient has the national code {code}")
    return record
