from __future__ import annotations

import pytest

from cancer_desk.core.errors import InputError
from cancer_desk.core.icd10 import allowed_groups, group_mismatch, normalize, suggested_group
from cancer_desk.core.reference import OUTSIDE_GROUP_ID
from cancer_desk.core.residence import Residence, residence_verdict


@pytest.mark.parametrize(("patient", "hub", "verdict", "notice"), [
    ("تهران", "تهران", Residence.SAME_PROVINCE, False),
    ("البرز", "تهران", Residence.ADJACENT_WITHOUT_HUB, False),    # no hub, borders Tehran
    ("مرکزی", "تهران", Residence.ADJACENT_WITHOUT_HUB, False),
    ("اصفهان", "تهران", Residence.HAS_OWN_HUB, True),
    ("خراسان جنوبی", "تهران", Residence.FAR_WITHOUT_HUB, True),
    ("خراسان جنوبی", "خراسان رضوی", Residence.ADJACENT_WITHOUT_HUB, False),
    ("ایلام", "کرمانشاه", Residence.ADJACENT_WITHOUT_HUB, False),
    ("کهگیلویه و بویراحمد", "فارس", Residence.ADJACENT_WITHOUT_HUB, False),
    ("", "تهران", Residence.UNKNOWN, False),
])
def test_the_hub_rule(reference, patient, hub, verdict, notice) -> None:
    result = residence_verdict(patient, hub, reference)
    assert result.residence is verdict
    assert result.notice is notice
    assert result.message


def test_six_provinces_have_no_hub(reference) -> None:
    without = {p.name for p in reference.provinces} - reference.provinces_with_hubs()
    assert without == {"البرز", "ایلام", "خراسان جنوبی", "قزوین", "مرکزی",
                       "کهگیلویه و بویراحمد"}


def test_adjacency_is_symmetric(reference) -> None:
    by_id = {p.id: p for p in reference.provinces}
    for province in reference.provinces:
        assert province.neighbours, province.name
        for neighbour in province.neighbours:
            assert province.id in by_id[neighbour].neighbours


@pytest.mark.parametrize(("typed", "code", "group"), [
    ("C50.9", "C50.9", 1), ("c509", "C50.9", 1), ("C۵۰٫۹", "C50.9", 1), ("C18", "C18", 6),
    ("C34.1", "C34.1", 3), ("C91.0", "C91.0", 4), ("C83.3", "C83.3", 5), ("C41.2", "C41.2", 7),
    ("C43.5", "C43.5", 8), ("C71.9", "C71.9", 9), ("C61", "C61", 2), ("C73", "C73", None),
    ("C02.1", "C02.1", None), ("C48.2", "C48.2", None), ("C49.1", "C49.1", 7),
    ("C75.1", "C75.1", 9), ("C75.3", "C75.3", 9), ("C75.0", "C75.0", None),
    ("C79.3", "C79.3", None),
])
def test_icd10_suggests_the_group(reference, typed, code, group) -> None:
    assert normalize(typed) == code
    assert suggested_group(code, reference) == group


@pytest.mark.parametrize("typed", ["50.9", "X50", "C5", "C50.123", "سرطان"])
def test_bad_icd10_codes(typed) -> None:
    with pytest.raises(InputError):
        normalize(typed)


OUT = OUTSIDE_GROUP_ID


@pytest.mark.parametrize(("code", "allowed"), [
    ("C50.9", {1}), ("C73", {OUT}), ("C02.1", {OUT}), ("C69.2", {OUT}),
    ("C48.2", {OUT}),                       # peritoneum: not musculoskeletal
    ("C47.0", {7}), ("C49.9", {7}),         # peripheral nerves, soft tissue stay
    ("C43.5", {8}), ("C44.3", {8, OUT}),    # melanoma; C44 holds SCC and BCC
    ("C75", {OUT}), ("C75.0", {OUT}), ("C75.1", {9}), ("C75.2", {9}), ("C75.3", {9}),
    ("C75.4", {OUT}), ("C72.0", {9}),
    ("C79.3", None), ("C80", None), ("C97", None),  # the primary's group: not decided
    ("D05.1", None),                        # a D code is outside the table
])
def test_the_groups_a_code_allows(reference, code, allowed) -> None:
    assert allowed_groups(code, reference) == (frozenset(allowed) if allowed else None)


def test_a_mismatch_names_both_groups(reference) -> None:
    message = group_mismatch("C73", 1, reference)
    assert message is not None
    assert "C73" in message and "«خارج از گروه‌های دستورالعمل»" in message
    assert "«پستان»" in message
    skin = group_mismatch("C44.3", 1, reference)
    assert skin is not None and "«پوست (ملانوما و اسکواموس سل کارسینوما)»" in skin
    assert "«خارج از گروه‌های دستورالعمل»" in skin
    assert group_mismatch("C44.3", 8, reference) is None
    assert group_mismatch("C44.3", OUT, reference) is None
    assert group_mismatch("C79.3", 1, reference) is None


def test_the_table_states_its_choices(reference) -> None:
    notes = {r.first: r.note for r in reference.icd10_ranges if r.note}
    assert "basal-cell" in notes["C44"] and "C48" in notes["C49"]
    assert reference.cancer_group(OUT).label == "خارج از گروه‌های دستورالعمل"
    assert OUT not in {g.id for g in reference.cancer_groups}  # not a Form 2 row
