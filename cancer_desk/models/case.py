"""Form 1 sections «ب» and «ج» and its closing part: one case record per patient."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cancer_desk.models.base import Base, utc_now


def _choice(name: str, *values: int) -> CheckConstraint:
    allowed = ", ".join(str(v) for v in values)
    return CheckConstraint(f"{name} IS NULL OR {name} IN ({allowed})", name=name)


class CaseRecordRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        _choice("diagnosis_method", 1, 2),
        _choice("treatment_intent", 1, 2),
        _choice("surgery", 1, 2),
        _choice("radiotherapy", 1, 2),
        _choice("chemotherapy", 1, 2),
        _choice("hormone_therapy", 1, 2, 3),
        _choice("received_item", 1, 2, 3),
        _choice("recurrence", 1, 2, 3),
        _choice("metastasis", 1, 2, 3),
        _choice("remission", 1, 2, 3),
        _choice("vital_status", 1, 2, 3),
        _choice("death_cause", 1, 2, 3),
        _choice("death_place", 1, 2, 3, 4),
        _choice("family_history", 1, 2, 3),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="RESTRICT"),
                                            unique=True)
    diagnosis_method: Mapped[int | None] = mapped_column(SmallInteger)
    diagnosis_date: Mapped[dt.date | None] = mapped_column(Date)
    stage_t: Mapped[str] = mapped_column(String(8), default="")
    stage_n: Mapped[str] = mapped_column(String(8), default="")
    stage_m: Mapped[str] = mapped_column(String(8), default="")
    grade: Mapped[str] = mapped_column(String(8), default="")
    treatment_intent: Mapped[int | None] = mapped_column(SmallInteger)
    surgery: Mapped[int | None] = mapped_column(SmallInteger)
    surgery_date: Mapped[dt.date | None] = mapped_column(Date)
    radiotherapy: Mapped[int | None] = mapped_column(SmallInteger)
    radiotherapy_date: Mapped[dt.date | None] = mapped_column(Date)
    chemotherapy: Mapped[int | None] = mapped_column(SmallInteger)
    chemotherapy_date: Mapped[dt.date | None] = mapped_column(Date)
    chemotherapy_regimen: Mapped[str] = mapped_column(String(200), default="")
    hormone_therapy: Mapped[int | None] = mapped_column(SmallInteger)
    received_item: Mapped[int | None] = mapped_column(SmallInteger)
    admissions_count: Mapped[int | None] = mapped_column(Integer)
    hospital_stay_days: Mapped[int | None] = mapped_column(Integer)
    hospital_stay_months: Mapped[int | None] = mapped_column(Integer)
    recurrence: Mapped[int | None] = mapped_column(SmallInteger)
    first_recurrence_date: Mapped[dt.date | None] = mapped_column(Date)
    recurrence_site: Mapped[str] = mapped_column(String(200), default="")
    recurrence_count: Mapped[int | None] = mapped_column(Integer)
    metastasis: Mapped[int | None] = mapped_column(SmallInteger)
    metastasis_date: Mapped[dt.date | None] = mapped_column(Date)
    metastasis_site: Mapped[str] = mapped_column(String(200), default="")
    remission: Mapped[int | None] = mapped_column(SmallInteger)
    vital_status: Mapped[int | None] = mapped_column(SmallInteger)
    death_date: Mapped[dt.date | None] = mapped_column(Date)
    death_cause: Mapped[int | None] = mapped_column(SmallInteger)
    death_place: Mapped[int | None] = mapped_column(SmallInteger)
    family_history: Mapped[int | None] = mapped_column(SmallInteger)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    family_cancers: Mapped[list[FamilyCancerRow]] = relationship(
        cascade="all, delete-orphan", order_by="FamilyCancerRow.position")

    __mapper_args__ = {"version_id_col": version}


class FamilyCancerRow(Base):
    """One relative with cancer: the type and the relation («پدر»، «خواهر» …)."""

    __tablename__ = "family_cancers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    cancer_type: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column(String(100))
