from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cancer_desk.core.reference import ReferenceData, ReferenceDataError, load_reference
from tests.conftest import RESOURCES


def test_44_hubs_9_groups_31_provinces(reference: ReferenceData) -> None:
    assert [h.number for h in reference.hubs] == list(range(1, 45))
    assert [g.id for g in reference.cancer_groups] == list(range(1, 10))
    assert len(reference.provinces) == 31
    assert len({p.name for p in reference.provinces}) == 31


def test_every_hub_province_is_a_real_province(reference: ReferenceData) -> None:
    names = {p.name for p in reference.provinces}
    assert all(h.province in names for h in reference.hubs)


def test_corrections_keep_the_seed_reading(reference: ReferenceData) -> None:
    hub4 = reference.hub(4)
    assert hub4.hospital == "شهدای تجریش"
    assert hub4.seed["hospital"] == "شهدای تبریز"
    assert hub4.uncertain
    hub5 = reference.hub(5)
    assert hub5.seed["hospital"] == "امام حسن(ع)" and hub5.uncertain
    hub3 = reference.hub(3)
    assert (hub3.university, hub3.province) == ("شهید بهشتی", "تهران")
    assert hub3.seed == {"university": "تهران", "province": "شهر بهشتی"}
    assert reference.hub(8).seed == {"hospital": "تماری"}
    assert reference.hub(34).university == "لرستان"
    assert reference.hub(34).seed["university"] == "ارمنستان"
    assert reference.hub(20).seed == {}  # «کرمان» as in the seed


@pytest.mark.parametrize(("query", "numbers"), [
    ("کرمان", {14, 19, 20, 21}),
    ("شهید بهشتی", {3, 4, 5, 36}),
    ("ساری", {39, 40}),
    ("كرمانشاه", {14}),  # Arabic kaf
    ("تهران کودکان", {24, 25, 26}),
])
def test_hub_search_by_city_university_or_hospital(reference, query, numbers) -> None:
    assert {h.number for h in reference.find_hubs(query)} == numbers


def test_hub_titles_do_not_double_the_word_hospital(reference: ReferenceData) -> None:
    assert reference.hub(1).title.startswith("بیمارستان امام خمینی")
    assert reference.hub(34).title.startswith("مرکز آموزشی درمانی عشایر")


def test_programme_defaults_are_data(reference: ReferenceData) -> None:
    assert reference.programme.default_budget_line == "11-520000"
    assert "تأمین اجتماعی" in reference.programme.insurance_types


def test_group_labels_keep_seed_reading(reference: ReferenceData) -> None:
    assert "ضمائم" in reference.cancer_group(2).label
    assert "ضامنم" in reference.cancer_group(2).seed


def test_broken_reference_folder(tmp_path: Path) -> None:
    folder = tmp_path / "reference"
    shutil.copytree(RESOURCES / "reference", folder)
    text = (folder / "hubs.toml").read_text(encoding="utf-8")
    (folder / "hubs.toml").write_text(text.replace('province = "فارس"', 'province = "پارس"'),
                                      encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="unknown province"):
        load_reference(folder)
    (folder / "hubs.toml").unlink()
    with pytest.raises(ReferenceDataError):
        load_reference(folder)


def test_every_form1_field_has_help_and_no_help_names_an_unknown_field(
        reference: ReferenceData) -> None:
    from cancer_desk.core.case import CASE_FIELDS
    from cancer_desk.core.patient import FIELDS

    assert reference.form1 is not None
    known = set(CASE_FIELDS) | set(FIELDS)
    written = set(reference.form1.help)
    assert sorted(known - written) == [], "fields without help in form1.toml [help]"
    assert sorted(written - known) == [], "help in form1.toml [help] for no field"
    assert all(reference.form1.help_for(name).strip() for name in known)


def test_a_help_that_is_not_text_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "reference"
    shutil.copytree(RESOURCES / "reference", folder)
    path = folder / "form1.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\ngrade = ", text.index("[help]"))
    end = text.index("\n", start + 1)
    path.write_text(text[:start] + '\ngrade = ""' + text[end:], encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="help of 'grade'"):
        load_reference(folder)
