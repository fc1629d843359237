"""Composition root: paths → rules and reference data → database → services.

The window and the command line both start from :func:`open_context`, so they see
the same database, rules and services.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from cancer_desk import paths
from cancer_desk.core.access import Action, Role
from cancer_desk.core.jalali import current_jalali_year
from cancer_desk.core.reference import ReferenceData, load_reference
from cancer_desk.core.rules import RuleBook
from cancer_desk.core.settings import HubSettingsInput
from cancer_desk.db.database import Database, open_database
from cancer_desk.db.database import DatabaseOpenError as DatabaseOpenError  # for the windows
from cancer_desk.services import audit
from cancer_desk.services.access import Access
from cancer_desk.services.accounts import AccountService
from cancer_desk.services.assessments import AssessmentService
from cancer_desk.services.backups import BackupService
from cancer_desk.services.cases import CaseService
from cancer_desk.services.costs import CostService
from cancer_desk.services.dashboard import DashboardService
from cancer_desk.services.documents import DocumentService, SigningService
from cancer_desk.services.drafts import DraftStore
from cancer_desk.services.duplicates import DuplicateService
from cancer_desk.services.formulary import FormularyService
from cancer_desk.services.patient_import import PatientImportService
from cancer_desk.services.patients import PatientService
from cancer_desk.services.quarters import AllocationService, QuarterService
from cancer_desk.services.reference import sync_cancer_groups
from cancer_desk.services.referrals import ReferralService
from cancer_desk.services.rollup import RollupService
from cancer_desk.services.seals import SealService
from cancer_desk.services.settings import SettingsService

DEMO_HUB_NUMBER = 1
# The demo database's accounts, shown on its sign-in window; never in a real database
# (fill_demo refuses those).
DEMO_PASSWORD = "demo-1388"
DEMO_ACCOUNTS = (
    ("admin", "مدیر سامانه نمایشی", frozenset({Role.ADMINISTRATOR})),
    ("maryam", "مریم احمدی", frozenset({Role.SOCIAL_WORKER})),
    ("director", "دکتر محمود صالحی", frozenset({Role.DIRECTOR})),
)
DEMO_PATIENTS = 300
DEMO_SEED = 1388


@dataclass
class AppContext:
    database: Database
    access: Access
    accounts: AccountService
    seals: SealService
    audit: audit.AuditService
    signing: SigningService
    backups: BackupService
    drafts: DraftStore
    rulebook: RuleBook
    reference: ReferenceData
    settings: SettingsService
    patients: PatientService
    duplicates: DuplicateService
    assessments: AssessmentService
    cases: CaseService
    costs: CostService
    formulary: FormularyService
    documents: DocumentService
    imports: PatientImportService
    referrals: ReferralService
    quarters: QuarterService
    allocations: AllocationService
    rollup: RollupService  # used on a roll-up's database
    dashboard: DashboardService

    def close(self) -> None:
        try:
            # Recorded: who stopped working, and when. A database that can no longer be
            # written (gone, read-only) has nowhere to record it; closing goes on.
            with contextlib.suppress(SQLAlchemyError):
                self.accounts.sign_out()
        finally:
            self.database.dispose()


def load_rulebook() -> RuleBook:
    return RuleBook.from_directories(paths.rules_dirs())


def open_context(url: str) -> AppContext:
    reference = load_reference(paths.resources_dir() / "reference")
    rulebook = load_rulebook()
    database = open_database(url)
    sync_cancer_groups(database.session_factory, reference)
    sessions = database.session_factory
    access = Access(sessions)
    audit.install(sessions, access)
    settings = SettingsService(sessions, access)
    patients = PatientService(sessions, access, reference)
    assessments = AssessmentService(sessions, rulebook, access)
    assert reference.form1 is not None
    cases = CaseService(sessions, reference.form1, access)
    costs = CostService(sessions, access)
    referrals = ReferralService(sessions, access)
    seals = SealService(sessions, access)
    drafts = DraftStore(paths.user_data_dir() / "drafts")
    return AppContext(
        database=database,
        access=access,
        accounts=AccountService(sessions, access),
        seals=seals,
        audit=audit.AuditService(sessions, access),
        signing=SigningService(sessions, access, settings, seals),
        backups=BackupService(database, access, settings),
        drafts=drafts,
        rulebook=rulebook,
        reference=reference,
        settings=settings,
        patients=patients,
        duplicates=DuplicateService(sessions, access, drafts),
        assessments=assessments,
        cases=cases,
        costs=costs,
        formulary=FormularyService(sessions, access),
        documents=DocumentService(settings, patients, assessments, cases, costs, referrals,
                                  rulebook, reference, seals, access),
        imports=PatientImportService(sessions, access, reference),
        referrals=referrals,
        quarters=QuarterService(sessions, reference, access),
        allocations=AllocationService(sessions, access),
        rollup=RollupService(sessions, access),
        dashboard=DashboardService(sessions, access),
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
              today: dt.date | None = None,
              progress: Callable[[int, int], None] | None = None) -> int:
    """Add synthetic patients to a new or demo database, as the signed-in person (who
    must be allowed to register patients).

    A new database (no accounts, no settings, no patients) becomes the demo hub: marked
    as a demo, with the demo's accounts, filled by its social worker. Any other database
    must be a demo one: synthetic patients have valid national codes and could not be
    told apart from a hospital's. ``force`` lifts that for the program's own tests and
    tools; the command line does not offer it.
    """
    settings = context.settings.get()
    new = (settings is None and not context.accounts.has_accounts()
           and not patient_count(context))
    if not (new or force or (settings is not None and settings.is_demo)):
        raise DemoRefusedError(
            f"{context.database.location} is not a demo database (it is set up for a "
            "hospital, or holds records or accounts); synthetic patients would be mixed "
            "with real ones. Use another --db.")
    closed = context.quarters.closed_quarters()
    if closed:  # their packages are sent: synthetic records must not land in them
        raise DemoRefusedError(
            f"{context.database.location} has closed quarters "
            f"({', '.join(f'{q.year} Q{q.quarter}' for q in closed)}); synthetic patients "
            "would change what was sent. Use another --db.")
    if new:  # checked first: a refused run leaves no demo accounts behind
        _set_up_demo(context)
    try:
        return _fill_demo(context, patients, seed, today=today, progress=progress)
    finally:
        if new:
            context.accounts.sign_out()


def patient_count(context: AppContext) -> int:
    """How many patients the database holds, whoever asks (to tell a new database)."""
    from sqlalchemy import func, select

    from cancer_desk.models import Patient

    with context.database.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Patient)) or 0


class NotARollupError(RuntimeError):
    """The roll-up's database holds a hospital's patients: it is no roll-up."""


def open_rollup_context() -> AppContext:
    """The roll-up's database, a context of its own beside the hospital's. Raises
    :class:`DatabaseOpenError` if it cannot be opened, :class:`NotARollupError` if it
    holds a hospital's patients."""
    context = open_context(paths.rollup_database_url())
    if patient_count(context):
        context.close()
        raise NotARollupError("the roll-up database holds a hospital's patients")
    return context


