"""A whole Form 1 through the window: identity, assessment, case record, costs, print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QPushButton

from cancer_desk.print import rtl
from cancer_desk.services.formulary import DrugInput
from cancer_desk.ui.case_form import CaseFormDialog
from cancer_desk.ui.costs import CostItemDialog, CostsDialog
from cancer_desk.ui.formulary import FormularyDialog
from cancer_desk.ui.import_dialog import ImportPatientsDialog
from cancer_desk.ui.main_window import MainWindow
from tests.builders import identity
from tests.print.harfbuzz_check import pdf_lines
from tests.ui.helpers import (
    answer_and_watch,
    cancel_held_work,
    choose,
    click,
    click_radio,
    fill_case,
    fill_patient,
    run_modal,
    save_button,
    type_text,
)


@pytest.fixture
def window(qtbot, configured_context, monkeypatch):
    opened: list[Path] = []
    monkeypatch.setattr("cancer_desk.ui.printing.open_pdf",
                        lambda path: opened.append(path) or True)
    main = MainWindow(configured_context)
    main.opened_pdfs = opened
    qtbot.addWidget(main)
    main.show()
    return main






def test_a_whole_form1_with_costs_and_its_printout(qtbot, window, tmp_path) -> None:
    ctx = window.context
    drug = ctx.formulary.save(DrugInput("تراستوزوماب", "Trastuzumab", "ویال ۴۴۰"))

    def new_patient(dialog) -> None:
        fill_patient(qtbot, dialog)
        dialog.ui.cancer_group_id_combo.setCurrentIndex(-1)
        type_text(dialog.ui.icd10_code_edit, "c50.9")
        assert dialog.ui.cancer_group_id_combo.currentData() == 1  # suggested: breast
        assert "پستان" in dialog.ui.icd10_hint_label.text()
        dialog.ui.address_province_combo.setCurrentText("البرز")
        assert "تحت پوشش این قطب" in dialog.ui.residence_label.text()
        click(qtbot, save_button(dialog))

    run_modal(window.new_patient_action.trigger, new_patient)
    patient_id = window.current_patient_id()
    assert ctx.patients.get(patient_id).identity.icd10_code == "C50.9"
    assert "تحت پوشش" in window.patient_panel.residence_label.text()

    def assess(dialog) -> None:
        answer_and_watch(qtbot, dialog)
        click(qtbot, dialog.save_button)

    run_modal(window.assess_action.trigger, assess)

    def case(dialog: CaseFormDialog) -> None:
        fill_case(qtbot, dialog, surgery_date="۱۴۰۲/۰۹/۰۱")  # before the diagnosis
        click(qtbot, dialog.save_button)
        assert dialog.isVisible()
        assert "پیش از «تاریخ تشخیص»" in dialog.errors["surgery_date"].text()
        assert ctx.cases.get(patient_id).version is None  # nothing half-saved
        dialog.widgets["surgery_date"].line_edit.clear()
        type_text(dialog.widgets["surgery_date"], "۱۴۰۲/۱۱/۱۲")
        click(qtbot, dialog.save_button)

    run_modal(window.patient_panel.case_button.click, case)
    saved_case = ctx.cases.get(patient_id).record
    assert saved_case.surgery_date == dt.date(2024, 2, 1)
    assert saved_case.family_cancers[0].relation == "خاله"
    assert saved_case.missing_for_complete() == []
    assert "فرم ۱ کامل است" in window.patient_panel.status_label.text()

    def add_drug(item: CostItemDialog) -> None:
        item.drug_combo.setCurrentIndex(item.drug_combo.findData(drug.id))
        type_text(item.amount_edit, "12500000")
        assert item.amount_edit.text() == "۱۲٬۵۰۰٬۰۰۰"
        item.quantity_spin.setValue(2)
        assert "۸٬۷۵۰٬۰۰۰ تومان" in item.support_label.text()
        click(qtbot, item.save_button)

    def add_insured_stay(item: CostItemDialog) -> None:
        item.kind_combo.setCurrentIndex(item.kind_combo.findData("hospital_stay"))
        type_text(item.amount_edit, "3400000")
        assert not item.insurance.part_edit.isEnabled()
        click_radio(qtbot, item.insurance.all_radio)
        assert "در تعهد بیمه" in item.support_label.text()
        click(qtbot, item.save_button)

    def costs(dialog: CostsDialog) -> None:
        assert "۷۰ درصد" in dialog.band_label.text()
        run_modal(dialog.add_button.click, add_drug)
        run_modal(dialog.add_button.click, add_insured_stay)
        assert dialog.table.rowCount() == 2
        assert dialog.totals_label.text() == (
            "جمع کل هزینه: ۱۵٬۹۰۰٬۰۰۰ تومان — در تعهد بیمه: ۳٬۴۰۰٬۰۰۰ تومان — خارج از "
            "تعهد بیمه: ۱۲٬۵۰۰٬۰۰۰ تومان — میزان حمایت مالی: ۸٬۷۵۰٬۰۰۰ تومان")
        assert dialog.table.item(1, 5).text() == "۳٬۴۰۰٬۰۰۰"
        dialog.accept()

    run_modal(window.patient_panel.costs_button.click, costs)
    assert "۸٬۷۵۰٬۰۰۰ تومان" in window.patient_panel.status_label.text()

    for kind in ("form1", "assessment"):
        window.patient_panel.print_buttons[kind].click()

    def confirm(box) -> None:  # «2 items … are referred to accounting; go on?»
        assert "۲ قلم هزینه" in box.text()
        box.button(box.StandardButton.Yes).click()

    run_modal(window.patient_panel.print_buttons["referral"].click, confirm)
    assert len(window.opened_pdfs) == 3
    assert [c.referral for c in ctx.costs.list(patient_id)] == [1, 1]
    costs = window.patient_room.make_costs_dialog(patient_id)
    assert "معرفی‌نامه ۱" in costs.table.item(0, 8).text()
    form1 = window.opened_pdfs[0]
    text = "\n".join(pdf_lines(form1))
    for phrase in ("زهرا", "گودرزی", "۸٬۷۵۰٬۰۰۰ تومان", "۱۵٬۹۰۰٬۰۰۰ تومان", "C50.9"):
        assert rtl.visual(phrase) in text, phrase


def test_printing_an_unassessed_patient_explains_why_not(qtbot, window) -> None:
    patient = window.context.patients.create(identity())
    window.open_patient(patient.id)
    assert not window.patient_panel.print_buttons["referral"].isEnabled()
    messages: list[str] = []

    def read(box) -> None:
        messages.append(box.text())
        box.accept()

    run_modal(lambda: window.print_room.print_paper("assessment", "open"), read)
    assert "ارزیابی نشده" in messages[0]
    assert window.opened_pdfs == []


def test_a_namesake_is_flagged_before_a_second_record_is_made(qtbot, window) -> None:
    window.context.patients.create(identity("0012345679", "زهرا", "گودرزی"))
    dialog = window.patient_room.make_patient_dialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_patient(qtbot, dialog, birth="۱۳۵۸/۱۰/۱۱")  # 1980-01-01, as identity()
    dialog.ui.father_name_edit.setText("حسن")
    click(qtbot, save_button(dialog))
    assert dialog.ui.similar_banner.isVisible()
    assert "۰۰۱۲۳۴۵۶۷۹" in dialog.ui.similar_label.text()
    assert window.context.patients.count() == 1
    click(qtbot, save_button(dialog))  # «not the same person»: the second save goes through
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert window.context.patients.count() == 2


def test_the_formulary_window(qtbot, window, tmp_path) -> None:
    dialog = FormularyDialog(window.context.formulary, window)
    qtbot.addWidget(dialog)

    def add(drug_dialog) -> None:
        type_text(drug_dialog.name_edit, "سیس‌پلاتین")
        click(qtbot, drug_dialog.save_button)

    buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
    run_modal(buttons["داروی تازه"].click, add)
    assert dialog.table.rowCount() == 1
    dialog.table.setCurrentCell(0, 0)  # as a click on the row does

    def withdraw_today(coverage_dialog) -> None:  # the date asked defaults to today
        click(qtbot, coverage_dialog.ok_button)

    run_modal(buttons["خارج کردن از فهرست…"].click, withdraw_today)
    assert window.context.formulary.list() == []
    assert dialog.table.item(0, 3).text() == "خارج از فهرست"
    drugs = tmp_path / "drugs.csv"
    drugs.write_text("نام دارو\nسیس‌پلاتین\nدوکسوروبیسین\n", encoding="utf-8")
    dialog.import_path(drugs)
    assert dialog.table.rowCount() == 2
    assert [d.active for d in window.context.formulary.list(include_inactive=True)] == [True,
                                                                                         True]


def test_the_import_window_checks_then_imports(qtbot, window, tmp_path) -> None:
    from tests.builders import GOOD_ROWS, write_csv

    dialog = ImportPatientsDialog(window.context.imports, window)
    qtbot.addWidget(dialog)
    bad = write_csv(tmp_path / "bad.csv", [*GOOD_ROWS, ["1", "", "", "", "", "", "", "", ""]])
    report = dialog.check(bad)
    assert not report.ok and not dialog.import_button.isEnabled()
    assert dialog.problems.rowCount() == len(report.problems)
    good = write_csv(tmp_path / "good.csv", GOOD_ROWS)
    dialog.check(good)
    assert dialog.import_button.isEnabled()
    click(qtbot, dialog.import_button)
    assert dialog.imported == 3 and "۳ بیمار وارد شد" in dialog.summary.text()
    assert window.context.patients.count() == 3


def test_an_import_cancelled_in_its_progress_dialog_imports_nobody(qtbot, window, tmp_path,
                                                                    monkeypatch) -> None:
    import threading

    from cancer_desk.services.duplicates import DuplicateService
    from cancer_desk.ui.background import ProgressDialog
    from tests.builders import GOOD_ROWS, write_csv
    from tests.ui.helpers import on_next_modal

    dialog = ImportPatientsDialog(window.context.imports, window)
    qtbot.addWidget(dialog)
    dialog.check(write_csv(tmp_path / "good.csv", GOOD_ROWS))
    assert dialog.import_button.isEnabled()
    real_among_rows = DuplicateService.among_rows
    held, go = threading.Event(), threading.Event()

    def among_rows_held(self, rows, **kw):
        held.set()
        assert go.wait(10)
        return real_among_rows(self, rows, **kw)

    monkeypatch.setattr(DuplicateService, "among_rows", among_rows_held)
    shown: list[str] = []

    def cancel(progress: ProgressDialog) -> None:
        cancel_held_work(qtbot, progress, held, go, at="۰ از ۳",
                         look=lambda: shown.append(progress.text_label.text()))

    failures: list[BaseException] = []
    on_next_modal(ProgressDialog, cancel, failures)
    click(qtbot, dialog.import_button)
    assert not failures, failures
    assert shown == ["جست‌وجوی بیمارانی که شاید پیش‌تر ثبت شده‌اند…"]
    assert dialog.summary.text() == "وارد کردن لغو شد؛ هیچ بیماری وارد نشد."
    assert dialog.imported == 0 and window.context.patients.count() == 0
    assert dialog.import_button.isEnabled()  # the checked list can go in after all
    monkeypatch.setattr(DuplicateService, "among_rows", real_among_rows)
    click(qtbot, dialog.import_button)
    assert dialog.imported == 3


def test_persian_text_starting_with_latin_stays_right_to_left(qtbot, window) -> None:
    from cancer_desk.core.case import clean_case

    patient = window.context.patients.create(identity())
    dialog = window.patient_room.make_case_dialog(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(dialog.widgets["chemotherapy"], 1, qtbot)
    type_text(dialog.widgets["chemotherapy_regimen"], "AC-T، چهار دوره")
    shown = dialog.widgets["chemotherapy_regimen"].text()
    assert shown.startswith("\u200f")  # an RLM keeps the line right to left on screen
    record = clean_case(dialog.raw_values(), lists=window.context.reference.form1)
    assert record.chemotherapy_regimen == "AC-T، چهار دوره"  # and is gone when stored


def test_an_answer_changed_back_does_not_block_saving(qtbot, window) -> None:
    """Surgery «بلی» with a date, then «خیر»: the date field is disabled and ignored."""
    patient = window.context.patients.create(identity())
    dialog = window.patient_room.make_case_dialog(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(dialog.widgets["surgery"], 1, qtbot)
    type_text(dialog.widgets["surgery_date"], "۱۴۰۲/۱۱/۱۲")
    choose(dialog.widgets["surgery"], 2, qtbot)
    assert not dialog.widgets["surgery_date"].isEnabled()
    click(qtbot, dialog.save_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = window.context.cases.get(patient.id).record
    assert (saved.surgery, saved.surgery_date) == (2, None)


def test_a_typed_drug_name_finds_the_listed_drug(qtbot, window) -> None:
    from tests.conftest import full_answers

    patient = window.context.patients.create(identity())
    window.context.assessments.record(patient.id, full_answers())
    drug = window.context.formulary.save(DrugInput("سیس‌پلاتین", "Cisplatin"))
    costs = window.patient_room.make_costs_dialog(patient.id)
    qtbot.addWidget(costs)

    def typed(item: CostItemDialog) -> None:
        item.drug_combo.lineEdit().clear()
        type_text(item.drug_combo.lineEdit(), "سيس پلاتين")  # Arabic yeh, a space
        type_text(item.amount_edit, "1000000")
        assert "۷۰۰٬۰۰۰ تومان" in item.support_label.text()
        click(qtbot, item.save_button)

    run_modal(costs.add_button.click, typed)
    [saved] = window.context.costs.list(patient.id)
    assert (saved.item.drug_id, saved.support.amount) == (drug.id, 700_000)

    def unlisted(item: CostItemDialog) -> None:
        item.drug_combo.lineEdit().clear()
        type_text(item.drug_combo.lineEdit(), "داروی تازه")
        type_text(item.amount_edit, "1000")
        click(qtbot, item.save_button)

    run_modal(costs.add_button.click, unlisted)
    other = window.context.costs.list(patient.id)[1]
    assert (other.item.description, other.on_formulary, other.support.amount) == (
        "داروی تازه", False, 0)


def test_a_form1_changed_elsewhere_is_refused_saying_what_changed(qtbot, window) -> None:
    import dataclasses

    from tests.builders import full_case
    from tests.builders import identity as someone

    ctx = window.context
    patient = ctx.patients.create(someone("0012345679"))
    ctx.cases.save(patient.id, full_case(), None)
    dialog = window.patient_room.make_case_dialog(patient.id)
    qtbot.addWidget(dialog)
    state = ctx.cases.get(patient.id)  # another social worker corrects the grade
    ctx.cases.save(patient.id, dataclasses.replace(state.record, grade="G3"), state.version)
    dialog._on_save()
    message = dialog.general_error.text().replace("\u2068", "").replace("\u2069", "")
    assert "تغییر کرده" in message and "درجه (Grade): G2 ← G3" in message
    assert ctx.cases.get(patient.id).record.grade == "G3"


def test_when_no_viewer_opens_form1_says_where_the_file_is(qtbot, window,
                                                           monkeypatch) -> None:
    tried: list[Path] = []  # what the program tried to open, with no viewer to open it
    monkeypatch.setattr("cancer_desk.ui.printing.open_pdf",
                        lambda path: tried.append(path) or False)
    patient = window.context.patients.create(identity())
    window.open_patient(patient.id)
    messages: list[str] = []

    def read(box) -> None:
        messages.append(box.text())
        box.accept()

    run_modal(lambda: window.print_room.print_paper("form1", "open"), read)
    assert "نمایشگر PDF باز نشد" in messages[0]
    [printed] = tried
    assert str(printed.resolve()) in messages[0]
    assert "form1" in printed.name and "زهرا" not in printed.name
