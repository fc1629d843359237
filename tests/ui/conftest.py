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
