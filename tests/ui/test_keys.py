"""Keys as Persian Windows users expect, through the application the program builds
(its input guard, direction, font and translations): Enter signs in and unlocks, Enter
presses a focused button and otherwise moves to the next field, Qt's own dialogs keep
their keys, and Escape on a form with changes asks before anything is lost."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLabel, QLineEdit

from cancer_desk.ui.main_window import MainWindow
from cancer_desk.ui.patient_form import PatientFormDialog
from cancer_desk.ui.questionnaire import QuestionnaireDialog
from cancer_desk.ui.sign_in import LockDialog, SignInDialog
from tests.conftest import TEST_PASSWORD, TEST_USERNAME
from tests.ui.helpers import activate, answer_discard_question, run_modal, type_text

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
    from tests.services.test_patients import identity

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