def _set_up_demo(context: AppContext) -> None:
    """The demo's accounts, its hub and formulary (by its administrator); then its
    social worker signs in to register the patients."""
    (first, *others) = DEMO_ACCOUNTS
    context.accounts.create_first_administrator(first[0], first[1], DEMO_PASSWORD)
    for username, name, roles in others:
        record = context.accounts.create(username, name, roles, DEMO_PASSWORD)
        context.accounts.clear_password_change(record.id)
    from cancer_desk.services.demo import demo_formulary

    context.settings.save(demo_settings(context.reference), is_demo=True)
    demo_formulary(context.formulary)
    context.accounts.sign_out()
    worker = next(u for u, _, roles in DEMO_ACCOUNTS if Role.SOCIAL_WORKER in roles)
    context.accounts.sign_in(worker, DEMO_PASSWORD)


def _fill_demo(context: AppContext, patients: int, seed: int, *,
               today: dt.date | None, progress: Callable[[int, int], None] | None) -> int:
    from cancer_desk.core.demo import DemoGenerator, DemoNames  # not needed to start
    from cancer_desk.services.demo import fill_demo_patients

    actor = context.access.require(Action.EDIT_PATIENTS)
    settings = context.settings.get()
    province = settings.province if settings is not None else None
    names = DemoNames.load(paths.resources_dir() / "reference" / "demo_names.toml")
    ruleset = context.rulebook.active(today)
    generator = DemoGenerator(names, context.reference, ruleset, seed, province)
    return fill_demo_patients(context.database.session_factory, generator, ruleset, patients,
                              actor=actor, today=today, progress=progress)
