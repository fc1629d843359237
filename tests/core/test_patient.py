from __future__ import annotations

import datetime as dt

import pytest

from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.patient import clean_identity

TODAY = dt.date(2026, 11, 25)


def raw(**overrides) -> dict[str, object]:
    values: dict[str, object] = {
        "national_code": "۰۴۹۹۳۷۰۸۹۹",
        "first_name": "علي",
        "last_name": "كريمي",
        "father_name": "حسن",
        "sex": 2,
        "birth_date": "۱۳۶۵/۰۲/۳۰",
        "cancer_group_id": "۱",
        "phone": "۰۹۱۲-۳۴۵-۶۷۸۹",
        "relative_phone": "+98 21 8877 6655",
        "postal_code": "1234567890",
    }
    values.update(overrides)
    return values


def errors_of(**overrides) -> dict[str, str]:
    with pytest.raises(ValidationErrors) as caught:
        clean_identity(raw(**overrides), today=TODAY)
    return caught.value.errors


def test_clean_identity_normalises_everything() -> None:
    identity = clean_identity(raw(), today=TODAY)
    assert identity.national_code == "0499370899"
    assert (identity.first_name, identity.last_name) == ("علی", "کریمی")
    assert identity.birth_date == dt.date(1986, 5, 20)
    assert identity.cancer_group_id == 1
    assert identity.phone == "09123456789"
    assert identity.relative_phone == "02188776655"
    assert identity.nationality == 1


def test_compatibility_digits_become_plain_digits() -> None:
    typed = raw(postal_code="１２３４５６７８９０", national_code="０４９９٣٧٠٨٩٩")
    identity = clean_identity(typed, today=TODAY)
    assert (identity.postal_code, identity.national_code) == ("1234567890", "0499370899")


def test_sex_by_label_or_number() -> None:
    assert clean_identity(raw(sex="زن"), today=TODAY).sex == 2
    assert clean_identity(raw(sex="۱"), today=TODAY).sex == 1


@pytest.mark.parametrize(("field", "value", "label"), [
    ("national_code", "1234567890", "کد ملی"),
    ("first_name", "", "نام بیمار"),
    ("last_name", "۱۲۳", "نام خانوادگی بیمار"),
    ("father_name", "   ", "نام پدر"),
    ("sex", 3, "جنسیت"),
    ("sex", None, "جنسیت"),
    ("birth_date", "1403/13/01", "تاریخ تولد"),
    ("birth_date", "1405/12/01", "تاریخ تولد"),  # in the future on TODAY
    ("cancer_group_id", 11, "نوع سرطان"),
    ("nationality", 7, "ملیت"),
    ("postal_code", "12345", "کد پستی"),
    ("postal_code", "12345678-x", "کد پستی"),
    ("phone", "12345", "تلفن بیمار"),
    ("birth_certificate_no", "12a", "شماره شناسنامه"),
    ("address_street", "خ" * 200, "خیابان"),
])
def test_each_bad_field_gets_a_message_naming_it(field, value, label) -> None:
    errors = errors_of(**{field: value})
    assert list(errors) == [field]
    assert label in errors[field]


def test_all_wrong_fields_reported_together() -> None:
    errors = errors_of(national_code="1", first_name="", birth_date="x")
    assert set(errors) == {"national_code", "first_name", "birth_date"}


def test_with_a_code_the_group_follows_the_table(reference) -> None:
    thyroid = raw(cancer_group_id="1", icd10_code="C73")
    with pytest.raises(ValidationErrors) as caught:
        clean_identity(thyroid, today=TODAY, reference=reference)
    message = caught.value.errors["cancer_group_id"]
    assert "«خارج از گروه‌های دستورالعمل»" in message and "«پستان»" in message
    assert clean_identity(raw(cancer_group_id="10", icd10_code="C73"), today=TODAY,
                          reference=reference).cancer_group_id == 10
    # Without the table (or without a code) the group is what was chosen.
    assert clean_identity(thyroid, today=TODAY).cancer_group_id == 1
    assert clean_identity(raw(cancer_group_id="10"), today=TODAY,
                          reference=reference).cancer_group_id == 10


@pytest.mark.parametrize(("group", "ok"), [("8", True), ("10", True), ("7", False)])
def test_c44_takes_skin_or_outside(reference, group, ok) -> None:
    values = raw(cancer_group_id=group, icd10_code="C44.3")
    if ok:
        assert clean_identity(values, today=TODAY, reference=reference).cancer_group_id \
            == int(group)
    else:
        with pytest.raises(ValidationErrors):
            clean_identity(values, today=TODAY, reference=reference)
