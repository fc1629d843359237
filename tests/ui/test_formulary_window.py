"""The formulary window shows each drug's periods; an empty list is said in the main
window and on the drug costs; a withdrawal says how many saved costs lose support."""

from __future__ import annotations

import pytest

from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.jalali import from_jalali
from cancer_desk.services.formulary import DrugInput
from cancer_desk.ui.costs import CostsDialog
from cancer_desk.ui.formulary import CoverageDialog, FormularyDialog
from cancer_desk.ui.main_window import MainWindow
from tests.builders import identity
from tests.conftest import full_answers
from tests.ui.helpers import click, type_text


@pytest.fixture
def patient(configured_context):
    patient = configured_context.patients.create(identity())
    configured_context.assessments.record(patient.id, full_answers(),
                                          assessed_on=from_jalali(1405, 1, 10))  # 70%
    return patient


def test_an_empty_formulary_is_said_in_the_main_window(qtbot, configured_context,
                                                       tmp_path) -> None:
    main = MainWindow(configured_context)
    qtbot.addWidget(main)
    main.show()
    assert main.formulary_label.isVisible()
    main.statusBar().grab().save(str(tmp_path / "status.png"))
    assert "فهرست داروهای تحت پوشش خالی است" in main.formulary_label.text()
    configured_context.formulary.save(DrugInput("سیس‌پلاتین"))
    main.show_formulary_warning()
    assert not main.formulary_label.isVisible()


