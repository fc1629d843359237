"""Names, addresses and the other one-line fields hold no line break and no control
character: a newline in a name splits its row in every CSV and printed form."""

from __future__ import annotations

import datetime as dt

import pytest

from cancer_desk.core.case import labels
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.patient import LABELS, clean_identity
from cancer_desk.core.persian import one_line_problem
from cancer_desk.core.settings import clean_hub_settings

TODAY = dt.date(2026, 11, 25)
GOOD = {"national_code": "0499370899", "first_name": "علی", "last_name": "کریمی",
        "father_name": "حسن", "sex": 1, "birth_date": "1365/02/30", "cancer_group_id": 1}
BREAKS = ["\n", "\r", "\r\n", "\t", "\x00", "\x1b", "\x85", "\u2028", "\u2029", "\x7f"]


@pytest.mark.parametrize("field", ["first_name", "last_name", "father_name",
                                   "address_street", "address_city", "birth_city",
                                   "insurance_type", "insurance_number"])
@pytest.mark.parametrize("character", BREAKS)
def test_a_one_line_field_refuses_a_break_naming_the_field(field, character) -> None:
    with pytest.raises(ValidationErrors) as caught:
        clean_identity({**GOOD, field: f"علی{character}رضا"}, today=TODAY)
    assert list(caught.value.errors) == [field]
    message = caught.value.errors[field]
    assert f"«{LABELS[field]}»" in message and "یک سطر" in message


def test_a_zwnj_and_spaces_stay_welcome() -> None:
    identity = clean_identity({**GOOD, "first_name": "علی\u200cرضا", "address_street":
                               "خیابان  آزادی"}, today=TODAY)
    assert identity.first_name == "علی\u200cرضا" and identity.address_street == "خیابان آزادی"
    assert one_line_problem("می\u200cخواهم", "x") is None


def test_hub_settings_refuse_a_break_in_the_hospital_s_name() -> None:
    with pytest.raises(ValidationErrors) as caught:
        clean_hub_settings({"university": "تهران", "province": "تهران",
                            "hospital": "امام\nخمینی", "programme_year": 1404})
    assert "hospital" in caught.value.errors and "یک سطر" in caught.value.errors["hospital"]


def test_a_form1_text_field_refuses_a_break(reference) -> None:
    from cancer_desk.core.case import clean_case

    with pytest.raises(ValidationErrors) as caught:
        clean_case({"completed_by": "مریم\nاحمدی"}, lists=reference.form1, today=TODAY)
    assert f"«{labels(reference.form1)['completed_by']}»" in caught.value.errors["completed_by"]


@pytest.mark.parametrize("field", ["description", "pharmacy"])
@pytest.mark.parametrize("character", ["\n", "\t", "\u2028"])
def test_a_cost_items_text_is_one_line(field, character) -> None:
    from cancer_desk.core.costs import LABELS as COST_LABELS
    from cancer_desk.core.costs import clean_cost_item

    raw = {"item_date": "1405/01/10", "kind": "other", "amount": "1000",
           "description": "ایاب و ذهاب", "pharmacy": ""}
    with pytest.raises(ValidationErrors) as caught:
        clean_cost_item({**raw, field: f"ایاب{character}ذهاب"}, today=TODAY)
    assert list(caught.value.errors) == [field]
    assert f"«{COST_LABELS[field]}»" in caught.value.errors[field]


@pytest.mark.parametrize("field", ["name", "generic_name", "form"])
def test_a_drugs_names_are_one_line(field) -> None:
    from cancer_desk.services.formulary import DRUG_LABELS, DrugInput, clean_drug

    with pytest.raises(ValidationErrors) as caught:
        clean_drug(DrugInput(**{"name": "سیس‌پلاتین", field: "سیس\nپلاتین"}))
    assert list(caught.value.errors) == [field]
    assert f"«{DRUG_LABELS[field]}»" in caught.value.errors[field]
