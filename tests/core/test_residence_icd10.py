from __future__ import annotations

import pytest

from cancer_desk.core.errors import InputError
from cancer_desk.core.icd10 import normalize, suggested_group
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
    ("C02.1", "C02.1", None),
])
def test_icd10_suggests_the_group(reference, typed, code, group) -> None:
    assert normalize(typed) == code
    assert suggested_group(code, reference) == group


@pytest.mark.parametrize("typed", ["50.9", "X50", "C5", "C50.123", "سرطان"])
def test_bad_icd10_codes(typed) -> None:
    with pytest.raises(InputError):
        normalize(typed)
