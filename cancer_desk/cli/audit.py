"""``audit``: the audit trail, its hash chain checked and its entries printed. (Imports
inside functions: see _common.)"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cancer_desk.cli._common import (
    EXIT_FAILURE,
    EXIT_OK,
    BadInput,
    database_url,
    open_signed_in,
    patient_by_code,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from cancer_desk.cli._common import Subcommands


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    audit = sub.add_parser("audit", parents=[common], help="the audit trail")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", parents=[common],
        help="check the hash chain: names any entry edited, deleted or moved (no sign-in "
             "needed); prints the last entry's number and hash, to note down")
    verify.add_argument(
        "--expect", metavar="SEQ:HASH",
        help="a head noted earlier: the trail must still pass through it (this also finds "
             "a trail rewritten with every hash recomputed, or cut short)")
    verify.set_defaults(handler=verify_trail)
    log = actions.add_parser("log", parents=[common], help="print recorded changes")
    log.add_argument("--patient", metavar="NATIONAL_CODE", help="only this patient's")
    log.add_argument("--limit", type=int, default=50, metavar="N")
    log.add_argument("--json", action="store_true")
    log.set_defaults(handler=print_log)


def _expected_head(text: str) -> tuple[int, str]:
    seq, _, digest = text.partition(":")
    if not (seq.isdigit() and len(digest) >= 16
            and all(c in "0123456789abcdef" for c in digest.lower())):
        raise BadInput(f"--expect {text!r}: give SEQ:HASH as 'audit verify' printed it "
                       "(at least 16 hex digits of the hash)")
    return int(seq), digest.lower()


def _revision_of(path: Path) -> str | None:
    import sqlite3

    try:
        with contextlib.closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro",
                                                uri=True)) as db:
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


@contextlib.contextmanager
def _trail_sessions(args: argparse.Namespace) -> Iterator[sessionmaker[Session]]:
    """An SQLite file of this version's schema is only read, not opened by the program:
    the trail of a database the program refuses to open (a trigger it did not make, the
    trail's own triggers dropped) can still be checked, and nothing in it runs."""
    from cancer_desk.db.migrate import HEAD_REVISION
    from cancer_desk.paths import sqlite_path

    path = sqlite_path(database_url(args))
    if path is not None and path.is_file() and _revision_of(path) == HEAD_REVISION:
        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker

        engine = create_engine(f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true")
        try:
            yield sessionmaker(engine)
        finally:
            engine.dispose()
        return
    with open_signed_in(args, sign_in=False) as context:
        yield context.database.session_factory


def verify_trail(args: argparse.Namespace) -> int:
    from cancer_desk.services import audit

    expected = _expected_head(args.expect) if args.expect else None
    with _trail_sessions(args) as sessions:
        report = audit.verify(sessions)
        through = expected is None or audit.passes_through(sessions, *expected)
    for problem in report.problems:
        print(f"broken: {problem.describe()}", file=sys.stderr)
    if expected is not None and not through:
        print(f"broken: entry {expected[0]} no longer has the hash noted down "
              f"({expected[1]}…): the trail was rewritten or cut short", file=sys.stderr)
    intact = report.intact and through
    state = "intact" if intact else "BROKEN"
    print(f"audit trail {state}: {report.entries} entries; last entry "
          f"{report.head_seq}:{report.head_hash}")
    return EXIT_OK if intact else EXIT_FAILURE


def print_log(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise BadInput("--limit must be at least 1")
    with open_signed_in(args) as context:
        entries = (context.audit.patient_history(
                       patient_by_code(context, args.patient).id)[:args.limit]
                   if args.patient else context.audit.recent(limit=args.limit))
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
