"""The database itself: ``backup``, ``restore``, ``copy-to`` and ``check``. (Imports
inside functions: see _common.)"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cancer_desk.cli._common import EXIT_FAILURE, EXIT_OK, BadInput, open_signed_in, with_persian

if TYPE_CHECKING:
    from cancer_desk.cli._common import Subcommands
    from cancer_desk.db.backup import DatabaseFacts


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    backup = sub.add_parser("backup", parents=[common],
                            help="write a checked copy of the database (SQLite's online "
                                 "backup API; safe while the program is open)")
    backup.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.sqlite3")
    backup.set_defaults(handler=back_up)
    restore = sub.add_parser(
        "restore", parents=[common],
        help="replace the database by a backup: the database now is backed up first, and "
             "a file that is not a sound Cancer Desk database of a known version is refused")
    restore.add_argument("file", type=Path, metavar="FILE.sqlite3")
    restore.set_defaults(handler=restore_backup)
    copy_to = sub.add_parser(
        "copy-to", parents=[common],
        help="copy the whole database into an empty one, e.g. a department's PostgreSQL "
             "server (administrator); checked by the row counts and the audit trail's last "
             "entry; the source is only read")
    copy_to.add_argument("target", metavar="URL_OR_FILE",
                         help="postgresql+psycopg://user@server/database, or a new file")
    copy_to.set_defaults(handler=copy_database_to)
    check = sub.add_parser("check", parents=[common],
                           help="integrity, schema version, schema and counts of the database "
                                "(no sign-in needed; an SQLite file is only read); exit 1 if "
                                "integrity_check finds a problem or the schema holds a "
                                "table, index, trigger or view the program's migrations did "
                                "not make, or lacks one of theirs")
    check.set_defaults(handler=check_database)


def back_up(args: argparse.Namespace) -> int:
    from cancer_desk.db.backup import BackupError

    with open_signed_in(args) as context:
        try:
            written = context.backups.backup_to(args.output)
        except BackupError as exc:
            raise BadInput(str(exc)) from exc
    print(f"wrote {written} (checked with integrity_check)")
    return EXIT_OK


def copy_database_to(args: argparse.Namespace) -> int:
    from cancer_desk import paths
    from cancer_desk.services.transfer import CopyRefusedError, copy_database

    with open_signed_in(args) as context:
        try:
            report = copy_database(context.database, context.access,
                                   paths.database_url(args.target))
        except CopyRefusedError as exc:
            raise BadInput(with_persian(exc)) from exc
    print(f"copied to {report.target}: " + ", ".join(
        f"{table} {count}" for table, count in report.counts.items() if count))
    print(f"audit trail head on both: {report.trail_head}")
    print("to use it, start the program with --db (or CANCER_DESK_DB) set to it")
    return EXIT_OK


def restore_backup(args: argparse.Namespace) -> int:
    from cancer_desk.db.backup import BackupError

    with open_signed_in(args) as context:
        try:
            facts, before = context.backups.restore(args.file)
        except BackupError as exc:
            raise BadInput(with_persian(exc).rstrip()) from exc
    counts = ", ".join(f"{n} {table}" for table, n in facts.counts.items())
    print(f"restored {args.file} ({counts}); the database before it is kept in {before}")
    return EXIT_OK


def check_database(args: argparse.Namespace) -> int:
    from cancer_desk.cli._common import database_url
    from cancer_desk.paths import sqlite_path

    database_file = sqlite_path(database_url(args))
    if database_file is not None and database_file.is_file():
        return _check_file(database_file)  # read only: a foreign trigger is not run
    from cancer_desk.db.backup import BackupError

    with open_signed_in(args, sign_in=False) as context:
        try:
            facts = context.backups.check()
        except BackupError as exc:
            raise BadInput(str(exc)) from exc
    _print_facts(facts)
    print("schema comparison: SQLite only (a PostgreSQL server's schema is its "
          "administrator's care)")
    return EXIT_OK if facts.sound else EXIT_FAILURE


def _check_file(database_file: Path) -> int:
    from cancer_desk.db.backup import BackupError, inspect_database
    from cancer_desk.db.migrate import known_revisions
    from cancer_desk.db.schema_check import findings_in_file

    try:
        facts = inspect_database(database_file, known_revisions())
        assert facts.revision is not None  # a known revision, inspect_database says
        findings = findings_in_file(database_file, facts.revision)
    except BackupError as exc:
        raise BadInput(with_persian(exc).replace("\n", " / ")) from exc
    _print_facts(facts)
    print("schema: " + ("as this program's migrations make it" if not findings
                        else f"{len(findings)} FINDINGS"))
    for finding in findings:
        print(f"  {finding.describe()} / {finding.describe_fa()}")
    return EXIT_OK if facts.sound and not findings else EXIT_FAILURE


def _print_facts(facts: DatabaseFacts) -> None:
    print(f"database: {facts.path}")
    print(f"schema version: {facts.revision}")
    if not facts.integrity_checked:
        print("integrity: the server's own care (PostgreSQL checks its pages itself)")
    else:
        print("integrity: " + ("ok" if facts.sound else "PROBLEMS"))
    for problem in facts.problems[:20]:
        print(f"  {problem}")
    for table, count in facts.counts.items():
        print(f"{table}: {count}")
