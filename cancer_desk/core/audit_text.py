"""The audit trail in words a social worker reads: what kind of record, what was done,
and each field by its Persian label with its old and new value."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from cancer_desk.core import case, costs, patient, settings
from cancer_desk.core.access import Role
from cancer_desk.core.jalali import format_jalali
from cancer_desk.core.persian import format_number, to_persian_digits

TABLE_NOUNS = {
    "patients": "مشخصات بیمار",
    "assessments": "ارزیابی",
    "cases": "فرم شماره ۱",
    "cost_items": "هزینه",
    "referrals": "معرفی‌نامه به حسابداری",
    "formulary_drugs": "دارو",
    "formulary_periods": "دورهٔ پوشش دارو",
    "hub_settings": "تنظیمات بیمارستان",
    "accounts": "حساب کاربری",
    "quarter_closures": "بسته فصل",
    "allocations": "اعتبار سالانه",
    "form_seals": "مهر فرم شماره ۱",
    "signing_certificate": "گواهی امضای دیجیتال",
}

ACTION_VERBS = {
    "insert": "ثبت",
    "update": "ویرایش",
    "delete": "حذف",
    "sign_in": "ورود",
    "sign_in_failed": "ورود ناموفق",
    "sign_out": "خروج",
    "unlock": "بازکردن قفل",
    "unlock_failed": "بازکردن قفل ناموفق",
    "confirm": "تأیید گذرواژه",
    "confirm_failed": "تأیید گذرواژه ناموفق",
    "locked": "قفل حساب",
    "refused": "کار بی‌اجازه (رد شد)",
    "demo_insert": "افزودن داده نمایشی",
    "load": "بارگذاری گواهی امضای دیجیتال",
    "migration": "ارتقای پایگاه داده",
}

FIELD_LABELS: dict[str, str] = {
    **settings.LABELS,
    **costs.LABELS,
    **case.LABELS,
    **patient.LABELS,
    "family_cancers": "سرطان در خانواده",
    "covered_from": "تحت پوشش از",
    "covered_until": "تحت پوشش تا",
    "recorded_by": "ثبت‌کننده",
    "recorded_at": "زمان ثبت",
    "reason": "سبب یا مستند",
    "registered_on": "تاریخ ثبت",
    "ruleset_id": "شاخص",
    "answers": "پاسخ‌ها",
    "points": "امتیازها",
    "score": "امتیاز",
    "coverage_percent": "درصد حمایت",
    "assessed_on": "تاریخ ارزیابی",
    "assessor": "ارزیاب",
    "patient_id": "بیمار",
    "assessment_id": "ارزیابی مبنا",
    "support_amount": "مبلغ حمایت",
    "no_support_reason": "دلیل بی‌حمایتی",
    "referral_id": "معرفی‌نامه",
    "created_on": "تاریخ صدور",
    "created_by": "صادرکننده",
    "total_amount": "جمع هزینه",
    "total_support": "جمع حمایت",
    "name": "نام دارو",
    "generic_name": "نام ژنریک",
    "form": "شکل و مقدار",
    "active": "فعال",
    "username": "نام کاربری",
    "display_name": "نام",
    "password_hash": "گذرواژه",
    "roles": "نقش‌ها",
    "must_change_password": "باید گذرواژه تازه برگزیند",
    "year": "سال",
    "quarter": "فصل",
    "version": "نسخه",
    "closed_by": "بسته‌شده به دست",
    "package_sha256": "چکیده بسته",
    "manifest_sha256": "چکیده فهرست بسته",
    "package": "بسته",
    "reopened_at": "زمان بازگشایی",
    "reopened_on": "تاریخ بازگشایی",
    "reopened_by": "بازگشاینده",
    "reopen_reason": "دلیل بازگشایی",
    "amount": "مبلغ",
    "converted_cost_items": "اقلام هزینه تبدیل‌شده",
    "wholly_insured_items": "اقلام همه در تعهد بیمه",
    "uninsured_items": "اقلام بی‌سهم بیمه",
    "is_demo": "نمایشی",
    "hub_number": "شماره قطب",
    "idle_lock_minutes": "قفل پس از بی‌کاری (دقیقه)",
    "content_sha256": "چکیده محتوا",
    "code": "کد",
    "sealed_at": "زمان مهر",
    "sealed_by_id": "مهرکننده (شماره حساب)",
    "sealed_by": "مهرکننده",
    "unsealed_at": "زمان برداشتن مهر",
    "unsealed_by": "بردارنده مهر",
    "unseal_reason": "دلیل برداشتن مهر",
    "action": "کار",
    "assessments": "شمار ارزیابی‌ها",
    "cases": "فرم ۱",
    "cost_items": "شمار هزینه‌ها",
    "subject": "دارنده گواهی",
    "issuer": "صادرکننده گواهی",
    "valid_to": "اعتبار تا",
}

# Coded values, shown as the forms name them.
VALUE_NAMES: dict[str, Mapping[Any, str]] = {
    **case.CHOICES,
    "sex": patient.SEX_CHOICES,
    "nationality": patient.NATIONALITY_CHOICES,
    "kind": costs.COST_KINDS,
    "no_support_reason": {reason.value: text for reason, text in
                          costs.NO_SUPPORT_REASONS.items()},
    "roles": {role.value: role.label_fa for role in Role},
}
# Shown in a patient's own history already, or bookkeeping a person cannot use.
HIDDEN_FIELDS = frozenset({"patient_id", "sealed_by_id", "content_sha256"})

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")
EMPTY = "—"


def is_date_field(field: str) -> bool:
    """Dates are kept as ISO text in the trail; only fields that hold dates are shown as
    Jalali dates (a description «1403-02-31» is text, and stays so)."""
    return field.endswith(("_date", "_on", "_at", "valid_to")) or field == "date"


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def format_value(value: Any, field: str = "") -> str:
    """A stored value as a person reads it: Jalali dates, Persian digits, the names of
    coded answers."""
    named = _named_value(value, field)
    if named is not None:
        return named
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if isinstance(value, int):
        return format_number(value) if abs(value) >= 10_000 else to_persian_digits(value)
    if isinstance(value, str):
        return _format_text(value, field)
    if isinstance(value, Mapping):
        return _format_mapping(value)
    if isinstance(value, list):
        return "، ".join(format_value(v) if not isinstance(v, list)
                        else " / ".join(format_value(x) for x in v) for v in value)
    return str(value)


def _named_value(value: Any, field: str) -> str | None:
    """A coded answer by its name («زن» for sex 2; the roles one by one), if it is one."""
    names = VALUE_NAMES.get(field)
    if names is None:
        return None
    if field == "roles" and isinstance(value, str):
        return "، ".join(names.get(part, part) for part in value.split(",") if part)
    if isinstance(value, int | str) and value in names:
        return names[value]
    return None


def _format_text(value: str, field: str) -> str:
    if is_date_field(field):
        with contextlib.suppress(ValueError):  # as typed, if it is not a date after all
            if _ISO_DATETIME.fullmatch(value):
                moment = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
                local = moment.astimezone()
                return (f"{format_jalali(local.date())} "
                        f"{to_persian_digits(local.strftime('%H:%M'))}")
            if _ISO_DATE.fullmatch(value):
                return format_jalali(dt.date.fromisoformat(value))
    return to_persian_digits(value) if value.isdigit() else value


def _format_mapping(value: Mapping[Any, Any]) -> str:
    if "sha256" in value:
        return f"پرونده {to_persian_digits(value.get('bytes', 0))} بایتی"
    return "، ".join(f"{k}: {format_value(v)}" for k, v in value.items())


def isolated(text: str) -> str:
    """A value set apart for the bidi algorithm (FSI … PDI): «G2 ← G3» between Latin
    values would otherwise be laid out left to right and read backwards."""
    return f"\u2068{text}\u2069"


def _plain(value: Any) -> Any:
    """A record's value as the trail keeps it (dates as ISO text, relatives as pairs)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return [_plain(v) for v in value.values()]
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return [_plain(getattr(value, name)) for name in value.__dataclass_fields__]
    return value


