"""Persian everywhere a person looks, Qt's own words included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMessageBox,
    QStyle,
    QStyleOptionGroupBox,
    QVBoxLayout,
)

from cancer_desk.ui.main import make_application
from tests.app_setup import setup_problems

Button = QMessageBox.StandardButton


def test_qt_s_own_buttons_speak_persian(qapp) -> None:
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    box = QMessageBox()
    box.setStandardButtons(Button.Yes | Button.No | Button.Ok | Button.Cancel)
    texts = {button: box.button(button).text().replace("&", "")
             for button in (Button.Yes, Button.No, Button.Ok, Button.Cancel)}
    assert texts == {Button.Yes: "بله", Button.No: "نه", Button.Ok: "تأیید",
                     Button.Cancel: "انصراف"}
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Close)
    for button in buttons.buttons():
        assert not any("a" <= c.lower() <= "z" for c in button.text()), button.text()
    buttons.deleteLater()
    box.deleteLater()


def test_a_group_s_title_sits_at_its_right_edge(qtbot) -> None:
    """A section's title (Form 1's «ب/ اطلاعات تشخیص و درمان بیمار») starts where a
    Persian reader looks first. Qt mirrors a stylesheet's positions in a right-to-left
    window, so «top right» drew it at the left edge."""
    group = QGroupBox("ب/ اطلاعات تشخیص و درمان بیمار")
    QVBoxLayout(group).addWidget(QLabel("متن"))
    group.resize(600, 120)
    qtbot.addWidget(group)
    group.show()
    option = QStyleOptionGroupBox()
    group.initStyleOption(option)
    title = group.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                         QStyle.SubControl.SC_GroupBoxLabel, group)
    assert title.width() > 0
    assert title.right() > group.width() - 40 and title.left() > group.width() // 2


def test_the_tests_application_is_the_program_s(qapp) -> None:
    """The ``qapp`` every window test runs in is the program's own, and what the check
    around each test asks of it notices each part missing."""
    assert qapp is make_application() and setup_problems(qapp) == []
    qapp.removeEventFilter(qapp._cancer_desk_input_guard)
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    qapp.setStyleSheet("")
    try:
        assert setup_problems(qapp) == ["it is not right to left",
                                        "the program's style sheet is not set",
                                        "the input guard is not installed"]
    finally:
        make_application()
    assert setup_problems(qapp) == []


WINDOW_TESTS_ELSEWHERE = """
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit


def test_a_window_on_an_application_of_its_own():
    app = QApplication.instance() or QApplication(["bare"])
    edit = QLineEdit("نام")
    edit.show()
    app.processEvents()
    edit.deleteLater()


def test_a_window_in_the_program_s_application(qtbot):
    edit = QLineEdit("نام")
    qtbot.addWidget(edit)
    edit.show()


def test_a_window_that_turns_the_application_left_to_right(qtbot, qapp):
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_the_next_window_test_is_not_blamed(qtbot):
    edit = QLineEdit("نام")
    qtbot.addWidget(edit)
    assert edit.isRightToLeft()
"""


def test_a_window_test_without_the_program_s_application_fails(tmp_path) -> None:
    """Run by a pytest of their own (a test here cannot build a second application):
    a test that makes a bare ``QApplication`` fails, and so does one that leaves the
    application changed; one through ``qtbot`` gets the program's application, and
    the test after a failing one runs in it again."""
    root = Path(__file__).resolve().parents[2]
    (tmp_path / "test_elsewhere.py").write_text(WINDOW_TESTS_ELSEWHERE, encoding="utf-8")
    (tmp_path / "conftest.py").write_text(  # as tests/conftest.py has it
        "from tests.app_setup import pytest_runtest_call, qapp  # noqa: F401\n",
        encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nqt_api = pyside6\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path),
         str(tmp_path / "test_elsewhere.py")],
        cwd=root, capture_output=True, text=True, encoding="utf-8", timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    out = run.stdout
    assert "2 failed, 2 passed" in out, out + run.stderr
    failures = out.split("= FAILURES =")[1].split("short test summary info")[0]
    own, left_to_right = failures.split("test_a_window_that_turns_the_application_left_to_right")
    assert "test_a_window_on_an_application_of_its_own" in own
    assert ("After the test, the running Qt application is not the one the program builds"
            in own)
    assert "it is not right to left" in own and "the input guard is not installed" in own
    assert "After the test" in left_to_right and "it is not right to left" in left_to_right
    assert "the input guard is not installed" not in left_to_right
