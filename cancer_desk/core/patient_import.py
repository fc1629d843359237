"""Bringing a hospital's existing patient list in: columns, and checks row by row.

A column is found by its English key (``national_code``), its Persian label
(«کد ملی») or both as the template writes them («کد ملی (national_code)»).
See docs/import.md for the template.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.patient import PatientIdentity, clean_identity
from cancer_desk.core.persian import search_key, to_persian_digits
from cancer_desk.core.reference import ReferenceData

# key → Persian header label, in the template's order.
COLUMNS: dict[str, str] = {
    "national_code": "کد ملی",
    "first_name": "نام",
    "last_name": "نام خانوادگی",
    "father_name": "نام پدر",
    "sex": "جنسیت (۱ مرد، ۲ زن)",
    "birth_date": "تاریخ تولد (سال/ماه/روز شمسی)",
    "cancer_group": "نوع سرطان (۱ تا ۹، یا ۱۰ خارج از گروه‌ها)",
    "icd10_code": "کد ICD-10",
    "birth_province": "استان محل تولد",
    "birth_city": "شهر محل تولد",
    "birth_certificate_no": "شماره شناسنامه",
    "nationality": "ملیت (۱ ایرانی، ۲ غیرایرانی، ۳ نامشخص)",
    "insurance_type": "نوع بیمه",
    "insurance_number": "شماره بیمه",
    "address_province": "استان محل سکونت",
    "address_city": "شهر محل سکونت",
    "address_street": "خیابان",
    "address_alley": "کوچه",
    "address_plaque": "پلاک",
    "postal_code": "کد پستی",
    "phone": "تلفن بیمار",
    "relative_phone": "تلفن بستگان",
}
REQUIRED = ("national_code", "first_name", "last_name", "father_name", "sex", "birth_date",
            "cancer_group")
# Digits that Excel would turn into numbers and strip of leading zeros.
TEXT_COLUMNS = ("national_code", "birth_date", "birth_certificate_no", "insurance_number",
                "postal_code", "phone", "relative_phone")
COLUMN_HELP = {
    "national_code": "۱۰ رقم؛ رقم‌های فارسی و انگلیسی هر دو پذیرفته است. اگر اکسل صفرهای "
                     "اول را انداخته باشد (۸ یا ۹ رقم)، برنامه آن‌ها را برمی‌گرداند.",
    "sex": "۱ یا «مرد»، ۲ یا «زن».",
    "birth_date": "تاریخ شمسی به شکل ۱۳۶۵/۰۲/۳۰ (یا ۳۰/۰۲/۱۳۶۵)، به صورت متن.",
    "cancer_group": "شماره گروه از ۱ تا ۹ به ترتیب فرم شماره دو: ۱ پستان، ۲ تناسلی-ادراری، "
                    "۳ تنفس، ۴ خون‌ساز، ۵ لنفوم، ۶ گوارش، ۷ عضلانی-اسکلتی، ۸ پوست، "
                    "۹ اعصاب مرکزی؛ ۱۰ برای سرطانی خارج از گروه‌های دستورالعمل (مثل تیروئید).",
    "icd10_code": "اختیاری؛ مثل C50.9. اگر باشد، گروه باید همان گروه کد باشد.",
    "nationality": "۱ ایرانی (پیش‌فرض)، ۲ غیرایرانی، ۳ نامشخص.",
    "phone": "۱۱ رقم با پیش‌شماره، مثل ۰۲۱۸۸۷۷۶۶۵۵ یا ۰۹۱۲۳۴۵۶۷۸۹.",
    "relative_phone": "۱۱ رقم با پیش‌شماره.",
    "postal_code": "۱۰ رقم.",
}
_FIELD_FOR = {"cancer_group": "cancer_group_id"}
_COLUMN_FOR = {v: k for k, v in _FIELD_FOR.items()}
_WITH_KEY = re.compile(r".*\(([a-z0-9_]+)\)\s*$")


def header_text(key: str) -> str:
    """How the template writes a column header."""
    return f"{COLUMNS[key]} ({key})"


@dataclass(frozen=True)
class Problem:
    row: int  # 0 for the file as a whole
    column: str  # key, or "" for the row or file
    message: str  # Persian
    column_label: str = ""  # how the person knows the column; defaults to the patient's
    warning: bool = False  # reported, but does not stop the import

    def describe(self) -> str:
        where = f"ردیف {to_persian_digits(self.row)}" if self.row else "پرونده"
        if self.column:
            label = self.column_label or COLUMNS.get(self.column, self.column)
            where += f"، ستون «{label}»"
        return f"{where}: {self.message}"


def map_headers(headers: Sequence[str], columns: Mapping[str, str] = COLUMNS,
                required: Sequence[str] = REQUIRED) -> tuple[dict[int, str], list[Problem]]:
    """Column index → key, and the problems with the header row."""
    by_key = {search_key(k): k for k in columns}
    by_label = {search_key(v): k for k, v in columns.items()}
    by_label.update({search_key(v.split(" (")[0]): k for k, v in columns.items()})
    mapping: dict[int, str] = {}
    problems: list[Problem] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        match = _WITH_KEY.match(header.strip())
        key = (by_key.get(search_key(match.group(1))) if match else None) \
            or by_key.get(search_key(header)) or by_label.get(search_key(header))
        if key is None:  # a «ردیف» numbering column, notes…: shown, then left out
            problems.append(Problem(0, "", f"ستون «{header}» شناخته نیست و خوانده نمی‌شود.",
                                    warning=True))
        elif key in mapping.values():
            problems.append(Problem(0, key, "این ستون دو بار آمده است.", columns[key]))
        else:
            mapping[index] = key
    for key in required:
        if key not in mapping.values():
            problems.append(Problem(0, key, "این ستون لازم است و در پرونده نیست.", columns[key]))
    return mapping, problems


def check_row(number: int, cells: Sequence[object], mapping: dict[int, str],
              *, today: dt.date | None = None, reference: ReferenceData | None = None,
              ) -> tuple[PatientIdentity | None, list[Problem]]:
    raw: dict[str, object] = {}
    problems: list[Problem] = []
    for index, key in mapping.items():
        value = cells[index] if index < len(cells) else None
        if isinstance(value, dt.date | dt.datetime):
            problems.append(Problem(number, key, "تاریخ را به صورت متن شمسی بنویسید، مثل "
                                                 "۱۳۶۵/۰۲/۳۰ (اکسل آن را میلادی کرده است)."))
            continue
        raw[_FIELD_FOR.get(key, key)] = value
    try:
        identity = clean_identity(raw, today=today, reference=reference)
    except ValidationErrors as exc:
        reported = {p.column for p in problems}
        problems += [Problem(number, _COLUMN_FOR.get(f, f), m) for f, m in exc.errors.items()
                     if _COLUMN_FOR.get(f, f) not in reported]
        return None, problems
    return (identity if not problems else None), problems

