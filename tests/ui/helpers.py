"""Driving the real widgets as a person would, including Persian typing.

QTest's keyClicks only knows ASCII (it aborts on Persian letters), so Persian text is
typed as key events carrying the text, which is what a Persian keyboard sends.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QRadioButton,
    QWidget,
)

from cancer_desk.ui.case_form import CaseFormDialog
from cancer_desk.ui.patient_form import PatientFormDialog
from cancer_desk.ui.questionnaire import QuestionnaireDialog


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


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def save_button(dialog: QDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def fill_patient(qtbot, dialog: PatientFormDialog, *, code: str = "۰۴۹۹۳۷۰۸۹۹",
                 birth: str = "۱۳۶۵/۰۲/۳۰") -> None:
    ui = dialog.ui
    type_text(ui.national_code_edit, code)
    leave_field(ui.national_code_edit)
    type_text(ui.first_name_edit, "زهرا")
    type_text(ui.last_name_edit, "گودرزي")  # Arabic yeh, as an Arabic keyboard types it
    type_text(ui.father_name_edit, "علی‌اکبر")
    ui.sex_combo.setCurrentIndex(ui.sex_combo.findData(2))
    ui.cancer_group_id_combo.setCurrentIndex(ui.cancer_group_id_combo.findData(1))
    type_text(ui.birth_date_edit, birth)
    ui.address_province_combo.setCurrentText("مازندران")
    type_text(ui.address_city_edit, "ساری")
    type_text(ui.phone_edit, "0911-123-4567")


def answer_and_watch(qtbot, dialog: QuestionnaireDialog) -> list[tuple[str, str]]:
    """Answer every question by clicking; record the score and coverage after each."""
    seen = [(dialog.panel.score_label.text(), dialog.panel.coverage_label.text())]

    def radio(criterion: str, option: str) -> None:
        click_radio(qtbot, dialog.findChild(QRadioButton, f"option_{criterion}_{option}"))
        seen.append((dialog.panel.score_label.text(), dialog.panel.coverage_label.text()))

    def count(criterion: str, presses: int) -> None:
        spin = dialog.inputs[criterion].spin
        for _ in range(presses):
            qtbot.keyClick(spin, Qt.Key.Key_Up)
        seen.append((dialog.panel.score_label.text(), dialog.panel.coverage_label.text()))

    radio("head_of_household", "addicted")        # 16
    radio("income", "under_k300")                 # 18 → 34
    radio("housing", "rural")                     # 10 → 44 (40%)
    count("family_size", 6)                       # ۶ نفر: 3 → 47
    count("sick_children", 2)                     # 1 child: 20 → 67 (60%)
    count("school_children", 3)                   # 2: 4 → 71 (70%)
    count("university_children", 1)               # 0: 0
    radio("debt", "over_1m")                      # 5 → 76
    return seen


def choose(row_widget, key: int, qtbot) -> None:
    click_radio(qtbot, row_widget.group.button(key))


def fill_case(qtbot, dialog: CaseFormDialog, *, surgery_date: str) -> None:
    w = dialog.widgets
    choose(w["diagnosis_method"], 1, qtbot)
    type_text(w["diagnosis_date"], "۱۴۰۲/۱۰/۲۰")
    for name, value in (("stage_t", "T2"), ("stage_n", "N1"), ("stage_m", "M0"),
                        ("grade", "G2")):
        w[name].setCurrentIndex(w[name].findData(value))
    choose(w["treatment_intent"], 1, qtbot)
    choose(w["surgery"], 1, qtbot)
    assert w["surgery_date"].isEnabled()
    type_text(w["surgery_date"], surgery_date)
    choose(w["radiotherapy"], 2, qtbot)
    assert not w["radiotherapy_date"].isEnabled()  # only with «بلی»
    choose(w["chemotherapy"], 1, qtbot)
    type_text(w["chemotherapy_date"], "۱۴۰۲/۱۲/۱۱")
    type_text(w["chemotherapy_regimen"], "AC-T، چهار دوره")
    choose(w["hormone_therapy"], 3, qtbot)
    choose(w["received_item"], 2, qtbot)
    qtbot.keyClick(w["admissions_count"], Qt.Key.Key_Up)
    choose(w["recurrence"], 2, qtbot)
    choose(w["metastasis"], 2, qtbot)
    choose(w["vital_status"], 1, qtbot)
    choose(w["family_history"], 1, qtbot)
    click(qtbot, dialog.add_relative_button)
    dialog.family_table.item(0, 0).setText("پستان")
    dialog.family_table.item(0, 1).setText("خاله")


def counting(window: QWidget) -> bool:
    """Is the Form 2 or dashboard window waiting for its count? Each says so where its
    numbers go, until the count it asked for last has ended."""
    from cancer_desk.ui.form2_window import COUNTING_FA, Form2Window

    if isinstance(window, Form2Window):
        return window.count_state_label.text() == COUNTING_FA
    return window.summary.text().startswith("در حال شمارش")  # type: ignore[attr-defined]
