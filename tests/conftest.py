"""Every test gets its own data folder and database; Qt runs offscreen."""

from __future__ import annotations

import os

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from cancer_desk import paths
from cancer_desk.core.reference import ReferenceData, load_reference
from cancer_desk.core.rules import RuleSet, load_ruleset

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


@pytest.fixture
def db_url(db_file: Path) -> str:
    return paths.sqlite_url(db_file)


@pytest.fixture
def context(db_url: str) -> Iterator:
    from cancer_desk.app import open_context

    ctx = open_context(db_url)
    yield ctx
    ctx.close()


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
