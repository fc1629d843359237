"""The records of a period as plain rows with stable English keys — what the quarterly
package carries for machines (CSV/JSON) and people (XLSX)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cancer_desk.core.case import CASE_FIELDS, DATE_FIELDS
from cancer_desk.core.form2 import PatientActivity
from cancer_desk.core.jalali import format_jalali
from cancer_desk.core.patient import FIELDS as IDENTITY_FIELDS
from cancer_desk.core.progress import NO_PROGRESS, Progress
from cancer_desk.core.records import PeriodData, Row
from cancer_desk.models import (
    Assessment,
    CaseRecordRow,
    CostItem,
    FamilyCancerRow,
    FormularyDrug,
    Patient,
)

PATIENT_COLUMNS = (Patient.id, Patient.registered_on,
                   *(getattr(Patient, name) for name in IDENTITY_FIELDS))


def _date_pair(name: str, value: dt.date | None) -> Row:
    """ISO for machines, Jalali beside it for people reading the CSV."""
    return {name: value.isoformat() if value else "",
            f"{name}_jalali": format_jalali(value, persian_digits=False) if value else ""}


def _batched(ids: Sequence[int], size: int = 900) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def gather_period(session: Session, start: dt.date, end: dt.date,
                  activities: Sequence[PatientActivity], *,
                  progress: Progress = NO_PROGRESS) -> PeriodData:
    """The period's records, read in the caller's session (the same one that counted
    ``activities``, so the two agree). ``progress`` counts the patients read."""
    by_id = {a.patient_id: a for a in activities if a.seen}
    ids = sorted(by_id)
    progress.step(0, len(ids), "خواندن پرونده بیماران فصل…")
    people, cases, relatives = _read_patients(session, ids, progress)
    patients: list[Row] = []
    for done, patient_id in enumerate(sorted(ids, key=lambda i: people[i]["national_code"])):
        if done % 500 == 0:
            progress.step(done, len(ids))
        patients.append(_patient_row(people[patient_id], by_id[patient_id],
                                     cases.get(patient_id), relatives.get(patient_id, [])))
    progress.step(0, 0, "خواندن ارزیابی‌ها و هزینه‌های فصل…")
    codes = {p["id"]: p["national_code"] for p in people.values()}
    return PeriodData(patients, _assessment_rows(session, start, end, codes),
                      _cost_item_rows(session, start, end, codes))


_Columns = Mapping[str, Any]  # one row of plain columns, as the database gave it


def _read_patients(session: Session, ids: list[int], progress: Progress
                   ) -> tuple[dict[int, _Columns], dict[int, _Columns], dict[int, list[str]]]:
    """The patients' identities, their Form 1 records and their relatives with cancer
    (in the order entered), by patient id."""
    # Plain column rows, not mapped objects: the records are only read, and building and
    # tracking 10,000 objects of each kind was a fifth of a large quarter's export.
    people: dict[int, _Columns] = {}
    cases: dict[int, _Columns] = {}
    relatives: dict[int, list[str]] = {}
    case_columns = [CaseRecordRow.patient_id, CaseRecordRow.id,
                    *(getattr(CaseRecordRow, n) for n in CASE_FIELDS if n != "family_cancers")]
    for batch in _batched(ids):
        progress.check()
        people.update({row["id"]: row for row in session.execute(
            select(*PATIENT_COLUMNS).where(Patient.id.in_(batch))).mappings()})
        cases.update({row["patient_id"]: row for row in session.execute(
            select(*case_columns).where(CaseRecordRow.patient_id.in_(batch))).mappings()})
        # The relatives with them, in one more query: one query per Form 1 made a
        # quarter of thousands of patients slow.
        for patient_id, cancer_type, relation in session.execute(
                select(CaseRecordRow.patient_id, FamilyCancerRow.cancer_type,
                       FamilyCancerRow.relation)
                .join(CaseRecordRow, CaseRecordRow.id == FamilyCancerRow.case_id)
                .where(CaseRecordRow.patient_id.in_(batch))
                .order_by(FamilyCancerRow.case_id, FamilyCancerRow.position)):
            relatives.setdefault(patient_id, []).append(f"{cancer_type}: {relation}")
    return people, cases, relatives


def _patient_row(patient: _Columns, activity: PatientActivity, case: _Columns | None,
                 relatives: list[str]) -> Row:
    """A patient's identity, Form 1 and dealings in the period, as one row."""
    row: Row = {}
    for name in IDENTITY_FIELDS:
        value = patient[name]
        row.update(_date_pair(name, value) if isinstance(value, dt.date)
                   else {name: value})
    row.update(_date_pair("registered_on", patient["registered_on"]))
    for name in CASE_FIELDS:
        if name == "family_cancers":
            row[name] = "; ".join(relatives) if case else ""
        elif name in DATE_FIELDS:
            row.update(_date_pair(name, case[name] if case else None))
        else:
            value = case[name] if case else None
            row[name] = "" if value is None else value
    row.update({
        "form1_complete": activity.form1_complete,
        "seen_registered": activity.registered,
        "seen_assessed": activity.assessed,
        "period_cost_items": activity.cost_items,
        "covered": activity.covered,
        "period_support_toman": activity.support,
    })
    return row


def _assessment_rows(session: Session, start: dt.date, end: dt.date,
                     codes: dict[int, str]) -> list[Row]:
    """The period's assessments, each with its answers and their points."""
    assessments: list[Row] = []
    for record in session.scalars(
            select(Assessment).where(Assessment.assessed_on.between(start, end))
            .order_by(Assessment.assessed_on, Assessment.id)):
        row: Row = {"assessment_id": record.id,
                    "national_code": codes[record.patient_id],  # assessed ⇒ seen
                    **_date_pair("assessed_on", record.assessed_on),
                    "ruleset": record.ruleset_id, "score": record.score,
                    "coverage_percent": record.coverage_percent, "assessor": record.assessor}
        for criterion, answer in sorted(record.answers.items()):
            row[f"answer_{criterion}"] = answer
            row[f"points_{criterion}"] = record.points.get(criterion, 0)
        assessments.append(row)
    return assessments


def _cost_item_rows(session: Session, start: dt.date, end: dt.date,
                    codes: dict[int, str]) -> list[Row]:
    """The period's cost items, each with its drug's name."""
    return [{
        "cost_item_id": item.id,
        "national_code": codes[item.patient_id],  # a cost item ⇒ seen
        **_date_pair("item_date", item.item_date),
        "kind": item.kind, "drug": drug_name or "", "description": item.description,
        "quantity": item.quantity, "amount_toman": item.amount,
        "insured_toman": item.insured_part, "pharmacy": item.pharmacy,
        "assessment_id": item.assessment_id or "",
        "coverage_percent": "" if item.coverage_percent is None else
        item.coverage_percent,
        "support_toman": item.support_amount,
        "no_support_reason": item.no_support_reason or "",
    } for item, drug_name in session.execute(
        select(CostItem, FormularyDrug.name)
        .outerjoin(FormularyDrug, FormularyDrug.id == CostItem.drug_id)
        .where(CostItem.item_date.between(start, end))
        .order_by(CostItem.item_date, CostItem.id))]
