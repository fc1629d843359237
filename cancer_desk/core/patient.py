"""The patient's identity (Form 1, section «الف»): fields, labels and checks.

The window, the importer and the services all check a patient through
:func:`clean_identity`, so a rule lives in one place and its message names the field
the way the paper form does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from cancer_desk.core import icd10, national_code
from cancer_desk.core.errors import InputError, ValidationErrors
from cancer_desk.core.jalali import parse_jalali
from cancer_desk.core.persian import (
    is_ascii_digits,
    normalize_identifier,
    normalize_text,
    one_line_problem,
    parse_int,
    to_persian_digits,
)
from cancer_desk.core.reference import ALL_GROUP_IDS, ReferenceData

SEX_CHOICES = {1: "مرد", 2: "زن"}
NATIONALITY_CHOICES = {1: "ایرانی", 2: "غیرایرانی", 3: "نامشخص"}

# Field → the label the paper form gives it.
LABELS: dict[str, str] = {
    "national_code": "کد ملی",
    "first_name": "نام بیمار",
    "last_name": "نام خانوادگی بیمار",
    "father_name": "نام پدر",
    "sex": "جنسیت",
    "birth_date": "تاریخ تولد",
    "birth_province": "استان محل تولد",
    "birth_city": "شهر محل تولد",
    "birth_certificate_no": "شماره شناسنامه",
    "nationality": "ملیت",
    "insurance_type": "نوع بیمه",
    "insurance_number": "شماره بیمه",
    "address_province": "استان محل سکونت",
    "address_city": "شهر محل سکونت",
    "address_street": "خیابان",
    "address_alley": "کوچه",
    "address_plaque": "پلاک",
    "postal_code": "کد پستی",
    "phone": "تلفن بیمار",
    "relative_phone": "تلفن بستگان بیمار",
    "cancer_group_id": "نوع سرطان",
    "icd10_code": "کد ICD-10 (توپوگرافی)",
}

REQUIRED = ("national_code", "first_name", "last_name", "father_name", "sex", "birth_date",
            "cancer_group_id")

_NAME_MAX = 60
_TEXT_MAX = 120
_LETTERS = re.compile(r"[^\W\d_]")

T = TypeVar("T")


@dataclass(frozen=True)
class PatientIdentity:
    national_code: str
    first_name: str
    last_name: str
    father_name: str
    sex: int
    birth_date: dt.date
    cancer_group_id: int
    birth_province: str = ""
    birth_city: str = ""
    birth_certificate_no: str = ""
    nationality: int = 1
    insurance_type: str = ""
    insurance_number: str = ""
    address_province: str = ""
    address_city: str = ""
    address_street: str = ""
    address_alley: str = ""
    address_plaque: str = ""
    postal_code: str = ""
    phone: str = ""
    relative_phone: str = ""
    icd10_code: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


FIELDS = tuple(f.name for f in dataclasses.fields(PatientIdentity))


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _one_line(value: object, field: str) -> str:
    """The value's text, refused when it holds a line break or a control character
    (looked for before normalising, which would fold a tab into a space)."""
    text = str(value)
    if problem := one_line_problem(text, LABELS[field]):
        raise InputError(field, "has a line break or a control character", problem)
    return text


def _name(value: object, field: str) -> str:
    text = normalize_text(_one_line(value, field))
    label = LABELS[field]
    if any(ch.isdigit() for ch in text):
        raise InputError(field, "contains digits", f"«{label}» نباید عدد داشته باشد.")
    if not _LETTERS.search(text):
        raise InputError(field, "has no letters", f"«{label}» باید با حروف نوشته شود.")
    if len(text) > _NAME_MAX:
        raise InputError(field, "too long",
                         f"«{label}» بیش از {_NAME_MAX} نویسه است.")
    return text


def _choice(value: object, field: str, choices: Mapping[int, str]) -> int:
    label = LABELS[field]
    if isinstance(value, str) and value.strip() in choices.values():
        return next(k for k, v in choices.items() if v == value.strip())
    try:
        number = parse_int(value)
    except ValueError:
        number = None
    if number is None or number not in choices:
        allowed = "، ".join(f"{k} ({v})" for k, v in choices.items())
        raise InputError(field, f"{value!r} is not one of {sorted(choices)}",
                         f"«{label}» باید یکی از این‌ها باشد: {allowed}.")
    return number


def _digits(value: object, field: str, *, lengths: tuple[int, ...] | None = None,
            max_length: int = 20) -> str:
    text = normalize_identifier(str(value)).replace("-", "").replace("/", "")
    label = LABELS[field]
    if not is_ascii_digits(text):
        raise InputError(field, "digits only", f"«{label}» فقط باید رقم باشد.")
    if lengths and len(text) not in lengths:
        wanted = " یا ".join(to_persian_digits(n) for n in lengths)
        raise InputError(field, f"must have {lengths} digits", f"«{label}» باید {wanted} رقم باشد.")
    if len(text) > max_length:
        raise InputError(field, "too long", f"«{label}» بیش از اندازه بلند است.")
    return text


def normalize_phone(value: object, field: str = "phone") -> str:
    """A phone typed any way → 11 digits starting with 0 (``02188776655``)."""
    text = normalize_identifier(str(value))
    text = re.sub(r"[()\-.]", "", text)
    if text.startswith("+98"):
        text = "0" + text[3:]
    elif text.startswith("0098"):
        text = "0" + text[4:]
    label = LABELS.get(field, field)
    if not is_ascii_digits(text):
        raise InputError(field, "digits only", f"«{label}» فقط باید رقم باشد.")
    if len(text) == 10 and not text.startswith("0"):
        text = "0" + text
    if len(text) != 11 or not text.startswith("0"):
        raise InputError(field, "must be 11 digits with the area code",
                         f"«{label}» باید ۱۱ رقم با پیش‌شماره باشد، مثلاً ۰۲۱۸۸۷۷۶۶۵۵.")
    return text


def _date(value: object, field: str, today: dt.date) -> dt.date:
    label = LABELS[field]
    if isinstance(value, dt.date):
        result = value
    else:
        result = parse_jalali(str(value), field=field, label=label)
    if result > today:
        raise InputError(field, "is in the future", f"«{label}» نمی‌تواند در آینده باشد.")
    return result


def _text(value: object, field: str) -> str:
    text = normalize_text(_one_line(value, field))
    if len(text) > _TEXT_MAX:
        raise InputError(field, "too long",
                         f"«{LABELS[field]}» بیش از {_TEXT_MAX} نویسه است.")
    return text


class _Cleaner:
    """Runs each field's check in turn and gathers every field's error."""

    def __init__(self, raw: Mapping[str, object]) -> None:
        self.raw = raw
        self.errors: dict[str, str] = {}

    def get(self, field: str, convert: Callable[[object], T], default: T) -> T:
        """The field checked by ``convert``; ``default`` when it is blank or wrong."""
        value = self.raw.get(field)
        if _is_blank(value):
            if field in REQUIRED:
                verb = "انتخاب" if field in ("sex", "cancer_group_id") else "وارد"
                self.errors[field] = f"«{LABELS[field]}» را {verb} کنید."
            return default
        try:
            return convert(value)
        except InputError as exc:
            self.errors[field] = exc.message_fa
            return default

    def text(self, field: str) -> str:
        return self.get(field, lambda v: _text(v, field), "")


def _check_group_follows_code(identity: PatientIdentity, reference: ReferenceData,
                              errors: dict[str, str]) -> None:
    if "cancer_group_id" in errors or not identity.icd10_code or not identity.cancer_group_id:
        return
    refusal = icd10.group_mismatch(identity.icd10_code, identity.cancer_group_id, reference)
    if refusal:
        errors["cancer_group_id"] = refusal


def clean_identity(
    raw: Mapping[str, object],
    *,
    cancer_group_ids: frozenset[int] = ALL_GROUP_IDS,
    reference: ReferenceData | None = None,
    today: dt.date | None = None,
) -> PatientIdentity:
    """Check and normalise every identity field; raise :class:`ValidationErrors`
    mapping each wrong field to a Persian message that names it.

    With ``reference``, a group that is not the one its ICD-10 code is in is refused."""
    on = today or dt.date.today()

    def group(value: object) -> int:
        try:
            number = parse_int(value)
        except ValueError:
            number = None
        if number is None or number not in cancer_group_ids:
            raise InputError("cancer_group_id", f"{value!r} is not a cancer group",
                             "«نوع سرطان» باید یکی از ۹ گروه دستورالعمل یا «خارج از "
                             "گروه‌های دستورالعمل» باشد.")
        return number

    c = _Cleaner(raw)
    # In the order of the checks, which is the order of the errors.
    identity = PatientIdentity(
        national_code=c.get("national_code", national_code.normalize, ""),
        first_name=c.get("first_name", lambda v: _name(v, "first_name"), ""),
        last_name=c.get("last_name", lambda v: _name(v, "last_name"), ""),
        father_name=c.get("father_name", lambda v: _name(v, "father_name"), ""),
        sex=c.get("sex", lambda v: _choice(v, "sex", SEX_CHOICES), 0),
        birth_date=c.get("birth_date", lambda v: _date(v, "birth_date", on), on),
        cancer_group_id=c.get("cancer_group_id", group, 0),
        nationality=c.get("nationality", lambda v: _choice(v, "nationality",
                                                           NATIONALITY_CHOICES), 1),
        birth_province=c.text("birth_province"),
        birth_city=c.text("birth_city"),
        insurance_type=c.text("insurance_type"),
        address_province=c.text("address_province"),
        address_city=c.text("address_city"),
        address_street=c.text("address_street"),
        address_alley=c.text("address_alley"),
        address_plaque=c.text("address_plaque"),
        birth_certificate_no=c.get(
            "birth_certificate_no", lambda v: _digits(v, "birth_certificate_no", max_length=10),
            ""),
        insurance_number=c.get(
            "insurance_number",
            lambda v: _text(normalize_identifier(_one_line(v, "insurance_number")),
                            "insurance_number"),
            ""),
        postal_code=c.get("postal_code", lambda v: _digits(v, "postal_code", lengths=(10,)), ""),
        phone=c.get("phone", lambda v: normalize_phone(v, "phone"), ""),
        relative_phone=c.get("relative_phone", lambda v: normalize_phone(v, "relative_phone"),
                             ""),
        icd10_code=c.get("icd10_code", icd10.normalize, ""),
    )
    if reference is not None:
        _check_group_follows_code(identity, reference, c.errors)
    if c.errors:
        raise ValidationErrors(c.errors)
    return identity
