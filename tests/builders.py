"""Records and files the tests build: patients, Form 1, import rows, hubs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import inspect, text

from cancer_desk.core.case import CaseRecord, FamilyCancer
from cancer_desk.core.jalali import current_jalali_year
from cancer_desk.core.patient import PatientIdentity
from cancer_desk.core.settings import HubSettingsInput
from cancer_desk.paths import sqlite_url
from tests.conftest import open_signed_in


def identity(code: str = "0499370899", first: str = "علی", last: str = "کریمی",
             **extra) -> PatientIdentity:
    extra.setdefault("cancer_group_id", 1)
    return PatientIdentity(national_code=code, first_name=first, last_name=last,
                           father_name="حسن", sex=1, birth_date=dt.date(1980, 1, 1), **extra)


CODES = ["0499370899", "0012345679", "1234567891", "0084575948", "4608968882",
         "2110990147", "0067749828", "1111111121"]


TODAY = dt.date(2026, 11, 25)


def full_case() -> CaseRecord:
    return CaseRecord(
        diagnosis_method=1, diagnosis_date=dt.date(2024, 1, 10), stage_t="T2", stage_n="N1",
        stage_m="M0", grade="G2", treatment_intent=1, surgery=1,
        surgery_date=dt.date(2024, 2, 1), radiotherapy=2, chemotherapy=1,
        chemotherapy_date=dt.date(2024, 3, 1),
        chemotherapy_regimen="AC-T (دوکسوروبیسین، سیکلوفسفامید، سپس پاکلی‌تاکسل) "
                             "هر سه هفته، چهار دوره",
        hormone_therapy=3, received_item=2, admissions_count=4, hospital_stay_days=12,
        hospital_stay_months=0, recurrence=2, metastasis=1,
        metastasis_date=dt.date(2024, 6, 1), metastasis_site="کبد و ریه (چپ)", remission=3,
        vital_status=1, family_history=1,
        family_cancers=(FamilyCancer("پستان", "خاله"), FamilyCancer("روده بزرگ", "پدربزرگ")),
        completed_on=dt.date(2024, 7, 1), completed_by="مریم احمدی")


HEADER = ["national_code", "first_name", "last_name", "father_name", "sex", "birth_date",
          "cancer_group", "phone", "address_province"]


GOOD_ROWS = [
    ["0499370899", "علي", "كريمي", "حسن", "1", "1365/02/30", "1", "09123456789", "تهران"],
    ["۰۰۱۲۳۴۵۶۷۹", "مریم", "احمدی", "رضا", "۲", "۱۳۷۰/۰۱/۱۵", "۶", "", "البرز"],
    ["1234567891", "زهرا", "پاکزاد", "علی", "زن", "30/12/1350", "2", "021-88776655", ""],
]


def write_csv(path: Path, rows: list[list[str]], *, header=HEADER, encoding="utf-8-sig",
              delimiter=",") -> Path:
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def make_hub(folder: Path, number: int, reference):
    """Hub ``number``: the hand-counted quarter, plus one more drug for patient A
    of ``number`` × 10,000 tomans (so each hub's group 1 differs: 7,000 × number more)."""
    context = open_signed_in(sqlite_url(folder / f"hub{number}.sqlite3"))
    hub = reference.hub(number)
    context.settings.save(HubSettingsInput(
        university=hub.university, province=hub.province, hospital=hub.hospital,
        city=hub.city, programme_year=current_jalali_year(), hub_number=number,
        director_name="مدیر", social_worker_name="مددکار"))
    from tests.services.quarter_data import fill_quarter_hub, j  # it builds on these records

    data = fill_quarter_hub(context)
    data.add_drug("A", j(1403, 11, 1), number * 10_000)
    return context, data


def database_rows(context) -> dict[str, int]:
    with context.database.engine.connect() as connection:
        return {table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                for table in inspect(connection).get_table_names()}
