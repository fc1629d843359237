"""The case record and the costs: one transaction each, versions, bands kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from cancer_desk.core.case import FamilyCancer
from cancer_desk.core.costs import CostItemInput, NoSupport
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.services.errors import StaleRecordError
from cancer_desk.services.formulary import DrugInput
from tests.builders import full_case, identity
from tests.conftest import full_answers


@pytest.fixture
def patient(context):
    return context.patients.create(identity())


def test_case_save_and_read_back_with_family_rows(context, patient) -> None:
    assert context.cases.get(patient.id).version is None
    saved = context.cases.save(patient.id, full_case(), None)
    again = context.cases.get(patient.id)
    assert again.record == full_case() and again.version == saved.version == 1
    fewer = dataclasses.replace(full_case(), family_cancers=(FamilyCancer("ریه", "پدر"),))
    context.cases.save(patient.id, fewer, again.version)
    assert context.cases.get(patient.id).record.family_cancers == (FamilyCancer("ریه", "پدر"),)


def test_a_stale_save_cannot_wipe_family_rows(context, patient) -> None:
    first = context.cases.save(patient.id, full_case(), None)
    more = dataclasses.replace(full_case(), family_cancers=(
        *full_case().family_cancers, FamilyCancer("ریه", "پدر")))
    second = context.cases.save(patient.id, more, first.version)  # only the family rows
    assert second.version == first.version + 1
    with pytest.raises(StaleRecordError):
        context.cases.save(patient.id, full_case(), first.version)
    assert len(context.cases.get(patient.id).record.family_cancers) == 3


def test_case_stale_version_is_refused_and_nothing_changes(context, patient) -> None:
    first = context.cases.save(patient.id, full_case(), None)
    context.cases.save(patient.id, dataclasses.replace(full_case(), grade="G3"), first.version)
    with pytest.raises(StaleRecordError):
        context.cases.save(patient.id, dataclasses.replace(full_case(), grade="G1"),
                           first.version)
    with pytest.raises(StaleRecordError):  # a second «new» case for the same patient
        context.cases.save(patient.id, full_case(), None)
    assert context.cases.get(patient.id).record.grade == "G3"


def test_case_checked_again_against_the_birth_date(context, patient) -> None:
    early = dataclasses.replace(full_case(), diagnosis_date=dt.date(1975, 1, 1))
    with pytest.raises(ValidationErrors) as caught:
        context.cases.save(patient.id, early, None)  # the patient was born in 1980
    assert "diagnosis_date" in caught.value.errors
    assert context.cases.get(patient.id).version is None


def test_each_cost_takes_the_band_in_force_on_its_date(context, patient) -> None:
    """Costs entered before the first assessment get its band as soon as it is saved;
    a later assessment applies from its date on; a back-dated one re-bands what falls
    after it. The support shown is never stale."""
    drug = context.formulary.save(DrugInput("سیس‌پلاتین"))

    def add(day, amount=1000):
        return context.costs.add(patient.id, CostItemInput(day, "drug", amount,
                                                           drug_id=drug.id))

    def supports():
        return [(c.item.item_date.isoformat(), c.support.amount, c.support.coverage_percent)
                for c in context.costs.list(patient.id)]

    early = add(dt.date(2024, 1, 1))
    assert early.support.reason is NoSupport.NO_ASSESSMENT and early.assessment_id is None
    first = context.assessments.record(patient.id, full_answers(),
                                       assessed_on=dt.date(2024, 2, 1))  # 76 → 70%
    assert supports() == [("2024-01-01", 700, 70)]  # the first assessment reaches back
    add(dt.date(2024, 2, 2))
    context.assessments.record(patient.id, full_answers(sick_children=3),
                               assessed_on=dt.date(2024, 3, 1))  # 86 → 90%
    add(dt.date(2024, 3, 2))
    assert supports() == [("2024-01-01", 700, 70), ("2024-02-02", 700, 70),
                          ("2024-03-02", 900, 90)]
    context.assessments.record(patient.id, full_answers(sick_children=0),
                               assessed_on=dt.date(2023, 12, 15))  # 56 → 50%, back-dated
    assert supports() == [("2024-01-01", 500, 50), ("2024-02-02", 700, 70),
                          ("2024-03-02", 900, 90)]
    moved = context.costs.list(patient.id)[2]
    changed = context.costs.update(moved.id, dataclasses.replace(moved.item,
                                                                item_date=dt.date(2024, 2, 5)),
                                   moved.version)
    assert (changed.support.amount, changed.assessment_id) == (700, first.id)
    totals = context.costs.totals(patient.id)
    assert (totals.total_amount, totals.total_support, totals.items) == (3000, 1900, 3)


def test_an_old_version_held_open_is_refused_after_a_reband(context, patient) -> None:
    item = context.costs.add(patient.id, CostItemInput(dt.date(2024, 1, 1), "other", 100,
                                                       description="ایاب و ذهاب"))
    context.assessments.record(patient.id, full_answers())  # re-bands it
    with pytest.raises(StaleRecordError):
        context.costs.update(item.id, dataclasses.replace(item.item, amount=200),
                             item.version)


def test_insured_and_unlisted_items_get_nothing(context, patient) -> None:
    context.assessments.record(patient.id, full_answers())
    insured = context.costs.add(patient.id, CostItemInput(dt.date(2024, 1, 1), "hospital_stay",
                                                          5000, insured_part=5000))
    unlisted = context.costs.add(patient.id, CostItemInput(dt.date(2024, 1, 1), "drug", 5000,
                                                           description="دارویی دیگر"))
    assert insured.support.amount == unlisted.support.amount == 0
    assert unlisted.support.reason is NoSupport.NOT_ON_FORMULARY
    assert context.costs.totals(patient.id).unsupported_items == 2


def test_support_is_of_the_part_outside_insurance_obligations(context, patient) -> None:
    """At 70%: a drug of 1,000,000 whose insurer pays 700,000 and whose other 300,000 is
    the franchise of that cover gets nothing; a stay of 5,000,000 of which 3,000,000 is
    within the insurer's ceiling gets 70% of the 2,000,000 beyond it = 1,400,000; 1,335
    with 1,000 insured gets 70% of 335 = 234.5 → 235, half up."""
    context.assessments.record(patient.id, full_answers())
    drug = context.formulary.save(DrugInput("سیس‌پلاتین"))
    franchise = context.costs.add(patient.id, CostItemInput(
        dt.date(2024, 1, 1), "drug", 1_000_000, drug_id=drug.id, insured_part=1_000_000))
    stay = context.costs.add(patient.id, CostItemInput(
        dt.date(2024, 1, 2), "hospital_stay", 5_000_000, insured_part=3_000_000))
    rounded = context.costs.add(patient.id, CostItemInput(
        dt.date(2024, 1, 3), "other", 1_335, description="ایاب و ذهاب", insured_part=1_000))
    assert (franchise.support.amount, franchise.support.reason) == (
        0, NoSupport.UNDER_INSURANCE)
    assert (stay.support.amount, stay.support.reason) == (1_400_000, None)
    assert stay.support.explanation == "۷۰ درصد از بخش خارج از تعهد بیمه"
    assert rounded.support.amount == 235
    totals = context.costs.totals(patient.id)
    assert (totals.total_amount, totals.total_insured, totals.total_outside_insurance,
            totals.total_support, totals.unsupported_items) == (
        6_001_335, 4_001_000, 2_000_335, 1_400_235, 1)
    # Changed to none insured, the stay's support follows: 70% of 5,000,000.
    changed = context.costs.update(stay.id, dataclasses.replace(stay.item, insured_part=0),
                                   stay.version)
    assert changed.support.amount == 3_500_000
    assert [c.item.insured_part for c in context.costs.list(patient.id)] == [
        1_000_000, 0, 1_000]


def test_an_insured_part_beyond_the_amount_is_refused_and_nothing_saved(context,
                                                                        patient) -> None:
    with pytest.raises(ValidationErrors) as caught:
        context.costs.add(patient.id, CostItemInput(dt.date(2024, 1, 1), "hospital_stay",
                                                    5_000, insured_part=5_001))
    assert caught.value.errors == {
        "insured_part": "«سهم در تعهد بیمه» نمی‌تواند بیشتر از مبلغ کل هزینه باشد."}
    assert context.costs.list(patient.id) == []


def test_a_withdrawn_drug_is_no_longer_supported_from_its_withdrawal(context, patient) -> None:
    context.assessments.record(patient.id, full_answers())  # 70%
    drug = context.formulary.save(DrugInput("بلئومایسین"))
    context.formulary.withdraw(drug.id, dt.date(2024, 1, 1))
    item = context.costs.add(patient.id, CostItemInput(dt.date(2024, 1, 1), "drug", 100,
                                                       drug_id=drug.id))
    assert item.support.reason is NoSupport.NOT_ON_FORMULARY
    assert item.drug_name == "بلئومایسین"
    earlier = context.costs.add(patient.id, CostItemInput(dt.date(2023, 12, 31), "drug", 100,
                                                          drug_id=drug.id))
    assert (earlier.support.amount, earlier.support.reason) == (70, None)


def test_cost_item_stale_and_delete(context, patient) -> None:
    item = context.costs.add(patient.id, CostItemInput(dt.date(2024, 1, 1), "other", 100,
                                                       description="ایاب و ذهاب"))
    context.costs.update(item.id, dataclasses.replace(item.item, amount=200), item.version)
    with pytest.raises(StaleRecordError):
        context.costs.delete(item.id, item.version)
    current = context.costs.list(patient.id)[0]
    context.costs.delete(current.id, current.version)
    assert context.costs.list(patient.id) == []


def test_formulary_names_are_unique_after_normalisation(context) -> None:
    context.formulary.save(DrugInput("سیکلوفسفامید"))
    with pytest.raises(ValidationErrors):
        context.formulary.save(DrugInput("سيكلوفسفاميد"))  # Arabic yeh and kaf


def test_formulary_import_all_or_nothing(context, tmp_path: Path) -> None:
    good = tmp_path / "drugs.csv"
    good.write_text("نام دارو,نام ژنریک,شکل و مقدار\nسیس‌پلاتین,Cisplatin,ویال ۵۰\n"
                    "دوکسوروبیسین,Doxorubicin,ویال ۱۰\n", encoding="utf-8-sig")
    result = context.formulary.import_file(good)
    assert (result.added, result.updated, result.problems) == (2, 0, [])
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nپاکلی‌تاکسل\n\n  \nپاکلی تاکسل\n", encoding="utf-8")
    result = context.formulary.import_file(bad)
    assert result.problems and "ردیف" in result.problems[0][1]
    assert len(context.formulary.list()) == 2
    again = context.formulary.import_file(good)
    assert (again.added, again.updated) == (0, 2)


def test_a_cancer_outside_the_groups_gets_no_support_and_says_why(context, patient) -> None:
    """70% of 1,000 is 700 in group 1; outside the groups it is 0 with the reason, and
    back in a group it is 700 again."""
    context.assessments.record(patient.id, full_answers(),
                               assessed_on=dt.date(2024, 2, 1))  # 76 → 70%
    item = context.costs.add(patient.id, CostItemInput(dt.date(2024, 2, 2), "other", 1000,
                                                       description="ایاب و ذهاب"))
    assert (item.support.amount, item.support.reason) == (700, None)
    record = context.patients.get(patient.id)
    moved = context.patients.update(
        patient.id, dataclasses.replace(record.identity, cancer_group_id=10), record.version)
    [outside] = context.costs.list(patient.id)
    assert (outside.support.amount, outside.support.reason) == (0, NoSupport.OUTSIDE_GROUPS)
    assert outside.support.explanation == ("سرطان بیمار خارج از گروه‌های دستورالعمل است؛ "
                                           "حمایت نمی‌شود")
    added = context.costs.add(patient.id, CostItemInput(dt.date(2024, 2, 3), "other", 500,
                                                        description="اقامت"))
    assert (added.support.amount, added.support.reason) == (0, NoSupport.OUTSIDE_GROUPS)
    assert context.costs.totals(patient.id).total_support == 0
    context.patients.update(patient.id, dataclasses.replace(moved.identity, cancer_group_id=1),
                            moved.version)
    assert [c.support.amount for c in context.costs.list(patient.id)] == [700, 350]
