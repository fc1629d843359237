"""The rest of Form 1: diagnosis and treatment («ب»), other disease information («ج»)
and the closing part — fields, Persian labels, and the checks across fields."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from cancer_desk.core.errors import InputError, ValidationErrors
from cancer_desk.core.jalali import parse_jalali
from cancer_desk.core.persian import normalize_text, one_line_problem, parse_int
from cancer_desk.core.reference import Form1Lists

YES_NO = {1: "بلی", 2: "خیر"}
YES_NO_UNKNOWN = {1: "بلی", 2: "خیر", 3: "نامشخص"}
DIAGNOSIS_METHODS = {1: "پاتولوژیکال (pathological)", 2: "کلینیکال (clinical)"}
TREATMENT_INTENTS = {1: "درمان علاج‌بخش (curative)", 2: "درمان تسکینی (palliative)"}
VITAL_STATUSES = {1: "زنده", 2: "فوت شده", 3: "نامشخص"}
DEATH_CAUSES = {1: "سرطان", 2: "غیر سرطان", 3: "نامشخص"}
DEATH_PLACES = {1: "بیمارستان", 2: "منزل", 3: "سایر موارد", 4: "نامشخص"}
YES = 1
DEAD = 2

# field → (label, choices) for every single-choice item of the form.
CHOICES: dict[str, dict[int, str]] = {
    "diagnosis_method": DIAGNOSIS_METHODS,
    "treatment_intent": TREATMENT_INTENTS,
    "surgery": YES_NO,
    "radiotherapy": YES_NO,
    "chemotherapy": YES_NO,
    "hormone_therapy": YES_NO_UNKNOWN,
    "received_item": YES_NO_UNKNOWN,
    "recurrence": YES_NO_UNKNOWN,
    "metastasis": YES_NO_UNKNOWN,
    "remission": YES_NO_UNKNOWN,
    "vital_status": VITAL_STATUSES,
    "death_cause": DEATH_CAUSES,
    "death_place": DEATH_PLACES,
    "family_history": YES_NO_UNKNOWN,
}

LABELS: dict[str, str] = {
    "diagnosis_method": "روش تشخیص",
    "diagnosis_date": "تاریخ تشخیص",
    "stage_t": "مرحله T",
    "stage_n": "مرحله N",
    "stage_m": "مرحله M",
    "grade": "درجه (Grade)",
    "treatment_intent": "درمان",
    "surgery": "جراحی",
    "surgery_date": "تاریخ جراحی",
    "radiotherapy": "رادیوتراپی",
    "radiotherapy_date": "تاریخ رادیوتراپی",
    "chemotherapy": "شیمی‌درمانی",
    "chemotherapy_date": "تاریخ شیمی‌درمانی",
    "chemotherapy_regimen": "رژیم شیمی‌درمانی",
    "hormone_therapy": "هورمون‌درمانی",
    "received_item": "دریافت مندرج",  # replaced by the label in form1.toml
    "admissions_count": "تعداد دفعات بستری به دلیل سرطان",
    "hospital_stay_days": "مجموع زمان بستری (روز)",
    "hospital_stay_months": "مجموع زمان بستری (ماه)",
    "recurrence": "عود",
    "first_recurrence_date": "تاریخ اولین عود",
    "recurrence_site": "محل دقیق عود",
    "recurrence_count": "تعداد موارد عود",
    "metastasis": "متاستاز",
    "metastasis_date": "تاریخ تشخیص متاستاز",
    "metastasis_site": "محل متاستاز",
    "remission": "بهبودی",
    "vital_status": "وضعیت حیاتی",
    "death_date": "تاریخ فوت",
    "death_cause": "علت فوت",
    "death_place": "محل فوت",
    "family_history": "سابقه سرطان در خانواده",
    "family_cancers": "نوع سرطان و نسبت فامیلی",
    "completed_on": "تاریخ تکمیل فرم",
    "completed_by": "نام تکمیل‌کننده فرم",
}

DATE_FIELDS = ("diagnosis_date", "surgery_date", "radiotherapy_date", "chemotherapy_date",
               "first_recurrence_date", "metastasis_date", "death_date", "completed_on")
COUNT_FIELDS = ("admissions_count", "hospital_stay_days", "hospital_stay_months",
                "recurrence_count")
TEXT_FIELDS = ("chemotherapy_regimen", "recurrence_site", "metastasis_site", "completed_by")

# A date (or detail) that may be given only with the matching answer.
CONDITIONAL: dict[str, tuple[str, int]] = {
    "surgery_date": ("surgery", YES),
    "radiotherapy_date": ("radiotherapy", YES),
    "chemotherapy_date": ("chemotherapy", YES),
    "chemotherapy_regimen": ("chemotherapy", YES),
    "first_recurrence_date": ("recurrence", YES),
    "recurrence_site": ("recurrence", YES),
    "recurrence_count": ("recurrence", YES),
    "metastasis_date": ("metastasis", YES),
    "metastasis_site": ("metastasis", YES),
    "death_date": ("vital_status", DEAD),
    "death_cause": ("vital_status", DEAD),
    "death_place": ("vital_status", DEAD),
    "family_cancers": ("family_history", YES),
}

# What Form 1 must have before it counts as complete: for closing a quarter and for the
# director's seal; the Form 1 window marks these fields.
REQUIRED_FOR_COMPLETE = ("diagnosis_method", "diagnosis_date", "treatment_intent", "surgery",
                         "radiotherapy", "chemotherapy", "hormone_therapy", "vital_status",
                         "family_history", "completed_on", "completed_by")

_TEXT_MAX = 200


@dataclass(frozen=True)
class FamilyCancer:
    cancer_type: str
    relation: str


@dataclass(frozen=True)
class CaseRecord:
    diagnosis_method: int | None = None
    diagnosis_date: dt.date | None = None
    stage_t: str = ""
    stage_n: str = ""
    stage_m: str = ""
    grade: str = ""
    treatment_intent: int | None = None
    surgery: int | None = None
    surgery_date: dt.date | None = None
    radiotherapy: int | None = None
    radiotherapy_date: dt.date | None = None
    chemotherapy: int | None = None
    chemotherapy_date: dt.date | None = None
    chemotherapy_regimen: str = ""
    hormone_therapy: int | None = None
    received_item: int | None = None
    admissions_count: int | None = None
    hospital_stay_days: int | None = None
    hospital_stay_months: int | None = None
    recurrence: int | None = None
    first_recurrence_date: dt.date | None = None
    recurrence_site: str = ""
    recurrence_count: int | None = None
    metastasis: int | None = None
    metastasis_date: dt.date | None = None
    metastasis_site: str = ""
    remission: int | None = None
    vital_status: int | None = None
    death_date: dt.date | None = None
    death_cause: int | None = None
    death_place: int | None = None
    family_history: int | None = None
    family_cancers: tuple[FamilyCancer, ...] = field(default_factory=tuple)
    completed_on: dt.date | None = None
    completed_by: str = ""

    def missing_for_complete(self) -> list[str]:
        """Fields Form 1 still needs before it counts as complete."""
        return [name for name in REQUIRED_FOR_COMPLETE if getattr(self, name) in (None, "")]

    def missing_labels(self, lists: Form1Lists | None = None) -> list[str]:
        """The same, by the labels the Form 1 window shows."""
        names = labels(lists)
        return [names[name] for name in self.missing_for_complete()]

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


CASE_FIELDS = tuple(f.name for f in dataclasses.fields(CaseRecord))


def labels(lists: Form1Lists | None) -> dict[str, str]:
    """The labels, with the received item's label from the data file."""
    if lists is None:
        return dict(LABELS)
    return {**LABELS, "received_item": lists.received_item_label}


