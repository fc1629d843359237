"""A migration or a save that fails half-way leaves nothing behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

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

    monkeypatch.setattr(migrate_module.command, "upgrade", upgrade_then_fail)
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
