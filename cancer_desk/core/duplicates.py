"""Likely duplicate patients: the same person registered twice.

The national code is unique in the database, so a second record of one person has a
code that differs: mistyped by one digit, or with two neighbouring digits swapped (both
can still pass the check digit). A person registered again under a code typed quite
differently still has the same names, father's name and birth date — compared after
folding the letter forms keyboards disagree on (:func:`cancer_desk.core.persian.search_key`).

Finding every pair must not compare every patient with every other (100,000 patients
are five thousand million pairs). Each code goes into buckets instead: once per
position with that digit blanked (codes one digit apart share a bucket), and the code
with each neighbouring pair swapped is looked up; names go into one bucket by their key.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cancer_desk.core.persian import search_key

BLANK = "*"
NAME_KEY_SEPARATOR = "|"


class Reason(enum.StrEnum):
    ONE_DIGIT = "one_digit"
    SWAPPED_DIGITS = "swapped_digits"
    SAME_NAMES = "same_names"

    @property
    def label_fa(self) -> str:
        return REASON_LABELS_FA[self]


REASON_LABELS_FA = {
    Reason.ONE_DIGIT: "کد ملی یک رقم متفاوت",
    Reason.SWAPPED_DIGITS: "دو رقم کد ملی جابه‌جا",
    Reason.SAME_NAMES: "نام، نام پدر و تاریخ تولد یکسان",
}


@dataclass(frozen=True)
class Person:
    """What the finder needs of a patient: the id, the code and the name key."""

    id: int
    national_code: str
    name_key: str


@dataclass(frozen=True)
class Suspicion:
    """Two records that may be one person, and why (``first_id < second_id``)."""

    first_id: int
    second_id: int
    reasons: tuple[Reason, ...]

    @property
    def pair(self) -> tuple[int, int]:
        return self.first_id, self.second_id

    @property
    def reasons_fa(self) -> str:
        return "، ".join(reason.label_fa for reason in self.reasons)


def ordered_pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def name_key(first_name: str, last_name: str, father_name: str, birth_date: dt.date) -> str:
    """The key two records of one person share: the three names folded, and the birth
    date."""
    return joined_name_key(f"{search_key(first_name)}{NAME_KEY_SEPARATOR}"
                           f"{search_key(last_name)}", father_name, birth_date)


def joined_name_key(first_last_key: str, father_name: str, birth_date: dt.date) -> str:
    """:func:`name_key` from a first and last name already folded and joined by ``|``
    (as the patients' search index keeps them): reading 100,000 patients, folding the
    father's name alone is a third of the work."""
    return (f"{first_last_key}{NAME_KEY_SEPARATOR}{search_key(father_name)}"
            f"{NAME_KEY_SEPARATOR}{birth_date.isoformat()}")


def _blanked(code: str) -> Iterator[str]:
    for i in range(len(code)):
        yield code[:i] + BLANK + code[i + 1:]


def _swapped(code: str) -> Iterator[str]:
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            yield code[:i] + code[i + 1] + code[i] + code[i + 2:]


def code_reason(a: str, b: str) -> Reason | None:
    """How two different codes of the same length are near each other, if they are."""
    if len(a) != len(b) or a == b:
        return None
    differing = [i for i in range(len(a)) if a[i] != b[i]]
    if len(differing) == 1:
        return Reason.ONE_DIGIT
    if len(differing) == 2 and differing[1] == differing[0] + 1 \
            and a[differing[0]] == b[differing[1]] and a[differing[1]] == b[differing[0]]:
        return Reason.SWAPPED_DIGITS
    return None


def near_codes(code: str, digits: str = "0123456789") -> dict[str, Reason]:
    """Every code one digit or one neighbouring swap away from ``code``: what to look up
    for one patient about to be registered."""
    near: dict[str, Reason] = {}
    for i, own in enumerate(code):
        for digit in digits:
            if digit != own:
                near[code[:i] + digit + code[i + 1:]] = Reason.ONE_DIGIT
    for swapped in _swapped(code):
        near[swapped] = Reason.SWAPPED_DIGITS
    return near


def reasons_between(a: Person, b: Person) -> tuple[Reason, ...]:
    """Why ``a`` and ``b`` may be one person (empty: they do not look alike)."""
    reasons: list[Reason] = []
    by_code = code_reason(a.national_code, b.national_code)
    if by_code is not None:
        reasons.append(by_code)
    if a.name_key == b.name_key:
        reasons.append(Reason.SAME_NAMES)
    return tuple(reasons)


def _code_pairs(people: list[Person]) -> Iterator[tuple[int, int, Reason]]:
    buckets: dict[str, list[int]] = defaultdict(list)
    by_code: dict[str, int] = {}
    for index, person in enumerate(people):
        by_code[person.national_code] = index
        for key in _blanked(person.national_code):
            buckets[key].append(index)
    for members in buckets.values():
        if len(members) > 1:
            for i, first in enumerate(members):
                for second in members[i + 1:]:
                    if people[first].national_code != people[second].national_code:
                        yield first, second, Reason.ONE_DIGIT
    for index, person in enumerate(people):
        for swapped in _swapped(person.national_code):
            other = by_code.get(swapped)
            if other is not None and other > index:
                yield index, other, Reason.SWAPPED_DIGITS


def _name_pairs(people: list[Person]) -> Iterator[tuple[int, int, Reason]]:
    buckets: dict[str, list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        buckets[person.name_key].append(index)
    for members in buckets.values():
        for i, first in enumerate(members):
            for second in members[i + 1:]:
                yield first, second, Reason.SAME_NAMES


def find_duplicates(people: Iterable[Person],
                    dismissed: frozenset[tuple[int, int]] = frozenset()) -> list[Suspicion]:
    """Every pair among ``people`` that may be one person, except the ``dismissed``
    pairs (ordered ids, marked as two people); the pairs with more reasons first."""
    listed = list(people)
    found: dict[tuple[int, int], list[Reason]] = defaultdict(list)
    for first, second, reason in (*_code_pairs(listed), *_name_pairs(listed)):
        pair = ordered_pair(listed[first].id, listed[second].id)
        if pair not in dismissed and reason not in found[pair]:
            found[pair].append(reason)
    return _surest_first(found)


def find_among_new(on_file: Iterable[Person], new: list[Person]) -> list[Suspicion]:
    """The pairs :func:`find_duplicates` would find among ``on_file`` and ``new`` that
    hold at least one of ``new`` (a file to import against the database). Only the
    codes and names are indexed, and each new code's few near codes looked up: indexing
    every variant of every code on file would take several times the memory."""
    by_code: dict[str, int] = {}
    by_name: dict[str, list[int]] = defaultdict(list)
    for person in (*on_file, *new):
        by_code[person.national_code] = person.id
        by_name[person.name_key].append(person.id)
    found: dict[tuple[int, int], list[Reason]] = defaultdict(list)
    for person in new:
        for code, reason in near_codes(person.national_code).items():
            other = by_code.get(code)
            if other is not None and reason not in found[ordered_pair(person.id, other)]:
                found[ordered_pair(person.id, other)].append(reason)
        for other in by_name[person.name_key]:
            pair = ordered_pair(person.id, other)
            if other != person.id and Reason.SAME_NAMES not in found[pair]:
                found[pair].append(Reason.SAME_NAMES)
    return _surest_first(found)


def _surest_first(found: dict[tuple[int, int], list[Reason]]) -> list[Suspicion]:
    """The pairs found, their reasons in a fixed order, the pairs with more first."""
    order = list(Reason)
    suspicions = [Suspicion(a, b, tuple(sorted(reasons, key=order.index)))
                  for (a, b), reasons in found.items()]
    suspicions.sort(key=lambda s: (-len(s.reasons), order.index(s.reasons[0]), s.pair))
    return suspicions
