"""Pieces every printed document shares: option lists, dates, money, identity rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from cancer_desk.core.costs import money
from cancer_desk.core.jalali import format_jalali
from cancer_desk.core.patient import NATIONALITY_CHOICES, SEX_CHOICES
from cancer_desk.core.persian import to_persian_digits
from cancer_desk.core.records import PatientRecord
from cancer_desk.print.layout import Cell


def fa(value: object) -> str:
    return "" if value is None else to_persian_digits(value)


def jdate(value: dt.date | None) -> str:
    return format_jalali(value) if value else ""


def options(choices: Mapping[int, str], chosen: int | None) -> list[tuple[str, bool]]:
    """«۱. مرد», «۲. زن» … with the chosen one marked, as on the paper form."""
    return [(f"{fa(key)}. {label}", key == chosen) for key, label in choices.items()]


def phone(value: str) -> str:
    if len(value) == 11 and value.startswith("09"):
        return fa(f"{value[:4]}-{value[4:7]}-{value[7:]}")
    if len(value) == 11:
        return fa(f"{value[:3]}-{value[3:]}")
    return fa(value)


def amount(value: int) -> str:
    return money(value)


def address(patient: PatientRecord) -> str:
    i = patient.identity
    parts = [i.address_province, i.address_city]
    if i.address_street:
        parts.append(f"خیابان {i.address_street}")
    if i.address_alley:
        parts.append(f"کوچه {i.address_alley}")
    if i.address_plaque:
        parts.append(f"پلاک {fa(i.address_plaque)}")
    text = "، ".join(p for p in parts if p)
    if i.postal_code:
        text += f" — کد پستی {fa(i.postal_code)}"
    return text


def identity_rows(patient: PatientRecord, cancer_group: str) -> list[list[Cell]]:
    """Form 1's section «الف», laid out as on the paper form."""
    i = patient.identity
    return [
        [Cell("نام بیمار", i.first_name), Cell("نام خانوادگی بیمار", i.last_name),
         Cell("نام پدر", i.father_name)],
        [Cell("جنسیت", options=options(SEX_CHOICES, i.sex)),
         Cell("تاریخ تولد (روز/ماه/سال)", jdate(i.birth_date)),
         Cell("استان محل تولد", i.birth_province)],
        [Cell("شهر محل تولد", i.birth_city), Cell("شماره شناسنامه", fa(i.birth_certificate_no)),
         Cell("ملیت", options=options(NATIONALITY_CHOICES, i.nationality))],
        [Cell("نوع بیمه", i.insurance_type), Cell("شماره بیمه", fa(i.insurance_number)),
         Cell("نوع سرطان", cancer_group)],
        [Cell("نشانی", address(patient), weight=3)],
        [Cell("تلفن بیمار (با کد)", phone(i.phone), weight=1.5),
         Cell("تلفن بستگان بیمار (با کد)", phone(i.relative_phone), weight=1.5)],
    ]

