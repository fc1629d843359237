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
from cancer_desk.services.errors import StaleRecordError
from cancer_desk.services.formulary import DrugInput
from cancer_desk.services.quarters import ReopenRefusedError
from cancer_desk.services.seals import SealRefusedError
from tests.conftest import full_answers
from tests.print.test_documents import full_case
from tests.services.test_patients import CODES, identity

A, S, D = Role.ADMINISTRATOR, Role.SOCIAL_WORKER, Role.DIRECTOR
EXPECTED: dict[Action, set[Role]] = {
    Action.VIEW_PATIENTS: {S, D},
    Action.EDIT_PATIENTS: {S},
    Action.ASSESS: {S},
    Action.EDIT_CASE: {S},
    Action.EDIT_COSTS: {S},
    Action.PRINT_FORMS: {S, D},
    Action.VIEW_REPORTS: {S, D},
    Action.APPROVE_FORMS: {D},
    Action.CLOSE_QUARTER: {D},
    Action.MANAGE_SETTINGS: {A},
    Action.SET_ALLOCATION: {A, D},
    Action.MANAGE_ACCOUNTS: {A},
    Action.MANAGE_FORMULARY: {A},
    Action.VIEW_AUDIT: {A, S, D},
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

    return {
        Action.VIEW_PATIENTS: lambda: ctx.patients.search(""),
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
        Action.MANAGE_ACCOUNTS: lambda: ctx.accounts.list(),
        Action.MANAGE_FORMULARY: lambda: ctx.formulary.save(DrugInput(f"داروی {next(codes)}")),
        Action.VIEW_AUDIT: lambda: ctx.audit.recent(limit=5),
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
