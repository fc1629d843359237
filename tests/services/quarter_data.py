"""A small hub whose Form 2 is worked out by hand: the fourth quarter of 1403 (a leap
year, so Esfand has 30 days), with activity on its first and last days and just
outside them.

Q4 1403 runs 1403/10/01 (2024-12-21) to 1403/12/30 (2025-03-20).

=======  =====  ===================================================  ==================
patient  group  what happened                                        in Q4 1403
=======  =====  ===================================================  ==================
A        1      assessed 1403/09/30 (70%); drug 1,000,000 on 10/01    seen, covered 700,000
B        1      assessed 1403/12/30                                   seen
C        2      assessed 1403/09/01; drug 2,000,000 on 1404/01/01     —
D        2      assessed 1403/09/01; insured stay 500,000 on 11/15    seen, 0 support
E        3      assessed 1403/10/10 (90%); drugs 1,000,000 on 10/10   seen, covered
                and 333,333 on 12/29                                  900,000 + 300,000
F        3      registered 1403/10/15, nothing else                   seen
=======  =====  ===================================================  ==================
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import update

from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.jalali import from_jalali
from cancer_desk.models import Patient
from cancer_desk.services.formulary import DrugInput
from tests.builders import CODES, full_case, identity
from tests.conftest import full_answers

# group id → (seen, covered, spent) for Q4 1403; groups not listed are all zero.
EXPECTED_Q4_1403 = {1: (2, 1, 700_000), 2: (1, 0, 0), 3: (2, 1, 1_200_000)}
EXPECTED_TOTAL_Q4_1403 = (5, 2, 1_900_000)


def j(year: int, month: int, day: int) -> dt.date:
    return from_jalali(year, month, day)


@dataclasses.dataclass
class QuarterHub:
    context: object
    ids: dict[str, int]
    drug_id: int

    def add_drug(self, name: str, day: dt.date, amount: int):
        return self.context.costs.add(self.ids[name], CostItemInput(
            day, "drug", amount, drug_id=self.drug_id))


def set_registered_on(context, patient_id: int, day: dt.date) -> None:
    with context.database.session_factory.begin() as session:
        session.execute(update(Patient).where(Patient.id == patient_id)
                        .values(registered_on=day))


def fill_quarter_hub(context, *, prefix: str = "") -> QuarterHub:
    """The patients A–F above, in a configured ``context``; ``prefix`` varies the names."""
    drug = context.formulary.save(DrugInput("سیس‌پلاتین", "Cisplatin", "ویال"))
    ids: dict[str, int] = {}
    for name, code, group in zip("ABCDEF", CODES, (1, 1, 2, 2, 3, 3), strict=False):
        ids[name] = context.patients.create(identity(
            code, f"{prefix}بیمار", f"{prefix}{name}", cancer_group_id=group)).id
    hub = QuarterHub(context, ids, drug.id)
    record = context.assessments.record
    record(ids["A"], full_answers(), assessed_on=j(1403, 9, 30))
    record(ids["B"], full_answers(), assessed_on=j(1403, 12, 30))
    record(ids["C"], full_answers(), assessed_on=j(1403, 9, 1))
    record(ids["D"], full_answers(), assessed_on=j(1403, 9, 1))
    record(ids["E"], full_answers(sick_children=3),
           assessed_on=j(1403, 10, 10))
    hub.add_drug("A", j(1403, 10, 1), 1_000_000)
    hub.add_drug("C", j(1404, 1, 1), 2_000_000)
    context.costs.add(ids["D"], CostItemInput(j(1403, 11, 15), "hospital_stay", 500_000,
                                              insured_part=500_000))
    hub.add_drug("E", j(1403, 10, 10), 1_000_000)
    hub.add_drug("E", j(1403, 12, 29), 333_333)
    for name in ("A", "E"):
        context.cases.save(ids[name], full_case(), None)
    set_registered_on(context, ids["F"], j(1403, 10, 15))
    return hub
