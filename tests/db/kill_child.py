"""Saves records in a loop until it is killed: the other half of test_kill.

Each patient is saved, then their Form 1 (with two relatives, one transaction), then a
cost; only after each commit returns is the national code appended to the
acknowledgement file — a save acknowledged is a save the database promised to keep.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys

from cancer_desk.app import open_context
from cancer_desk.core import national_code
from cancer_desk.core.case import CaseRecord, FamilyCancer
from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.patient import PatientIdentity
from cancer_desk.services.errors import DuplicateNationalCodeError


def acknowledge(stream, line: str) -> None:
    stream.write(line + "\n")
    stream.flush()
    os.fsync(stream.fileno())


def main(url: str, acks: str, seed: int) -> None:
    context = open_context(url)
    context.accounts.sign_in("tester", "test-pass-1388")
    rng = random.Random(seed)
    case = CaseRecord(diagnosis_method=1, diagnosis_date=dt.date(2024, 1, 10),
                      family_history=1, family_cancers=(FamilyCancer("پستان", "خاله"),
                                                        FamilyCancer("ریه", "پدر")))
    with open(acks, "a", encoding="utf-8") as stream:
        acknowledge(stream, "ready")
        while True:
            code = national_code.generate(rng)
            try:
                patient = context.patients.create(PatientIdentity(
                    national_code=code, first_name="بیمار", last_name="آزمون",
                    father_name="پدر", sex=1, birth_date=dt.date(1980, 1, 1), cancer_group_id=1))
            except DuplicateNationalCodeError:  # the same code drawn twice
                continue
            acknowledge(stream, f"patient {code}")
            context.cases.save(patient.id, case, None)
            acknowledge(stream, f"case {code}")
            context.costs.add(patient.id, CostItemInput(dt.date.today(), "other", 10_000,
                                                        description="ایاب و ذهاب"))
            acknowledge(stream, f"cost {code}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
