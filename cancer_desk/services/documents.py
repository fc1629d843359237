"""Everything a printed document needs, gathered in one read and handed over as plain
data — the print modules never touch the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Action
from cancer_desk.core.case import labels
from cancer_desk.core.form2 import Form2
from cancer_desk.core.jalali import local_date
from cancer_desk.core.records import (
    AssessmentRecord,
    AssessmentSheetDocument,
    CostTotals,
    DocumentHeader,
    Form1Document,
    Form2Document,
    FormSealMark,
    HubSettingsRecord,
    PatientRecord,
    ReferralDocument,
)
from cancer_desk.core.reference import ReferenceData
from cancer_desk.core.rules import RuleBook
from cancer_desk.services.access import Access
from cancer_desk.services.assessments import AssessmentService
from cancer_desk.services.cases import CaseService
from cancer_desk.services.costs import CostService
from cancer_desk.services.errors import NotFoundError
from cancer_desk.services.patients import PatientService
from cancer_desk.services.referrals import ReferralService
from cancer_desk.services.seals import SealService
from cancer_desk.services.settings import SettingsService

if TYPE_CHECKING:
    from cancer_desk.print.signing import CertificateInfo


class DocumentUnavailableError(LookupError):
    """The document cannot be printed yet; ``message_fa`` says what is missing."""

    def __init__(self, message: str, message_fa: str) -> None:
        super().__init__(message)
        self.message_fa = message_fa


def document_header(settings: HubSettingsRecord | None) -> DocumentHeader:
    if settings is None:
        raise DocumentUnavailableError("the hub is not set up",
                                       "مشخصات بیمارستان هنوز وارد نشده است.")
    return DocumentHeader(settings.university, settings.hospital, settings.programme_year,
                          settings.budget_line, settings.director_name,
                          settings.social_worker_name)


def form2_document(settings: HubSettingsRecord | None, form2: Form2, *, period_name: str = "",
                   prepared_by: str = "", draft_until: dt.date | None = None) -> Form2Document:
    """Form 2 as printed, from settings read wherever the caller read them (an export
    reads everything in its one transaction). ``draft_until``: not a closed quarter's
    copy, so marked a draft up to that day."""
    header = document_header(settings)
    return Form2Document(header, form2, period_name, prepared_by or header.social_worker_name,
                         draft_until)


def draft_day(form2: Form2, today: dt.date | None = None) -> dt.date:
    """The day a draft Form 2 counts up to: today, or the range's end if that is past."""
    return min(today or dt.date.today(), form2.end)


