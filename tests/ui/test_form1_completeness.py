"""Form 1's required items in its window: marked before saving, named while empty, and
named again when an incomplete form is saved (which still saves it)."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from cancer_desk.core import case as c
from cancer_desk.ui.case_form import REQUIRED_MARK, CaseFormDialog
from cancer_desk.ui.main import make_application
from tests.builders import full_case, identity
from tests.ui.helpers import click, click_radio, run_modal


@pytest.fixture(autouse=True)
def _app(qapp):
    make_application()


def case_dialog(qtbot, window) -> tuple[CaseFormDialog, int]:
    patient = window.context.patients.create(identity())
    dialog = window.patient_room.make_case_dialog(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, patient.id


def test_the_required_items_and_only_they_are_marked(qtbot, window) -> None:
    dialog, _ = case_dialog(qtbot, window)
    marked = {name for name, label in dialog.field_labels.items()
              if label.text().endswith(f" {REQUIRED_MARK}:")}
    assert marked == set(c.REQUIRED_FOR_COMPLETE)  # what the completeness check asks for
    assert all(REQUIRED_MARK not in label.text() for name, label in dialog.field_labels.items()
               if name not in c.REQUIRED_FOR_COMPLETE)
    assert dialog.field_labels["diagnosis_date"].text() == f"تاریخ تشخیص {REQUIRED_MARK}:"
    legend = dialog.required_legend
    assert legend.isVisibleTo(dialog) and f"با {REQUIRED_MARK} برای کامل شدن فرم ۱ لازم" \
        in legend.text()


def test_the_window_names_what_is_still_empty_as_it_is_filled(qtbot, window) -> None:
    dialog, _ = case_dialog(qtbot, window)
    text = dialog.missing_label.text()
    assert text.startswith("هنوز خالی (۹ مورد لازم): «روش تشخیص»، «تاریخ تشخیص»")
    assert "تاریخ تکمیل" not in text  # filled in on opening, and the name too
    click_radio(qtbot, dialog.widgets["diagnosis_method"].group.button(1))
    assert dialog.missing_label.text().startswith("هنوز خالی (۸ مورد لازم): «تاریخ تشخیص»")


@pytest.mark.real_saved_incomplete_notice
def test_saving_an_incomplete_form_saves_it_and_names_what_is_missing(qtbot, window) -> None:
    dialog, patient_id = case_dialog(qtbot, window)
    click_radio(qtbot, dialog.widgets["diagnosis_method"].group.button(1))
    click_radio(qtbot, dialog.widgets["surgery"].group.button(2))
    told: list[str] = []

    def read(box: QDialog) -> None:
        assert isinstance(box, QMessageBox) and box.objectName() == "saved_incomplete_notice"
        told.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    run_modal(lambda: click(qtbot, dialog.save_button), read)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = window.context.cases.get(patient_id)
    assert saved.version is not None and (saved.record.diagnosis_method, saved.record.surgery) \
        == (1, 2)  # nothing lost for being incomplete
    assert "فرم ۱ ذخیره شد، ولی ۷ مورد لازم آن هنوز خالی است: «تاریخ تشخیص»، «درمان»" \
        in told[0]
    assert "«جراحی»" not in told[0] and "«روش تشخیص»" not in told[0]


def test_a_complete_form_is_saved_without_a_word(qtbot, window,
                                                 saved_incomplete_notices) -> None:
    dialog, patient_id = case_dialog(qtbot, window)
    dialog.set_record(dataclasses.replace(full_case(), completed_by=""))
    dialog.widgets["completed_by"].setText("آزمون")
    assert dialog.missing_label.text() == "همه موارد لازم فرم ۱ پر است."
    click(qtbot, dialog.save_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert saved_incomplete_notices == []
    assert window.context.cases.get(patient_id).record.missing_for_complete() == []


def test_form1_opens_with_the_focus_in_its_first_item(qtbot, window) -> None:
    """Not on «ذخیره»: Enter straight after opening must not save the form."""
    patient = window.context.patients.create(identity())
    dialog = window.patient_room.make_case_dialog(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    focused = QApplication.focusWidget()
    first = dialog.widgets[next(iter(dialog.widgets))]
    assert focused is not dialog.save_button
    assert focused is first or first.isAncestorOf(focused), focused
    assert focused.focusPolicy() & Qt.FocusPolicy.TabFocus  # it takes keys: Space ticks
