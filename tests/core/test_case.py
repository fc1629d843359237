"""Form 1 sections «ب» and «ج»: each field, and the rules between fields."""

from __future__ import annotations

import datetime as dt

import pytest

from cancer_desk.core.case import CaseRecord, FamilyCancer, clean_case
from cancer_desk.core.errors import ValidationErrors

TODAY = dt.date(2026, 11, 25)
BIRTH = dt.date(1970, 1, 1)


def clean(reference, **raw):
    return clean_case(raw, lists=reference.form1, birth_date=BIRTH, today=TODAY)


def errors(reference, **raw) -> dict[str, str]:
    with pytest.raises(ValidationErrors) as caught:
        clean(reference, **raw)
    return caught.value.errors


def test_a_full_record_with_jalali_text_dates(reference) -> None:
    record = clean(reference, diagnosis_method="۱", diagnosis_date="۱۴۰۲/۱۰/۲۰",
                   surgery=1, surgery_date="1402/11/12", stage_t="t2", grade="g3",
                   vital_status=2, death_date="۱۴۰۴/۰۱/۰۵", death_cause=1, death_place=2,
                   family_history=1,
                   family_cancers=[{"cancer_type": "پستان", "relation": "خاله"},
                                   ("روده", "پدر"), ("", "")],
                   admissions_count="۴", completed_by="مريم")
    assert record.diagnosis_date == dt.date(2024, 1, 10)
    assert (record.stage_t, record.grade) == ("T2", "G3")
    assert record.family_cancers == (FamilyCancer("پستان", "خاله"), FamilyCancer("روده", "پدر"))
    assert record.completed_by == "مریم"
    assert record.admissions_count == 4


@pytest.mark.parametrize(("raw", "field", "words"), [
    ({"first_recurrence_date": "1402/01/01", "recurrence": 2}, "first_recurrence_date", "«بلی»"),
    ({"metastasis_site": "کبد"}, "metastasis_site", "«متاستاز»"),
    ({"death_date": "1403/01/01", "vital_status": 1}, "death_date", "«فوت شده»"),
    ({"death_cause": 1}, "death_cause", "«وضعیت حیاتی»"),
    ({"surgery_date": "1402/01/01", "surgery": 2}, "surgery_date", "«جراحی»"),
    ({"family_cancers": [("پستان", "خاله")], "family_history": 2}, "family_cancers", "بلی"),
    ({"diagnosis_date": "1405/12/01"}, "diagnosis_date", "آینده"),
    ({"diagnosis_date": "1340/01/01"}, "diagnosis_date", "تاریخ تولد"),
    ({"diagnosis_date": "1402/13/01"}, "diagnosis_date", "ماه"),
    ({"diagnosis_date": "1402/06/01", "surgery": 1, "surgery_date": "1402/05/01"},
     "surgery_date", "پیش از «تاریخ تشخیص»"),
    ({"vital_status": 2, "death_date": "1402/01/01", "chemotherapy": 1,
      "chemotherapy_date": "1402/02/01"}, "chemotherapy_date", "پس از «تاریخ فوت»"),
    ({"vital_status": 2, "death_date": "1401/01/01", "diagnosis_date": "1402/01/01"},
     "death_date", "پیش از «تاریخ تشخیص»"),
    ({"admissions_count": -1}, "admissions_count", "منفی"),
    ({"recurrence": 1, "recurrence_count": "سه"}, "recurrence_count", "عدد"),
    ({"stage_t": "T9"}, "stage_t", "TX"),
    ({"grade": "high"}, "grade", "G1"),
    ({"vital_status": 5}, "vital_status", "گزینه"),
    ({"family_history": 1, "family_cancers": [("پستان", "")]}, "family_cancers", "نسبت"),
])
def test_rules_between_fields_name_the_field(reference, raw, field, words) -> None:
    found = errors(reference, **raw)
    assert field in found, found
    assert words in found[field]


def test_nothing_half_saved_all_problems_at_once(reference) -> None:
    found = errors(reference, admissions_count=-1, stage_t="T9", death_cause=1)
    assert set(found) == {"admissions_count", "stage_t", "death_cause"}


def test_completeness_for_closing_a_quarter(reference) -> None:
    assert "diagnosis_method" in CaseRecord().missing_for_complete()
    record = clean(reference, diagnosis_method=1, diagnosis_date="1402/10/20",
                   treatment_intent=1, surgery=2, radiotherapy=2, chemotherapy=1,
                   hormone_therapy=3, vital_status=1, family_history=2,
                   completed_on="1403/01/10", completed_by="مریم")
    assert record.missing_for_complete() == []


def test_the_illegible_item_keeps_its_label_in_data(reference) -> None:
    from cancer_desk.core.case import labels

    assert labels(reference.form1)["received_item"] == "دریافت مندرج"


def test_every_field_of_the_record_is_taken_from_the_form(reference) -> None:
    """The record is built field by field: none is left at its default by mistake."""
    record = clean(reference, diagnosis_method=1, diagnosis_date="1402/01/10", stage_t="T1",
                   stage_n="N0", stage_m="M0", grade="G1", treatment_intent=1, surgery=1,
                   surgery_date="1402/02/01", radiotherapy=1, radiotherapy_date="1402/03/01",
                   chemotherapy=1, chemotherapy_date="1402/04/01", chemotherapy_regimen="FOLFOX",
                   hormone_therapy=2, received_item=1, admissions_count=0,
                   hospital_stay_days=12, hospital_stay_months=1, recurrence=1,
                   first_recurrence_date="1403/01/01", recurrence_site="کبد",
                   recurrence_count=1, metastasis=1, metastasis_date="1403/02/01",
                   metastasis_site="ریه", remission=3, vital_status=2,
                   death_date="1404/01/05", death_cause=1, death_place=2, family_history=1,
                   family_cancers=[("پستان", "خاله")], completed_on="1404/02/01",
                   completed_by="مریم")
    left_empty = [name for name, value in record.as_dict().items() if value in (None, "", ())]
    assert left_empty == []
    assert record.admissions_count == 0
    assert (record.remission, record.death_place) == (3, 2)
    assert record.metastasis_date == dt.date(2024, 4, 20)
