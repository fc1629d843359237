from __future__ import annotations

import datetime as dt

import pytest

from cancer_desk.core.costs import NoSupport, clean_cost_item, money, support_for
from cancer_desk.core.errors import ValidationErrors

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(("amount", "percent", "insured", "kind", "listed", "support", "why"), [
    (1_000_000, 70, 0, "drug", True, 700_000, None),
    (1_000_000, 70, 1_000_000, "drug", True, 0, NoSupport.UNDER_INSURANCE),
    (1_000_000, 70, 0, "drug", False, 0, NoSupport.NOT_ON_FORMULARY),
    (1_000_000, None, 0, "drug", True, 0, NoSupport.NO_ASSESSMENT),
    (1_000_000, 30, 0, "hospital_stay", False, 300_000, None),  # formulary is for drugs
    (333, 30, 0, "other", False, 100, None),     # 99.9 → 100, half up
    (5, 30, 0, "other", False, 2, None),         # 1.5 → 2
    (1, 40, 0, "other", False, 0, None),         # 0.4 → 0
    (999_999_999, 100, 0, "radiotherapy", False, 999_999_999, None),
    # A stay of 5,000,000: the insurer's ceiling of 3,000,000 (its franchise inside it) is
    # within its obligations, the 2,000,000 beyond it is not: 70% of that = 1,400,000.
    (5_000_000, 70, 3_000_000, "hospital_stay", False, 1_400_000, None),
    # Outside part 335 at 30%: 100.5 → 101, half up; 1,005 at 10%: 100.5 → 101.
    (1_335, 30, 1_000, "other", False, 101, None),
    (2_005, 10, 1_000, "other", False, 101, None),
    (1_334, 30, 1_000, "other", False, 100, None),  # 100.2 → 100
    (1_000_000, 70, 999_999, "drug", True, 1, None),  # 0.7 → 1
])
def test_support_is_band_times_amount_outside_insurance(amount, percent, insured, kind,
                                                        listed, support, why) -> None:
    result = support_for(amount, coverage_percent=percent, insured_part=insured, kind=kind,
                         on_formulary=listed)
    assert (result.amount, result.reason) == (support, why)
    assert 0 <= result.amount <= amount - insured


def test_a_drug_whose_rest_is_the_franchise_of_its_insurance_gets_nothing() -> None:
    """A drug of 1,000,000: the insurer pays 700,000 and the patient's 300,000 is the
    franchise of that cover, so all of it is within insurance obligations."""
    item = clean_cost_item({"item_date": "1403/05/25", "kind": "drug", "amount": "1000000",
                            "description": "x", "insured_part": "۱٬۰۰۰٬۰۰۰"}, today=TODAY)
    assert (item.insured_part, item.outside_insurance) == (1_000_000, 0)
    support = support_for(item.amount, coverage_percent=70, insured_part=item.insured_part,
                          kind="drug", on_formulary=True)
    assert (support.amount, support.reason) == (0, NoSupport.UNDER_INSURANCE)
    assert support.explanation == "در تعهد بیمه است؛ حمایت نمی‌شود"


def test_the_explanation_says_the_band_is_of_the_part_outside_insurance() -> None:
    partly = support_for(5_000_000, coverage_percent=70, insured_part=3_000_000,
                         kind="hospital_stay", on_formulary=False)
    assert partly.explanation == "۷۰ درصد از بخش خارج از تعهد بیمه"
    wholly_outside = support_for(5_000_000, coverage_percent=70, insured_part=0,
                                 kind="hospital_stay", on_formulary=False)
    assert wholly_outside.explanation == "۷۰ درصد"


def test_an_insured_part_outside_the_amount_is_not_computed() -> None:
    with pytest.raises(ValueError):
        support_for(1000, coverage_percent=70, insured_part=1001, kind="other",
                    on_formulary=False)
    with pytest.raises(ValueError):
        support_for(1000, coverage_percent=70, insured_part=-1, kind="other",
                    on_formulary=False)


@pytest.mark.parametrize(("insured", "message"), [
    ("1001", "«سهم در تعهد بیمه» نمی‌تواند بیشتر از مبلغ کل هزینه باشد."),
    ("-5", "«سهم در تعهد بیمه» نمی‌تواند منفی باشد."),
    ("ده", "«سهم در تعهد بیمه» را با رقم بنویسید."),
    ("12.5", "«سهم در تعهد بیمه» را با رقم بنویسید."),
])
def test_a_wrong_insured_part_is_refused_naming_the_field(insured, message) -> None:
    with pytest.raises(ValidationErrors) as caught:
        clean_cost_item({"item_date": "1403/01/01", "kind": "other", "amount": "1000",
                         "description": "x", "insured_part": insured}, today=TODAY)
    assert caught.value.errors == {"insured_part": message}


def test_an_insured_part_left_empty_is_none_and_may_be_all() -> None:
    raw = {"item_date": "1403/01/01", "kind": "other", "amount": "1000", "description": "x"}
    assert clean_cost_item(raw, today=TODAY).insured_part == 0
    assert clean_cost_item({**raw, "insured_part": ""}, today=TODAY).insured_part == 0
    assert clean_cost_item({**raw, "insured_part": "۱۰۰۰"}, today=TODAY).insured_part == 1000


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
    support = support_for(1000, coverage_percent=70, insured_part=1000, kind="drug",
                          on_formulary=False, outside_groups=True)
    assert (support.amount, support.reason) == (0, NoSupport.OUTSIDE_GROUPS)
    assert support_for(1000, coverage_percent=70, insured_part=0, kind="other",
                       on_formulary=False).amount == 700