def test_an_empty_formulary_is_said_on_every_drug_cost(qtbot, configured_context,
                                                       patient, tmp_path) -> None:
    ctx = configured_context
    ctx.costs.add(patient.id, CostItemInput(from_jalali(1405, 2, 20), "drug", 100_000,
                                            description="سیس‌پلاتین"))
    ctx.costs.add(patient.id, CostItemInput(from_jalali(1405, 2, 21), "other", 50_000,
                                            description="ایاب و ذهاب"))
    dialog = CostsDialog(ctx.costs, patient.id, "علی کریمی",
                         ctx.formulary.list(include_inactive=True), None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.formulary_label.isVisible()
    dialog.grab().save(str(tmp_path / "costs.png"))
    assert "خالی است" in dialog.formulary_label.text()
    assert "فهرست داروهای تحت پوشش خالی است" in dialog.table.item(0, 8).text()
    assert "خالی" not in dialog.table.item(1, 8).text()  # not a drug: no word of the list


def test_a_withdrawn_drug_says_why_on_its_date(qtbot, configured_context, patient) -> None:
    ctx = configured_context
    drug = ctx.formulary.save(DrugInput("سیس‌پلاتین"))
    ctx.formulary.save(DrugInput("دوکسوروبیسین"))
    ctx.costs.add(patient.id, CostItemInput(from_jalali(1405, 2, 20), "drug", 100_000,
                                            drug_id=drug.id))
    ctx.costs.add(patient.id, CostItemInput(from_jalali(1405, 3, 5), "drug", 100_000,
                                            drug_id=drug.id))
    ctx.formulary.withdraw(drug.id, from_jalali(1405, 3, 1))
    dialog = CostsDialog(ctx.costs, patient.id, "علی کریمی",
                         ctx.formulary.list(include_inactive=True), None)
    qtbot.addWidget(dialog)
    assert dialog.formulary_label.isHidden()
    assert dialog.table.item(0, 7).text() == "۷۰٬۰۰۰"
    assert dialog.table.item(1, 7).text() == "۰"
    assert dialog.table.item(1, 8).text().endswith(
        "در تاریخ ۱۴۰۵/۰۳/۰۵ در فهرست نبود (پوشش: از ۱۳۸۷/۰۱/۰۱ تا ۱۴۰۵/۰۲/۳۱)")


def test_the_window_shows_periods_and_the_withdrawal_says_what_it_changes(
        qtbot, configured_context, patient, tmp_path) -> None:
    ctx = configured_context
    drug = ctx.formulary.save(DrugInput("سیس‌پلاتین", "Cisplatin", "ویال ۵۰ میلی‌گرم"))
    ctx.costs.add(patient.id, CostItemInput(from_jalali(1405, 2, 20), "drug", 100_000,
                                            drug_id=drug.id))
    ctx.costs.add(patient.id, CostItemInput(from_jalali(1405, 3, 5), "drug", 100_000,
                                            drug_id=drug.id))
    window = FormularyDialog(ctx.formulary)
    qtbot.addWidget(window)
    window.show()
    coverage = CoverageDialog(ctx.formulary, ctx.formulary.get(drug.id), withdraw=True,
                              parent=window)
    qtbot.addWidget(coverage)
    coverage.show()
    coverage.date_edit.line_edit.clear()
    type_text(coverage.date_edit.line_edit, "1405/03/01")
    coverage.update_preview()
    assert "۱ هزینه حمایت خود را از دست می‌دهد" in coverage.preview.text()
    qtbot.wait(20)  # the layout takes the preview's new height
    coverage.grab().save(str(tmp_path / "withdraw.png"))
    type_text(coverage.reason_edit, "بخشنامه وزارت")
    click(qtbot, coverage.ok_button)
    assert coverage.change is not None and coverage.change.lost_support == 1
    ctx.formulary.relist(drug.id, from_jalali(1405, 5, 1))
    window.refresh()
    assert window.table.item(0, 3).text() == "در فهرست"
    assert window.table.item(0, 4).text() == ("از ۱۳۸۷/۰۱/۰۱ تا ۱۴۰۵/۰۲/۳۱؛ "
                                              "از ۱۴۰۵/۰۵/۰۱ (تاکنون)")
    assert "بخشنامه وزارت" in window.table.item(0, 4).toolTip()
    window.grab().save(str(tmp_path / "formulary.png"))


def test_a_bad_withdrawal_date_is_said_in_the_dialog(qtbot, configured_context) -> None:
    ctx = configured_context
    drug = ctx.formulary.save(DrugInput("سیس‌پلاتین", covered_from=from_jalali(1405, 3, 1)))
    coverage = CoverageDialog(ctx.formulary, drug, withdraw=True)
    qtbot.addWidget(coverage)
    coverage.date_edit.line_edit.clear()
    type_text(coverage.date_edit.line_edit, "1405/02/01")
    coverage.update_preview()
    assert not coverage.error.isHidden() and "پیش از آغاز" in coverage.error.text()
    assert not coverage.ok_button.isEnabled()
    coverage.date_edit.line_edit.clear()
    type_text(coverage.date_edit.line_edit, "1405/13/01")
    coverage.update_preview()
    assert "ماه" in coverage.error.text()
    assert ctx.formulary.get(drug.id).periods[0].covered_until is None


def test_a_new_drug_may_be_covered_from_a_date(qtbot, configured_context, tmp_path) -> None:
    from cancer_desk.ui.formulary import DrugDialog

    ctx = configured_context
    dialog = DrugDialog(ctx.formulary)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name_edit, "سیس‌پلاتین")
    type_text(dialog.from_edit.line_edit, "1405/13/01")
    click(qtbot, dialog.save_button)
    assert not dialog.from_error.isHidden() and "تحت پوشش از تاریخ" in dialog.from_error.text()
    assert ctx.formulary.list(include_inactive=True) == []
    qtbot.wait(20)  # the layout takes the message's height
    dialog.grab().save(str(tmp_path / "drug.png"))
    dialog.from_edit.line_edit.clear()
    type_text(dialog.from_edit.line_edit, "1405/03/01")
    click(qtbot, dialog.save_button)
    [drug] = ctx.formulary.list(include_inactive=True)
    assert [(p.covered_from, p.covered_until) for p in drug.periods] == [
        (from_jalali(1405, 3, 1), None)]


def test_the_cost_preview_reads_the_drug_on_the_items_date(qtbot, configured_context,
                                                          patient) -> None:
    from cancer_desk.ui.costs import CostItemDialog

    ctx = configured_context
    drug = ctx.formulary.save(DrugInput("سیس‌پلاتین", covered_from=from_jalali(1405, 3, 1)))
    band = ctx.assessments.history(patient.id, limit=1)[0]
    dialog = CostItemDialog(ctx.costs, patient.id, ctx.formulary.list(include_inactive=True),
                            band)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("drug"))
    dialog.drug_combo.setCurrentIndex(dialog.drug_combo.findData(drug.id))
    dialog.amount_edit.set_amount(100_000)
    dialog.date_edit.setDate(from_jalali(1405, 2, 20))
    assert "در تاریخ ۱۴۰۵/۰۲/۲۰ در فهرست نبود" in dialog.support_label.text()
    dialog.date_edit.setDate(from_jalali(1405, 3, 5))
    assert dialog.support_label.text().endswith("۷۰٬۰۰۰ تومان")
