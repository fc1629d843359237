"""The records of a period as plain rows with stable English keys — what the quarterly
package carries for machines (CSV/JSON) and people (XLSX)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cancer_desk.core.case import CASE_FIELDS, DATE_FIELDS
from cancer_desk.core.form2 import PatientActivity
from cancer_desk.core.jalali import format_jalali
from cancer_desk.core.patient import FIELDS as IDENTITY_FIELDS
from cancer_desk.core.progress import NO_PROGRESS, Progress
from cancer_desk.core.records import PeriodData, Row
from cancer_desk.models import Assessment, CaseRecordRow, CostItem, FormularyDrug, Patient


def _date_pair(name: str, value: dt.date | None) -> Row:
    """ISO for machines, Jalali beside it for people reading the CSV."""
    return {name: value.isoformat() if value else "",
            f"{name}_jalali": format_jalali(value, persian_digits=False) if value else ""}


def _batched(ids: Sequence[int], size: int = 900):
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
    patients: list[Row] = []
    cases: dict[int, CaseRecordRow] = {}
    people: dict[int, Patient] = {}
    for batch in _batched(ids):
        progress.check()
        people.update({p.id: p for p in session.scalars(
            select(Patient).where(Patient.id.in_(batch)))})
        # The relatives with them, in one more query: one query per Form 1 made a
        # quarter of thousands of patients slow.
        cases.update({c.patient_id: c for c in session.scalars(
            select(CaseRecordRow).where(CaseRecordRow.patient_id.in_(batch))
            .options(selectinload(CaseRecordRow.family_cancers)))})
    for done, patient_id in enumerate(sorted(ids, key=lambda i: people[i].national_code)):
        if done % 500 == 0:
            progress.step(done, len(ids))
        patient, activity = people[patient_id], by_id[patient_id]
        row: Row = {}
        for name in IDENTITY_FIELDS:
            value = getattr(patient, name)
            row.update(_date_pair(name, value) if isinstance(value, dt.date)
                       else {name: value})
        row.update(_date_pair("registered_on", patient.registered_on))
        case = cases.get(patient_id)
        for name in CASE_FIELDS:
            if name == "family_cancers":
                row[name] = "; ".join(f"{f.cancer_type}: {f.relation}"
                                      for f in case.family_cancers) if case else ""
            elif name in DATE_FIELDS:
                row.update(_date_pair(name, getattr(case, name) if case else None))
            else:
                value = getattr(case, name) if case else None
                row[name] = "" if value is None else value
        row.update({
            "form1_complete": activity.form1_missing == 0,
            "seen_registered": activity.registered,
            "seen_assessed": activity.assessed,
            "period_cost_items": activity.cost_items,
            "covered": activity.covered,
            "period_support_toman": activity.support,
        })
        patients.append(row)

    progress.step(0, 0, "خواندن ارزیابی‌ها و هزینه‌های فصل…")
    codes = {p.id: p.national_code for p in people.values()}
    assessments: list[Row] = []
    for record in session.scalars(
            select(Assessment).where(Assessment.assessed_on.between(start, end))
            .order_by(Assessment.assessed_on, Assessment.id)):
        row = {"assessment_id": record.id,
               "national_code": codes[record.patient_id],  # assessed ⇒ seen
               **_date_pair("assessed_on", record.assessed_on),
               "ruleset": record.ruleset_id, "score": record.score,
               "coverage_percent": record.coverage_percent, "assessor": record.assessor}
        for criterion, answer in sorted(record.answers.items()):
            row[f"answer_{criterion}"] = answer
            row[f"points_{criterion}"] = record.points.get(criterion, 0)
        assessments.append(row)

    cost_items: list[Row] = []
    for item, drug_name in session.execute(
            select(CostItem, FormularyDrug.name)
            .outerjoin(FormularyDrug, FormularyDrug.id == CostItem.drug_id)
            .where(CostItem.item_date.between(start, end))
            .order_by(CostItem.item_date, CostItem.id)):
        cost_items.append({
            "cost_item_id": item.id,
            "national_code": codes[item.patient_id],  # a cost item ⇒ seen
            **_date_pair("item_date", item.item_date),
            "kind": item.kind, "drug": drug_name or "", "description": item.description,
            "quantity": item.quantity, "amount_toman": item.amount,
            "under_insurance": item.under_insurance, "pharmacy": item.pharmacy,
            "assessment_id": item.assessment_id or "",
            "coverage_percent": "" if item.coverage_percent is None else
            item.coverage_percent,
            "support_toman": item.support_amount,
            "no_support_reason": item.no_support_reason or "",
        })
    return PeriodData(patients, assessments, cost_items)