class DocumentService:
    def __init__(self, settings: SettingsService, patients: PatientService,
                 assessments: AssessmentService, cases: CaseService, costs: CostService,
                 referrals: ReferralService, rulebook: RuleBook,
                 reference: ReferenceData, seals: SealService, access: Access) -> None:
        self._referrals = referrals
        self._seals = seals
        self._access = access
        self._settings = settings
        self._patients = patients
        self._assessments = assessments
        self._cases = cases
        self._costs = costs
        self._rulebook = rulebook
        self._reference = reference

    def _header(self) -> DocumentHeader:
        return document_header(self._settings.get())

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
        with self._access.one_check():
            return self._form1(patient_id, today)

    def _form1(self, patient_id: int, today: dt.date | None) -> Form1Document:
        self._access.require(Action.PRINT_FORMS)
        patient, group = self._patient(patient_id)
        # Printed as approved only while the record is what the director approved.
        seal, matches = self._seals.in_force(patient_id)
        seal = seal if matches else None
        return Form1Document(
            header=self._header(), patient=patient, cancer_group=group,
            case=self._cases.get(patient_id).record,
            case_labels=labels(self._reference.form1),
            totals=self._costs.totals(patient_id),
            printed_on=today or dt.date.today(),
            seal=FormSealMark(seal.code, seal.content_sha256, seal.sealed_by,
                              local_date(seal.sealed_at)) if seal is not None else None)

    def assessment_sheet(self, patient_id: int, assessment_id: int | None = None, *,
                         today: dt.date | None = None) -> AssessmentSheetDocument:
        with self._access.one_check():
            return self._assessment_sheet(patient_id, assessment_id, today)

    def _assessment_sheet(self, patient_id: int, assessment_id: int | None,
                          today: dt.date | None) -> AssessmentSheetDocument:
        self._access.require(Action.PRINT_FORMS)
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

    def form2(self, form2: Form2, *, period_name: str = "", prepared_by: str = "",
              closed: bool = False, today: dt.date | None = None) -> Form2Document:
        """``closed``: the range is a quarter closed by its export, so final; anything
        else prints as a draft up to today (or the range's end)."""
        self._access.require(Action.VIEW_REPORTS)
        return form2_document(self._settings.get(), form2, period_name=period_name,
                              prepared_by=prepared_by,
                              draft_until=None if closed else draft_day(form2, today))

    def referral(self, number: int) -> ReferralDocument:
        """A referral as it was made: its own items, at the bands they were referred at."""
        with self._access.one_check():
            return self._referral(number)

    def _referral(self, number: int) -> ReferralDocument:
        self._access.require(Action.PRINT_FORMS)
        try:
            referral = self._referrals.get(number)
        except NotFoundError as exc:
            raise DocumentUnavailableError(str(exc), "این معرفی‌نامه پیدا نشد.") from exc
        patient, group = self._patient(referral.patient_id, short=True)  # in a sentence
        history = self._assessments.history(referral.patient_id)
        assessment = next((a for a in history if a.assessed_on <= referral.created_on), None)
        ruleset = self._rulebook.get(assessment.ruleset_id) if assessment else None
        items = self._costs.list(referral.patient_id, referral=number)
        return ReferralDocument(
            number=number, created_on=referral.created_on, created_by=referral.created_by,
            header=self._header(), patient=patient, cancer_group=group,
            assessment=assessment, ruleset_name=ruleset.name if ruleset else "",
            items=items,
            # A referred item never changes: its insured part is summed from the items.
            totals=CostTotals(referral.total_amount, referral.total_support, len(items),
                              sum(1 for i in items if i.support.reason is not None),
                              sum(i.item.insured_part for i in items)))


class SigningService:
    """The hospital's certificate for signing printed PDFs (cancer_desk.print.signing):
    installing it is an administrator's and is audited; signing is of an approved Form 1
    only — a signature on a draft would read as an approval."""

    def __init__(self, session_factory: sessionmaker[Session], access: Access,
                 settings: SettingsService, seals: SealService) -> None:
        self._sessions = session_factory
        self._access = access
        self._settings = settings
        self._seals = seals

    @staticmethod
    def installed() -> CertificateInfo | None:
        from cancer_desk.print import signing

        return signing.installed_certificate()

    def install(self, p12_path: Path, passphrase: str) -> CertificateInfo:
        """Check and keep the certificate; raises SigningError naming the field."""
        from cancer_desk.print import signing
        from cancer_desk.services import audit

        actor = self._access.require(Action.MANAGE_SETTINGS)
        info = signing.load_certificate(p12_path, passphrase)
        # Who installed which certificate: a signature names the certificate, not them.
        audit.record_event(self._sessions, actor, "load", "signing_certificate",
                           info.fingerprint_sha256[:16],
                           changes={"subject": [None, info.subject_name],
                                    "issuer": [None, info.issuer],
                                    "valid_to": [None, info.valid_to.isoformat()]})
        return info

    def sign_form1(self, patient_id: int, pdf: bytes, passphrase: str) -> bytes:
        """``pdf`` (a rendered Form 1 of this patient) signed by the signed-in person."""
        from cancer_desk.print import signing

        actor = self._access.require(Action.PRINT_FORMS)
        seal, matches = self._seals.in_force(patient_id)
        if seal is None or not matches:
            raise DocumentUnavailableError(
                "this Form 1 is not approved yet; only an approved Form 1 is signed",
                "فرم شماره ۱ این بیمار هنوز تأیید نشده است؛ تنها فرم تأییدشده امضا می‌شود.")
        settings = self._settings.get()
        place = "، ".join(p for p in (settings.hospital, settings.city) if p) \
            if settings is not None else ""
        return signing.sign_pdf(pdf, passphrase, reason=f"تأیید فرم شماره یک، کد {seal.code}",
                                location=place, signer_name=actor.display_name)
