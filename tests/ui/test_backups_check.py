"""The backups window's health check names what in the schema the program did not make
or lacks, in Persian."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest
from PySide6.QtWidgets import QMessageBox

from cancer_desk.ui.backups import BackupsDialog

pytestmark = pytest.mark.sqlite_only


def test_the_check_names_a_missing_index(qtbot, configured_context, db_file,
                                         monkeypatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, _t, text, *a, **k: told.append(text)))
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda _p, _t, text, *a, **k: told.append(text)))
    dialog = BackupsDialog(configured_context.backups, configured_context.settings)
    qtbot.addWidget(dialog)
    dialog.check_button.click()
    qtbot.waitUntil(lambda: len(told) == 1, timeout=10_000)
    assert told[0].startswith("پایگاه داده سالم است")
    with contextlib.closing(sqlite3.connect(db_file)) as db:
        db.execute("DROP INDEX ix_patients_sort_key")
        db.commit()
    dialog.check_button.click()
    qtbot.waitUntil(lambda: len(told) == 2, timeout=10_000)
    assert "ساختار پایگاه داده با ساختار این برنامه یکی نیست" in told[1]
    assert "نمایه «ix_patients_sort_key» که باید باشد نیست" in told[1]
