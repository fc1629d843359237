from __future__ import annotations

import datetime as dt

import pytest

from cancer_desk.core.costs import NoSupport, clean_cost_item, money, support_for
from cancer_desk.core.errors import ValidationErrors

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(("amount", "percent", "insured", "kind", "listed", "support", "why"), [
    (1_000_000, 70, False, "drug", True, 700_000, None),
    (1_000_000, 70, True, "drug", True, 0, NoSupport.UNDER_INSURANCE),
    (1_000_000, 70, False, "drug", False, 0, NoSupport.NOT_ON_FORMULARY),
    (1_000_000, None, False, "drug", True, 0, NoSupport.NO_ASSESSMENT),
    (1_000_000, 30, False, "hospital_stay", False, 300_000, None),  # formulary is for drugs
    (333, 30, False, "other", False, 100, None),     # 99.9 → 100, half up
    (5, 30, False, "other", False, 2, None),         # 1.5 → 2
    (1, 40, False, "other", False, 0, None),         # 0.4 → 0
    (999_999_999, 100, False, "radiotherapy", False, 999_999_999, None),
])
def test_support_is_band_times_amount_outside_insurance(amount, percent, insured, kind,
                                                        listed, support, why) -> None:
    result = support_for(amount, coverage_percent=percent, under_insurance=insured, kind=kind,
                         on_formulary=listed)
    assert (result.amount, result.reason) == (support, why)
    assert 0 <= result.amount <= amount


def test_clean_cost_item_reads_persian_input() -> None:
    item = clean_cost_item({"item_date": "۱۴۰۳/۰۵/۲۵", "kind": "drug", "amount": "۱٬۲۵۰٬۰۰۰",
                            "quantity": "۲", "description": "سیس‌پلاتین"}, today=TODAY)
    assert (item.amount, item.quantity, item.item_date) == (1_250_000, 2, dt.date(2024, 8, 15))


@pytest.mark.parametrize(("raw", "field"), [
    ({"kind": "drug", "amount": 5, "description": "x"}, "item_date"),
    ({"item_date": "1406/01/01", "kind": "drug", "amount": 5, "description": "x"}, "item_date"),
    ({"item_date": "1403/01/01", "kind": "food", "amount": 5}, "kind"),
    ({"item_date": "1403/01/01", "kind": "drug", "amount": 0, "description": "x"}, "amount"),
    ({"item_date": "1403/01/01", "kind": "drug", "amount": "-5", "description": "x"}, "amount"),
    ({"item_date": "1403/01/01", "kind": "drug", "amount": "ده", "description": "x"}, "amount"),
    ({"item_date": "1403/01/01", "kind": "drug", "amount": 10**13, "description": "x"},
     "amount"),
    ({"item_date": "1403/01/01", "kind": "drug", "amount": 5}, "description"),
    ({"item_date": "1403/01/01", "kind": "other", "amount": 5}, "description"),
    ({"item_date": "1403/01/01", "kind": "drug", "amount": 5, "description": "x",
      "quantity": 0}, "quantity"),
])
def test_bad_cost_items_name_the_field(raw, field) -> None:
    with pytest.raises(ValidationErrors) as caught:
        clean_cost_item(raw, today=TODAY)
    assert field in caught.value.errors


def test_money_is_shown_in_tomans_with_persian_digits() -> None:
    assert money(12_500_000) == "۱۲٬۵۰۰٬۰۰۰ تومان"


def test_outside_the_groups_comes_before_every_other_reason() -> None:
    support = support_for(1000, coverage_percent=70, under_insurance=True, kind="drug",
                          on_formulary=False, outside_groups=True)
    assert (support.amount, support.reason) == (0, NoSupport.OUTSIDE_GROUPS)
    assert support_for(1000, coverage_percent=70, under_insurance=False, kind="other",
                       on_formulary=False).amount == 700
