"""Filling a database with synthetic patients and assessments, fast.

Rows go in with executemany in chunks, one transaction per chunk, so a hundred
thousand patients take seconds rather than the minutes an ORM object each would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Actor
from cancer_desk.core.case import CASE_FIELDS
from cancer_desk.core.costs import CostItemInput, support_for
from cancer_desk.core.demo import DEMO_DRUGS, DemoGenerator
from cancer_desk.core.persian import search_key
from cancer_desk.core.rules import RuleSet
from cancer_desk.core.scoring import score
from cancer_desk.models import (
    Assessment,
    CaseRecordRow,
    CostItem,
    FormularyDrug,
    Patient,
)
from cancer_desk.models.base import utc_now
from cancer_desk.services import audit
from cancer_desk.services.costs import band_in_force
from cancer_desk.services.formulary import DrugInput, FormularyService
from cancer_desk.services.patients import patient_search_key, patient_sort_key

CHUNK = 5_000
DEMO_ASSESSORS = ("مریم احمدی", "زهرا کریمی", "سارا حسینی")


def fill_demo_patients(
    session_factory: sessionmaker[Session],
    generator: DemoGenerator,
    ruleset: RuleSet,
    count: int,
    *,
    actor: Actor,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``count`` synthetic patients, each with one to three assessments, and for
    most of them a complete Form 1 and a few costs. Each patient gets an entry in the
    audit trail, in the chunk's transaction: who they are and what came with them."""
    today = today or dt.date.today()
    drug_ids = _demo_drug_ids(session_factory)
    with session_factory() as session:
        taken = set(session.scalars(select(Patient.national_code)))
    done = 0
    while done < count:
        size = min(CHUNK, count - done)
        patients: list[dict[str, Any]] = []
        pending_assessments: list[list[dict[str, Any]]] = []
        pending_cases: list[dict[str, Any] | None] = []
        pending_costs: list[list[CostItemInput]] = []
        now = utc_now()
        for _ in range(size):
            code = generator.national_code()
            while code in taken:
                code = generator.national_code()
            taken.add(code)
            identity = generator.identity(code, today)
            dates = generator.assessment_dates(today)
            patients.append({
                **asdict(identity),
                "registered_on": dates[0],  # registered when first assessed
                "search_key": patient_search_key(identity.first_name, identity.last_name),
                "sort_key": patient_sort_key(identity.first_name, identity.last_name),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            })
            rows = []
            for index, assessed_on in enumerate(dates):
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
            costs = generator.cost_items(dates[0], today, drug_ids)
            case = generator.case_record(identity.birth_date, dates[0], supported=bool(costs))
            pending_cases.append(None if case is None else {
                name: getattr(case, name) for name in CASE_FIELDS if name != "family_cancers"})
            pending_costs.append(costs)
        with session_factory.begin() as session:
            ids = session.scalars(
                insert(Patient).returning(Patient.id, sort_by_parameter_order=True), patients
            ).all()
            assessment_rows = [
                {**row, "patient_id": patient_id}
                for patient_id, rows in zip(ids, pending_assessments, strict=True)
                for row in rows
            ]
            assessment_ids = session.scalars(
                insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True),
                assessment_rows).all()
            case_rows = [{**case, "patient_id": pid, "created_at": now, "updated_at": now,
                          "version": 1}
                         for pid, case in zip(ids, pending_cases, strict=True) if case]
            if case_rows:
                session.execute(insert(CaseRecordRow), case_rows)
            cost_rows = _cost_rows(ids, pending_costs, assessment_rows, assessment_ids,
                                   drug_ids, now)
            if cost_rows:
                session.execute(insert(CostItem), cost_rows)
            costs_of: dict[int, int] = {}
            for row in cost_rows:
                costs_of[row["patient_id"]] = costs_of.get(row["patient_id"], 0) + 1
            cased = {row["patient_id"] for row in case_rows}
            audit.append(session, actor, [audit.Draft(
                "insert", "patients", str(patient_id), patient_id,
                {"national_code": [None, person["national_code"]],
                 "first_name": [None, person["first_name"]],
                 "last_name": [None, person["last_name"]],
                 "assessments": [None, len(rows)],
                 "cases": [None, int(patient_id in cased)],
                 "cost_items": [None, costs_of.get(patient_id, 0)]})
                for patient_id, person, rows in zip(ids, patients, pending_assessments,
                                                     strict=True)],
                reason="synthetic demo data")
        done += size
        if progress is not None:
            progress(done, count)
    return done


def demo_formulary(formulary: FormularyService) -> None:
    """Put the demo's drugs on the formulary (an administrator's change, through the
    formulary service like any other)."""
    known = {search_key(d.name) for d in formulary.list(include_inactive=True)}
    for name in DEMO_DRUGS:
        if search_key(name) not in known:
            formulary.save(DrugInput(name))


def _demo_drug_ids(session_factory: sessionmaker[Session]) -> list[int]:
    """The demo's drugs that are on the formulary (costs of others are off it)."""
    keys = {search_key(n) for n in DEMO_DRUGS}
    with session_factory() as session:
        return [d.id for d in session.scalars(select(FormularyDrug)) if d.name_key in keys]


def _cost_rows(patient_ids: Sequence[int], pending_costs: list[list[CostItemInput]],
               assessment_rows: list[dict[str, Any]], assessment_ids: Sequence[int],
               drug_ids: list[int], now: dt.datetime) -> list[dict[str, Any]]:
    """Each cost with the band of the patient's latest assessment on or before its date."""
    by_patient: dict[int, list[tuple[dt.date, int, int]]] = {}
    for row, assessment_id in zip(assessment_rows, assessment_ids, strict=True):
        by_patient.setdefault(row["patient_id"], []).append(
            (row["assessed_on"], assessment_id, row["coverage_percent"]))
    rows: list[dict[str, Any]] = []
    for patient_id, items in zip(patient_ids, pending_costs, strict=True):
        history = sorted(by_patient.get(patient_id, []))
        for item in items:
            band = band_in_force(history, item.item_date)
            support = support_for(item.amount, coverage_percent=band[2] if band else None,
                                  insured_part=item.insured_part, kind=item.kind,
                                  on_formulary=item.drug_id in drug_ids)
            rows.append({
                "patient_id": patient_id, "item_date": item.item_date, "kind": item.kind,
                "drug_id": item.drug_id, "description": item.description,
                "quantity": item.quantity, "amount": item.amount,
                "insured_part": item.insured_part, "pharmacy": item.pharmacy,
                "assessment_id": band[1] if band else None,
                "coverage_percent": band[2] if band else None,
                "support_amount": support.amount,
                "no_support_reason": support.reason.value if support.reason else None,
                "created_at": now, "updated_at": now, "version": 1,
            })
    return rows
