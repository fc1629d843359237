"""Costs and the support the programme pays (directive §3).

Money is stored as whole tomans (تومان) — the unit the directive and the social workers
speak in — and shown with Persian digits and the Persian thousands separator.

Support for one cost item = the patient's coverage band × the item's amount (the
item's total, not a unit price), and nothing when the item falls under insurance
obligations (the insured part of a drug's franchise is not supported), when a drug is
not on the hub's formulary, or when the patient has no assessment yet. Each of those
cases says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from cancer_desk.core.errors import InputError, ValidationErrors
from cancer_desk.core.jalali import parse_jalali
from cancer_desk.core.persian import format_number, normalize_text, parse_int

MONEY_UNIT = "تومان"
MAX_AMOUNT = 10**12  # a trillion tomans: anything above is a typing slip

COST_KINDS = {
    "drug": "دارو",
    "hospital_stay": "بستری",
    "radiotherapy": "رادیوتراپی",
    "other": "سایر",
}

LABELS = {
    "item_date": "تاریخ",
    "kind": "نوع هزینه",
    "drug_id": "دارو از فهرست",
    "description": "شرح (یا نام دارو)",
    "quantity": "تعداد",
    "amount": f"مبلغ کل ({MONEY_UNIT})",
    "under_insurance": "در تعهد بیمه",
    "pharmacy": "داروخانه تأمین‌کننده",
}


class NoSupport(Enum):
    """Why an item gets no support."""

    UNDER_INSURANCE = "under_insurance"
    NOT_ON_FORMULARY = "not_on_formulary"
    NO_ASSESSMENT = "no_assessment"


NO_SUPPORT_REASONS = {
    NoSupport.UNDER_INSURANCE: "در تعهد بیمه است؛ حمایت نمی‌شود",
    NoSupport.NOT_ON_FORMULARY: "دارو در فهرست داروهای تحت پوشش نیست؛ حمایت نمی‌شود",
    NoSupport.NO_ASSESSMENT: "بیمار هنوز ارزیابی نشده؛ سهم حمایت معلوم نیست",
}


def money(amount: int) -> str:
    """``1250000`` → ``۱٬۲۵۰٬۰۰۰ تومان``"""
    return f"{format_number(amount)} {MONEY_UNIT}"


@dataclass(frozen=True)
class CostItemInput:
    item_date: dt.date
    kind: str
    amount: int
    quantity: int = 1
    drug_id: int | None = None
    description: str = ""
    under_insurance: bool = False
    pharmacy: str = ""


@dataclass(frozen=True)
class Support:
    amount: int
    coverage_percent: int | None
    reason: NoSupport | None  # None when the item is supported

    @property
    def explanation(self) -> str:
        if self.reason is not None:
            return NO_SUPPORT_REASONS[self.reason]
        return f"{format_number(self.coverage_percent or 0)} درصد"


def on_formulary(chose_a_listed_drug: bool, still_listed: bool) -> bool:
    """A drug counts as covered if it was picked from the formulary and has not been
    withdrawn since; a typed name never does."""
    return chose_a_listed_drug and still_listed


def support_for(amount: int, *, coverage_percent: int | None, under_insurance: bool,
                kind: str, on_formulary: bool) -> Support:
    """Band × amount, rounded half up to a whole toman; or nothing, with the reason."""
    if under_insurance:
        return Support(0, coverage_percent, NoSupport.UNDER_INSURANCE)
    if kind == "drug" and not on_formulary:
        return Support(0, coverage_percent, NoSupport.NOT_ON_FORMULARY)
    if coverage_percent is None:
        return Support(0, None, NoSupport.NO_ASSESSMENT)
    return Support((amount * coverage_percent + 50) // 100, coverage_percent, None)


def clean_cost_item(raw: Mapping[str, object], *, today: dt.date | None = None) -> CostItemInput:
    """Check a cost item as typed; :class:`ValidationErrors` names each wrong field."""
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    clean: dict[str, object] = {}

    value = raw.get("item_date")
    try:
        if value in (None, ""):
            raise InputError("item_date", "is empty", "«تاریخ» هزینه را وارد کنید.")
        date = value if isinstance(value, dt.date) else parse_jalali(
            str(value), field="item_date", label="تاریخ")
        if date > today:
            raise InputError("item_date", "future", "«تاریخ» هزینه نمی‌تواند در آینده باشد.")
        clean["item_date"] = date
    except InputError as exc:
        errors["item_date"] = exc.message_fa

    kind = str(raw.get("kind") or "")
    if kind not in COST_KINDS:
        errors["kind"] = "«نوع هزینه» را انتخاب کنید."
    else:
        clean["kind"] = kind

    for name, minimum, maximum in (("amount", 1, MAX_AMOUNT), ("quantity", 1, 100_000)):
        value = raw.get(name)
        if value in (None, "") and name == "quantity":
            continue
        try:
            number = parse_int(value)
        except ValueError:
            errors[name] = f"«{LABELS[name]}» را با رقم بنویسید."
            continue
        if not minimum <= number <= maximum:
            errors[name] = (f"«{LABELS[name]}» باید بیشتر از صفر باشد." if number < minimum
                            else f"«{LABELS[name]}» بیش از اندازه بزرگ است.")
        else:
            clean[name] = number

    drug_id = raw.get("drug_id")
    try:
        clean["drug_id"] = None if drug_id in (None, "") else int(str(drug_id))
        if clean["drug_id"] is not None and not 0 < clean["drug_id"] < 2**63:
            raise ValueError(drug_id)
    except (TypeError, ValueError, OverflowError):
        errors["drug_id"] = "«دارو از فهرست» درست نیست؛ دارو را از فهرست برگزینید."
        clean["drug_id"] = None
    for name in ("description", "pharmacy"):
        text = normalize_text(str(raw.get(name) or ""))
        if len(text) > 200:
            errors[name] = f"«{LABELS[name]}» بیش از ۲۰۰ نویسه است."
        clean[name] = text
    if clean.get("kind") == "drug" and clean["drug_id"] is None and not clean["description"]:
        errors["description"] = "دارو را از فهرست انتخاب کنید یا نامش را بنویسید."
    if clean.get("kind") != "drug":
        clean["drug_id"] = None
        if not clean["description"] and clean.get("kind") == "other":
            errors["description"] = "برای «سایر» شرح هزینه را بنویسید."
    clean["under_insurance"] = bool(raw.get("under_insurance"))
    if errors:
        raise ValidationErrors(errors)
    return CostItemInput(**clean)  # type: ignore[arg-type]
