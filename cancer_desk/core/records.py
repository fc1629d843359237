"""Plain records the services hand out: what a patient, an assessment or a cost item
is once read, and what a printed document needs. No database types, so the window, the
printed documents and the quarterly package can all use them without depending on how
they are stored (dependencies point ui → services → print/exchange → core)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cancer_desk.core.case import CaseRecord
from cancer_desk.core.costs import CostItemInput, Support
from cancer_desk.core.form2 import Form2
from cancer_desk.core.formulary import CoveragePeriod
from cancer_desk.core.patient import PatientIdentity
from cancer_desk.core.rules import RuleSet

Row = dict[str, object]  # one record with stable English keys, as in the package


@dataclass(frozen=True)
class PatientRecord:
    id: int
    version: int
    identity: PatientIdentity
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def full_name(self) -> str:
        return self.identity.full_name


@dataclass(frozen=True)
class PatientSummary:
    """One row of the patient list."""

    id: int
    national_code: str
    first_name: str
    last_name: str
    father_name: str
    cancer_group_id: int
    latest_score: int | None
    latest_coverage_percent: int | None
    latest_assessed_on: dt.date | None


@dataclass(frozen=True)
class AssessmentRecord:
    id: int
    patient_id: int
    ruleset_id: str
    answers: dict[str, str | int]
    points: dict[str, int]
    score: int
    coverage_percent: int
    assessed_on: dt.date
    assessor: str
    created_at: dt.datetime


@dataclass(frozen=True)
class CostItemRecord:
    id: int
    version: int
    patient_id: int
    item: CostItemInput
    drug_name: str  # the formulary name, or "" for free text
    on_formulary: bool
    assessment_id: int | None
    assessment_date: dt.date | None
    support: Support
    referral: int | None = None  # the referral to accounting that carried it

    @property
    def title(self) -> str:
        """What the item is: the drug's name, or the description."""
        return self.drug_name or self.item.description


@dataclass(frozen=True)
class CostTotals:
    total_amount: int
    total_support: int
    items: int
    unsupported_items: int
    total_insured: int = 0  # of total_amount, within insurance obligations

    @property
    def total_outside_insurance(self) -> int:
        """What the band applies to: the amount outside insurance obligations."""
        return self.total_amount - self.total_insured


@dataclass(frozen=True)
class HubSettingsRecord:
    hub_number: int | None
    university: str
    province: str
    hospital: str
    city: str
    programme_year: int
    budget_line: str
    director_name: str
    social_worker_name: str
    is_demo: bool = False
    idle_lock_minutes: int = 10
    backup_folder: str = ""


@dataclass(frozen=True)
class DrugRecord:
    id: int
    name: str
    generic_name: str
    form: str
    active: bool  # covered today
    periods: tuple[CoveragePeriod, ...] = ()

    @property
    def label(self) -> str:
        extra = "، ".join(p for p in (self.generic_name, self.form) if p)
        return f"{self.name} ({extra})" if extra else self.name


@dataclass(frozen=True)
class DocumentHeader:
    university: str
    hospital: str
    programme_year: int
    budget_line: str
    director_name: str
    social_worker_name: str


@dataclass(frozen=True)
class FormSealMark:
    """A director's seal as Form 1 prints it: the code, the QR payload's hash, who."""

    code: str
    content_sha256: str
    sealed_by: str
    sealed_on: dt.date


@dataclass(frozen=True)
class Form1Document:
    header: DocumentHeader
    patient: PatientRecord
    cancer_group: str
    case: CaseRecord
    case_labels: dict[str, str]
    totals: CostTotals
    printed_on: dt.date
    seal: FormSealMark | None = None  # None: not approved yet (a draft)


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
    number: int
    created_on: dt.date
    created_by: str
    header: DocumentHeader
    patient: PatientRecord
    cancer_group: str
    assessment: AssessmentRecord | None
    ruleset_name: str
    items: list[CostItemRecord]
    totals: CostTotals


@dataclass(frozen=True)
class Form2Document:
    header: DocumentHeader
    form2: Form2
    period_name: str  # «فصل ۲ (تابستان) ۱۴۰۴», or "" for another range
    prepared_by: str
    # Printed from a quarter not yet closed (or another range): the counts are a draft
    # up to this day. ``None`` only for the closed quarter's own copy.
    draft_until: dt.date | None = None


@dataclass(frozen=True)
class Closure:
    """One export of a quarter, as recorded when it was closed."""

    version: int
    snapshot: dict[str, Any]  # what the package held, to say what an amendment changed
    package_sha256: str  # of the package's zip (inside the encrypted one, if a password)
    manifest_sha256: str  # the package's identity on the receiving side
    closed_by: str
    reopened_on: dt.date | None
    reopened_by: str
    reopen_reason: str


@dataclass(frozen=True)
class PeriodData:
    patients: list[Row]  # Form 1 record of every patient seen in the period
    assessments: list[Row]
    cost_items: list[Row]