def describe_differences(opened: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """What someone else changed since a record was opened: a line per field,
    «label: as opened ← as saved now»."""
    lines = []
    for field in now:
        before, after = _plain(opened.get(field)), _plain(now.get(field))
        if before != after and field not in HIDDEN_FIELDS:
            lines.append(f"{label(field)}: {isolated(format_value(before, field))} ← "
                         f"{isolated(format_value(after, field))}")
    return lines


# Where «ثبت/ویرایش …» would hide what happened.
SPECIAL_ACTIONS = {
    ("insert", "form_seals"): "تأیید و مهر فرم شماره ۱",
    ("update", "form_seals"): "برداشتن مهر فرم شماره ۱",
    ("insert", "quarter_closures"): "بستن فصل و ساخت بسته",
    ("update", "quarter_closures"): "بازگشایی فصل",
}


def describe_action(action: str, table_name: str) -> str:
    if (action, table_name) in SPECIAL_ACTIONS:
        return SPECIAL_ACTIONS[action, table_name]
    verb = ACTION_VERBS.get(action, action)
    noun = TABLE_NOUNS.get(table_name, "")
    return f"{verb} {noun}".strip() if action in ("insert", "update", "delete") else verb


def describe_changes(action: str, changes: Mapping[str, Any]) -> list[str]:
    """One line per field: «label: old ← new» (Persian reads right to left, so the arrow
    points from the old value to the new one)."""
    lines = []
    for field, pair in changes.items():
        if field in HIDDEN_FIELDS:
            continue
        old, new = ([*pair, None, None])[:2] if isinstance(pair, list) else (None, pair)
        if action == "insert" or (old is None and action != "delete"):
            lines.append(f"{label(field)}: {format_value(new, field)}")
        elif action == "delete" or new is None:
            lines.append(f"{label(field)}: {format_value(old, field)} (پاک شد)")
        else:
            lines.append(f"{label(field)}: {isolated(format_value(old, field))} ← "
                         f"{isolated(format_value(new, field))}")
    return lines
