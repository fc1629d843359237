"""A migration or a save that fails half-way leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from cancer_desk.db.engine import make_engine
from cancer_desk.paths import sqlite_url


def test_ddl_is_rolled_back_with_its_transaction(db_file: Path) -> None:
    engine = make_engine(sqlite_url(db_file))
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.execute(text("CREATE TABLE half (x INTEGER)"))
        raise RuntimeError("power cut")
    with sqlite3.connect(db_file) as check:
        assert check.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchall() \
            == []
    engine.dispose()


def test_a_failing_migration_leaves_the_database_as_it_was(db_file: Path, monkeypatch) -> None:
    import alembic.command

    from cancer_desk.db import migrate as migrate_module

    url = sqlite_url(db_file)
    engine = make_engine(url)
    real_upgrade = alembic.command.upgrade

    def upgrade_then_fail(config, target):
        real_upgrade(config, target)  # creates every table…
        raise RuntimeError("disk full")  # …and then the migration dies

    monkeypatch.setattr(alembic.command, "upgrade", upgrade_then_fail)
    with pytest.raises(RuntimeError):
        migrate_module.migrate(engine, db_file, db_file.parent / "backups")
    engine.dispose()
    with sqlite3.connect(db_file) as check:
        tables = check.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == []
    monkeypatch.undo()
    engine = make_engine(url)
    report = migrate_module.migrate(engine, db_file, db_file.parent / "backups")
    assert report.after == migrate_module.head_revision()  # a retry works
    engine.dispose()


def test_the_write_lock_is_taken_at_the_start(db_file: Path) -> None:
    from cancer_desk.db.engine import make_session_factory, take_write_lock

    engine = make_engine(sqlite_url(db_file))
    sessions = make_session_factory(engine)
    with sessions() as session:
        take_write_lock(session)
        session.execute(text("SELECT 1"))  # only reads so far, yet other writers wait
        other = sqlite3.connect(db_file, timeout=0.1)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        take_write_lock(session)  # again in the same transaction: it holds it already
    with sessions() as session:
        session.execute(text("SELECT 1"))
        with pytest.raises(RuntimeError, match="first query"):
            take_write_lock(session)
    engine.dispose()


def test_a_save_waits_its_turn_instead_of_failing(db_file: Path) -> None:
    """A save (``sessions.begin()``) holds the write lock from its start. Otherwise a save
    that read first and wrote after another PC committed would be refused at once by
    SQLite with «database is locked», busy timeout or not."""
    from cancer_desk.db.engine import make_session_factory

    engine = make_engine(sqlite_url(db_file))
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        session.execute(text("CREATE TABLE counter (n INTEGER)"))
        session.execute(text("INSERT INTO counter VALUES (0)"))
    with sessions() as reader:  # reads stay free of the lock
        assert reader.execute(text("SELECT n FROM counter")).scalar() == 0
        with sessions.begin() as saving:
            saving.execute(text("SELECT n FROM counter"))
            other = sqlite3.connect(db_file, timeout=0.1)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("UPDATE counter SET n = n + 1")
            other.close()
            saving.execute(text("UPDATE counter SET n = n + 1"))
    with sessions() as session:
        assert session.execute(text("SELECT n FROM counter")).scalar() == 1
    engine.dispose()


def test_one_current_rollup_package_per_hub_and_quarter(context) -> None:
    from sqlalchemy.exc import IntegrityError

    from cancer_desk.models import RollupPackage

    def package(sha: str, current: bool) -> RollupPackage:
        return RollupPackage(hub_key="hub:1", university="تهران", province="تهران",
                             hospital="امام خمینی", year=1403, quarter=4,
                             period_start=dt.date(2024, 12, 21),
                             period_end=dt.date(2025, 3, 20), version=1, sha256=sha,
                             current=current, manifest={})

    sessions = context.database.session_factory
    with sessions.begin() as session:
        session.add_all([package("a", True), package("b", False), package("c", False)])
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(package("d", True))
    # And it is a partial unique index, on SQLite and on PostgreSQL alike.
    indexes = {index["name"]: index
               for index in inspect(context.database.engine).get_indexes("rollup_packages")}
    current_only = indexes["uq_rollup_packages_current"]
    where = {key: value for key, value in current_only["dialect_options"].items()
             if key.endswith("_where")}
    assert current_only["unique"] and len(where) == 1
    assert "current" in str(next(iter(where.values())))
