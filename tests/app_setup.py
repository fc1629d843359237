"""Every test that touches Qt runs in the application exactly as ``cancer-desk`` builds
it (``cancer_desk.ui.main.make_application``): the input guard, right to left, the
Persian locale and Qt's words in Persian, the Vazirmatn font, the style sheet.

``qapp`` (which pytest-qt's ``qtbot`` asks for) is that application, made once for
the session. And around every test, the running application is asked whether it is
still that: a test that built a ``QApplication`` of its own, or found one a module
made at import, or changed the direction or the font and left it so, fails and says
what is missing, rather than passing on a setup the program never has."""

from __future__ import annotations

import sys

import pytest

_application = None  # held for the whole session, as pytest-qt holds its own


@pytest.fixture(scope="session")
def qapp(qapp_args):
    """The program's application (pytest-qt's own, overridden)."""
    global _application
    from cancer_desk.ui.main import make_application

    _application = make_application(qapp_args or ["cancer-desk-tests"])
    return _application


def _input_guard_works(app) -> bool:
    """The guard at work, not a mark it left: a wheel turned over a spin box without the
    focus does not change it."""
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QSpinBox

    spin = QSpinBox()
    try:
        spin.setRange(0, 10)
        spin.setValue(5)
        wheel = QWheelEvent(QPointF(1, 1), QPointF(1, 1), QPoint(0, 0), QPoint(0, 120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QCoreApplication.sendEvent(spin, wheel)
        return spin.value() == 5
    finally:
        shiboken6.delete(spin)


def setup_problems(app) -> list[str]:
    """What ``app`` lacks of the program's own setup, asked of the application itself;
    empty if nothing."""
    from PySide6.QtCore import QCoreApplication, QLocale, Qt
    from PySide6.QtGui import QFontInfo
    from PySide6.QtWidgets import QApplication

    from cancer_desk import APP_NAME_FA
    from cancer_desk.ui.theme import FONT_FAMILY, FONT_POINT_SIZE, STYLESHEET

    if not isinstance(app, QApplication):
        return [f"the application is a {type(app).__name__}, not the program's QApplication"]
    problems = []
    if app.applicationDisplayName() != APP_NAME_FA:
        problems.append(f"its name is {app.applicationDisplayName()!r}, not {APP_NAME_FA!r}")
    if app.layoutDirection() != Qt.LayoutDirection.RightToLeft:
        problems.append("it is not right to left")
    if QLocale().language() != QLocale.Language.Persian:
        problems.append(f"the locale is {QLocale().name()}, not Persian")
    if QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel":
        problems.append("Qt's own words are not translated into Persian")
    font = QFontInfo(app.font())
    if font.family() != FONT_FAMILY or app.font().pointSize() != FONT_POINT_SIZE:
        problems.append(f"the font is {font.family()} {app.font().pointSize()} pt, "
                        f"not {FONT_FAMILY} {FONT_POINT_SIZE} pt")
    if app.styleSheet() != STYLESHEET:
        problems.append("the program's style sheet is not set")
    if not _input_guard_works(app):
        problems.append("the input guard is not installed")
    return problems


def _running_application_problems() -> list[str]:
    if "PySide6.QtCore" not in sys.modules:  # a test that never touched Qt
        return []
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    return [] if app is None else setup_problems(app)


def _say(when: str, problems: list[str]) -> str:
    return (f"{when}, the running Qt application is not the one the program builds "
            "(cancer_desk.ui.main.make_application; tests get it from the qapp fixture): "
            + "; ".join(problems))


def _fail(when: str, problems: list[str]) -> None:
    """Fail the test, once the application is set up again: the tests after it are
    not blamed for it."""
    from cancer_desk.ui.main import make_application

    make_application()
    pytest.fail(_say(when, problems), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    if problems := _running_application_problems():
        _fail("Before the test", problems)
    result = yield
    if problems := _running_application_problems():
        _fail("After the test", problems)
    return result
