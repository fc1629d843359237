"""The social worker's first day, through the real window: setup → patient →
questionnaire with a live score → save → restart → it is all still there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QRadioButton

from cancer_desk.app import DEMO_PASSWORD, patient_count
from cancer_desk.ui.main import prepare_context
from cancer_desk.ui.main_window import MainWindow
from cancer_desk.ui.patient_form import PatientFormDialog
from cancer_desk.ui.questionnaire import QuestionnaireDialog
from cancer_desk.ui.setup_dialog import SetupDialog
from tests.builders import identity
from tests.conftest import sign_in_tester
from tests.ui.helpers import (
    answer_and_watch,
    click,
    click_radio,
    fill_patient,
    leave_field,
    run_modal,
    save_button,
    type_text,
)


def test_first_day_end_to_end_and_after_a_restart(qtbot, db_url: str) -> None:
    # (Making the first account and signing in are walked through in test_accounts_ui.)
    context = sign_in_tester(prepare_context(db_url))
    assert context.settings.get() is None

    # First run: find the hub by its city, pick it, say who the director is.
    setup = SetupDialog(context.settings, context.reference)
    qtbot.addWidget(setup)
    setup.show()
    type_text(setup.search_edit, "ساری")
    assert setup.visible_hub_numbers() == [39, 40]
    hub_40 = next(setup.hub_list.item(i) for i in range(setup.hub_list.count())
                  if setup.hub_list.item(i).data(Qt.ItemDataRole.UserRole) == 40)
    click_pos = setup.hub_list.visualItemRect(hub_40).center()
    qtbot.mouseClick(setup.hub_list.viewport(), Qt.MouseButton.LeftButton, pos=click_pos)
    assert setup.hospital_edit.text() == "امام خمینی (ره) ساری"
    assert setup.budget_edit.text() == "۱۱-۵۲۰۰۰۰"
    type_text(setup.director_edit, "دکتر رضا نوری")
    type_text(setup.social_worker_edit, "مریم احمدی")
    click(qtbot, setup.save_button)
    assert setup.result() == QDialog.DialogCode.Accepted
    assert context.settings.get().hub_number == 40

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    assert "امام خمینی (ره) ساری" in window.windowTitle()
    assert window.patient_list.model.rowCount() == 0

    # A new patient, typed in.
    def new_patient(dialog: PatientFormDialog) -> None:
        fill_patient(qtbot, dialog)
        click(qtbot, save_button(dialog))

    run_modal(window.new_patient_action.trigger, new_patient)
    patient_id = window.current_patient_id()
    assert patient_id is not None
    assert window.patient_panel.name_label.text() == "زهرا گودرزی"

    # The questionnaire: the score and the band move with every answer.
    steps: list[list[tuple[str, str]]] = []

    def questionnaire(dialog: QuestionnaireDialog) -> None:
        steps.append(answer_and_watch(qtbot, dialog))
        click(qtbot, dialog.save_button)

    run_modal(window.assess_action.trigger, questionnaire)
    scores = [s for s, _ in steps[0]]
    coverages = [c for _, c in steps[0]]
    assert scores == ["۰ از ۱۰۰", "۱۶ از ۱۰۰", "۳۴ از ۱۰۰", "۴۴ از ۱۰۰", "۴۷ از ۱۰۰",
                      "۶۷ از ۱۰۰", "۷۱ از ۱۰۰", "۷۱ از ۱۰۰", "۷۶ از ۱۰۰"]
    assert "۳۰ درصد" in coverages[1] and "۴۰ درصد" in coverages[3]
    assert "۶۰ درصد" in coverages[5] and "۷۰ درصد" in coverages[6]
    assert coverages[-1] == "سهم پرداخت برنامه: ۷۰ درصد"  # complete: no «تا این‌جا»
    history = window.patient_panel.history_table
    assert history.rowCount() == 1
    assert history.item(0, 1).text() == "۷۶" and history.item(0, 2).text() == "۷۰٪"
    window.close()
    context.close()

    # Restart on the same file: everything is there.
    context = sign_in_tester(prepare_context(db_url))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    type_text(window.patient_list.search_edit, "گودرزی")
    assert window.patient_list.model.rowCount() == 1
    window.open_patient(patient_id)
    assert window.patient_panel.history_table.item(0, 1).text() == "۷۶"
    [saved] = context.assessments.history(patient_id)
    assert (saved.score, saved.coverage_percent, saved.ruleset_id) == (76, 70, "moh-1388")
    assert saved.assessor == "مریم احمدی"
    assert saved.answers["family_size"] == 6 and saved.answers["university_children"] == 0
    stored = context.patients.get(patient_id).identity
    assert (stored.last_name, stored.phone, stored.national_code) == (
        "گودرزی", "09111234567", "0499370899")
    context.close()


@pytest.mark.parametrize(("code", "birth", "messages"), [
    ("۱۲۳۴۵۶۷۸۹۰", "۱۳۶۵/۰۲/۳۰", {"national_code": "رقم کنترل"}),
    ("۰۴۹۹۳۷۰۸۹۹", "۱۴۰۳/۱۳/۰۵", {"birth_date": "ماه «تاریخ تولد»"}),
    ("۰۴۹۹۳۷۰۸۹۹", "۱۴۰۲/۱۲/۳۰", {"birth_date": "روز «تاریخ تولد»"}),  # 1402 not leap
    ("۱۲۳", "فردا", {"national_code": "۱۰ رقم", "birth_date": "به شکل سال/ماه/روز"}),
])
def test_bad_input_shows_the_message_and_saves_nothing(qtbot, window, code, birth, messages):
    dialog = window.patient_room.make_patient_dialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_patient(qtbot, dialog, code=code, birth=birth)
    click(qtbot, save_button(dialog))
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    for field, text in messages.items():
        label = dialog.error_label(field)
        assert label.isVisible() and text in label.text(), (field, label.text())
    assert dialog.general_error.isVisible()
    assert window.context.patients.count() == 0


def test_a_fixed_field_loses_its_message(qtbot, window) -> None:
    dialog = window.patient_room.make_patient_dialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_patient(qtbot, dialog, birth="۱۴۰۳/۱۳/۰۵")
    click(qtbot, save_button(dialog))
    assert dialog.error_label("birth_date").isVisible()
    dialog.ui.birth_date_edit.line_edit.clear()
    type_text(dialog.ui.birth_date_edit, "۱۳۶۵/۰۲/۳۰")
    assert not dialog.error_label("birth_date").isVisible()
    click(qtbot, save_button(dialog))
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert window.context.patients.count() == 1


def test_duplicate_national_code_opens_the_existing_patient(qtbot, window) -> None:
    existing = window.context.patients.create(identity("0499370899", "علی", "کریمی"))
    window.patient_list.refresh()

    def try_second(dialog: PatientFormDialog) -> None:
        type_text(dialog.ui.national_code_edit, "049-937-0899")
        leave_field(dialog.ui.national_code_edit)
        assert dialog.ui.duplicate_banner.isVisible()
        assert "علی کریمی" in dialog.ui.duplicate_label.text()
        click(qtbot, dialog.ui.open_existing_button)

    run_modal(window.new_patient_action.trigger, try_second)
    assert window.current_patient_id() == existing.id
    assert window.patient_panel.name_label.text() == "علی کریمی"
    assert window.context.patients.count() == 1


def test_duplicate_caught_on_save_too(qtbot, window) -> None:
    """Typed without leaving the field, then Save: still no second record."""
    window.context.patients.create(identity("0499370899"))
    dialog = window.patient_room.make_patient_dialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_patient(qtbot, dialog)
    dialog.ui.duplicate_banner.hide()  # as if the check on leaving the field had not run
    click(qtbot, save_button(dialog))
    assert dialog.ui.duplicate_banner.isVisible()
    assert window.context.patients.count() == 1


def test_incomplete_questionnaire_is_not_saved(qtbot, window) -> None:
    patient = window.context.patients.create(identity())
    dialog = window.patient_room.make_questionnaire(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    click_radio(qtbot, dialog.findChild(QRadioButton, "option_income_k500_plus"))
    qtbot.keyClick(dialog.inputs["family_size"].spin, Qt.Key.Key_Up)
    click(qtbot, dialog.save_button)
    assert dialog.message_label.isVisible()
    assert "«وضعیت مسکن»" in dialog.message_label.text()
    assert dialog.inputs["housing"].error_label.isVisible()
    assert not dialog.inputs["income"].error_label.isVisible()
    assert window.context.assessments.history(patient.id) == []
    # A count left at «—» is unanswered, never a silent 0.
    assert dialog.inputs["sick_children"].answer() is None
    assert dialog.inputs["family_size"].answer() == 1


def test_counts_accept_persian_digits_and_amounts_pick_the_bracket(qtbot, window) -> None:
    patient = window.context.patients.create(identity())
    dialog = window.patient_room.make_questionnaire(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    spin = dialog.inputs["family_size"].spin
    spin.lineEdit().selectAll()
    type_text(spin.lineEdit(), "۷")
    assert dialog.inputs["family_size"].answer() == 7
    assert dialog.inputs["family_size"].points_label.text() == "امتیاز: ۴"
    type_text(dialog.inputs["income"].amount_edit, "350")
    assert dialog.inputs["income"].answer() == "k300_400"
    assert dialog.inputs["income"].amount_edit.text() == "۳۵۰"
    assert dialog.inputs["income"].points_label.text() == "امتیاز: ۱۶"


def test_an_old_assessment_shows_what_it_scored_then(qtbot, window) -> None:
    """Even if the hospital has since edited the rule file, the saved points show."""
    from cancer_desk.core.rules import parse_ruleset
    from tests.conftest import RULESET_1388, full_answers

    patient = window.context.patients.create(identity())
    record = window.context.assessments.record(patient.id, full_answers())
    edited_text = RULESET_1388.read_text(encoding="utf-8").replace(
        "  at_least = 1\n  points = 20", "  at_least = 1\n  points = 15")
    import tomllib

    edited = parse_ruleset(tomllib.loads(edited_text))
    dialog = QuestionnaireDialog(edited, "x", existing=record)
    qtbot.addWidget(dialog)
    assert dialog.panel.score_label.text() == "۷۶ از ۱۰۰"
    assert dialog.panel.coverage_label.text() == "سهم پرداخت برنامه: ۷۰ درصد"
    assert dialog.inputs["sick_children"].points_label.text() == "امتیاز: ۲۰"
    assert not dialog.save_button.isVisibleTo(dialog)
    radio = dialog.findChild(QRadioButton, "option_income_k500_plus")
    click_radio(qtbot, radio)
    assert not radio.isChecked()  # read-only: the click does nothing
    assert dialog.inputs["income"].answer() == "under_k300"


def sign_in_demo(context, username: str = "admin"):
    context.accounts.sign_in(username, DEMO_PASSWORD)
    return context


def test_demo_start_fills_a_new_database_once(db_url: str) -> None:
    context = prepare_context(db_url, demo=True)
    try:
        assert context.settings.get() is not None
        assert patient_count(context) == 300
        assert context.access.actor is None  # the demo's accounts sign in like any other
        assert [a.username for a in sign_in_demo(context).accounts.list()] == [
            "admin", "director", "maryam"]
    finally:
        context.close()
    context = prepare_context(db_url, demo=True)
    try:
        assert patient_count(context) == 300  # not filled a second time
    finally:
        context.close()


def test_a_hospital_not_on_the_list_is_entered_by_hand(qtbot, context) -> None:
    setup = SetupDialog(context.settings, context.reference)
    qtbot.addWidget(setup)
    setup.show()
    click_radio(qtbot, setup.manual_check)
    assert setup.hospital_edit.isEnabled() and not setup.hub_list.isEnabled()
    click(qtbot, setup.save_button)
    assert setup.result() != QDialog.DialogCode.Accepted
    assert "«بیمارستان»" in setup.findChild(QLabel, "hospital_error").text()
    type_text(setup.university_edit, "علوم پزشکی البرز")
    setup.province_combo.setCurrentText("البرز")
    type_text(setup.hospital_edit, "شهید رجایی کرج")
    type_text(setup.city_edit, "کرج")
    click(qtbot, setup.save_button)
    assert setup.result() == QDialog.DialogCode.Accepted
    saved = context.settings.get()
    assert (saved.hub_number, saved.hospital, saved.province) == (None, "شهید رجایی کرج", "البرز")


def test_settings_can_be_changed_from_the_window(qtbot, window) -> None:
    def change(dialog: SetupDialog) -> None:
        assert dialog.hub_list.currentItem().data(Qt.ItemDataRole.UserRole) == 1
        dialog.director_edit.clear()
        type_text(dialog.director_edit, "دکتر سیما نیک‌نام")
        click(qtbot, dialog.save_button)

    run_modal(window.settings_action.trigger, change)
    assert window.context.settings.get().director_name == "دکتر سیما نیک‌نام"


def test_editing_a_patient_someone_else_just_changed_is_refused(qtbot, window) -> None:
    patient = window.context.patients.create(identity())
    dialog = window.patient_room.make_patient_dialog(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    # Meanwhile, on another PC (another process, the same database file), the patient's
    # phone is corrected.
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, dataclasses\n"
            "from tests.conftest import open_signed_in\n"
            "ctx = open_signed_in(sys.argv[1])\n"
            "p = ctx.patients.get(int(sys.argv[2]))\n"
            "ctx.patients.update(p.id, dataclasses.replace(p.identity, phone='09121111111'),"
            " p.version)\n"
            "ctx.close()\n")
    subprocess.run([sys.executable, "-c", code, window.context.database.url, str(patient.id)],
                   check=True, cwd=Path(__file__).resolve().parents[2])
    dialog.ui.first_name_edit.clear()
    type_text(dialog.ui.first_name_edit, "رضا")
    click(qtbot, save_button(dialog))
    assert dialog.result() != QDialog.DialogCode.Accepted
    message = dialog.general_error.text().replace("\u2068", "").replace("\u2069", "")
    assert "تغییر کرده" in message
    assert "تلفن بیمار: — ← ۰۹۱۲۱۱۱۱۱۱۱" in message  # what the other save changed
    stored = window.context.patients.get(patient.id).identity
    assert (stored.first_name, stored.phone) == ("علی", "09121111111")  # nothing overwritten


def test_a_patient_beyond_the_first_page_can_be_edited_and_assessed(qtbot, window) -> None:
    from cancer_desk.app import fill_demo
    from cancer_desk.ui.patient_list import PAGE_SIZE

    fill_demo(window.context, PAGE_SIZE + 50, seed=3, force=True)
    late = window.context.patients.create(identity("0499370899", "یاسمن", "یییوسفی"))
    window.patient_list.refresh()
    assert window.patient_list.model.row_of(late.id) is None  # not fetched yet
    window.open_patient(late.id)
    assert window.current_patient_id() == late.id
    assert window.patient_list.current_patient_id() == late.id  # visibly selected
    assert window.assess_action.isEnabled()
    opened: list[str] = []

    def look(dialog: QuestionnaireDialog) -> None:
        opened.append(dialog.windowTitle())
        dialog.reject()

    run_modal(window.assess_action.trigger, look)
    assert opened and "یاسمن یییوسفی" in opened[0]


def test_the_wheel_over_a_count_scrolls_instead_of_answering(qtbot, window) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    patient = window.context.patients.create(identity())
    dialog = window.patient_room.make_questionnaire(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    spin = dialog.inputs["sick_children"].spin
    combo_host = window.patient_room.make_patient_dialog(None)
    qtbot.addWidget(combo_host)
    combo_host.show()
    combo = combo_host.ui.nationality_combo
    for widget in (spin, combo):
        assert not widget.hasFocus()
        centre = QPointF(widget.rect().center())
        event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(),
                            QPoint(0, -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(widget, event)
    assert dialog.inputs["sick_children"].answer() is None
    assert combo.currentData() == 1  # still «ایرانی»


def test_enter_moves_to_the_next_field_and_never_saves(qtbot, window) -> None:
    from tests.ui.helpers import press_key

    dialog = window.patient_room.make_patient_dialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    type_text(dialog.ui.national_code_edit, "۰۴۹۹۳۷۰۸۹۹")
    press_key(dialog.ui.national_code_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.general_error.isVisible()
    assert not dialog.error_label("first_name").isVisible()
    assert window.context.patients.count() == 0


def test_a_typed_amount_never_replaces_a_pension_answer(qtbot, window) -> None:
    patient = window.context.patients.create(identity())
    dialog = window.patient_room.make_questionnaire(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    income = dialog.inputs["income"]
    click_radio(qtbot, dialog.findChild(QRadioButton, "option_income_pension_welfare"))
    type_text(income.amount_edit, "350")
    assert income.answer() == "pension_welfare"
    click_radio(qtbot, dialog.findChild(QRadioButton, "option_income_k400_500"))
    type_text(income.amount_edit, "350")
    assert income.answer() == "k300_400"
    click_radio(qtbot, dialog.findChild(QRadioButton, "option_income_k500_plus"))
    assert income.amount_edit.text() == ""  # the click wins; the stale figure goes
