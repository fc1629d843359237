"""Form 2 (فرم شماره دو): the performance report of a period, per cancer group.

Who counts (directive §8, the program's choice, also in the README and the help):

- **seen** («مراجعه‌کننده»): a patient registered, assessed, or with a cost item dated in
  the period — any contact with the programme in it;
- **covered** («مشمول دستورالعمل»): a patient with support approved in the period, i.e.
  at least one cost item dated in the period whose support is more than zero;
- **money spent** («هزینه‌کرد»): the sum of the support of the cost items dated in the
  period, in tomans.

A patient is counted in the row of their cancer group (as recorded now). A cancer outside
the directive's nine groups is counted on a line of its own under the nine, apart from
their total («جمع کل» is the directive's groups only); it gets no support, so its money
spent is nothing but what was paid before the patient's group was changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from cancer_desk.core.case import name_list
from cancer_desk.core.persian import format_number, to_persian_digits
from cancer_desk.core.reference import CancerGroup


@dataclass(frozen=True)
class PatientActivity:
    """One patient's dealings with the programme in the period."""

    patient_id: int
    cancer_group_id: int
    registered: bool
    assessed: bool
    cost_items: int
    support: int  # tomans, sum over the period's cost items
    items_without_band: int
    form1_missing: tuple[str, ...] | None  # labels of what Form 1 lacks; None: no case record
    has_assessment: bool  # at all, not only in the period
    name: str = ""
    national_code: str = ""
    icd10_code: str = ""
    group_disagrees: bool = False  # the recorded group is not the one of the ICD-10 code

    @property
    def seen(self) -> bool:
        return self.registered or self.assessed or self.cost_items > 0

    @property
    def covered(self) -> bool:
        return self.support > 0

    @property
    def form1_complete(self) -> bool:
        return self.form1_missing is not None and not self.form1_missing


@dataclass(frozen=True)
class Form2Row:
    group_id: int  # 0 for the total row
    label: str
    seen: int
    covered: int
    spent: int


@dataclass(frozen=True)
class Form2:
    start: dt.date
    end: dt.date
    rows: tuple[Form2Row, ...]  # the nine groups, in order
    total: Form2Row  # of the nine groups
    outside: Form2Row | None = None  # outside the directive's groups, not in the total

    @property
    def spent_all(self) -> int:
        """The money spent on every patient, the nine groups and outside them."""
        return self.total.spent + (self.outside.spent if self.outside else 0)

    def row(self, group_id: int) -> Form2Row:
        return next(r for r in self.rows if r.group_id == group_id)


@dataclass(frozen=True)
class Form2Problem:
    code: str  # stable, for tests and the package
    message: str  # Persian
    patient_ids: tuple[int, ...] = field(default_factory=tuple)


def compute_form2(start: dt.date, end: dt.date, activities: Iterable[PatientActivity],
                  groups: Sequence[CancerGroup],
                  outside_group: CancerGroup | None = None) -> Form2:
    """The nine rows and their total; with ``outside_group``, the line of patients
    outside the groups too."""
    counted = (*groups, outside_group) if outside_group is not None else tuple(groups)
    seen = dict.fromkeys((g.id for g in counted), 0)
    covered = dict(seen)
    spent = dict(seen)
    for activity in activities:
        if activity.cancer_group_id not in seen:
            continue
        seen[activity.cancer_group_id] += activity.seen
        covered[activity.cancer_group_id] += activity.covered
        spent[activity.cancer_group_id] += activity.support
    rows = tuple(Form2Row(g.id, g.label, seen[g.id], covered[g.id], spent[g.id])
                 for g in groups)
    total = Form2Row(0, "جمع کل", sum(r.seen for r in rows), sum(r.covered for r in rows),
                     sum(r.spent for r in rows))
    outside = None if outside_group is None else Form2Row(
        outside_group.id, outside_group.label, seen[outside_group.id],
        covered[outside_group.id], spent[outside_group.id])
    return Form2(start, end, rows, total, outside)


