"""What the window tests share. Each runs in the application the program builds (the
``qapp`` fixture of tests/app_setup.py, checked around every test)."""

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


@pytest.fixture(autouse=True)
def discard_questions(request, monkeypatch) -> list:
    """A form with changes asks before Escape or «انصراف» puts them aside, in a modal
    box. Tests about something else answer it «کنار گذاشتن تغییرها» here (the forms
    asking is recorded, one entry a question); tests marked ``real_discard_question``
    (tests/ui/test_keys.py) get the real box and answer it by key."""
    if request.node.get_closest_marker("real_discard_question"):
        return []
    from cancer_desk.ui import draft_keeping

    asked: list = []
    monkeypatch.setattr(draft_keeping, "confirm_discard",
                        lambda parent: asked.append(parent) or True)
    return asked


@pytest.fixture(autouse=True)
def saved_incomplete_notices(request, monkeypatch) -> list:
    """Saving a Form 1 that still lacks required items says which, in a modal box. Tests
    about something else get the labels recorded here (one entry a save); tests marked
    ``real_saved_incomplete_notice`` get the real box."""
    if request.node.get_closest_marker("real_saved_incomplete_notice"):
        return []
    from cancer_desk.ui import case_form

    told: list = []
    monkeypatch.setattr(case_form, "tell_saved_incomplete",
                        lambda parent, missing: told.append(list(missing)))
    return told
