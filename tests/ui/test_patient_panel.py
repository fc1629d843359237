"""The patient panel: what Form 1 still lacks, named; what the empty panel offers each
role; buttons that stay where they are whatever the lines around them say."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from cancer_desk.core.access import ROLE_ACTIONS, Action, Role
from cancer_desk.core.case import CaseRecord
from cancer_desk.core.records import CostTotals
from cancer_desk.core.residence import Residence, ResidenceVerdict
from cancer_desk.ui.main import make_application
from cancer_desk.ui.patient_panel import PatientPanel, PatientSummaryView
from tests.builders import full_case, identity

NO_COSTS = CostTotals(0, 0, 0, 0)


@pytest.fixture(autouse=True)
def _app(qapp):
    make_application()  # right to left, the Persian font: wrapping depends on them


@pytest.fixture
def panel(qtbot, configured_context):
    widget = PatientPanel(configured_context.reference, configured_context.rulebook)
    qtbot.addWidget(widget)
    widget.resize(700, 640)
    widget.show()
    return widget


def test_the_panel_names_what_form1_still_lacks(panel, configured_context) -> None:
    ctx = configured_context
    record = ctx.patients.create(identity())
    half = dataclasses.replace(full_case(), diagnosis_date=None, treatment_intent=None)
    missing = tuple(half.missing_labels(ctx.reference.form1))
    panel.show_patient(record, [], PatientSummaryView(NO_COSTS, missing, None))
    text = panel.status_label.text()
    assert "فرم ۱: ۲ مورد لازم هنوز خالی است: «تاریخ تشخیص» و «درمان»." in text
    assert "«تاریخ تشخیص»" in panel.approve_button.toolTip()

    panel.show_patient(record, [], PatientSummaryView(NO_COSTS, (), None))
    assert "فرم ۱ کامل است." in panel.status_label.text()
    panel.show_patient(record, [], PatientSummaryView(NO_COSTS, None, None))
    assert "بخش تشخیص و درمان هنوز پر نشده" in panel.status_label.text()


def test_the_main_window_hands_the_panel_the_names(window) -> None:
    ctx = window.context
    record = ctx.patients.create(identity())
    ctx.cases.save(record.id, dataclasses.replace(full_case(), vital_status=None), None)
    window.open_patient(record.id)
    assert "«وضعیت حیاتی»" in window.patient_panel.status_label.text()


@pytest.mark.parametrize(("role", "offers_new_patient"), [
    (Role.SOCIAL_WORKER, True), (Role.DIRECTOR, False)])
def test_the_empty_panel_offers_what_the_role_can_do(panel, role, offers_new_patient) -> None:
    panel.set_allowed(ROLE_ACTIONS[role])
    panel.clear()
    text = panel.empty_label.text()
    assert ("«بیمار جدید»" in text) == offers_new_patient
    assert "انتخاب کنید" in text
    if role is Role.DIRECTOR:
        assert "تأیید" in text  # what he came for


def test_buttons_stay_in_place_however_long_the_lines_above_them(panel,
                                                                 configured_context) -> None:
    ctx = configured_context
    record = ctx.patients.create(identity())
    panel.set_allowed(frozenset(Action))
    buttons = [panel.assess_button, panel.case_button, panel.costs_button, panel.edit_button,
               *panel.print_buttons.values(), panel.approve_button, panel.unseal_button,
               panel.changes_button]

    def places() -> list[QPoint]:
        QApplication.processEvents()
        return [button.mapTo(panel, QPoint(0, 0)) for button in buttons]

    panel.show_patient(record, [], PatientSummaryView(NO_COSTS, (), None))
    short = places()
    every_item = tuple(CaseRecord().missing_labels(ctx.reference.form1))
    far = ResidenceVerdict(Residence.HAS_OWN_HUB, "استان بیمار قطب خود را دارد؛ " * 8, True)
    panel.show_patient(record, [], PatientSummaryView(NO_COSTS, every_item, far))
    assert panel.status_label.height() > panel.status_label.fontMetrics().height() * 2
    assert places() == short


def test_the_seal_code_has_a_line_of_its_own(panel, configured_context) -> None:
    """Wrapped at one of its dashes, the code invites a wrong copy."""
    ctx = configured_context
    record = ctx.patients.create(identity())
    ctx.cases.save(record.id, full_case(), None)
    seal = ctx.seals.approve(record.id)
    panel.resize(420, 640)  # narrow: the sentence before the code wraps
    panel.show_patient(record, [], PatientSummaryView(NO_COSTS, (), None, seal))
    assert panel.seal_label.text().split("\n")[-1] == f"کد برگه: \u2066{seal.code}\u2069"
