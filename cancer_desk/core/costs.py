"""Costs and the support the programme pays (directive §3).

Money is stored as whole tomans (تومان) — the unit the directive and the social workers
speak in — and shown with Persian digits and the Persian thousands separator.

Support for one cost item = the patient's coverage band × the part of the item's amount
(the item's total, not a unit price) outside insurance obligations. The part within them —
what the insurer pays and the franchise (co-payment) of a service the insurance covers — is
never supported. Nothing is paid when the whole amount is within insurance obligations, when
a drug is not on the hub's formulary, or when the patient has no assessment yet. Each of
those cases says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from cancer_desk.core.errors import InputError, ValidationErrors
from cancer_desk.core.jalali import parse_jalali
from cancer_desk.core.persian import format_number, normalize_text, one_line_problem, parse_int

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
    "insured_part": "سهم در تعهد بیمه",
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
    # Tomans within insurance obligations: paid by the insurer, or the franchise of a
    # service the insurance covers. From 0 to ``amount``.
    insured_part: int = 0
    pharmacy: str = ""

    @property
    def outside_insurance(self) -> int:
        """The part of the amount the programme may support."""
        return self.amount - self.insured_part


@dataclass(frozen=True)
class Support:
    amount: int
    coverage_percent: int | None
    reason: NoSupport | None  # None when the item is supported
    insured_part: int = 0  # of the item's amount; the band applies to the rest

    @property
    def explanation(self) -> str:
        if self.reason is not None:
            return NO_SUPPORT_REASONS[self.reason]
        percent = f"{format_number(self.coverage_percent or 0)} درصد"
        return f"{percent} از بخش خارج از تعهد بیمه" if self.insured_part else percent


def on_formulary(chose_a_listed_drug: bool, still_listed: bool) -> bool:
    """A drug counts as covered if it was picked from the formulary and has not been
    withdrawn since; a typed name never does."""
    return chose_a_listed_drug and still_listed


def support_for(amount: int, *, coverage_percent: int | None, insured_part: int,
                kind: str, on_formulary: bool, outside_groups: bool = False) -> Support:
    """Band × (amount − insured part), rounded half up to a whole toman; or nothing,
    with the reason.

    ``insured_part``: the tomans within insurance obligations (0 … ``amount``).
    ``outside_groups``: the patient's cancer is outside the directive's nine groups,
    which the directive does not support."""
    if not 0 <= insured_part <= amount:
        raise ValueError(f"insured part {insured_part} is not within 0…{amount}")
    if outside_groups:
        return Support(0, coverage_percent, NoSupport.OUTSIDE_GROUPS, insured_part)
    if insured_part == amount:
        return Support(0, coverage_percent, NoSupport.UNDER_INSURANCE, insured_part)
    if kind == "drug" and not on_formulary:
        return Support(0, coverage_percent, NoSupport.NOT_ON_FORMULARY, insured_part)
    if coverage_percent is None:
        return Support(0, None, NoSupport.NO_ASSESSMENT, insured_part)
    return Support(((amount - insured_part) * coverage_percent + 50) // 100, coverage_percent,
                   None, insured_part)


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
    insured_part = _insured_part(raw.get("insured_part"), amount, errors)
    # A date, an amount or an insured part that is None has its error above.
    if errors or item_date is None or amount is None or insured_part is None:
        raise ValidationErrors(errors)
    return CostItemInput(
        item_date=item_date,
        kind=kind,
        amount=amount,
        quantity=1 if quantity is None else quantity,
        drug_id=drug_id if kind == "drug" else None,
        description=description,
        insured_part=insured_part,
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


def _insured_part(value: object, amount: int | None,
                  errors: dict[str, str]) -> int | None:
    """The part within insurance obligations: a whole number from 0 to the amount
    (left empty: none of it)."""
    label = LABELS["insured_part"]
    if value in (None, ""):
        return 0
    try:
        number = parse_int(value)
    except ValueError:
        errors["insured_part"] = f"«{label}» را با رقم بنویسید."
        return None
    if number < 0:
        errors["insured_part"] = f"«{label}» نمی‌تواند منفی باشد."
    elif amount is not None and number > amount:
        errors["insured_part"] = f"«{label}» نمی‌تواند بیشتر از مبلغ کل هزینه باشد."
    elif number > MAX_AMOUNT:
        errors["insured_part"] = f"«{label}» بیش از اندازه بزرگ است."
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
    raw = str(value or "")
    if problem := one_line_problem(raw, LABELS[name]):  # before the spaces are tidied
        errors[name] = problem
    text = normalize_text(raw)
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
