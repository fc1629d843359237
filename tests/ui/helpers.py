"""Driving the real widgets as a person would, including Persian typing.

QTest's keyClicks only knows ASCII (it aborts on Persian letters), so Persian text is
typed as key events carrying the text, which is what a Persian keyboard sends.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def activate(widget: QWidget) -> None:
    """Offscreen, no window is active until asked; focus (and so Tab) needs one."""
    window = widget.window()
    if not window.isActiveWindow():
        window.activateWindow()
        QApplication.processEvents()


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key (Persian, Arabic and ASCII alike)."""
    target = widget.focusProxy() or widget
    activate(target)
    target.setFocus()
    for char in text:
        key = Qt.Key.Key_Space if char == " " else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     char))


def press_key(widget: QWidget, key: Qt.Key) -> None:
    target = widget.focusProxy() or widget
    activate(target)
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))


def leave_field(widget: QWidget) -> None:
    """Press Tab: the edit is finished and the next field gets the focus."""
    press_key(widget, Qt.Key.Key_Tab)


def run_modal(trigger: Callable[[], object], interact: Callable[[QDialog], None]) -> None:
    """Trigger something that opens a modal dialog, and work in that dialog.

    ``interact`` must end the dialog (accept, reject or a button that does); if it
    leaves it open or fails, the dialog is rejected so the test cannot hang.
    """
    failures: list[BaseException] = []

    def handle(attempts: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if attempts > 200:
                failures.append(AssertionError("no modal dialog opened"))
                return
            QTimer.singleShot(10, lambda: handle(attempts + 1))
            return
        try:
            interact(dialog)  # type: ignore[arg-type]
        except BaseException as exc:  # re-raised below, in the test's frame
            failures.append(exc)
        if dialog.isVisible():
            if not failures:
                failures.append(AssertionError("the dialog was left open"))
            # done(), not reject(): a form with changes would ask first, and hang.
            dialog.done(QDialog.DialogCode.Rejected)  # type: ignore[attr-defined]

    QTimer.singleShot(0, handle)
    trigger()
    if failures:
        raise failures[0]


def click_radio(qtbot, button) -> None:
    """Click a radio button or check box on its indicator, where a person clicks.

    In a right-to-left layout a stretched button's middle can be empty space, which
    Qt rightly does not count as a click on the button.
    """
    from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

    option = QStyleOptionButton()
    button.initStyleOption(option)
    element = (QStyle.SubElement.SE_CheckBoxIndicator if isinstance(button, QCheckBox)
               else QStyle.SubElement.SE_RadioButtonIndicator)
    indicator = button.style().subElementRect(element, option, button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=indicator.center())


def cancel_held_work(qtbot, progress, held, go, *, at: str,
                     look: Callable[[], None] = lambda: None) -> None:
    """In a progress dialog whose work waits at ``held`` until ``go`` is set: once the
    dialog counts ``at`` («۲ از ۵»), ``look()`` at it, press «لغو», let the work go on,
    and wait for the dialog to close."""
    qtbot.waitUntil(held.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: progress.count_label.text() == at)
    look()
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    go.set()
    qtbot.waitUntil(lambda: not progress.isVisible(), timeout=10_000)


def on_next_modal(kind: type[QDialog], interact: Callable[[QDialog], None],
                  failures: list[BaseException]) -> None:
    """When a modal dialog of ``kind`` opens later (say, the second of two that a
    function opens in turn), work in it; problems land in ``failures``."""

    def handle(attempts: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            if attempts > 500:
                failures.append(AssertionError(f"no {kind.__name__} opened"))
                return
            QTimer.singleShot(10, lambda: handle(attempts + 1))
            return
        try:
            interact(dialog)
        except BaseException as exc:
            failures.append(exc)
        if dialog.isVisible():
            failures.append(AssertionError(f"the {kind.__name__} was left open"))
            dialog.done(QDialog.DialogCode.Rejected)

    QTimer.singleShot(0, handle)


def answer_discard_question(*, discard: bool, seen: list[str] | None = None) -> None:
    """When the form asks «تغییرهای ذخیره‌نشده کنار گذاشته شود؟» (on the next Escape,
    «انصراف» or reject()), answer it as a person would with the keyboard: Enter takes
    the default («ادامه ویرایش»); to put the work aside, Tab to the other button first.
    What the question said is appended to ``seen``."""

    def handle(attempts: int = 0) -> None:
        box = QApplication.activeModalWidget()
        if box is None or box.objectName() != "discard_question":
            if attempts > 500:
                return
            QTimer.singleShot(10, lambda: handle(attempts + 1))
            return
        if seen is not None:
            seen.append(box.text())  # type: ignore[attr-defined]
        button = box.findChild(QWidget, "discard_button" if discard
                               else "keep_editing_button")
        if not discard:
            assert box.defaultButton() is button  # type: ignore[attr-defined]
            press_key(box, Qt.Key.Key_Return)
        else:
            button.click()  # type: ignore[attr-defined]
        if box.isVisible():
            box.done(0)  # type: ignore[attr-defined]

    QTimer.singleShot(0, handle)


def counting(window: QWidget) -> bool:
    """Is the Form 2 or dashboard window waiting for its count? Each says so where its
    numbers go, until the count it asked for last has ended."""
    from cancer_desk.ui.form2_window import COUNTING_FA, Form2Window

    if isinstance(window, Form2Window):
        return window.count_state_label.text() == COUNTING_FA
    return window.summary.text().startswith("در حال شمارش")  # type: ignore[attr-defined]
