"""Synthetic patients and answer sets for the demo database, screenshots and benchmarks.

Deterministic for a given seed, so a benchmark or a screenshot can be made again.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cancer_desk.core import national_code
from cancer_desk.core.patient import PatientIdentity
from cancer_desk.core.reference import ReferenceData
from cancer_desk.core.rules import RuleSet


@dataclass(frozen=True)
class DemoNames:
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]
    streets: tuple[str, ...]
    alleys: tuple[str, ...]

    @classmethod
    def load(cls, path: Path) -> DemoNames:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(*(tuple(data[k]) for k in ("male", "female", "last", "streets", "alleys")))


# Rough shares of the nine groups among patients a hub sees (breast and digestive lead).
_GROUP_WEIGHTS = (22, 14, 9, 10, 8, 22, 4, 6, 5)


class DemoGenerator:
    def __init__(self, names: DemoNames, reference: ReferenceData, ruleset: RuleSet,
                 seed: int, home_province: str | None = None) -> None:
        self._rng = random.Random(seed)
        self._names = names
        self._reference = reference
        self._ruleset = ruleset
        self._home = reference.province(home_province) if home_province else None

    def national_code(self) -> str:
        return national_code.generate(self._rng)

    def identity(self, code: str, today: dt.date) -> PatientIdentity:
        rng = self._rng
        sex = rng.choice((1, 2))
        group = rng.choices(range(1, 10), weights=_GROUP_WEIGHTS)[0]
        if group == 1:
            sex = 2 if rng.random() < 0.97 else 1
        first = rng.choice(self._names.male if sex == 1 else self._names.female)
        age_days = int(rng.triangular(2, 88, 58) * 365.25)
        birth = today - dt.timedelta(days=age_days)
        birth_province = rng.choice(self._reference.provinces)
        home = self._home if self._home and rng.random() < 0.7 else rng.choice(
            self._reference.provinces)
        mobile = f"09{rng.randrange(10, 40):02d}{rng.randrange(0, 10**7):07d}"
        relative = f"09{rng.randrange(10, 40):02d}{rng.randrange(0, 10**7):07d}"
        return PatientIdentity(
            national_code=code,
            first_name=first,
            last_name=rng.choice(self._names.last),
            father_name=rng.choice(self._names.male),
            sex=sex,
            birth_date=birth,
            cancer_group_id=group,
            birth_province=birth_province.name,
            birth_city=rng.choice(birth_province.cities),
            birth_certificate_no=str(rng.randrange(1, 99999)),
            nationality=1 if rng.random() < 0.97 else 2,
            insurance_type=rng.choice(self._reference.programme.insurance_types),
            insurance_number=str(rng.randrange(10**7, 10**10)),
            address_province=home.name,
            address_city=rng.choice(home.cities),
            address_street=rng.choice(self._names.streets),
            address_alley=rng.choice(self._names.alleys),
            address_plaque=str(rng.randrange(1, 250)),
            postal_code=f"{rng.randrange(1, 10)}{rng.randrange(0, 10**9):09d}",
            phone=mobile,
            relative_phone=relative,
        )

    def answers(self) -> dict[str, str | int]:
        """An answer set leaning towards the needy families a social worker sees."""
        rng = self._rng
        answers: dict[str, str | int] = {}
        for criterion in self._ruleset.criteria:
            if criterion.kind == "choice":
                answers[criterion.id] = rng.choice(criterion.options).id
            else:
                top = criterion.thresholds[-1].at_least + 1
                weights = [max(1, 6 - 2 * i) for i in range(criterion.minimum, top + 1)]
                if criterion.minimum > 0:  # a household: most have 3–6 people
                    weights = [1 if n < 3 else 4 if n <= 6 else 1
                               for n in range(criterion.minimum, top + 1)]
                answers[criterion.id] = rng.choices(range(criterion.minimum, top + 1),
                                                    weights=weights)[0]
        return answers

    def assessment_dates(self, today: dt.date, days_back: int = 730) -> list[dt.date]:
        """One to three assessments spread over the last two years, oldest first."""
        count = self._rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
        offsets = sorted(self._rng.sample(range(days_back), count), reverse=True)
        return [today - dt.timedelta(days=o) for o in offsets]
