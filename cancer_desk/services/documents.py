"""Everything a printed document needs, gathered in one read and handed over as plain
data — the print modules never touch the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cancer_desk.core.case import CaseRecord, labels
from cancer_desk.core.reference import ReferenceData
from cancer_desk.core.rules import RuleBook, RuleSet
from cancer_desk.services.assessments import AssessmentRecord, AssessmentService
from cancer_desk.services.cases import CaseService
from cancer_desk.services.costs import CostItemRecord, CostService, CostTotals
from cancer_desk.services.errors import NotFoundError
from cancer_desk.services.patients import PatientRecord, PatientService
from cancer_desk.services.settings import SettingsService


class DocumentUnavailableError(LookupError):
    """The document cannot be printed yet; ``message_fa`` says what is missing."""

    def __init__(self, message: str, message_fa: str) -> None:
        super().__init__(message)
        self.message_fa = message_fa


@dataclass(frozen=True)
class DocumentHeader:
    university: str
    hospital: str
    programme_year: int
    budget_line: str
    director_name: str
    social_worker_name: str


@dataclass(frozen=True)
class Form1Document:
    header: DocumentHeader
    patient: PatientRecord
    cancer_group: str
    case: CaseRecord
    case_labels: dict[str, str]
    totals: CostTotals
    printed_on: dt.date


@dataclass(frozen=True)
class AssessmentSheetDocument:
    header: DocumentHeader
    patient: PatientRecord
    cancer_group: str
    assessment: AssessmentRecord
    ruleset: RuleSet
    printed_on: dt.date


@dataclass(frozen=True)
class ReferralDocument:
    header: DocumentHeader
    patient: PatientRecord
    cancer_group: str
    assessment: AssessmentRecord
    ruleset_name: str
    items: list[CostItemRecord]
    totals: CostTotals
    printed_on: dt.date


class DocumentService:
    def __init__(self, settings: SettingsService, patients: PatientService,
                 assessments: AssessmentService, cases: CaseService, costs: CostService,
                 rulebook: RuleBook, reference: ReferenceData) -> None:
        self._settings = settings
        self._patients = patients
        self._assessments = assessments
        self._cases = cases
        self._costs = costs
        self._rulebook = rulebook
        self._reference = reference

    def _header(self) -> DocumentHeader:
        settings = self._settings.get()
        if settings is None:
            raise DocumentUnavailableError("the hub is not set up",
                                           "مشخصات بیمارستان هنوز وارد نشده است.")
        return DocumentHeader(settings.university, settings.hospital, settings.programme_year,
                              settings.budget_line, settings.director_name,
                              settings.social_worker_name)

    def _patient(self, patient_id: int, *, short: bool = False) -> tuple[PatientRecord, str]:
        try:
            patient = self._patients.get(patient_id)
        except NotFoundError as exc:
            raise DocumentUnavailableError(str(exc), "این بیمار پیدا نشد.") from exc
        group = self._reference.cancer_group(patient.identity.cancer_group_id)
        if group is None:
            return patient, ""
        return patient, group.short_label if short else group.label

    def _assessment(self, patient_id: int, assessment_id: int | None) -> AssessmentRecord:
        history = self._assessments.history(patient_id)
        if assessment_id is not None:
            history = [a for a in history if a.id == assessment_id]
        if not history:
            raise DocumentUnavailableError(
                f"patient {patient_id} has no assessment",
                "این بیمار هنوز ارزیابی نشده است؛ نخست پرسشنامه را پر کنید.")
        return history[0]

    def form1(self, patient_id: int, *, today: dt.date | None = None) -> Form1Document:
        patient, group = self._patient(patient_id)
        return Form1Document(
            header=self._header(), patient=patient, cancer_group=group,
            case=self._cases.get(patient_id).record,
            case_labels=labels(self._reference.form1),
            totals=self._costs.totals(patient_id),
            printed_on=today or dt.date.today())

    def assessment_sheet(self, patient_id: int, assessment_id: int | None = None, *,
                         today: dt.date | None = None) -> AssessmentSheetDocument:
        patient, group = self._patient(patient_id)
        assessment = self._assessment(patient_id, assessment_id)
        ruleset = self._rulebook.get(assessment.ruleset_id)
        if ruleset is None:
            raise DocumentUnavailableError(
                f"rule set {assessment.ruleset_id} is not installed",
                f"مجموعه قواعد «{assessment.ruleset_id}» که این ارزیابی با آن امتیاز گرفته، "
                "در این رایانه نیست.")
        return AssessmentSheetDocument(self._header(), patient, group, assessment, ruleset,
                                       today or dt.date.today())

    def referral(self, patient_id: int, *, today: dt.date | None = None) -> ReferralDocument:
        patient, group = self._patient(patient_id, short=True)  # it goes in a sentence
        assessment = self._assessment(patient_id, None)
        ruleset = self._rulebook.get(assessment.ruleset_id)
        return ReferralDocument(
            header=self._header(), patient=patient, cancer_group=group,
            assessment=assessment,
            ruleset_name=ruleset.name if ruleset else assessment.ruleset_id,
            items=self._costs.list(patient_id), totals=self._costs.totals(patient_id),
            printed_on=today or dt.date.today())
