"""Duplicate patients: found in a demo-like database, merged with everything they
had, refused where a merge would change what was approved or sent, and marked as two
people."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from cancer_desk.app import fill_demo
from cancer_desk.core.case import CaseRecord
from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.duplicates import Reason
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.models import AuditEntry, NotDuplicate, Patient, QuarterClosure
from cancer_desk.services.duplicates import MergeRefusedError
from cancer_desk.services.formulary import DrugInput
from tests.builders import full_case, identity
from tests.conftest import full_answers
from tests.duplicate_codes import one_digit_typo, swapped_pair, two_digits_apart


def codes_of(pairs) -> set[frozenset[str]]:
    return {frozenset((p.first.national_code, p.second.national_code)) for p in pairs}


def test_planted_duplicates_are_found_in_a_demo_database(configured_context) -> None:
    ctx = configured_context
    fill_demo(ctx, 120, seed=1388, force=True)
    assert ctx.duplicates.find_all() == []  # the demo's own people are all different
    typo_a, typo_b = one_digit_typo(11)
    swap_a, swap_b = swapped_pair(12)
    create = ctx.patients.create
    create(identity(typo_a, "مریم", "احمدی"))
    create(identity(typo_b, "مریم", "احمدی"))  # a code slip: a second record
    create(identity(swap_a, "زهرا", "پاکزاد"))
    create(identity(swap_b, "زهرا", "پاکزاد"))
    create(identity("0012345679", "علي", "كريمي"))  # typed on an Arabic keyboard
    create(identity("1234567891", "علی", "کریمی"))
    # Near misses: other people.
    create(identity("0084575948", "سارا", "نوری"))
    create(dataclasses.replace(identity("4608968882", "سارا", "نوری"),
                              birth_date=dt.date(1981, 1, 1)))
    create(identity("2110990147", "حسن", "رضایی"))  # twins: same father and birthday
    create(identity("0067749828", "حسین", "رضایی"))
    create(identity("0499370899", "نرگس", "امینی"))
    create(identity(two_digits_apart("0499370899"), "نسرین", "صادقی"))
    found = ctx.duplicates.find_all()
    assert codes_of(found) == {frozenset((typo_a, typo_b)), frozenset((swap_a, swap_b)),
                               frozenset(("0012345679", "1234567891"))}
    reasons = {frozenset((p.first.national_code, p.second.national_code)): p.reasons
               for p in found}
    assert reasons[frozenset((typo_a, typo_b))] == (Reason.ONE_DIGIT, Reason.SAME_NAMES)
    assert reasons[frozenset((swap_a, swap_b))] == (Reason.SWAPPED_DIGITS, Reason.SAME_NAMES)
    assert found[-1].reasons_fa == "نام، نام پدر و تاریخ تولد یکسان"


def test_the_patient_being_registered_is_compared_before_it_is_saved(context) -> None:
    typo_a, typo_b = one_digit_typo(13)
    first = context.patients.create(identity(typo_a, "مریم", "احمدی"))
    namesake = context.patients.create(identity("0012345679", "علی", "کریمی"))
    [by_code] = context.duplicates.candidates(identity(typo_b, "نرگس", "امینی"))
    assert by_code.patient.id == first.id and by_code.reasons == (Reason.ONE_DIGIT,)
    [by_name] = context.duplicates.candidates(identity("1234567891", "علي", "كريمي"))
    assert by_name.patient.id == namesake.id and by_name.reasons == (Reason.SAME_NAMES,)
    assert context.duplicates.candidates(dataclasses.replace(
        identity("1234567891", "علی", "کریمی"), birth_date=dt.date(1979, 1, 1))) == []
    # A patient being edited is not their own duplicate.
    assert context.duplicates.candidates(identity("0012345679", "علی", "کریمی"),
                                         exclude_id=namesake.id) == []


@dataclasses.dataclass
class Pair:
    keep: int
    remove: int
    drug_id: int


@pytest.fixture
def pair(context) -> Pair:
    """One person twice. Kept: assessed on 2026-01-01 (70%), a drug of 1,000,000 on
    01-10. Removed: assessed on 01-20 (90%), a drug of 300,000 on 01-25 referred to
    accounting, a drug of 200,000 on 01-05 (before their assessment: their first band
    applies), and a full Form 1."""
    ctx = context
    drug = ctx.formulary.save(DrugInput("سیس‌پلاتین", "Cisplatin", "ویال")).id
    keep = ctx.patients.create(identity("0499370899", "علی", "کریمی")).id
    remove = ctx.patients.create(identity("0012345679", "علي", "كريمي")).id
    ctx.assessments.record(keep, full_answers(), assessed_on=dt.date(2026, 1, 1))
    ctx.costs.add(keep, CostItemInput(dt.date(2026, 1, 10), "drug", 1_000_000,
                                      drug_id=drug))
    ctx.assessments.record(remove, full_answers(sick_children=3),  # 90%
                           assessed_on=dt.date(2026, 1, 20))
    ctx.costs.add(remove, CostItemInput(dt.date(2026, 1, 25), "drug", 300_000, drug_id=drug))
    ctx.referrals.create(remove)
    ctx.costs.add(remove, CostItemInput(dt.date(2026, 1, 5), "drug", 200_000, drug_id=drug))
    ctx.cases.save(remove, full_case(), None)
    return Pair(keep, remove, drug)


def test_a_merge_moves_everything_and_bands_the_costs_again(context, pair) -> None:
    ctx = context
    assert ctx.costs.totals(pair.remove).total_support == 270_000 + 180_000
    ctx.drafts.save("questionnaire", pair.remove, "tester", {"income": "under_k300"})
    report = ctx.duplicates.merge(pair.keep, pair.remove)
    assert (report.assessments, report.cost_items, report.referrals) == (1, 2, 1)
    assert report.rebanded == 1
    assert "منتقل شد" in report.case
    totals = ctx.costs.totals(pair.keep)
    # 01-05 now falls under the kept record's 70% of 01-01; the referred item keeps 90%.
    assert (totals.total_amount, totals.total_support, totals.items) == (
        1_500_000, 700_000 + 270_000 + 140_000, 3)
    assert len(ctx.assessments.history(pair.keep)) == 2
    assert [r.total_amount for r in ctx.referrals.list(pair.keep)] == [300_000]
    assert ctx.cases.get(pair.keep).record.diagnosis_date == full_case().diagnosis_date
    assert ctx.patients.find_by_national_code("0012345679") is None
    assert ctx.patients.count() == 1
    assert ctx.drafts.load("questionnaire", pair.keep, "tester") is not None
    assert ctx.drafts.load("questionnaire", pair.remove, "tester") is None
    [entry] = [e for e in ctx.audit.patient_history(pair.keep) if e.action == "merge"]
    assert entry.changes["kept"] == ["0499370899", "0499370899"]
    assert entry.changes["removed"] == ["0012345679", None]
    assert "0012345679" in entry.reason
    assert ctx.audit.verify().intact


def test_a_merge_keeps_one_form1_when_the_other_is_empty(context, pair) -> None:
    context.cases.save(pair.keep, CaseRecord(), None)  # opened and saved blank
    report = context.duplicates.merge(pair.keep, pair.remove)
    assert "منتقل شد" in report.case
    assert context.cases.get(pair.keep).record.stage_t == "T2"


def test_two_filled_forms1_are_not_merged(context, pair) -> None:
    context.cases.save(pair.keep, dataclasses.replace(full_case(), stage_t="T3"), None)
    with pytest.raises(MergeRefusedError) as refused:
        context.duplicates.merge(pair.keep, pair.remove)
    assert "هر دو پرونده" in refused.value.message_fa
    assert context.patients.count() == 2
    assert context.costs.totals(pair.remove).items == 2  # nothing moved


def test_two_sealed_forms_are_not_merged(context, pair) -> None:
    context.cases.save(pair.keep, full_case(), None)
    context.seals.approve(pair.keep)
    context.seals.approve(pair.remove)
    with pytest.raises(MergeRefusedError) as refused:
        context.duplicates.merge(pair.keep, pair.remove)
    assert "هر دو پرونده" in refused.value.message_fa and "مهر" in refused.value.message_fa
    assert context.patients.count() == 2


def test_a_sealed_form_is_neither_removed_nor_changed(context, pair) -> None:
    context.seals.approve(pair.remove)
    with pytest.raises(MergeRefusedError) as refused:
        context.duplicates.merge(pair.keep, pair.remove)
    assert "همین پرونده را نگه دارید" in refused.value.message_fa
    # Kept the sealed one instead: the other's costs would change its approved totals.
    with pytest.raises(MergeRefusedError) as refused:
        context.duplicates.merge(pair.remove, pair.keep)
    assert "جمع هزینه‌ها" in refused.value.message_fa
    assert context.patients.count() == 2
    assert context.costs.totals(pair.keep).items == 1


def test_a_closed_quarter_is_not_changed_by_a_merge(context, pair) -> None:
    quarter = JalaliQuarter.containing(dt.date(2026, 1, 5))
    with context.database.session_factory.begin() as session:
        session.add(QuarterClosure(year=quarter.year, quarter=quarter.quarter, version=1,
                                   closed_by="رئیس", package_sha256="0" * 64,
                                   manifest_sha256="0" * 64, package=b"", snapshot={}))
    with pytest.raises(MergeRefusedError) as refused:
        context.duplicates.merge(pair.keep, pair.remove)
    assert quarter.label in refused.value.message_fa
    assert "بازگشایی" in refused.value.message_fa
    assert context.patients.count() == 2


def test_a_pair_marked_as_two_people_is_not_listed_again(context) -> None:
    first = context.patients.create(identity("0012345679", "علی", "کریمی"))
    second = context.patients.create(identity("1234567891", "علی", "کریمی"))
    assert len(context.duplicates.find_all()) == 1
    context.duplicates.mark_not_duplicate(second.id, first.id, "دو نفر با یک نام")
    context.duplicates.mark_not_duplicate(first.id, second.id)  # twice is once
    assert context.duplicates.find_all() == []
    assert context.duplicates.candidates(second.identity, exclude_id=second.id) == []
    with context.database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(NotDuplicate)) == 1
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "not_duplicate"))
    assert entry is not None and entry.changes["national_codes"][1] == ["0012345679",
                                                                         "1234567891"]
    assert entry.reason == "دو نفر با یک نام"


def test_a_merge_takes_the_marks_of_the_removed_record_with_it(context) -> None:
    a = context.patients.create(identity("0012345679", "علی", "کریمی")).id
    b = context.patients.create(identity("1234567891", "علی", "کریمی")).id
    c = context.patients.create(identity("0084575948", "علی", "کریمی")).id
    context.duplicates.mark_not_duplicate(a, c)
    context.duplicates.merge(b, a)
    with context.database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(NotDuplicate)) == 0
        assert session.scalar(select(func.count()).select_from(Patient)) == 2
    assert codes_of(context.duplicates.find_all()) == {frozenset(("1234567891",
                                                                  "0084575948"))}


def test_a_record_is_not_merged_into_itself(context) -> None:
    patient = context.patients.create(identity())
    with pytest.raises(MergeRefusedError):
        context.duplicates.merge(patient.id, patient.id)
