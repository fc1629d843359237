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
from cancer_desk.core.case import CaseRecord
from cancer_desk.core.costs import CostItemInput
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

    def case_record(self, birth: dt.date, first_seen: dt.date, *,
                    supported: bool) -> CaseRecord | None:
        """A complete Form 1 for every supported patient and most others (a few are
        still being filled in, so a quarter can be closed but the list shows gaps)."""
        rng = self._rng
        if not supported and rng.random() < 0.3:
            return None
        diagnosis = max(birth + dt.timedelta(days=365), first_seen - dt.timedelta(
            days=rng.randrange(10, 200)))
        surgery = rng.choice((1, 2))
        chemo = 1 if rng.random() < 0.8 else 2

        def after(day: dt.date) -> dt.date:
            return min(first_seen, day + dt.timedelta(days=rng.randrange(5, 60)))

        return CaseRecord(
            diagnosis_method=rng.choices((1, 2), weights=(9, 1))[0],
            diagnosis_date=diagnosis,
            stage_t=rng.choice(("T1", "T2", "T3", "T4")),
            stage_n=rng.choice(("N0", "N1", "N2", "N3")),
            stage_m=rng.choices(("M0", "M1"), weights=(4, 1))[0],
            grade=rng.choice(("G1", "G2", "G3")),
            treatment_intent=rng.choices((1, 2), weights=(3, 1))[0],
            surgery=surgery, surgery_date=after(diagnosis) if surgery == 1 else None,
            radiotherapy=2, chemotherapy=chemo,
            chemotherapy_date=after(diagnosis) if chemo == 1 else None,
            chemotherapy_regimen=rng.choice(_REGIMENS) if chemo == 1 else "",
            hormone_therapy=rng.choice((1, 2, 3)), received_item=rng.choice((2, 3)),
            admissions_count=rng.randrange(0, 6), hospital_stay_days=rng.randrange(0, 30),
            hospital_stay_months=0, recurrence=2, metastasis=rng.choices((1, 2), (1, 4))[0],
            remission=3, vital_status=1, family_history=2,
            completed_on=first_seen, completed_by="مریم احمدی")

    def cost_items(self, first_seen: dt.date, today: dt.date,
                   drug_ids: list[int]) -> list[CostItemInput]:
        """Nought to four costs after the first assessment: mostly drugs."""
        rng = self._rng
        items = []
        for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(3, 3, 2, 1, 1))[0]):
            day = first_seen + dt.timedelta(days=rng.randrange(0, max(1, (today - first_seen)
                                                                     .days + 1)))
            kind = rng.choices(("drug", "hospital_stay", "radiotherapy", "other"),
                               weights=(7, 2, 1, 1))[0]
            listed = kind == "drug" and drug_ids and rng.random() < 0.9
            amount = rng.randrange(50, 4000) * 10_000
            items.append(CostItemInput(
                item_date=min(day, today), kind=kind,
                amount=amount,
                quantity=rng.randrange(1, 5) if kind == "drug" else 1,
                drug_id=rng.choice(drug_ids) if listed else None,
                description="" if listed else {"drug": "داروی خارج از فهرست",
                                               "other": "ایاب و ذهاب"}.get(kind, ""),
                insured_part=_demo_insured_part(amount, rng.random()),
                pharmacy="داروخانه بیمارستان" if kind == "drug" else ""))
        return items


def _demo_insured_part(amount: int, draw: float) -> int:
    """One in seven items wholly within insurance obligations, one in four partly (from
    40 to 80 percent, in whole ten-thousands of tomans), the rest not at all."""
    if draw < 0.15:
        return amount
    if draw < 0.40:
        share = 40 + int((draw - 0.15) * 160)
        return amount * share // 100 // 10_000 * 10_000
    return 0


_REGIMENS = ("AC-T", "FOLFOX، شش دوره", "CHOP-R", "سیس‌پلاتین و اتوپوزید",
             "کاپسیتابین خوراکی", "ABVD")
DEMO_DRUGS = ("سیس‌پلاتین", "کربوپلاتین", "دوکسوروبیسین", "سیکلوفسفامید", "پاکلی‌تاکسل",
              "دوستاکسل", "تراستوزوماب", "ریتوکسیماب", "اگزالی‌پلاتین", "فلوئورواوراسیل",
              "کاپسیتابین", "اتوپوزید", "وین‌کریستین", "جم‌سیتابین", "ایماتینیب")
