"""The duplicates in the windows: the patient form asks «is this not …?» before a
second record is made, and the duplicates window merges a pair or marks it as two
people."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QDialog, QMessageBox

from cancer_desk.ui.text import fa
from tests.builders import identity
from tests.duplicate_codes import one_digit_typo
from tests.ui.helpers import click, fill_patient, on_next_modal, run_modal, save_button


def test_the_form_asks_about_a_code_one_digit_away_before_saving(qtbot, window) -> None:
    typo_a, typo_b = one_digit_typo(21)
    existing = window.context.patients.create(identity(typo_a, "زهرا", "گودرزی"))
    dialog = window.patient_room.make_patient_dialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_patient(qtbot, dialog, code=fa(typo_b))
    click(qtbot, save_button(dialog))
    assert dialog.ui.similar_banner.isVisible()
    text = dialog.ui.similar_label.text()
    assert "این بیمار همان «زهرا گودرزی»" in text and fa(typo_a) in text
    assert "کد ملی یک رقم متفاوت" in text
    assert window.context.patients.count() == 1  # nothing saved yet
    assert dialog.ui.open_similar_button.text() == "باز کردن پرونده موجود"
    opened: list[int] = []
    dialog.open_existing_requested.connect(opened.append)
    click(qtbot, dialog.ui.open_similar_button)
    assert opened == [existing.id]
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert window.context.patients.count() == 1


def test_another_patient_is_registered_and_the_pair_not_listed_again(qtbot, window) -> None:
    window.context.patients.create(dataclasses.replace(
        identity("0012345679", "زهرا", "گودرزی"), father_name="علی‌اکبر"))
    dialog = window.patient_room.make_patient_dialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_patient(qtbot, dialog, birth="۱۳۵۸/۱۰/۱۱")  # 1980-01-01, as identity()
    click(qtbot, save_button(dialog))
    assert "نام، نام پدر و تاریخ تولد یکسان" in dialog.ui.similar_label.text()
    assert dialog.new_anyway_button.text() == "ثبت بیمار تازه"
    click(qtbot, dialog.new_anyway_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert window.context.patients.count() == 2
    assert window.context.duplicates.find_all() == []  # the person said: two people


def planted(window) -> tuple[int, int]:
    typo_a, typo_b = one_digit_typo(22)
    first = window.context.patients.create(identity(typo_a, "مریم", "احمدی"))
    second = window.context.patients.create(identity(typo_b, "مریم", "احمدی"))
    window.context.patients.create(identity("0499370899", "نرگس", "امینی"))
    return first.id, second.id


def test_the_window_lists_a_pair_and_marks_it_as_two_people(qtbot, window) -> None:
    planted(window)
    dialog = window.hospital_room.make_duplicates_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.refresh()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 6).text() == ("کد ملی یک رقم متفاوت، "
                                              "نام، نام پدر و تاریخ تولد یکسان")
    assert dialog.summary.text() == "۱ جفت پرونده شاید تکراری باشد."
    click(qtbot, dialog.buttons["distinct"])
    assert dialog.table.rowCount() == 0
    assert "دو نفر دانسته شدند" in dialog.summary.text()
    dialog.refresh()
    assert dialog.table.rowCount() == 0 and dialog.summary.text() == \
        "هیچ پرونده تکراری پیدا نشد."


def test_the_window_merges_the_pair_into_the_record_chosen(qtbot, window) -> None:
    _first, second = planted(window)
    dialog = window.hospital_room.make_duplicates_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.refresh()
    changed: list[bool] = []
    dialog.records_changed.connect(lambda: changed.append(True))
    keep_code = dialog.pairs[0].second.national_code

    def keep_second(box: QMessageBox) -> None:
        [button] = [b for b in box.buttons() if fa(keep_code) in b.text()]
        button.click()

    run_modal(lambda: click(qtbot, dialog.buttons["merge"]), keep_second)
    assert changed == [True]
    assert "ادغام شد" in dialog.summary.text()
    assert dialog.table.rowCount() == 0
    assert window.context.patients.count() == 2
    assert window.context.patients.find_by_national_code(keep_code).id == second


def test_without_the_right_to_merge_only_reading_is_offered(qtbot, configured_context) -> None:
    from cancer_desk.ui.duplicates import DuplicatesDialog

    dialog = DuplicatesDialog(configured_context.duplicates, may_merge=False)
    qtbot.addWidget(dialog)
    assert dialog.buttons["merge"].isHidden() and dialog.buttons["distinct"].isHidden()
    assert not dialog.buttons["refresh"].isHidden()


def test_the_window_is_opened_from_the_patients_menu(qtbot, window) -> None:
    from cancer_desk.core.access import Action
    from cancer_desk.ui.duplicates import DuplicatesDialog

    planted(window)
    assert window.patients_menu.menuAction().isVisible()
    seen: list[int] = []
    failures: list[BaseException] = []

    def look(dialog) -> None:  # the search starts once the window is up
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
        seen.append(dialog.table.rowCount())
        dialog.accept()

    on_next_modal(DuplicatesDialog, look, failures)
    window.duplicates_action.trigger()
    assert not failures and seen == [1]
    window.allowed = window.allowed - {Action.MERGE_PATIENTS}
    window._show_allowed_actions()
    assert not window.patients_menu.menuAction().isVisible()
