"""A patient's own records: the patient form, the questionnaire, Form 1 and the costs;
and the unsaved work kept from when the program last stopped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from cancer_desk.core.access import Action
from cancer_desk.core.records import AssessmentRecord
from cancer_desk.services.errors import NotFoundError
from cancer_desk.ui import case_form, questionnaire, records_changed
from cancer_desk.ui.case_form import CaseFormDialog
from cancer_desk.ui.costs import CostsDialog
from cancer_desk.ui.patient_form import PatientFormDialog
from cancer_desk.ui.questionnaire import QuestionnaireDialog

if TYPE_CHECKING:
    from cancer_desk.ui.main_window import MainWindow


class PatientRoom:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.context = window.context

    def make_patient_dialog(self, patient_id: int | None) -> PatientFormDialog:
        record = self.context.patients.get(patient_id) if patient_id is not None else None
        dialog = PatientFormDialog(self.context.patients, self.context.reference, record,
                                   self.window, hub_province=self.window.hub_settings.province,
                                   duplicates=self.context.duplicates)
        dialog.open_existing_requested.connect(self.window.open_patient)
        return dialog

    def new_patient(self) -> None:
        dialog = self.make_patient_dialog(None)
        if dialog.exec() and dialog.saved_record is not None:
            self.window.records.announce(records_changed.PATIENT, dialog.saved_record.id)
            self.window.open_patient(dialog.saved_record.id)

    def edit_patient(self) -> None:
        patient_id = self.window.current_patient_id()
        if patient_id is None:
            return
        dialog = self.make_patient_dialog(patient_id)
        if dialog.exec() and dialog.saved_record is not None:
            self.window.records.announce(records_changed.PATIENT, patient_id)

    def make_questionnaire(self, patient_id: int) -> QuestionnaireDialog:
        record = self.context.patients.get(patient_id)
        return QuestionnaireDialog(
            self.context.rulebook.active(), record.full_name,
            assessments=self.context.assessments, patient_id=patient_id,
            assessor=self.window.actor_name, drafts=self.context.drafts,
            draft_owner=self.window.actor_username, parent=self.window)

    def assess(self) -> None:
        patient_id = self.window.current_patient_id()
        if patient_id is None:
            return
        dialog = self.make_questionnaire(patient_id)
        if dialog.exec() and dialog.saved_record is not None:
            self.window.records.announce(records_changed.ASSESSMENT, patient_id)

    def show_assessment(self, record: AssessmentRecord) -> None:
        """An earlier assessment, read-only, scored by the rule set it was made under."""
        if record.ruleset_id not in self.context.rulebook:
            QMessageBox.warning(self.window, "شاخص ناشناخته",
                                f"مجموعه قواعد «{record.ruleset_id}» که این ارزیابی با آن "
                                "امتیاز گرفته، در این رایانه نیست.")
            return
        patient = self.context.patients.get(record.patient_id)
        QuestionnaireDialog(self.context.rulebook[record.ruleset_id], patient.full_name,
                            existing=record, parent=self.window).exec()

    def make_case_dialog(self, patient_id: int) -> CaseFormDialog:
        record = self.context.patients.get(patient_id)
        assert self.context.reference.form1 is not None
        return CaseFormDialog(self.context.cases, self.context.reference.form1, patient_id,
                              record.full_name, record.identity.birth_date,
                              completed_by=self.window.actor_name, drafts=self.context.drafts,
                              draft_owner=self.window.actor_username, parent=self.window)

    def edit_case(self) -> None:
        patient_id = self.window.current_patient_id()
        if patient_id is not None and self.make_case_dialog(patient_id).exec():
            self.window.records.announce(records_changed.CASE, patient_id)

    def make_costs_dialog(self, patient_id: int) -> CostsDialog:
        record = self.context.patients.get(patient_id)
        history = self.context.assessments.history(patient_id, limit=1)
        return CostsDialog(self.context.costs, patient_id, record.full_name,
                           self.context.formulary.list(include_inactive=True),
                           history[0] if history else None, self.window)

    def edit_costs(self) -> None:
        patient_id = self.window.current_patient_id()
        if patient_id is not None:
            # Each item is saved as it is entered: whatever the dialog ends with, the
            # costs may have changed.
            self.make_costs_dialog(patient_id).exec()
            self.window.records.announce(records_changed.COSTS, patient_id)

    def drafts_notice(self) -> str:
        """Unsaved questionnaires and Forms 1 this person left when the program last
        stopped, named with where to get them back, or "" when there are none."""
        window = self.window
        # kind → (what was left unsaved, the button that offers it back, who may); the
        # buttons named as they read on screen.
        places = {
            questionnaire.DRAFT_KIND: ("پرسشنامه ارزیابی", window.assess_action.text(),
                                       Action.ASSESS),
            case_form.DRAFT_KIND: ("فرم شماره ۱", window.patient_panel.case_button.text(),
                                   Action.EDIT_CASE),
        }
        names: dict[str, list[str]] = {kind: [] for kind in places}
        for draft in self.context.drafts.pending(window.actor_username):
            if draft.kind not in places or places[draft.kind][2] not in window.allowed:
                continue  # kept: the role may come back, and the work with it
            try:
                names[draft.kind].append(self.context.patients.get(draft.patient_id).full_name)
            except NotFoundError:
                self.context.drafts.discard(draft.kind, draft.patient_id,
                                            window.actor_username)
        lines = [f"• {what}: " + "، ".join(f"«{n}»" for n in names[kind])
                 + f" — دکمه «{button}»"
                 for kind, (what, button, _may) in places.items() if names[kind]]
        if not lines:
            return ""
        return ("برنامه دفعه پیش پیش از ذخیره شدن این کارها بسته شد (شاید برق رفت)؛ آنچه "
                "نوشته شده بود نگه داشته شده است:\n" + "\n".join(lines)
                + "\nبیمار را باز کنید و همان دکمه را بزنید تا بازگردانی آن پیشنهاد شود.")
