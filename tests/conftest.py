"""Every test gets its own data folder and database; Qt runs offscreen, in the
application the program builds (tests/app_setup.py)."""

from __future__ import annotations

import contextlib
import os
import uuid

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from cancer_desk import paths
from cancer_desk.core.reference import ReferenceData, load_reference
from cancer_desk.core.rules import RuleSet, load_ruleset
from tests.app_setup import pytest_runtest_call, qapp  # noqa: F401  (the hook and fixture)

RESOURCES = paths.resources_dir()
RULESET_1388 = RESOURCES / "rules" / "moh-1388.toml"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Nothing a test does may touch the real user's data folder or database."""
    data_dir = tmp_path / "user-data"
    monkeypatch.setenv(paths.DATA_DIR_ENV_VAR, str(data_dir))
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)
    return data_dir


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_ruleset(RULESET_1388)


@pytest.fixture(scope="session")
def reference() -> ReferenceData:
    return load_reference(RESOURCES / "reference")


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


# The database, service and exchange tests run a second time against a PostgreSQL server
# when this names one (a URL whose database the tests may create others beside, as
# tools/postgresql-test-server prints). Each test then gets a database of its own.
POSTGRESQL_ENV_VAR = "CANCER_DESK_TEST_POSTGRESQL"


def postgresql_server() -> str | None:
    return os.environ.get(POSTGRESQL_ENV_VAR) or None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, leave out the tests that are about an SQLite file itself (backups,
    the kill and disk-full tests): they ask for ``db_file`` or are marked sqlite_only.
    On SQLite, leave out those marked postgresql_only (the PostgreSQL run has them)."""
    on_server = postgresql_server() is not None

    def belongs_elsewhere(item: pytest.Item) -> bool:
        if not on_server:
            return item.get_closest_marker("postgresql_only") is not None
        return ("db_file" in getattr(item, "fixturenames", ())
                or item.get_closest_marker("sqlite_only") is not None)

    kept, left_out = [], []
    for item in items:
        (left_out if belongs_elsewhere(item) else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@contextlib.contextmanager
def fresh_postgresql_database(server: str) -> Iterator[str]:
    """A new, empty database on ``server``, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"cancer_desk_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            # FORCE: a test that failed half-way may still hold a connection.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    server = postgresql_server()
    if server is None:
        yield paths.sqlite_url(request.getfixturevalue("db_file"))
        return
    with fresh_postgresql_database(server) as url:
        yield url


TEST_USERNAME = "tester"
TEST_PASSWORD = "test-pass-1388"
TEST_DISPLAY_NAME = "مریم احمدی"


@pytest.fixture(autouse=True)
def _quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id still, with the least work: tests sign in hundreds of times. (One test
    checks the parameters the program really uses.)"""
    from argon2 import PasswordHasher

    from cancer_desk.services import accounts

    monkeypatch.setattr(accounts, "PASSWORD_HASHER",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def sign_in_tester(ctx):
    """Sign ``ctx`` in as an account holding every role (created on first use)."""
    from cancer_desk.core.access import Role

    if not ctx.accounts.has_accounts():
        ctx.accounts.create_first_administrator(TEST_USERNAME, TEST_DISPLAY_NAME,
                                                TEST_PASSWORD)
        record = ctx.accounts.list()[0]
        ctx.accounts.update(record.id, display_name=TEST_DISPLAY_NAME, roles=set(Role),
                            active=True, expected_version=record.version)
    ctx.accounts.sign_in(TEST_USERNAME, TEST_PASSWORD)
    return ctx


def open_signed_in(url: str):
    from cancer_desk.app import open_context

    return sign_in_tester(open_context(url))


@pytest.fixture
def context(db_url: str) -> Iterator:
    ctx = open_signed_in(db_url)
    yield ctx
    finish_background_work()
    ctx.close()


def finish_background_work() -> None:
    """A window's count or copy still running when its test ends is let finish, and its
    end heard, while the test's database is still there: afterwards it would fail on a
    database gone (a server's is dropped) and be blamed on the next test."""
    import sys

    background = sys.modules.get("cancer_desk.ui.background")
    if background is None:
        return  # no window in this test
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None:
        return
    background.wait_for_jobs()
    QCoreApplication.processEvents()  # each job's end, handed to its window


@pytest.fixture
def configured_context(context):
    """A database whose first-run setup is done (hub 1)."""
    from cancer_desk.app import demo_settings

    context.settings.save(demo_settings(context.reference))
    return context


def full_answers(**overrides) -> dict[str, str | int]:
    """A complete answer set (score 76 → 70%) that tests change one answer of."""
    answers: dict[str, str | int] = {
        "head_of_household": "addicted",
        "income": "under_k300",
        "housing": "rural",
        "family_size": 6,
        "sick_children": 1,
        "school_children": 2,
        "university_children": 0,
        "debt": "over_1m",
    }
    answers.update(overrides)
    return answers


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item):
    """At a test's end pytest-qt closes the windows the test registered. A form left
    with changes would then ask whether to put them aside (as it must for a person)
    and wait for an answer nobody gives: it is closed without the question instead."""
    qt_widgets = getattr(item, "qt_widgets", None)
    if qt_widgets:
        from PySide6.QtWidgets import QDialog

        from cancer_desk.ui.draft_keeping import AsksBeforeDiscarding

        for reference, _before_close in qt_widgets:
            widget = reference()
            if isinstance(widget, AsksBeforeDiscarding) and widget.isVisible():
                QDialog.done(widget, QDialog.DialogCode.Rejected)  # type: ignore[arg-type]
    return (yield)
