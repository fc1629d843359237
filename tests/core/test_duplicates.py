"""The duplicate finder: near codes, the same person under two spellings, and people
who only look alike."""

from __future__ import annotations

import datetime as dt
import random
import time

from cancer_desk.core import national_code
from cancer_desk.core.duplicates import (
    Person,
    Reason,
    code_reason,
    find_duplicates,
    name_key,
    near_codes,
)
from tests.duplicate_codes import one_digit_typo, swapped_pair, two_digits_apart

BORN = dt.date(1980, 1, 1)


def person(pid: int, code: str, first: str = "علی", last: str = "کریمی",
           father: str = "حسن", born: dt.date = BORN) -> Person:
    return Person(pid, code, name_key(first, last, father, born))


def test_codes_one_digit_or_one_swap_apart() -> None:
    assert code_reason("0499370899", "0499370890") is Reason.ONE_DIGIT
    assert code_reason("0499370899", "0493970899") is Reason.SWAPPED_DIGITS
    assert code_reason("0499370899", "0499370899") is None
    assert code_reason("0499370899", "1499370891") is None  # two digits, not neighbours
    assert code_reason("0499370899", "0499375199") is None  # "08"→"51": not a swap
    assert code_reason("0499370899", "049937089") is None


def test_near_codes_are_what_one_slip_makes() -> None:
    near = near_codes("0499370899")
    # Every digit changed; each unequal neighbouring pair swapped (not "99", twice here).
    assert len(near) == 10 * 9 + 7
    assert near["0499370890"] is Reason.ONE_DIGIT
    assert near["4099370899"] is Reason.SWAPPED_DIGITS
    assert "0499370899" not in near


def test_the_same_name_under_arabic_and_persian_letters_is_one_key() -> None:
    assert name_key("علي", "كريمي", "حسن", BORN) == name_key("علی", "کریمی", "حسن", BORN)
    assert name_key("محمد\u200cعلی", "کریمی", "حسن", BORN) == name_key(
        "محمد علی", "کریمی ", "حسن", BORN)
    assert name_key("علی", "کریمی", "حسن", BORN) != name_key("علی", "کریمی", "حسین", BORN)


def test_planted_duplicates_are_found_and_near_misses_are_not() -> None:
    typo_a, typo_b = one_digit_typo(3)
    swap_a, swap_b = swapped_pair(4)
    people = [
        person(1, typo_a, "مریم", "احمدی", "رضا"), person(2, typo_b, "مریم", "احمدی", "رضا"),
        person(3, swap_a, "زهرا", "پاکزاد"), person(4, swap_b, "زهرا", "پاکزاد"),
        person(5, "0012345679", "علي", "كريمي"), person(6, "1234567891", "علی", "کریمی"),
        # Same names and father, another birth date: another person.
        person(7, "0084575948", "سارا", "نوری", born=dt.date(1990, 5, 5)),
        person(8, "4608968882", "سارا", "نوری", born=dt.date(1991, 5, 5)),
        # Twins: one father, one birth date, two first names.
        person(9, "2110990147", "حسن", "رضایی", "محمود"),
        person(10, "0067749828", "حسین", "رضایی", "محمود"),
        # Codes two digits apart.
        person(11, "0499370899", "نرگس", "امینی"), person(12, two_digits_apart("0499370899"),
                                                          "نسرین", "صادقی"),
    ]
    found = {s.pair: s.reasons for s in find_duplicates(people)}
    assert found == {(1, 2): (Reason.ONE_DIGIT, Reason.SAME_NAMES),
                     (3, 4): (Reason.SWAPPED_DIGITS, Reason.SAME_NAMES),
                     (5, 6): (Reason.SAME_NAMES,)}
    listed = find_duplicates(people)
    assert listed[-1].pair == (5, 6)  # one reason: after the pairs with two
    assert listed[0].reasons_fa == "کد ملی یک رقم متفاوت، نام، نام پدر و تاریخ تولد یکسان"


def test_a_code_slip_alone_is_listed_and_a_dismissed_pair_is_not() -> None:
    typo_a, typo_b = one_digit_typo(5)
    people = [person(1, typo_a, "مریم"), person(2, typo_b, "نرگس", "امینی", "رضا")]
    [suspicion] = find_duplicates(people)
    assert suspicion.reasons == (Reason.ONE_DIGIT,)
    assert find_duplicates(people, frozenset({(1, 2)})) == []


def test_a_hundred_thousand_patients_take_seconds() -> None:
    rng = random.Random(1388)
    people = [Person(i, national_code.generate(rng), f"name{i}|last|father|1980-01-01")
              for i in range(100_000)]
    typo_a, typo_b = one_digit_typo(6)
    people += [Person(100_001, typo_a, "x"), Person(100_002, typo_b, "y")]
    started = time.perf_counter()
    found = find_duplicates(people)
    assert time.perf_counter() - started < 10
    assert (100_001, 100_002) in {s.pair for s in found}


def test_the_pairs_with_a_new_person_are_those_of_the_whole_finder() -> None:
    """find_among_new (a file against the database) finds exactly the pairs that
    find_duplicates over everyone finds holding a new person, with the same reasons."""
    import random

    from cancer_desk.core import duplicates as finder
    from cancer_desk.core import national_code

    rng = random.Random(11)
    codes = [national_code.generate(rng) for _ in range(300)]
    # Near codes and namesakes planted among them: short codes differing a little.
    codes += [c[:5] + c[6] + c[5] + c[7:] for c in codes[:40]]
    codes += [c[:3] + str((int(c[3]) + 1) % 10) + c[4:] for c in codes[40:80]]
    names = ["a", "b", "c", "d", "e"]
    people = [finder.Person(i + 1, code, rng.choice(names)) for i, code in enumerate(codes)]
    new = [finder.Person(-p.id, p.national_code, p.name_key) for p in people[::3]]
    on_file = [p for p in people if p.id % 3 != 1]
    everyone = on_file + new
    expected = [s for s in finder.find_duplicates(everyone) if s.first_id < 0]
    assert finder.find_among_new(on_file, new) == expected
    assert expected  # the planted ones are there to be found
