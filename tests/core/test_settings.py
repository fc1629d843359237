from __future__ import annotations

import pytest

from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.settings import clean_hub_settings


def test_defaults_come_from_the_programme_file(reference) -> None:
    values = clean_hub_settings({"university": "a", "province": "b", "hospital": "c",
                                 "programme_year": 1404}, reference.programme)
    assert values.budget_line == reference.programme.default_budget_line == "11-520000"


def test_defaults_and_persian_digits() -> None:
    values = clean_hub_settings({"university": "تهران", "province": "تهران",
                                 "hospital": "امام خمینی", "programme_year": "۱۴۰۴",
                                 "budget_line": ""})
    assert values.programme_year == 1404
    assert values.budget_line == "11-520000"
    typed = clean_hub_settings({"university": "a", "province": "b", "hospital": "c",
                                "programme_year": 1404, "budget_line": "۱۱-۵۲۰۰۰۰"})
    assert typed.budget_line == "11-520000"


@pytest.mark.parametrize(("field", "value"), [
    ("programme_year", "1300"), ("programme_year", "abc"), ("budget_line", "ردیف"),
    ("hospital", ""),
])
def test_bad_settings_name_the_field(field, value) -> None:
    raw = {"university": "تهران", "province": "تهران", "hospital": "امام خمینی",
           "programme_year": 1404, field: value}
    with pytest.raises(ValidationErrors) as caught:
        clean_hub_settings(raw)
    assert field in caught.value.errors
