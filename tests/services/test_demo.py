from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from cancer_desk.app import DEMO_PASSWORD, DemoRefusedError, fill_demo, open_context
from cancer_desk.core import national_code
from cancer_desk.core.jalali import to_jalali
from cancer_desk.core.scoring import score
from cancer_desk.models import Assessment, CostItem, Patient
from cancer_desk.services.access import AccessDeniedError

TODAY = dt.date(2026, 11, 25)


def round_half_up(hundredths: int) -> int:
    whole, rest = divmod(hundredths, 100)
    return whole + (rest >= 50)


@pytest.fixture
def new_database(db_url):
    context = open_context(db_url)  # nobody signed in, no accounts: a new database
    yield context
    context.close()


def test_demo_patients_are_realistic(new_database, reference, ruleset) -> None:
    context = new_database
    assert fill_demo(context, 120, seed=5, today=TODAY) == 120
    assert context.access.actor is None  # signed out again
    assert context.settings.get().hospital == "امام خمینی"
    provinces = {p.name for p in reference.provinces}
    with context.database.session_factory() as session:
        patients = session.scalars(select(Patient)).all()
        assessments = session.scalars(select(Assessment)).all()
    assert len(patients) == 120
    assert len({p.national_code for p in patients}) == 120
    assert all(national_code.is_valid(p.national_code) for p in patients)
    assert all(p.address_province in provinces for p in patients)
    assert all(to_jalali(p.birth_date)[0] >= 1300 and p.birth_date < TODAY for p in patients)
    assert all("\u0600" <= p.first_name[0] <= "\u06ff" for p in patients)
    assert 120 <= len(assessments) <= 360
    assert all(TODAY - dt.timedelta(days=731) <= a.assessed_on <= TODAY for a in assessments)
    for a in assessments[:50]:
        assert score(ruleset, a.answers).score == a.score
    # Some costs wholly within insurance obligations (no support, saying why), some partly
    # (the band of the rest), most not at all.
    with context.database.session_factory() as session:
        items = session.scalars(select(CostItem)).all()
    wholly = [c for c in items if c.insured_part == c.amount]
    partly = [c for c in items if 0 < c.insured_part < c.amount]
    assert wholly and partly and len(wholly) + len(partly) < len(items) / 2
    assert all(c.support_amount == 0 and c.no_support_reason in ("under_insurance",
                                                                 "outside_groups")
               for c in wholly)
    supported = [c for c in partly if c.no_support_reason is None]
    assert supported and all(
        c.support_amount == round_half_up((c.amount - c.insured_part) * c.coverage_percent)
        for c in supported)


def test_same_seed_same_data_and_more_can_be_added(new_database) -> None:
    context = new_database
    fill_demo(context, 10, seed=9, today=TODAY)
    context.accounts.sign_in("maryam", DEMO_PASSWORD)
    first = [p.national_code for p in context.patients.search("", limit=100)]
    fill_demo(context, 15, seed=9, today=TODAY)  # same seed again: codes must not clash
    with context.database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Patient)) == 25
    assert set(first) <= {p.national_code for p in context.patients.search("", limit=100)}


def test_only_someone_who_registers_patients_adds_them(new_database) -> None:
    context = new_database
    fill_demo(context, 3, seed=1, today=TODAY)
    context.accounts.sign_in("director", DEMO_PASSWORD)
    with pytest.raises(AccessDeniedError):
        fill_demo(context, 3, seed=2, today=TODAY)
    context.accounts.sign_out()
    context.accounts.sign_in("maryam", DEMO_PASSWORD)
    [patient] = context.patients.search("", limit=1)
    [entry] = context.audit.patient_history(patient.id)  # each patient in the trail
    assert (entry.action, entry.reason) == ("insert", "synthetic demo data")
    assert entry.actor.startswith("مریم احمدی")
    assert entry.changes["national_code"] == [None, patient.national_code]


def test_a_refused_demo_leaves_no_accounts_behind(new_database) -> None:
    """A hospital set up before accounts existed has no accounts and no patients yet:
    the demo must not make its published administrator there."""
    from sqlalchemy import text

    from cancer_desk.app import demo_settings

    context = new_database
    with context.database.engine.begin() as connection:  # the settings of a real hub
        values = vars(demo_settings(context.reference))
        connection.execute(text(
            "INSERT INTO hub_settings (id, hub_number, university, province, hospital, "
            "city, programme_year, budget_line, director_name, social_worker_name, "
            "is_demo, created_at, updated_at, version) VALUES (1, :hub_number, "
            ":university, :province, :hospital, :city, :programme_year, :budget_line, "
            ":director_name, :social_worker_name, :is_demo, '2026-01-01', '2026-01-01', 1)"),
            {**values, "is_demo": False})
    with pytest.raises(DemoRefusedError):
        fill_demo(context, 3, seed=1, today=TODAY)
    assert not context.accounts.has_accounts()
