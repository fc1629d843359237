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


# The triggers' bodies in double quotes: no column has that name, so SQLite reads it as
# the string 'RAISE(...)' and the trigger does nothing.
NEUTERED = {
    "audit_log_no_update": "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                           "BEGIN SELECT \"RAISE(ABORT,'audit_log is append-only')\";END",
    "audit_log_no_delete": "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                           "BEGIN SELECT \"RAISE(ABORT,'audit_log is append-only')\";END",
}


def neuter_triggers(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        for name, sql in NEUTERED.items():
            db.execute(f"DROP TRIGGER {name}")
            db.execute(sql)
        db.commit()


def _top_level_items(body: str) -> list[str]:
    items, depth, last = [], 0, 0
    for at, char in enumerate(body):
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            items.append(body[last:at].strip())
            last = at + 1
    items.append(body[last:].strip())
    return items


def hide_constraints(path: Path, table: str, keep: str) -> str:
    """Every constraint of ``table`` but ``keep`` moved into a double-quoted type name of
    its last column: SQLite reads a type, a check that drops quotes the constraints."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                         (table,)).fetchone()[0]
        items = _top_level_items(sql[sql.index("(") + 1:sql.rindex(")")])
        columns = [i for i in items if not i.upper().startswith("CONSTRAINT")]
        constraints = [i for i in items if i.upper().startswith("CONSTRAINT")]
        kept = [c for c in constraints if keep in c]
        hidden = [c for c in constraints if keep not in c]
        name, _, rest = columns[-1].partition(" ")
        column_type, _, tail = rest.partition(" ")
        columns[-1] = f'{name} {column_type} "{tail},{",".join(hidden)}"'
        hostile = f"CREATE TABLE {table} ({', '.join(columns + kept)})"
        db.execute("PRAGMA writable_schema = ON")
        db.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                   (hostile, table))
        db.commit()
        db.execute("PRAGMA writable_schema = OFF")
    return hostile


def empty_partial_index(path: Path) -> None:
    """WHERE "current=1": a double-quoted name no column has is the string 'current=1',
    false, so the unique index holds no row."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("DROP INDEX uq_rollup_packages_current")
        db.execute("CREATE UNIQUE INDEX uq_rollup_packages_current ON rollup_packages "
                   '(hub_key, year, quarter) WHERE "current=1"')
        db.commit()
