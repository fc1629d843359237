"""An SQLite database's schema held against the one this program's migrations make.

The reference is not a list kept by hand: it is an empty database migrated, in memory, to
the same revision, so a new migration needs no change here. Every table, index, trigger
and view is compared by its SQL (spacing, comments and a plain name's quotes aside),
and each table and index also as SQLite reads it. A trigger or view
nobody's migration made is the danger: it can change records at every later save
without a line in the audit trail.

SQLite only: a PostgreSQL server's schema is its administrator's care.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

# name → (table it belongs to, normalised SQL); keyed by (type, name)
Schema = dict[tuple[str, str], tuple[str, str]]

SCHEMA_QUERY = "SELECT type, name, tbl_name, sql FROM sqlite_master"
# SQLite's own statistics tables (ANALYZE, PRAGMA optimize) hold no records. Only a
# table of that name is SQLite's: a trigger or view can be given it by hand.
_SQLITE_STATISTICS = frozenset({"sqlite_stat1", "sqlite_stat4"})
# As each stands before a name.
TYPE_FA = {"table": "جدول", "index": "نمایه", "trigger": "تریگر", "view": "نمای"}
# Kinds of object that run on their own when records are written or read.
ACTIVE_TYPES = ("trigger", "view")


@dataclass(frozen=True, order=True)
class SchemaFinding:
    type: str  # table, index, trigger, view
    name: str
    kind: str  # "foreign" (not made by the program), "missing", "changed"

    @property
    def active(self) -> bool:
        return self.type in ACTIVE_TYPES

    def describe(self) -> str:
        what = {"foreign": "not made by this program", "missing": "missing",
                "changed": "differs from this program's"}[self.kind]
        return f"{self.type} {self.name}: {what}"

    def describe_fa(self) -> str:
        label = f"{TYPE_FA.get(self.type, self.type)} «{self.name}»"
        return {"foreign": f"{label} را این برنامه نساخته است (بیگانه)",
                "missing": f"{label} که باید باشد نیست",
                "changed": f"{label} با ساختار این برنامه یکی نیست"}[self.kind]


_TOKEN = re.compile(r"""
    (?P<space>\s+|--[^\n]*|/\*(?:.|\n)*?(?:\*/|\Z))   # SQLite reads a comment as a space
  | (?P<string>'(?:[^']|'')*'?)
  | (?P<quoted>"(?:[^"]|"")*"?|\[[^\]]*\]?|`(?:[^`]|``)*`?)
  | (?P<word>[A-Za-z_0-9$]+)
  | (?P<operator><=|>=|<>|!=|==|\|\||<<|>>|->>|->)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# SQLite's keywords (sqlite.org/lang_keywords.html): "NULL" in double quotes is the string
# 'NULL' where NULL is NULL, so a keyword keeps its quotes.
_KEYWORDS = frozenset("""
    ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE
    BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT
    CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT
    DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT
    EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL
    GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY
    INNER INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH
    MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS
    OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE
    REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW
    ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER
    UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH
    WITHOUT TRUE FALSE
""".split())


def sql_tokens(sql: str) -> list[str]:
    """``sql`` as SQLite's tokens, comments and spacing gone. A quoted name loses its
    quotes only when it is a plain name: what else stands in double quotes may be read
    as a string (SQLite's fallback for a name no column has, or for a keyword), and in
    brackets or back quotes as one name of several words, so it is kept as written."""
    tokens = []
    for match in _TOKEN.finditer(sql):
        kind, text = match.lastgroup, match.group()
        if kind == "space":
            continue
        if (kind == "quoted" and _PLAIN_NAME.fullmatch(text[1:-1])
                and text[1:-1].upper() not in _KEYWORDS):
            text = text[1:-1]
        tokens.append(text)
    return tokens


def normalised_sql(sql: str | None) -> str:
    if sql is None:  # an index SQLite makes itself for a UNIQUE or PRIMARY KEY
        return ""
    tokens = sql_tokens(sql)
    if [t.upper() for t in tokens[:2]] == ["CREATE", "TABLE"]:
        tokens = _constraints_sorted(tokens)
    return " ".join(tokens)


_CONSTRAINT_STARTS = frozenset({"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"})


