"""What the window tests share."""

from __future__ import annotations

import pytest


@pytest.fixture
def window(qtbot, configured_context):
    """The main window on a database whose first-run setup is done, shown."""
    from cancer_desk.ui.main_window import MainWindow

    main = MainWindow(configured_context)
    qtbot.addWidget(main)
    main.show()
    return main


@pytest.fixture
def persian_app(qapp):
    """The application as the program sets it up: right to left, the Persian locale and
    the Vazirmatn font (sizes and layouts depend on them)."""
    from cancer_desk.ui.main import make_application

    return make_application()
