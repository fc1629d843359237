from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from cancer_desk.app import fill_demo
from cancer_desk.core import national_code
from cancer_desk.core.jalali import to_jalali
from cancer_desk.core.scoring import score
from cancer_desk.models import Assessment, Patient

TODAY = dt.date(2026, 11, 25)


def test_demo_patients_are_realistic(context, reference, ruleset) -> None:
    assert fill_demo(context, 120, seed=5, today=TODAY) == 120
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


def test_same_seed_same_data_and_more_can_be_added(context) -> None:
    fill_demo(context, 10, seed=9, today=TODAY)
    first = [p.national_code for p in context.patients.search("", limit=100)]
    fill_demo(context, 15, seed=9, today=TODAY)  # same seed again: codes must not clash
    with context.database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Patient)) == 25
    assert set(first) <= {p.national_code for p in context.patients.search("", limit=100)}