def _constraints_sorted(tokens: list[str]) -> list[str]:
    """A table's constraints in a fixed order: Alembic's batch mode writes them back in
    an order of its own when it rebuilds a table, and their order means nothing."""
    if "(" not in tokens or ")" not in tokens:
        return tokens
    start = tokens.index("(")
    end = len(tokens) - 1 - tokens[::-1].index(")")
    items: list[list[str]] = [[]]
    depth = 0
    for token in tokens[start + 1:end]:
        depth += (token == "(") - (token == ")")
        if token == "," and depth == 0:
            items.append([])
        else:
            items[-1].append(token)
    columns = [item for item in items if not _is_constraint(item)]
    constraints = sorted((item for item in items if _is_constraint(item)), key=" ".join)
    body: list[str] = []
    for item in columns + constraints:
        body += ([","] if body else []) + item
    return [*tokens[:start + 1], *body, *tokens[end:]]


def _is_constraint(item: list[str]) -> bool:
    return bool(item) and item[0].upper() in _CONSTRAINT_STARTS


def schema_of(rows: Iterable[tuple[str, str, str, str | None]],
              structure: Callable[[str, str, str], str] | None = None) -> Schema:
    """``structure``, given, adds to each table's and index's SQL what SQLite made of it."""
    schema = {(kind, name): (table, _reserved_name_marked(kind, name, sql))
              for kind, name, table, sql in rows
              if not (kind == "table" and name in _SQLITE_STATISTICS)}
    if structure is not None:
        for (kind, name), (table, sql) in schema.items():
            if kind in ("table", "index") and sql not in ("", _NOT_SQLITES_OWN):
                schema[kind, name] = (table, f"{sql}\n{structure(kind, name, table)}")
    return schema


Execute = Callable[[str, tuple[str, ...]], Sequence[Sequence[object]]]


def structure_of(execute: Execute, kind: str, name: str, table: str) -> str:
    """A table or index as SQLite reads its SQL: a table's columns (type, NOT NULL,
    default, key), foreign keys and the indexes its constraints make; an index's
    columns, and whether it is unique and partial. A second look, beside the SQL's
    text, at what a text that only looks like the program's would change."""
    indexes = execute('SELECT name, "unique", origin, partial FROM pragma_index_list(?)',
                      (table,))
    if kind == "index":
        return repr(([tuple(row[1:]) for row in indexes if row[0] == name],
                     _index_columns(execute, name)))
    columns = [tuple(row) for row in execute(
        'SELECT cid, name, type, "notnull", dflt_value, pk, hidden '
        "FROM pragma_table_xinfo(?)", (name,))]
    keys = sorted(tuple(row) for row in execute(
        'SELECT "table", seq, "from", "to", on_update, on_delete, "match" '
        "FROM pragma_foreign_key_list(?)", (name,)))
    # SQLite numbers its own indexes in the order of the constraints, which Alembic's
    # batch mode does not keep: they are compared without their names.
    own = sorted(repr((row[1:], _index_columns(execute, str(row[0])))) for row in indexes
                 if str(row[0]).startswith("sqlite_autoindex_"))
    return repr((columns, keys, own))


def _index_columns(execute: Execute, index: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in execute(
        'SELECT seqno, cid, name, "desc", coll, "key" FROM pragma_index_xinfo(?)', (index,))]


# What no migration's SQL normalises to: an object under SQLite's reserved prefix that
# is not an index SQLite made itself is never the program's, even where its name is.
_NOT_SQLITES_OWN = "\0not SQLite's own"


def _reserved_name_marked(kind: str, name: str, sql: str | None) -> str:
    sqlites_own = (kind == "index" and not sql) or (kind, name) == ("table", "sqlite_sequence")
    if name.lower().startswith("sqlite_") and not sqlites_own:
        return _NOT_SQLITES_OWN
    return normalised_sql(sql)


def compare(found: Schema, expected: Schema) -> list[SchemaFinding]:
    findings = [SchemaFinding(kind, name, "foreign") for (kind, name), value in found.items()
                if (kind, name) not in expected or value[1] == _NOT_SQLITES_OWN]
    findings += [SchemaFinding(kind, name, "missing") for kind, name in expected
                 if (kind, name) not in found]
    findings += [SchemaFinding(kind, name, "changed") for (kind, name), value in found.items()
                 if (kind, name) in expected and expected[kind, name] != value
                 and value[1] != _NOT_SQLITES_OWN]
    # The active kinds first (they are the reason to refuse), then tables, then indexes.
    order = ("trigger", "view", "table", "index")
    return sorted(findings, key=lambda f: (order.index(f.type) if f.type in order
                                           else len(order), f.name))


