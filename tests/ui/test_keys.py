"""Keys as Persian Windows users expect, through the application the program builds
(its input guard, direction, font and translations): Enter signs in and unlocks, Enter
presses a focused button and otherwise moves to the next field, Qt's own dialogs keep
their keys, and Escape on a form with changes asks before anything is lost."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
)

from cancer_desk.ui.main_window import MainWindow
from cancer_desk.ui.patient_form import PatientFormDialog
from cancer_desk.ui.questionnaire import QuestionnaireDialog
from cancer_desk.ui.sign_in import LockDialog, SignInDialog
from tests.conftest import TEST_PASSWORD, TEST_USERNAME
from tests.ui.helpers import (
    activate,
    answer_discard_question,
    on_next_modal,
    run_modal,
    type_text,
)

pytestmark = pytest.mark.real_discard_question


def test_enter_in_the_password_signs_in(qtbot, context) -> None:
    context.accounts.sign_out()
    dialog = SignInDialog(context.accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    qtbot.keyClicks(dialog.username_edit, TEST_USERNAME)
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Return)  # to the password
    assert dialog.password_edit.hasFocus()
    assert not dialog.general_error.text(), "Enter in the name tried an empty password"
    qtbot.keyClicks(dialog.password_edit, TEST_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert context.access.actor is not None


def test_ctrl_l_then_password_and_enter_unlocks_without_signing_out(
        qtbot, configured_context) -> None:
    window = MainWindow(configured_context)
    qtbot.addWidget(window)
    window.show()
    seen: dict[str, object] = {}

    def unlock(dialog: QDialog) -> None:
        assert isinstance(dialog, LockDialog)
        seen["message"] = dialog.findChild(QLabel, "lock_message").text()
        activate(dialog)
        qtbot.keyClicks(dialog.password_edit, TEST_PASSWORD)
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        seen["result"] = dialog.result()
        if dialog.isVisible():  # a second Enter would land on «خروج از حساب»
            seen["focus"] = QApplication.focusWidget().objectName()

    run_modal(window.lock_action.trigger, unlock)
    assert seen.get("focus") is None, f"Enter moved the focus to {seen.get('focus')}"
    assert seen["result"] == QDialog.DialogCode.Accepted
    assert not window.signed_out and configured_context.access.actor is not None
    assert "بی‌کاری" not in seen["message"] and "قفل شد" in seen["message"]


def test_the_idle_lock_says_it_was_the_idle_time(qtbot, configured_context) -> None:
    dialog = LockDialog(configured_context.accounts)
    qtbot.addWidget(dialog)
    assert "بی‌کاری" in dialog.findChild(QLabel, "lock_message").text()


def test_enter_on_a_focused_button_presses_it(qtbot, configured_context) -> None:
    form = PatientFormDialog(configured_context.patients, configured_context.reference)
    qtbot.addWidget(form)
    form.show()
    activate(form)
    cancel = form.buttons.button(form.buttons.StandardButton.Cancel)
    cancel.setFocus()
    with qtbot.waitSignal(form.rejected, timeout=2000):
        qtbot.keyClick(cancel, Qt.Key.Key_Return)  # an unchanged form closes at once
    assert not form.isVisible()


def test_enter_in_a_field_moves_on_and_never_saves(qtbot, configured_context) -> None:
    form = PatientFormDialog(configured_context.patients, configured_context.reference)
    qtbot.addWidget(form)
    form.show()
    first = form.field_widget("first_name")
    type_text(first, "علی")
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert form.isVisible() and form.saved_record is None
    assert not first.hasFocus()  # on to the next field
    assert configured_context.patients.search("علی") == []


def test_qt_file_dialog_keeps_enter(qtbot, tmp_path) -> None:
    """Enter in the name box of Qt's own file dialog chooses the file."""
    dialog = QFileDialog(None, "ذخیره", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    name_box = dialog.findChild(QLineEdit, "fileNameEdit")
    name_box.setFocus()
    qtbot.keyClicks(name_box, "package.zip")
    qtbot.keyClick(name_box, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.selectedFiles() == [str(tmp_path / "package.zip")]


def test_escape_on_a_changed_new_patient_asks_and_keeps_the_work(
        qtbot, configured_context) -> None:
    form = PatientFormDialog(configured_context.patients, configured_context.reference)
    qtbot.addWidget(form)
    form.show()
    first = form.field_widget("first_name")
    type_text(first, "زهرا")
    asked: list[str] = []
    answer_discard_question(discard=False, seen=asked)
    qtbot.keyClick(first, Qt.Key.Key_Escape)
    assert asked == ["تغییرهای ذخیره‌نشده کنار گذاشته شود؟"]
    assert form.isVisible() and first.text().endswith("زهرا")  # kept, by default

    answer_discard_question(discard=True, seen=asked)
    cancel = form.buttons.button(form.buttons.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)  # «انصراف» asks the same
    assert len(asked) == 2 and not form.isVisible()


def test_escape_in_the_questionnaire_keeps_its_draft_until_the_person_says_so(
        qtbot, configured_context) -> None:
    from tests.builders import identity

    patient = configured_context.patients.create(identity("0499370899", "زهرا", "کریمی"))
    dialog = QuestionnaireDialog(
        configured_context.rulebook.active(dt.date.today()), "زهرا کریمی",
        assessments=configured_context.assessments, patient_id=patient.id,
        assessor="مریم", drafts=configured_context.drafts, draft_owner=TEST_USERNAME)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(dialog)
    dialog.inputs["income"].set_answer("under_k300")
    dialog.save_draft()  # as its timer does
    drafts = configured_context.drafts

    def draft():
        return drafts.load(QuestionnaireDialog.draft_kind, patient.id, TEST_USERNAME)

    assert draft() is not None
    answer_discard_question(discard=False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and draft() is not None
    assert dialog.answers()["income"] == "under_k300"

    answer_discard_question(discard=True)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and draft() is None  # gone once the person said so


def test_a_form_without_changes_closes_without_a_question(qtbot, configured_context) -> None:
    form = PatientFormDialog(configured_context.patients, configured_context.reference)
    qtbot.addWidget(form)
    form.show()
    activate(form)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_direction_marks_alone_are_no_change() -> None:
    from cancer_desk.ui.draft_keeping import same_as_opened

    opened = {"address": "AC-T، چهار دوره", "relatives": [["پدر", "C50"]]}
    assert same_as_opened({"address": "\u200fAC-T، چهار دوره",
                           "relatives": [["پدر", "C50"]]}, opened)
    assert not same_as_opened({"address": "AC-T، پنج دوره",
                               "relatives": [["پدر", "C50"]]}, opened)


def test_ctrl_l_over_an_open_form_locks_it_and_the_work_stays(qtbot, configured_context):
    """The main window's shortcut is blocked under a modal form; Ctrl+L there locks too,
    the form covered, and after the password the form is as it was."""
    from tests.builders import identity

    patient = configured_context.patients.create(identity())
    window = MainWindow(configured_context)
    qtbot.addWidget(window)
    window.show()
    window.open_patient(patient.id)
    seen: dict[str, object] = {}
    failures: list[BaseException] = []

    def unlock(lock: QDialog) -> None:
        seen["lock"] = type(lock).__name__
        seen["covered"] = any(shade.isVisible() for shade in window.covers)
        activate(lock)
        qtbot.keyClicks(lock.password_edit, TEST_PASSWORD)
        qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)

    def in_questionnaire(dialog: QDialog) -> None:
        activate(dialog)
        dialog.inputs["income"].set_answer("under_k300")
        on_next_modal(LockDialog, unlock, failures)
        target = dialog.focusWidget() or dialog
        qtbot.keyClick(target, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        seen["after"] = (dialog.isVisible(), dialog.answers()["income"])
        QDialog.done(dialog, QDialog.DialogCode.Rejected)

    run_modal(window.assess_action.trigger, in_questionnaire)
    assert not failures, failures
    assert seen.get("lock") == "LockDialog" and seen["covered"]
    assert seen["after"] == (True, "under_k300")
    assert not window.signed_out


def test_enter_on_a_patient_row_opens_them_and_tab_leaves_the_list(qtbot,
                                                                  configured_context):
    from tests.builders import identity

    patient = configured_context.patients.create(identity())
    window = MainWindow(configured_context)
    qtbot.addWidget(window)
    window.show()
    activate(window)
    table = window.patient_list.table
    window.open_patient(patient.id)
    table.setFocus()
    opened: list[str] = []

    def look(dialog: QDialog) -> None:
        opened.append(dialog.field_widget("national_code").text())
        dialog.reject()

    run_modal(lambda: qtbot.keyClick(table, Qt.Key.Key_Return), look)
    assert opened == ["۰۴۹۹۳۷۰۸۹۹"]
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()  # on to the panel, not to the next cell


def test_tab_passes_the_calendar_button_and_alt_down_opens_it(qtbot) -> None:
    from cancer_desk.ui.widgets.jalali_date_edit import JalaliDateEdit

    holder = QDialog()
    qtbot.addWidget(holder)
    date = JalaliDateEdit(holder)
    after = QLineEdit(holder)
    row = QHBoxLayout(holder)
    row.addWidget(date)
    row.addWidget(after)
    holder.show()
    activate(holder)
    date.line_edit.setFocus()
    qtbot.keyClick(date.line_edit, Qt.Key.Key_Tab)
    assert after.hasFocus(), "Tab stopped at the calendar button"
    opened: list[bool] = []
    date._menu.aboutToShow.connect(lambda: opened.append(True))
    date.line_edit.setFocus()
    QApplication.processEvents()
    qtbot.keyClick(date.line_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: opened == [True], timeout=2000)
    date._menu.hide()
