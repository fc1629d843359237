"""Each role × each action: allowed, or refused with the refusal in the audit trail.

The expected table is written out here by hand, from the issue: a change to the roles
in the program must be a change to this table too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

import pytest

from cancer_desk.core.access import Action, Role
from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.services.access import AccessDeniedError
from cancer_desk.services.backups import NotOnFileError
from cancer_desk.services.errors import NotFoundError, StaleRecordError
from cancer_desk.services.formulary import DrugInput
from cancer_desk.services.quarters import ReopenRefusedError
from cancer_desk.services.seals import SealRefusedError
from tests.builders import CODES, full_case, identity
from tests.conftest import full_answers

A, S, D = Role.ADMINISTRATOR, Role.SOCIAL_WORKER, Role.DIRECTOR
EXPECTED: dict[Action, set[Role]] = {
    Action.VIEW_PATIENTS: {S, D},
    Action.EDIT_PATIENTS: {S},
    Action.MERGE_PATIENTS: {S},
    Action.ASSESS: {S},
    Action.EDIT_CASE: {S},
    Action.EDIT_COSTS: {S},
    Action.PRINT_FORMS: {S, D},
    Action.VIEW_REPORTS: {S, D},
    Action.APPROVE_FORMS: {D},
    Action.CLOSE_QUARTER: {D},
    Action.MANAGE_SETTINGS: {A},
    Action.SET_ALLOCATION: {A, D},
    Action.BACKUP: {A},
    Action.MANAGE_ACCOUNTS: {A},
    Action.MANAGE_FORMULARY: {A},
    Action.VIEW_AUDIT: {A, S, D},
    Action.IMPORT_PACKAGES: {A, D},
    Action.MANAGE_ROLLUP: {A},
}
PASSWORD = "role-test-2026"
QUARTER = JalaliQuarter(1403, 4)


@pytest.fixture
def hub(configured_context):
    """A patient with a case (unsealed) and an account per role, made by the tester."""
    ctx = configured_context
    patient = ctx.patients.create(identity())
    ctx.cases.save(patient.id, full_case(), None)
    for role in Role:
        ctx.accounts.create(role.value.replace("_", "-"), role.label_fa, {role}, PASSWORD)
        ctx.accounts.clear_password_change(ctx.accounts.list()[-1].id)
    ctx.accounts.sign_out()
    return ctx, patient.id


def attempts(ctx, patient_id: int) -> dict[Action, Callable[[], object]]:
    """One real operation per action. Business refusals after the role check
    (a quarter that is not closed, a form already sealed) count as allowed."""
    codes = iter(CODES[1:])

    def approve():
        try:
            ctx.seals.approve(patient_id)
            ctx.seals.unseal(patient_id, "for the next role's turn")
        except SealRefusedError:
            pass

    def reopen():
        with contextlib.suppress(ReopenRefusedError):
            ctx.quarters.reopen(QUARTER, reason="not closed, as it happens")

    def edit_case():  # without reading it first: reading is another action
        # Saved by the tester already, so a role past the check is told it is stale.
        with contextlib.suppress(StaleRecordError):
            ctx.cases.save(patient_id, full_case(), None)

    def backup() -> None:
        # Allowed or refused before the database is looked at; a server's database is then
        # the server's own to back up.
        with contextlib.suppress(NotOnFileError):
            ctx.backups.backup_now()

    def mark_two_people() -> None:  # with nobody: refused after the role is allowed
        with contextlib.suppress(NotFoundError):
            ctx.duplicates.mark_not_duplicate(patient_id, patient_id + 1000)

    def remove_package() -> None:  # no such package: refused after the role is allowed
        with contextlib.suppress(NotFoundError):
            ctx.rollup.remove(999, "a package that is not there")

    return {
        Action.VIEW_PATIENTS: lambda: ctx.patients.search(""),
        Action.MERGE_PATIENTS: mark_two_people,
        Action.EDIT_PATIENTS: lambda: ctx.patients.create(identity(next(codes))),
        Action.ASSESS: lambda: ctx.assessments.record(patient_id, full_answers()),
        Action.EDIT_CASE: edit_case,
        Action.EDIT_COSTS: lambda: ctx.costs.add(patient_id, CostItemInput(
            dt.date.today(), "other", 1_000, description="ایاب و ذهاب")),
        Action.PRINT_FORMS: lambda: ctx.documents.form1(patient_id),
        Action.VIEW_REPORTS: lambda: ctx.quarters.report(QUARTER.start, QUARTER.end),
        Action.APPROVE_FORMS: approve,
        Action.CLOSE_QUARTER: reopen,
        Action.MANAGE_SETTINGS: lambda: ctx.settings.set_idle_lock_minutes(15),
        Action.SET_ALLOCATION: lambda: ctx.allocations.set(1403, 5_000_000),
        Action.BACKUP: backup,
        Action.MANAGE_ACCOUNTS: lambda: ctx.accounts.list(),
        Action.MANAGE_FORMULARY: lambda: ctx.formulary.save(DrugInput(f"داروی {next(codes)}")),
        Action.VIEW_AUDIT: lambda: ctx.audit.recent(limit=5),
        Action.IMPORT_PACKAGES: lambda: ctx.rollup.import_files([]),
        Action.MANAGE_ROLLUP: remove_package,
    }


def test_the_table_covers_every_action() -> None:
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_may_do_exactly_its_actions(hub, role) -> None:
    ctx, patient_id = hub
    ctx.accounts.sign_in(role.value.replace("_", "-"), PASSWORD)
    outcome: dict[Action, bool] = {}
    refusals = []
    for action, attempt in attempts(ctx, patient_id).items():
        try:
            attempt()
            outcome[action] = True
        except AccessDeniedError as refused:
            outcome[action] = False
            assert refused.action == action
            assert role.label_fa in refused.message_fa or "اجازه" in refused.message_fa
            refusals.append(action)
    assert outcome == {action: role in roles for action, roles in EXPECTED.items()}
    # Every refusal is in the audit trail, with who tried and what.
    ctx.accounts.sign_out()
    ctx.accounts.sign_in("administrator", PASSWORD)
    recorded = [(e.actor, e.record_id) for e in ctx.audit.recent(limit=500)
                if e.action == "refused"]
    for action in refusals:
        assert (f"{role.label_fa} ({role.value.replace('_', '-')})", action.value) in recorded


def test_one_person_may_hold_several_roles(hub) -> None:
    ctx, patient_id = hub
    ctx.accounts.sign_in("administrator", PASSWORD)
    both = ctx.accounts.create("maryam", "مریم احمدی", {S, D}, PASSWORD)
    ctx.accounts.clear_password_change(both.id)
    ctx.accounts.sign_out()
    ctx.accounts.sign_in("maryam", PASSWORD)
    for action, attempt in attempts(ctx, patient_id).items():
        if EXPECTED[action] & {S, D}:
            attempt()
        else:
            with pytest.raises(AccessDeniedError):
                attempt()


def test_nobody_signed_in_may_do_nothing_and_that_is_audited(hub) -> None:
    ctx, patient_id = hub
    for attempt in attempts(ctx, patient_id).values():
        with pytest.raises(AccessDeniedError):
            attempt()
    ctx.accounts.sign_in("administrator", PASSWORD)
    anonymous = [e for e in ctx.audit.recent(limit=100)
                 if e.action == "refused" and e.reason == "nobody signed in"]
    assert len(anonymous) == len(Action)


def every_entry_point(ctx, patient_id: int, tmp_path) -> list[tuple[str, Action, Callable]]:
    """Every public service method that reads or changes records, with the action it
    needs. A role that lacks the action must be refused; one that has it may meet any
    other error (a stale version, a quarter not closed …), but not a refusal."""
    from pathlib import Path

    from cancer_desk.core.access import Role as R
    from cancer_desk.core.settings import HubSettingsInput
    from cancer_desk.services.batch_print import print_period_form1
    from cancer_desk.services.exports import build_quarter_package, export_quarter

    item = CostItemInput(dt.date.today(), "other", 1_000, description="ایاب و ذهاب")
    settings = HubSettingsInput(university="تهران", province="تهران", hospital="شریعتی",
                                programme_year=1405)
    return [
        ("patients.get", Action.VIEW_PATIENTS, lambda: ctx.patients.get(patient_id)),
        ("patients.count", Action.VIEW_PATIENTS, lambda: ctx.patients.count()),
        ("patients.find", Action.VIEW_PATIENTS,
         lambda: ctx.patients.find_by_national_code("0499370899")),
        ("patients.similar", Action.VIEW_PATIENTS, lambda: ctx.patients.similar(identity())),
        ("duplicates.candidates", Action.VIEW_PATIENTS,
         lambda: ctx.duplicates.candidates(identity())),
        ("duplicates.find_all", Action.VIEW_PATIENTS, lambda: ctx.duplicates.find_all()),
        ("duplicates.merge", Action.MERGE_PATIENTS,
         lambda: ctx.duplicates.merge(patient_id, 999)),
        ("patients.update", Action.EDIT_PATIENTS,
         lambda: ctx.patients.update(patient_id, identity(), 1)),
        ("imports.check", Action.EDIT_PATIENTS, lambda: ctx.imports.check(Path("none.csv"))),
        ("assessments.history", Action.VIEW_PATIENTS,
         lambda: ctx.assessments.history(patient_id)),
        ("cases.get", Action.VIEW_PATIENTS, lambda: ctx.cases.get(patient_id)),
        ("costs.list", Action.VIEW_PATIENTS, lambda: ctx.costs.list(patient_id)),
        ("costs.totals", Action.VIEW_PATIENTS, lambda: ctx.costs.totals(patient_id)),
        ("costs.update", Action.EDIT_COSTS, lambda: ctx.costs.update(999, item, 1)),
        ("costs.delete", Action.EDIT_COSTS, lambda: ctx.costs.delete(999, 1)),
        ("referrals.create", Action.EDIT_COSTS, lambda: ctx.referrals.create(patient_id)),
        ("referrals.list", Action.VIEW_PATIENTS, lambda: ctx.referrals.list(patient_id)),
        ("documents.assessment_sheet", Action.PRINT_FORMS,
         lambda: ctx.documents.assessment_sheet(patient_id)),
        ("documents.referral", Action.PRINT_FORMS, lambda: ctx.documents.referral(1)),
        ("seals.current", Action.VIEW_PATIENTS, lambda: ctx.seals.current(patient_id)),
        ("seals.unseal", Action.APPROVE_FORMS,
         lambda: ctx.seals.unseal(patient_id, "a reason in words")),
        ("audit.patient_history", Action.VIEW_PATIENTS,
         lambda: ctx.audit.patient_history(patient_id)),
        ("quarters.status", Action.VIEW_REPORTS, lambda: ctx.quarters.status(QUARTER)),
        ("quarters.closure", Action.VIEW_REPORTS, lambda: ctx.quarters.closure(QUARTER, 1)),
        ("quarters.activities", Action.VIEW_REPORTS,
         lambda: ctx.quarters.activities(QUARTER.start, QUARTER.end)),
        ("build_quarter_package", Action.VIEW_REPORTS,
         lambda: build_quarter_package(ctx, QUARTER, exported_by="x")),
        ("export_quarter", Action.CLOSE_QUARTER,
         lambda: export_quarter(ctx, QUARTER, tmp_path / "q.zip")),
        ("print_period_form1", Action.PRINT_FORMS,
         lambda: print_period_form1(ctx, QUARTER.start, QUARTER.end, tmp_path / "f1.pdf",
                                    period_name=QUARTER.label)),
        ("allocations.get", Action.VIEW_REPORTS, lambda: ctx.allocations.get(1403)),
        ("dashboard.figures", Action.VIEW_REPORTS, lambda: ctx.dashboard.figures(1403, None)),
        ("settings.save", Action.MANAGE_SETTINGS, lambda: ctx.settings.save(settings)),
        ("signing.install", Action.MANAGE_SETTINGS,
         lambda: ctx.signing.install(tmp_path / "none.p12", "x")),
        ("formulary.set_active", Action.MANAGE_FORMULARY,
         lambda: ctx.formulary.set_active(999, False)),
        ("formulary.import_file", Action.MANAGE_FORMULARY,
         lambda: ctx.formulary.import_file(tmp_path / "none.csv", dry_run=True)),
        ("accounts.create", Action.MANAGE_ACCOUNTS,
         lambda: ctx.accounts.create("x", "", {R.DIRECTOR}, "")),
        ("accounts.update", Action.MANAGE_ACCOUNTS,
         lambda: ctx.accounts.update(999, display_name="x", roles={R.DIRECTOR}, active=True,
                                     expected_version=1)),
        ("accounts.reset_password", Action.MANAGE_ACCOUNTS,
         lambda: ctx.accounts.reset_password(999, "temporary-99")),
        ("accounts.unlock", Action.MANAGE_ACCOUNTS, lambda: ctx.accounts.unlock(999)),
        ("accounts.get", Action.MANAGE_ACCOUNTS, lambda: ctx.accounts.get(999)),
        ("backups.restore", Action.BACKUP, lambda: ctx.backups.restore(tmp_path / "none")),
        ("settings.set_backup_folder", Action.MANAGE_SETTINGS,
         lambda: ctx.settings.set_backup_folder("")),
    ]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_entry_point_checks_the_role(hub, role, tmp_path) -> None:
    ctx, patient_id = hub
    ctx.accounts.sign_in(role.value.replace("_", "-"), PASSWORD)
    wrong: list[str] = []
    for name, action, attempt in every_entry_point(ctx, patient_id, tmp_path):
        try:
            attempt()
            refused = False
        except AccessDeniedError:
            refused = True
        except Exception:  # past the role check, refused for another reason
            refused = False
        if refused == (role in EXPECTED[action]):
            wrong.append(f"{name}: {'refused' if refused else 'allowed'}")
    assert wrong == []
