"""Filling a database with synthetic patients and assessments, fast.

Rows go in with executemany in chunks, one transaction per chunk, so a hundred
thousand patients take seconds rather than the minutes an ORM object each would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.demo import DemoGenerator
from cancer_desk.core.rules import RuleSet
from cancer_desk.core.scoring import score
from cancer_desk.models import Assessment, Patient
from cancer_desk.models.base import utc_now
from cancer_desk.services.patients import patient_search_key, patient_sort_key

CHUNK = 5_000
DEMO_ASSESSORS = ("مریم احمدی", "زهرا کریمی", "سارا حسینی")


def fill_demo_patients(
    session_factory: sessionmaker[Session],
    generator: DemoGenerator,
    ruleset: RuleSet,
    count: int,
    *,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``count`` synthetic patients, each with one to three assessments."""
    today = today or dt.date.today()
    with session_factory() as session:
        taken = set(session.scalars(select(Patient.national_code)))
    done = 0
    while done < count:
        size = min(CHUNK, count - done)
        patients: list[dict] = []
        pending_assessments: list[list[dict]] = []
        now = utc_now()
        for _ in range(size):
            code = generator.national_code()
            while code in taken:
                code = generator.national_code()
            taken.add(code)
            identity = generator.identity(code, today)
            patients.append({
                **asdict(identity),
                "search_key": patient_search_key(identity.first_name, identity.last_name),
                "sort_key": patient_sort_key(identity.first_name, identity.last_name),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            })
            rows = []
            for index, assessed_on in enumerate(generator.assessment_dates(today)):
                result = score(ruleset, generator.answers())
                rows.append({
                    "ruleset_id": result.ruleset_id,
                    "answers": result.answers,
                    "points": result.points,
                    "score": result.score,
                    "coverage_percent": result.coverage_percent,
                    "assessed_on": assessed_on,
                    "assessor": DEMO_ASSESSORS[index % len(DEMO_ASSESSORS)],
                    "created_at": now,
                })
            pending_assessments.append(rows)
        with session_factory.begin() as session:
            ids = session.scalars(
                insert(Patient).returning(Patient.id, sort_by_parameter_order=True), patients
            ).all()
            assessment_rows = [
                {**row, "patient_id": patient_id}
                for patient_id, rows in zip(ids, pending_assessments, strict=True)
                for row in rows
            ]
            session.execute(insert(Assessment), assessment_rows)
        done += size
        if progress is not None:
            progress(done, count)
    return done
