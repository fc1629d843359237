"""Composition root: paths → rules and reference data → database → services.

The window and the command line both start from :func:`open_context`, so they see
the same database, rules and services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cancer_desk import paths
from cancer_desk.core.demo import DemoGenerator, DemoNames
from cancer_desk.core.jalali import current_jalali_year
from cancer_desk.core.reference import ReferenceData, load_reference
from cancer_desk.core.rules import RuleBook
from cancer_desk.core.settings import HubSettingsInput
from cancer_desk.db.database import Database, open_database
from cancer_desk.services.assessments import AssessmentService
from cancer_desk.services.cases import CaseService
from cancer_desk.services.costs import CostService
from cancer_desk.services.dashboard import DashboardService
from cancer_desk.services.demo import fill_demo_patients
from cancer_desk.services.documents import DocumentService
from cancer_desk.services.formulary import FormularyService
from cancer_desk.services.patient_import import PatientImportService
from cancer_desk.services.patients import PatientService
from cancer_desk.services.quarters import AllocationService, QuarterService
from cancer_desk.services.reference import sync_cancer_groups
from cancer_desk.services.referrals import ReferralService
from cancer_desk.services.settings import SettingsService

DEMO_HUB_NUMBER = 1
DEMO_PATIENTS = 300
DEMO_SEED = 1388


@dataclass
class AppContext:
    database: Database
    rulebook: RuleBook
    reference: ReferenceData
    settings: SettingsService
    patients: PatientService
    assessments: AssessmentService
    cases: CaseService
    costs: CostService
    formulary: FormularyService
    documents: DocumentService
    imports: PatientImportService
    referrals: ReferralService
    quarters: QuarterService
    allocations: AllocationService
    dashboard: DashboardService

    def close(self) -> None:
        self.database.dispose()


def load_rulebook() -> RuleBook:
    return RuleBook.from_directories(paths.rules_dirs())


def open_context(url: str) -> AppContext:
    reference = load_reference(paths.resources_dir() / "reference")
    rulebook = load_rulebook()
    database = open_database(url)
    sync_cancer_groups(database.session_factory, reference)
    sessions = database.session_factory
    settings = SettingsService(sessions)
    patients = PatientService(sessions)
    assessments = AssessmentService(sessions, rulebook)
    assert reference.form1 is not None
    cases = CaseService(sessions, reference.form1)
    costs = CostService(sessions)
    referrals = ReferralService(sessions)
    return AppContext(
        database=database,
        rulebook=rulebook,
        reference=reference,
        settings=settings,
        patients=patients,
        assessments=assessments,
        cases=cases,
        costs=costs,
        formulary=FormularyService(sessions),
        documents=DocumentService(settings, patients, assessments, cases, costs, referrals,
                                  rulebook, reference),
        imports=PatientImportService(sessions),
        referrals=referrals,
        quarters=QuarterService(sessions, reference),
        allocations=AllocationService(sessions),
        dashboard=DashboardService(sessions),
    )


def demo_settings(reference: ReferenceData) -> HubSettingsInput:
    hub = reference.hub(DEMO_HUB_NUMBER)
    assert hub is not None
    return HubSettingsInput(
        university=hub.university,
        province=hub.province,
        hospital=hub.hospital,
        city=hub.city,
        programme_year=current_jalali_year(),
        budget_line=reference.programme.default_budget_line,
        director_name="دکتر محمود صالحی",
        social_worker_name="مریم احمدی",
        hub_number=hub.number,
    )


class DemoRefusedError(RuntimeError):
    """The database holds real work; synthetic patients must not be mixed into it."""


def fill_demo(context: AppContext, patients: int, seed: int, *, force: bool = False,
              today: dt.date | None = None, progress=None) -> int:
    """Add synthetic patients to an empty or demo database.

    An empty database is set up as the demo hub (marked as a demo). A database that
    was set up for a real hospital, or holds patients without any setup, is refused
    unless ``force``; even then its settings are left alone.
    """
    settings = context.settings.get()
    if settings is None and context.patients.count() == 0:
        settings = context.settings.save(demo_settings(context.reference), is_demo=True)
    elif not force and (settings is None or not settings.is_demo):
        raise DemoRefusedError(
            f"{context.database.location} is not a demo database (it is set up for a "
            "hospital or already holds patients); synthetic patients would be mixed with "
            "real ones. Use another --db, or --force if you are sure.")
    closed = context.quarters.closed_quarters()
    if closed:  # their packages are sent: synthetic records must not land in them
        raise DemoRefusedError(
            f"{context.database.location} has closed quarters "
            f"({', '.join(f'{q.year} Q{q.quarter}' for q in closed)}); synthetic patients "
            "would change what was sent. Use another --db.")
    province = settings.province if settings is not None else None
    names = DemoNames.load(paths.resources_dir() / "reference" / "demo_names.toml")
    ruleset = context.rulebook.active(today)
    generator = DemoGenerator(names, context.reference, ruleset, seed, province)
    return fill_demo_patients(context.database.session_factory, generator, ruleset, patients,
                              today=today, progress=progress)
