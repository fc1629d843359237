from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from cancer_desk.core.patient import PatientIdentity
from cancer_desk.services.errors import DuplicateNationalCodeError, StaleRecordError
from tests.builders import CODES, identity

ZWNJ = "\u200c"






def test_create_and_read_back(context) -> None:
    saved = context.patients.create(identity(address_city="تهران", phone="09123456789"))
    again = context.patients.get(saved.id)
    assert again.identity == saved.identity
    assert again.identity.address_city == "تهران"
    assert again.version == 1


def test_duplicate_national_code_names_the_existing_patient(context) -> None:
    first = context.patients.create(identity())
    with pytest.raises(DuplicateNationalCodeError) as caught:
        context.patients.create(identity(first="مریم", last="احمدی"))
    assert caught.value.existing_id == first.id
    assert caught.value.existing_name == "علی کریمی"
    assert context.patients.count() == 1


def test_update_refuses_a_stale_version(context) -> None:
    saved = context.patients.create(identity())
    changed = context.patients.update(saved.id, identity(first="رضا"), saved.version)
    assert changed.version == 2
    with pytest.raises(StaleRecordError):
        context.patients.update(saved.id, identity(first="حسین"), saved.version)
    assert context.patients.get(saved.id).identity.first_name == "رضا"


def test_update_cannot_take_another_patients_code(context) -> None:
    a = context.patients.create(identity(CODES[0]))
    b = context.patients.create(identity(CODES[1], first="مریم"))
    with pytest.raises(DuplicateNationalCodeError):
        context.patients.update(b.id, identity(CODES[0], first="مریم"), b.version)
    assert context.patients.get(b.id).identity.national_code == CODES[1]
    assert context.patients.get(a.id).identity.first_name == "علی"


@pytest.fixture
def many(context):
    names = [("علی", "کریمی"), ("مریم", "احمدی"), (f"علی{ZWNJ}اصغر", "یزدانی"),
             ("زهرا", "چراغی"), ("آرش", "پاکزاد"), ("رضا", "گودرزی"), ("کاظم", "ابراهیمی"),
             ("مهدی", "وحیدی")]
    for code, (first, last) in zip(CODES, names, strict=True):
        context.patients.create(identity(code, first, last))
    return context


def names(context, query: str = "") -> list[str]:
    return [f"{p.first_name} {p.last_name}" for p in context.patients.search(query)]


def test_list_is_in_persian_order_by_last_name(many) -> None:
    assert [n.split()[-1] for n in names(many)] == [
        "ابراهیمی", "احمدی", "پاکزاد", "چراغی", "کریمی", "گودرزی", "وحیدی", "یزدانی"]


@pytest.mark.parametrize(("query", "expected"), [
    ("علي", {"علی کریمی", f"علی{ZWNJ}اصغر یزدانی"}),   # Arabic yeh finds Persian yeh
    ("كاظم", {"کاظم ابراهیمی"}),                        # Arabic kaf
    ("علی اصغر", {f"علی{ZWNJ}اصغر یزدانی"}),            # space for ZWNJ
    ("علیاصغر", {f"علی{ZWNJ}اصغر یزدانی"}),             # joined
    ("ارش", {"آرش پاکزاد"}),                            # alef for alef-madda
    ("کریمی علی", {"علی کریمی"}),                       # words in any order
    ("ریمی", {"علی کریمی"}),                            # inside a name
    ("۰۰", {"مریم احمدی", "زهرا چراغی", "کاظم ابراهیمی"}),  # code prefix, Persian digits
    ("0499", {"علی کریمی"}),
    ("499370899", {"علی کریمی"}),                       # Excel dropped the leading zero
    ("ی|ک", set()),                                    # «علی|کریمی»: no match across names
    ("%", set()),
    ("_", set()),
])
def test_search(many, query: str, expected: set[str]) -> None:
    assert set(names(many, query)) == expected
    assert many.patients.count(query) == len(expected)


def test_search_pages(many) -> None:
    first = many.patients.search("", offset=0, limit=3)
    rest = many.patients.search("", offset=3, limit=10)
    assert len(first) == 3 and len(rest) == 5
    assert not {p.id for p in first} & {p.id for p in rest}


@pytest.mark.parametrize("query", ["", "ی", "0", "۱", "کریمی علی", "زز"])
def test_a_page_comes_with_the_total_and_in_order(many, query: str) -> None:
    everyone = names(many, query)
    total, first = many.patients.search_page(query, limit=2)
    assert total == len(everyone) == many.patients.count(query)
    assert [f"{p.first_name} {p.last_name}" for p in first] == everyone[:2]
    again, rest = many.patients.search_page(query, offset=2, limit=50)
    assert again == total
    assert [f"{p.first_name} {p.last_name}" for p in rest] == everyone[2:]
    past, nothing = many.patients.search_page(query, offset=50, limit=5)
    assert (past, nothing) == (total, [])


def test_a_code_prefix_ending_in_nine_finds_its_codes(context) -> None:
    """The prefix is a range of the index: "049937089" runs up to "04993708:", since ":"
    follows "9"."""
    context.patients.create(identity("1234567891"))
    context.patients.create(identity("0499370899", "مریم"))
    assert names(context, "0499") == ["مریم کریمی"]
    assert names(context, "049937089") == ["مریم کریمی"]
    assert names(context, "1") == ["علی کریمی"]
    assert names(context, "12345678") == ["علی کریمی"]
    assert names(context, "123456789") == ["علی کریمی"]
    assert names(context, "2") == []


def test_list_shows_latest_assessment(many) -> None:
    from tests.conftest import full_answers

    patient = many.patients.search("کریمی")[0]
    assert patient.latest_score is None
    many.assessments.record(patient.id, full_answers(),
                            assessed_on=dt.date(2025, 1, 1))
    many.assessments.record(patient.id, full_answers(sick_children=3),
                            assessed_on=dt.date(2025, 6, 1))
    many.assessments.record(patient.id, full_answers(sick_children=0),
                            assessed_on=dt.date(2024, 6, 1))
    row = many.patients.search("کریمی")[0]
    assert (row.latest_score, row.latest_coverage_percent) == (86, 90)
    assert row.latest_assessed_on == dt.date(2025, 6, 1)
    assert len(many.patients.search("")) == 8  # no duplicate rows from the join


def test_search_keys_follow_a_rename(context) -> None:
    saved = context.patients.create(identity())
    context.patients.update(saved.id, dataclasses.replace(identity(), last_name="رضایی"),
                            saved.version)
    assert names(context, "رضایی") == ["علی رضایی"]
    assert names(context, "کریمی") == []



def test_similar_patients_are_found_for_a_warning(context) -> None:
    first = context.patients.create(identity("0499370899", "علی", "کریمی"))
    twin = identity("0012345679", "علي", "كريمي")  # Arabic letters, another code
    similar = context.patients.similar(twin)
    assert [p.id for p in similar] == [first.id]
    assert context.patients.similar(twin, exclude_id=first.id) == []
    other_father = PatientIdentity(**{**twin.as_dict(), "father_name": "رضا"})
    assert context.patients.similar(other_father) == []
