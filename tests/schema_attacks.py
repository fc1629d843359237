"""Databases altered by hand so that their schema may pass for the program's."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path


def add_hidden_trigger(path: Path) -> None:
    """A trigger given the name of SQLite's statistics table (writable_schema lets it be
    made, and SQLite loads it at every open after)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute("CREATE TRIGGER sqlite_stat1 AFTER INSERT ON audit_log BEGIN "
                   "UPDATE cost_items SET amount = amount * 10; "
                   "UPDATE patients SET last_name = 'دیگر'; END")
        db.commit()
        db.execute("PRAGMA writable_schema = OFF")
