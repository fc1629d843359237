"""The cost window asks how much of a cost is within insurance obligations: none, all, or
a part typed in tomans; the support shown as it is typed is the band of the rest."""

from __future__ import annotations

import datetime as dt

import pytest

from cancer_desk.core.costs import CostItemInput
from cancer_desk.ui.costs import CostItemDialog, CostsDialog
from cancer_desk.ui.main import make_application
from tests.builders import identity
from tests.conftest import full_answers
from tests.ui.helpers import click, click_radio, type_text


@pytest.fixture(autouse=True)
def _app(qapp):
    make_application()  # right to left, the Persian font


@pytest.fixture
def assessed(configured_context):
    """A patient assessed at the 70% band."""
    ctx = configured_context
    patient = ctx.patients.create(identity())
    ctx.assessments.record(patient.id, full_answers(), assessed_on=dt.date(2024, 6, 20))
    band = ctx.assessments.history(patient.id, limit=1)[0]
    assert band.coverage_percent == 70
    return ctx, patient.id, band


def item_dialog(qtbot, assessed, record=None) -> CostItemDialog:
    ctx, patient_id, band = assessed
    dialog = CostItemDialog(ctx.costs, patient_id, ctx.formulary.list(), band, record)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def hospital_stay(qtbot, dialog: CostItemDialog, amount: str) -> None:
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("hospital_stay"))
    type_text(dialog.amount_edit, amount)


def test_a_stay_partly_beyond_the_insurance_ceiling_is_supported_on_the_rest(
        qtbot, assessed) -> None:
    """5,000,000, of which 3,000,000 within insurance obligations: 70% of 2,000,000."""
    ctx, patient_id, _ = assessed
    dialog = item_dialog(qtbot, assessed)
    assert dialog.insurance.none_radio.isChecked()
    assert not dialog.insurance.part_edit.isEnabled()
    assert "فرانشیز" in dialog.insurance.help_label.text()
    hospital_stay(qtbot, dialog, "5000000")
    assert dialog.support_label.text() == ("سهم حمایت: ۷۰ درصد از ۵٬۰۰۰٬۰۰۰ تومان = "
                                           "۳٬۵۰۰٬۰۰۰ تومان")
    click_radio(qtbot, dialog.insurance.part_radio)
    assert dialog.insurance.part_edit.isEnabled()
    type_text(dialog.insurance.part_edit, "3000000")
    assert dialog.support_label.text() == (
        "سهم حمایت: ۷۰ درصد از بخش خارج از تعهد بیمه (۲٬۰۰۰٬۰۰۰ تومان) = ۱٬۴۰۰٬۰۰۰ تومان")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    [saved] = ctx.costs.list(patient_id)
    assert (saved.item.insured_part, saved.support.amount) == (3_000_000, 1_400_000)
    assert saved.support.explanation == "۷۰ درصد از بخش خارج از تعهد بیمه"

    again = item_dialog(qtbot, assessed, saved)  # opened again, it says the same
    assert again.insurance.part_radio.isChecked()
    assert again.insurance.part_edit.text() == "۳٬۰۰۰٬۰۰۰"


def test_all_within_insurance_gets_nothing_and_says_why(qtbot, assessed) -> None:
    ctx, patient_id, _ = assessed
    dialog = item_dialog(qtbot, assessed)
    hospital_stay(qtbot, dialog, "1000000")
    click_radio(qtbot, dialog.insurance.all_radio)
    assert "هیچ" in dialog.support_label.text() and "در تعهد بیمه" in \
        dialog.support_label.text()
    click(qtbot, dialog.save_button)
    [saved] = ctx.costs.list(patient_id)
    assert (saved.item.insured_part, saved.support.amount) == (1_000_000, 0)
    assert item_dialog(qtbot, assessed, saved).insurance.all_radio.isChecked()


@pytest.mark.parametrize(("typed", "message"), [
    ("6000000", "«سهم در تعهد بیمه» نمی‌تواند بیشتر از مبلغ کل هزینه باشد."),
    ("", "«سهم در تعهد بیمه» را بنویسید."),
])
def test_a_wrong_part_is_named_under_the_field_and_nothing_is_saved(
        qtbot, assessed, typed, message) -> None:
    ctx, patient_id, _ = assessed
    dialog = item_dialog(qtbot, assessed)
    hospital_stay(qtbot, dialog, "5000000")
    click_radio(qtbot, dialog.insurance.part_radio)
    if typed:
        type_text(dialog.insurance.part_edit, typed)
        assert "از صفر تا مبلغ کل" in dialog.support_label.text()
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert dialog.errors["insured_part"].text() == message
    assert ctx.costs.list(patient_id) == []


def test_the_list_shows_each_insured_part_and_the_split_totals(qtbot, assessed) -> None:
    ctx, patient_id, _ = assessed
    ctx.costs.add(patient_id, CostItemInput(dt.date(2024, 7, 1), "hospital_stay", 5_000_000,
                                            insured_part=3_000_000))
    ctx.costs.add(patient_id, CostItemInput(dt.date(2024, 7, 2), "other", 1_000,
                                            description="ایاب و ذهاب"))
    dialog = CostsDialog(ctx.costs, patient_id, "علی کریمی", ctx.formulary.list(),
                         ctx.assessments.history(patient_id, limit=1)[0])
    qtbot.addWidget(dialog)
    assert dialog.table.horizontalHeaderItem(5).text() == "در تعهد بیمه (تومان)"
    assert [dialog.table.item(r, 5).text() for r in range(2)] == ["۳٬۰۰۰٬۰۰۰", "۰"]
    assert dialog.table.item(0, 8).text() == ("۷۰ درصد از بخش خارج از تعهد بیمه، ارزیابی "
                                              "۱۴۰۳/۰۳/۳۱")
    assert dialog.table.item(1, 8).text() == "ارزیابی ۱۴۰۳/۰۳/۳۱"
    assert dialog.totals_label.text() == (
        "جمع کل هزینه: ۵٬۰۰۱٬۰۰۰ تومان — در تعهد بیمه: ۳٬۰۰۰٬۰۰۰ تومان — خارج از تعهد "
        "بیمه: ۲٬۰۰۱٬۰۰۰ تومان — میزان حمایت مالی: ۱٬۴۰۰٬۷۰۰ تومان")
