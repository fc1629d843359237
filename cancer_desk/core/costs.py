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
    OUTSIDE_GROUPS = "outside_groups"


NO_SUPPORT_REASONS = {
    NoSupport.UNDER_INSURANCE: "در تعهد بیمه است؛ حمایت نمی‌شود",
    NoSupport.NOT_ON_FORMULARY: "دارو در فهرست داروهای تحت پوشش نیست؛ حمایت نمی‌شود",
    NoSupport.NO_ASSESSMENT: "بیمار هنوز ارزیابی نشده؛ سهم حمایت معلوم نیست",
    NoSupport.OUTSIDE_GROUPS: "سرطان بیمار خارج از گروه‌های دستورالعمل است؛ حمایت نمی‌شود",
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
                kind: str, on_formulary: bool, outside_groups: bool = False) -> Support:
    """Band × amount, rounded half up to a whole toman; or nothing, with the reason.

    ``outside_groups``: the patient's cancer is outside the directive's nine groups,
    which the directive does not support."""
    if outside_groups:
        return Support(0, coverage_percent, NoSupport.OUTSIDE_GROUPS)
    if under_insurance:
        return Support(0, coverage_percent, NoSupport.UNDER_INSURANCE)
    if kind == "drug" and not on_formulary:
        return Support(0, coverage_percent, NoSupport.NOT_ON_FORMULARY)
    if coverage_percent is None:
        return Support(0, None, NoSupport.NO_ASSESSMENT)
    return Support((amount * coverage_percent + 50) // 100, coverage_percent, None)


def clean_cost_item(raw: Mapping[str, object], *, today: dt.date | None = None) -> CostItemInput:
    """Check a cost item as typed; :class:`ValidationErrors` names each wrong field."""
    errors: dict[str, str] = {}
    item_date = _item_date(raw.get("item_date"), today or dt.date.today(), errors)
    kind = str(raw.get("kind") or "")
    if kind not in COST_KINDS:
        errors["kind"] = "«نوع هزینه» را انتخاب کنید."
    amount = _whole_number(raw.get("amount"), "amount", MAX_AMOUNT, errors)
    quantity = (None if raw.get("quantity") in (None, "")
                else _whole_number(raw.get("quantity"), "quantity", 100_000, errors))
    drug_id = _drug_id(raw.get("drug_id"), errors)
    description = _text(raw.get("description"), "description", errors)
    pharmacy = _text(raw.get("pharmacy"), "pharmacy", errors)
    _check_description(kind, drug_id, description, errors)
    # A date or an amount that is None has its error above.
    if errors or item_date is None or amount is None:
        raise ValidationErrors(errors)
    return CostItemInput(
        item_date=item_date,
        kind=kind,
        amount=amount,
        quantity=1 if quantity is None else quantity,
        drug_id=drug_id if kind == "drug" else None,
        description=description,
        under_insurance=bool(raw.get("under_insurance")),
        pharmacy=pharmacy,
    )


def _item_date(value: object, today: dt.date, errors: dict[str, str]) -> dt.date | None:
    try:
        if value in (None, ""):
            raise InputError("item_date", "is empty", "«تاریخ» هزینه را وارد کنید.")
        date = value if isinstance(value, dt.date) else parse_jalali(
            str(value), field="item_date", label="تاریخ")
        if date > today:
            raise InputError("item_date", "future", "«تاریخ» هزینه نمی‌تواند در آینده باشد.")
    except InputError as exc:
        errors["item_date"] = exc.message_fa
        return None
    return date


def _whole_number(value: object, name: str, maximum: int,
                  errors: dict[str, str]) -> int | None:
    """The amount or the quantity: a whole number from 1 to ``maximum``."""
    try:
        number = parse_int(value)
    except ValueError:
        errors[name] = f"«{LABELS[name]}» را با رقم بنویسید."
        return None
    if number < 1:
        errors[name] = f"«{LABELS[name]}» باید بیشتر از صفر باشد."
    elif number > maximum:
        errors[name] = f"«{LABELS[name]}» بیش از اندازه بزرگ است."
    else:
        return number
    return None


def _drug_id(value: object, errors: dict[str, str]) -> int | None:
    """The id of the drug picked from the formulary, if one was."""
    try:
        drug_id = None if value in (None, "") else int(str(value))
        if drug_id is not None and not 0 < drug_id < 2**63:
            raise ValueError(value)
    except (TypeError, ValueError, OverflowError):
        errors["drug_id"] = "«دارو از فهرست» درست نیست؛ دارو را از فهرست برگزینید."
        return None
    return drug_id


def _text(value: object, name: str, errors: dict[str, str]) -> str:
    text = normalize_text(str(value or ""))
    if len(text) > 200:
        errors[name] = f"«{LABELS[name]}» بیش از ۲۰۰ نویسه است."
    return text


def _check_description(kind: str, drug_id: int | None, description: str,
                       errors: dict[str, str]) -> None:
    """A drug is picked or named; «سایر» says what it was."""
    if kind == "drug" and drug_id is None and not description:
        errors["description"] = "دارو را از فهرست انتخاب کنید یا نامش را بنویسید."
    if kind == "other" and not description:
        errors["description"] = "برای «سایر» شرح هزینه را بنویسید."
