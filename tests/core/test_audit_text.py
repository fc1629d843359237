"""The trail in words: labels, Jalali dates, Persian digits, coded answers by name."""

from __future__ import annotations

from cancer_desk.core.audit_text import describe_action, describe_changes, format_value


def test_an_insert_lists_each_field_by_its_label() -> None:
    lines = describe_changes("insert", {"last_name": [None, "کریمی"],
                                        "birth_date": [None, "1980-01-01"],
                                        "sex": [None, 2], "patient_id": [None, 7]})
    assert lines == ["نام خانوادگی بیمار: کریمی", "تاریخ تولد: ۱۳۵۸/۱۰/۱۱", "جنسیت: زن"]


def bare(lines: list[str]) -> list[str]:
    """Without the isolating marks around values (tested on their own below)."""
    return [line.replace("\u2068", "").replace("\u2069", "") for line in lines]


def test_a_change_shows_old_and_new_and_a_delete_what_went() -> None:
    assert bare(describe_changes("update", {"amount": [800_000, 950_000]})) == [
        "مبلغ: ۸۰۰٬۰۰۰ ← ۹۵۰٬۰۰۰"]
    assert bare(describe_changes("update", {"kind": ["other", "drug"]})) == [
        "نوع هزینه: سایر ← دارو"]
    assert describe_changes("delete", {"description": ["ایاب و ذهاب", None]}) == [
        "شرح (یا نام دارو): ایاب و ذهاب (پاک شد)"]
    assert bare(describe_changes("update",
                                 {"roles": ["social_worker", "social_worker,director"]})) == [
        "نقش‌ها: مددکار اجتماعی ← مددکار اجتماعی، رئیس بیمارستان"]


def test_values_a_person_can_read() -> None:
    assert format_value(None) == "—" and format_value("") == "—"
    assert format_value(True) == "بله" and format_value(12) == "۱۲"
    assert format_value({"sha256": "ab", "bytes": 2048}) == "پرونده ۲۰۴۸ بایتی"
    assert format_value([["پستان", "خاله"]]) == "پستان / خاله"
    assert format_value("not_on_formulary", "no_support_reason").startswith("دارو در فهرست")
    assert format_value(1, "diagnosis_method").startswith("پاتولوژیکال")


def test_text_that_looks_like_a_date_is_text() -> None:
    """A Jalali date typed with dashes in a description is neither read as a Gregorian
    date nor a reason for the history to fail."""
    assert describe_changes("insert", {"description": [None, "1403-02-31"]}) == [
        "شرح (یا نام دارو): 1403-02-31"]
    assert describe_changes("insert", {"item_date": [None, "2024-02-30"]}) == [
        "تاریخ: 2024-02-30"]  # not a date: shown as stored rather than failing


def test_actions_in_words() -> None:
    assert describe_action("insert", "patients") == "ثبت مشخصات بیمار"
    assert describe_action("update", "form_seals") == "برداشتن مهر فرم شماره ۱"
    assert describe_action("sign_in_failed", "accounts") == "ورود ناموفق"
    assert describe_action("something_new", "") == "something_new"


def test_latin_values_keep_their_order_inside_persian() -> None:
    """«G2 ← G3» alone would be laid out left to right, reading «G3 → G2»: each value is
    isolated so the arrow runs from the old value to the new one."""
    from cancer_desk.core.audit_text import describe_differences

    [line] = describe_differences({"grade": "G2"}, {"grade": "G3"})
    assert line == "درجه (Grade): \u2068G2\u2069 ← \u2068G3\u2069"
    [family] = describe_differences(
        {"family_cancers": []},
        {"family_cancers": [{"cancer_type": "پستان", "relation": "خاله"}]})
    assert "cancer_type" not in family and "پستان / خاله" in family


def test_the_insured_part_conversion_reads_in_words() -> None:
    assert describe_action("migration", "database") == "ارتقای پایگاه داده"
    assert describe_changes("migration", {"converted_cost_items": [None, 12],
                                          "wholly_insured_items": [None, 2]}) == [
        "اقلام هزینه تبدیل‌شده: ۱۲", "اقلام همه در تعهد بیمه: ۲"]
    assert describe_changes("update", {"insured_part": [0, 3_000_000]})[0].startswith(
        "سهم در تعهد بیمه: ")
