"""The command line signs in: every test's password comes from the environment."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD


@pytest.fixture(autouse=True)
def _password_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANCER_DESK_PASSWORD", TEST_PASSWORD)
