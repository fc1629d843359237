"""Consistent copies of an SQLite database through SQLite's online backup API.

A plain file copy of a database in WAL mode can miss committed pages that still sit
in the -wal file; the backup API copies what a reader sees, page by page.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from cancer_desk.paths import keep_private


class BackupError(RuntimeError):
    pass


def integrity_problems(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` on a file; an empty list means it is sound."""
    with contextlib.closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)) as db:
        rows = db.execute("PRAGMA integrity_check").fetchall()
    problems = [row[0] for row in rows]
    return [] if problems == ["ok"] else problems


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy ``source`` to ``destination`` (which must not exist) and check the copy."""
    if destination.exists():
        raise BackupError(f"{destination} already exists")
    partial = destination.with_name(destination.name + ".partial")
    try:
        keep_private(destination.parent, folder=True)  # a copy of every patient's file
        partial.unlink(missing_ok=True)
        keep_private(partial)
        with (contextlib.closing(sqlite3.connect(source)) as src,
              contextlib.closing(sqlite3.connect(partial)) as dst):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        problems = integrity_problems(partial)
        if problems:
            raise BackupError(f"the copy of {source} fails integrity_check: {problems[:3]}")
        partial.replace(destination)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"could not back up {source}: {exc}") from exc
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    return destination