@functools.lru_cache(maxsize=4)
def reference_schema(revision: str) -> Schema:
    """The schema an empty database has once migrated to ``revision``."""
    from alembic import command
    from sqlalchemy.pool import StaticPool

    from cancer_desk.db.engine import make_engine
    from cancer_desk.db.migrate import alembic_config

    engine = make_engine("sqlite://", poolclass=StaticPool)
    try:
        with engine.begin() as connection:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        with engine.connect() as connection:
            return _schema_on(connection)
    finally:
        engine.dispose()


def _schema_on(connection: Connection) -> Schema:
    def execute(sql: str, parameters: tuple[str, ...]) -> Sequence[Sequence[object]]:
        return connection.exec_driver_sql(sql, parameters).fetchall()

    rows = connection.exec_driver_sql(SCHEMA_QUERY).fetchall()
    return schema_of([(r[0], r[1], r[2], r[3]) for r in rows],
                     functools.partial(structure_of, execute))


def findings_on(connection: Connection, revision: str) -> list[SchemaFinding]:
    """The differences of the database behind ``connection`` (SQLite)."""
    return compare(_schema_on(connection), reference_schema(revision))


def active_reference(revision: str) -> Schema:
    """The triggers and views of ``revision``: at the newest one read from the module
    written beside this one (migrating an empty database to learn them would add more
    than half a second to every start), at any other made by migrating."""
    from cancer_desk.db import active_schema

    if revision == active_schema.REVISION:
        return dict(active_schema.ACTIVE_OBJECTS)
    return {key: value for key, value in reference_schema(revision).items()
            if key[0] in ACTIVE_TYPES}


def active_findings_on(connection: Connection, revision: str) -> list[SchemaFinding]:
    """Only the triggers and views: what the program checks at every start."""
    rows = connection.exec_driver_sql(
        f"{SCHEMA_QUERY} WHERE type IN ('trigger', 'view')").fetchall()
    return compare(schema_of((r[0], r[1], r[2], r[3]) for r in rows),
                   active_reference(revision))


def write_active_schema(path: Path, revision: str) -> None:
    """Write the module :func:`active_reference` reads (a test holds it to the
    migrations, and names this to run when a migration changes a trigger or view)."""
    objects = {key: value for key, value in sorted(reference_schema(revision).items())
               if key[0] in ACTIVE_TYPES}
    lines = ['"""The triggers and views the migrations make, at the newest revision.', "",
             "Written by ``python -m cancer_desk.db.schema_check``; do not edit by hand.",
             '"""', "", f"REVISION = {revision!r}", "", "ACTIVE_OBJECTS = {"]
    lines += [f"    {key!r}: {value!r}," for key, value in objects.items()]
    lines += ["}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def findings_in_file(path: Path, revision: str) -> list[SchemaFinding]:
    """The same for a file, read only."""
    with contextlib.closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro",
                                            uri=True)) as db:
        def execute(sql: str, parameters: tuple[str, ...]) -> Sequence[Sequence[object]]:
            return db.execute(sql, parameters).fetchall()

        found = schema_of(db.execute(SCHEMA_QUERY).fetchall(),
                          functools.partial(structure_of, execute))
    return compare(found, reference_schema(revision))


def summary_fa(findings: list[SchemaFinding], limit: int = 5) -> str:
    shown = "؛ ".join(f.describe_fa() for f in findings[:limit])
    more = len(findings) - limit
    if more > 0:
        from cancer_desk.core.persian import to_persian_digits

        shown += f"؛ و {to_persian_digits(more)} مورد دیگر"
    return shown


def summary(findings: list[SchemaFinding], limit: int = 5) -> str:
    shown = "; ".join(f.describe() for f in findings[:limit])
    more = len(findings) - limit
    return shown + (f"; and {more} more" if more > 0 else "")


if __name__ == "__main__":
    from cancer_desk.db.migrate import HEAD_REVISION

    write_active_schema(Path(__file__).with_name("active_schema.py"), HEAD_REVISION)