def name_list(labels_fa: Sequence[str]) -> str:
    """Labels as a Persian list: «روش تشخیص»، «درمان» و «جراحی»."""
    quoted = [f"«{label}»" for label in labels_fa]
    if len(quoted) < 2:
        return "".join(quoted)
    return "، ".join(quoted[:-1]) + " و " + quoted[-1]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == ()


class _Errors:
    """Each field's first error, in the order the checks find them."""

    def __init__(self) -> None:
        self.by_field: dict[str, str] = {}

    def fail(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, message)


def clean_case(
    raw: Mapping[str, object],
    *,
    lists: Form1Lists,
    birth_date: dt.date | None = None,
    today: dt.date | None = None,
) -> CaseRecord:
    """Check every field and the rules between them; raise :class:`ValidationErrors`
    whose Persian messages name the fields the way the paper form does."""
    names = labels(lists)
    errors = _Errors()
    choices = _clean_choices(raw, names, errors)
    dates = _clean_dates(raw, names, errors, today=today or dt.date.today(),
                         birth_date=birth_date)
    counts = _clean_counts(raw, names, errors)
    texts = _clean_texts(raw, names, errors)
    staging = _clean_staging(raw, lists, names, errors)
    family = _clean_family(raw.get("family_cancers"), errors)
    record = CaseRecord(
        diagnosis_method=choices.get("diagnosis_method"),
        diagnosis_date=dates.get("diagnosis_date"),
        stage_t=staging.get("stage_t", ""),
        stage_n=staging.get("stage_n", ""),
        stage_m=staging.get("stage_m", ""),
        grade=staging.get("grade", ""),
        treatment_intent=choices.get("treatment_intent"),
        surgery=choices.get("surgery"),
        surgery_date=dates.get("surgery_date"),
        radiotherapy=choices.get("radiotherapy"),
        radiotherapy_date=dates.get("radiotherapy_date"),
        chemotherapy=choices.get("chemotherapy"),
        chemotherapy_date=dates.get("chemotherapy_date"),
        chemotherapy_regimen=texts.get("chemotherapy_regimen", ""),
        hormone_therapy=choices.get("hormone_therapy"),
        received_item=choices.get("received_item"),
        admissions_count=counts.get("admissions_count"),
        hospital_stay_days=counts.get("hospital_stay_days"),
        hospital_stay_months=counts.get("hospital_stay_months"),
        recurrence=choices.get("recurrence"),
        first_recurrence_date=dates.get("first_recurrence_date"),
        recurrence_site=texts.get("recurrence_site", ""),
        recurrence_count=counts.get("recurrence_count"),
        metastasis=choices.get("metastasis"),
        metastasis_date=dates.get("metastasis_date"),
        metastasis_site=texts.get("metastasis_site", ""),
        remission=choices.get("remission"),
        vital_status=choices.get("vital_status"),
        death_date=dates.get("death_date"),
        death_cause=choices.get("death_cause"),
        death_place=choices.get("death_place"),
        family_history=choices.get("family_history"),
        family_cancers=family,
        completed_on=dates.get("completed_on"),
        completed_by=texts.get("completed_by", ""),
    )
    _check_conditions(record, names, errors)
    _check_order(record, names, errors)
    if errors.by_field:
        raise ValidationErrors(errors.by_field)
    return record


