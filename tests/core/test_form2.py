from __future__ import annotations

import dataclasses
import datetime as dt

from cancer_desk.core.form2 import PatientActivity, check_form2, compute_form2

START, END = dt.date(2025, 3, 21), dt.date(2025, 6, 21)


def activity(pid, group, *, registered=False, assessed=False, items=0, support=0,
             unbanded=0, missing=(), has_assessment=True) -> PatientActivity:
    return PatientActivity(pid, group, registered, assessed, items, support, unbanded,
                           missing, has_assessment, name=f"بیمار {pid}",
                           national_code=f"{pid:010d}")


def test_seen_covered_and_spent_per_group(reference) -> None:
    activities = [
        activity(1, 1, registered=True),                     # seen, not covered
        activity(2, 1, assessed=True, items=2, support=700),  # seen and covered
        activity(3, 1, items=1, support=0),                  # a cost, but no support
        activity(4, 6, items=3, support=1500),
        activity(5, 6, assessed=True),
    ]
    form2 = compute_form2(START, END, activities, reference.cancer_groups)
    assert (form2.row(1).seen, form2.row(1).covered, form2.row(1).spent) == (3, 1, 700)
    assert (form2.row(6).seen, form2.row(6).covered, form2.row(6).spent) == (2, 1, 1500)
    assert (form2.row(2).seen, form2.row(2).covered, form2.row(2).spent) == (0, 0, 0)
    assert (form2.total.seen, form2.total.covered, form2.total.spent) == (5, 2, 2200)
    assert len(form2.rows) == 9 and form2.total.label == "جمع کل"
    assert check_form2(form2, activities, 2200) == []


def test_the_checks_before_closing(reference) -> None:
    activities = [
        activity(1, 1, items=1, support=500,                   # Form 1 incomplete
                 missing=("روش تشخیص", "تاریخ تشخیص", "درمان")),
        activity(2, 2, items=1, support=500, missing=None),     # no case record at all
        activity(3, 3, items=1, support=500, has_assessment=False),
        activity(4, 4, items=2, support=0, unbanded=2),
    ]
    form2 = compute_form2(START, END, activities, reference.cancer_groups)
    problems = {p.code: p for p in check_form2(form2, activities, 1600)}
    assert set(problems) == {"form1_incomplete", "no_assessment", "item_without_band",
                             "spent_mismatch"}
    assert problems["form1_incomplete"].patient_ids == (1, 2)
    # Each patient with what their Form 1 lacks, by the labels the Form 1 window shows.
    assert problems["form1_incomplete"].message == (
        "فرم شماره یک ۲ بیمار مشمول کامل نیست: بیمار 1 (خالی: «روش تشخیص»، «تاریخ تشخیص» "
        "و «درمان»)؛ بیمار 2 (بخش تشخیص و درمان پر نشده)")
    assert "۲ قلم هزینه" in problems["item_without_band"].message
    assert "۱٬۵۰۰" in problems["spent_mismatch"].message


def test_outside_the_groups_is_a_line_of_its_own(reference) -> None:
    """Two patients in group 1 (one covered, 700) and three outside the groups: one
    only registered, one with a cost of no support, one paid 300 before their group was
    changed (a referred item keeps its support). The total is the nine groups': (2, 1,
    700); the line outside: (3, 1, 300); the money of the period, 1,000."""
    activities = [
        activity(1, 1, registered=True),
        activity(2, 1, assessed=True, items=1, support=700),
        activity(3, 10, registered=True),
        activity(4, 10, items=1, support=0),
        activity(5, 10, items=1, support=300),
    ]
    form2 = compute_form2(START, END, activities, reference.cancer_groups,
                          reference.outside_group)
    assert (form2.total.seen, form2.total.covered, form2.total.spent) == (2, 1, 700)
    assert form2.outside is not None and form2.outside.group_id == 10
    assert (form2.outside.seen, form2.outside.covered, form2.outside.spent) == (3, 1, 300)
    assert form2.spent_all == 1000 and len(form2.rows) == 9
    assert check_form2(form2, activities, 1000) == []
    assert [p.code for p in check_form2(form2, activities, 700)] == ["spent_mismatch"]
    # Without the outside group (as before), such patients are left out.
    assert compute_form2(START, END, activities, reference.cancer_groups).outside is None


def test_a_group_that_is_not_the_code_s_is_told_not_refused(reference) -> None:
    from cancer_desk.core.form2 import form2_notices

    activities = [
        activity(1, 1, registered=True),
        dataclasses.replace(activity(2, 1, registered=True), icd10_code="C73",
                            group_disagrees=True),
    ]
    notices = form2_notices(activities)
    assert [(n.code, n.patient_ids) for n in notices] == [("group_not_code", (2,))]
    assert "بیمار 2 (کد C73)" in notices[0].message
    assert form2_notices(activities[:1]) == []