def check_form2(form2: Form2, activities: Sequence[PatientActivity],
                period_support: int) -> list[Form2Problem]:
    """What must hold before the period can be closed; each problem in Persian.

    ``period_support`` is the sum of support of the period's cost items, counted
    independently of the per-patient activity, so a mistake in either shows here.
    """
    problems: list[Form2Problem] = []
    for row in (*form2.rows, form2.total, *([form2.outside] if form2.outside else [])):
        if row.covered > row.seen:
            problems.append(Form2Problem(
                "covered_above_seen",
                f"در ردیف «{row.label}» شمار بیماران مشمول ({to_persian_digits(row.covered)}) "
                f"بیش از مراجعه‌کنندگان ({to_persian_digits(row.seen)}) است."))
    if form2.spent_all != period_support:
        problems.append(Form2Problem(
            "spent_mismatch",
            f"هزینه‌کرد فرم ({format_number(form2.spent_all)} تومان) با جمع حمایت اقلام "
            f"هزینه این دوره ({format_number(period_support)} تومان) برابر نیست."))
    incomplete = tuple(a.patient_id for a in activities if a.covered and not a.form1_complete)
    if incomplete:
        problems.append(Form2Problem(
            "form1_incomplete",
            f"فرم شماره یک {to_persian_digits(len(incomplete))} بیمار مشمول کامل نیست: "
            + _names(activities, incomplete, what=_form1_gaps), incomplete))
    unassessed = tuple(a.patient_id for a in activities if a.covered and not a.has_assessment)
    if unassessed:
        problems.append(Form2Problem(
            "no_assessment",
            f"{to_persian_digits(len(unassessed))} بیمار مشمول ارزیابی ندارد: "
            + _names(activities, unassessed), unassessed))
    unbanded = tuple(a.patient_id for a in activities if a.items_without_band)
    if unbanded:
        count = sum(a.items_without_band for a in activities)
        problems.append(Form2Problem(
            "item_without_band",
            f"{to_persian_digits(count)} قلم هزینه در این دوره سهم حمایت (ارزیابی) ندارد: "
            + _names(activities, unbanded), unbanded))
    return problems


def form2_notices(activities: Sequence[PatientActivity]) -> list[Form2Problem]:
    """What is worth telling but does not stop the period closing: records saved before
    the group had to follow the ICD-10 code, whose group is not the code's (counted in
    the row of the group recorded, until the record is corrected)."""
    ids = tuple(a.patient_id for a in activities if a.group_disagrees)
    if not ids:
        return []
    return [Form2Problem(
        "group_not_code",
        f"نوع سرطان {to_persian_digits(len(ids))} بیمار با گروه کد ICD-10 او نمی‌خواند و در "
        "ردیف نوع سرطانِ ثبت‌شده شمرده شده است: "
        + _names(activities, ids, what=lambda a: f"کد {a.icd10_code}"), ids)]


def _form1_gaps(activity: PatientActivity) -> str:
    if activity.form1_missing is None:
        return "بخش تشخیص و درمان پر نشده"
    return "خالی: " + name_list(activity.form1_missing)


def _names(activities: Sequence[PatientActivity], ids: tuple[int, ...], limit: int = 5,
           what: Callable[[PatientActivity], str] | None = None) -> str:
    """The first few patients by name; ``what`` says, in brackets, what each lacks."""
    by_id = {a.patient_id: a for a in activities}
    names = [by_id[i].name or to_persian_digits(by_id[i].national_code) for i in ids[:limit]]
    if what is not None:
        names = [f"{name} ({what(by_id[i])})" for name, i in zip(names, ids, strict=False)]
    more = len(ids) - limit
    separator = "؛ " if what is not None else "، "
    return separator.join(names) + (f" و {to_persian_digits(more)} نفر دیگر" if more > 0
                                    else "")