def _choice_number(value: object) -> int | None:
    try:
        return parse_int(value)
    except ValueError:
        return None


def _clean_choices(raw: Mapping[str, object], names: dict[str, str],
                   errors: _Errors) -> dict[str, int]:
    clean: dict[str, int] = {}
    for name, choices in CHOICES.items():
        value = raw.get(name)
        if _blank(value):
            continue
        number = _choice_number(value)
        if number is None or number not in choices:
            errors.fail(name, f"«{names[name]}» باید یکی از گزینه‌های فرم باشد.")
        else:
            clean[name] = number
    return clean


def _clean_dates(raw: Mapping[str, object], names: dict[str, str], errors: _Errors, *,
                 today: dt.date, birth_date: dt.date | None) -> dict[str, dt.date]:
    clean: dict[str, dt.date] = {}
    for name in DATE_FIELDS:
        value = raw.get(name)
        if _blank(value):
            continue
        try:
            date = value if isinstance(value, dt.date) else parse_jalali(
                str(value), field=name, label=names[name])
        except InputError as exc:
            errors.fail(name, exc.message_fa)
            continue
        if date > today:
            errors.fail(name, f"«{names[name]}» نمی‌تواند در آینده باشد.")
        elif birth_date is not None and date < birth_date:
            errors.fail(name, f"«{names[name]}» نمی‌تواند پیش از تاریخ تولد باشد.")
        else:
            clean[name] = date
    return clean


def _clean_counts(raw: Mapping[str, object], names: dict[str, str],
                  errors: _Errors) -> dict[str, int]:
    clean: dict[str, int] = {}
    for name in COUNT_FIELDS:
        value = raw.get(name)
        if _blank(value):
            continue
        try:
            number = parse_int(value)
        except ValueError:
            errors.fail(name, f"«{names[name]}» باید عدد باشد.")
            continue
        if number < 0:
            errors.fail(name, f"«{names[name]}» نمی‌تواند منفی باشد.")
        elif number > 10_000:
            errors.fail(name, f"«{names[name]}» بیش از اندازه بزرگ است.")
        else:
            clean[name] = number
    if clean.get("hospital_stay_days", 0) > 31 * 12 * 5:
        errors.fail("hospital_stay_days", "«مجموع زمان بستری (روز)» باورپذیر نیست.")
    return clean


def _clean_texts(raw: Mapping[str, object], names: dict[str, str],
                 errors: _Errors) -> dict[str, str]:
    clean: dict[str, str] = {}
    for name in TEXT_FIELDS:
        text = str(raw.get(name) or "")
        if problem := one_line_problem(text, names[name]):
            errors.fail(name, problem)
            continue
        text = normalize_text(text)
        if len(text) > _TEXT_MAX:
            errors.fail(name, f"«{names[name]}» بیش از {_TEXT_MAX} نویسه است.")
        elif text:
            clean[name] = text
    return clean


def _clean_staging(raw: Mapping[str, object], lists: Form1Lists, names: dict[str, str],
                   errors: _Errors) -> dict[str, str]:
    """T, N, M and the grade, as the data file spells them (``t2`` → ``T2``)."""
    staging = {"stage_t": lists.t_values, "stage_n": lists.n_values,
               "stage_m": lists.m_values, "grade": lists.grades}
    clean: dict[str, str] = {}
    for name, allowed in staging.items():
        value = str(raw.get(name) or "").strip()
        if not value:
            continue
        match = next((a for a in allowed if a.lower() == value.lower()), None)
        if match is None:
            errors.fail(name, f"«{names[name]}» باید یکی از این‌ها باشد: {'، '.join(allowed)}.")
        else:
            clean[name] = match
    return clean


def _clean_family(rows: object, errors: _Errors) -> tuple[FamilyCancer, ...]:
    """The rows of relatives with cancer; a row left blank is dropped."""
    family: list[FamilyCancer] = []
    for index, row in enumerate(_iterable(rows or ()), start=1):
        cancer_type, relation = (normalize_text(str(v or "")) for v in _pair(row))
        if not cancer_type and not relation:
            continue
        if not cancer_type or not relation:
            errors.fail("family_cancers", f"ردیف {index} سابقه خانوادگی: هم نوع سرطان و هم نسبت "
                                          "فامیلی را بنویسید.")
        family.append(FamilyCancer(cancer_type, relation))
    return tuple(family)


def _iterable(value: object) -> Iterable[object]:
    if not isinstance(value, Iterable):
        raise TypeError(f"{type(value).__name__!r} object is not iterable")
    return value


def _pair(row: object) -> tuple[object, object]:
    if isinstance(row, FamilyCancer):
        return row.cancer_type, row.relation
    if isinstance(row, Mapping):
        return row.get("cancer_type"), row.get("relation")
    first, second = _iterable(row)
    return first, second


def _given(value: object) -> bool:
    """What a field holds once it has been filled in (a count may be 0)."""
    return value is not None and value != "" and value != ()


def _check_conditions(record: CaseRecord, names: dict[str, str], errors: _Errors) -> None:
    """A recurrence date only with «بلی», a death date only with «فوت شده», …"""
    for name, (parent, needed) in CONDITIONAL.items():
        if _given(getattr(record, name)) and getattr(record, parent) != needed:
            answer = CHOICES[parent][needed]
            errors.fail(name, f"«{names[name]}» فقط وقتی پر می‌شود که «{names[parent]}» "
                              f"«{answer}» باشد.")


def _check_order(record: CaseRecord, names: dict[str, str], errors: _Errors) -> None:
    """birth ≤ diagnosis ≤ treatment dates ≤ death (birth is checked with each date)."""
    diagnosis = record.diagnosis_date
    death = record.death_date
    later = {"surgery_date": record.surgery_date,
             "radiotherapy_date": record.radiotherapy_date,
             "chemotherapy_date": record.chemotherapy_date,
             "first_recurrence_date": record.first_recurrence_date,
             "metastasis_date": record.metastasis_date}
    for name, date in later.items():
        if date is None:
            continue
        if diagnosis is not None and date < diagnosis:
            errors.fail(name, f"«{names[name]}» نمی‌تواند پیش از «{names['diagnosis_date']}» باشد.")
        if death is not None and date > death:
            errors.fail(name, f"«{names[name]}» نمی‌تواند پس از «{names['death_date']}» باشد.")
    if diagnosis is not None and death is not None and death < diagnosis:
        errors.fail("death_date", f"«{names['death_date']}» نمی‌تواند پیش از "
                                  f"«{names['diagnosis_date']}» باشد.")
