"""Patients (Form 1, section «الف») and the nine cancer groups."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cancer_desk.models.base import Base, utc_now


class CancerGroup(Base):
    """Rows come from resources/reference/cancer_groups.toml, synced at start-up."""

    __tablename__ = "cancer_groups"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(120))


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (
        CheckConstraint("sex IN (1, 2)", name="sex"),
        CheckConstraint("nationality IN (1, 2, 3)", name="nationality"),
        CheckConstraint("length(national_code) = 10", name="national_code_length"),
        # A name search scans this narrow index, not the wide rows, and sorts what it
        # finds; it serves an exact search key too.
        Index("ix_patients_search", "search_key", "sort_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    national_code: Mapped[str] = mapped_column(String(10), unique=True)
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60))
    father_name: Mapped[str] = mapped_column(String(60))
    sex: Mapped[int] = mapped_column(SmallInteger)
    birth_date: Mapped[dt.date] = mapped_column(Date)
    birth_province: Mapped[str] = mapped_column(String(120), default="")
    birth_city: Mapped[str] = mapped_column(String(120), default="")
    birth_certificate_no: Mapped[str] = mapped_column(String(10), default="")
    nationality: Mapped[int] = mapped_column(SmallInteger, default=1)
    insurance_type: Mapped[str] = mapped_column(String(120), default="")
    insurance_number: Mapped[str] = mapped_column(String(120), default="")
    address_province: Mapped[str] = mapped_column(String(120), default="")
    address_city: Mapped[str] = mapped_column(String(120), default="")
    address_street: Mapped[str] = mapped_column(String(120), default="")
    address_alley: Mapped[str] = mapped_column(String(120), default="")
    address_plaque: Mapped[str] = mapped_column(String(120), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    phone: Mapped[str] = mapped_column(String(11), default="")
    relative_phone: Mapped[str] = mapped_column(String(11), default="")
    cancer_group_id: Mapped[int] = mapped_column(ForeignKey("cancer_groups.id"))
    # ICD-10 topography of the diagnosis, optional; it suggests the cancer group.
    icd10_code: Mapped[str] = mapped_column(String(8), default="", server_default="")

    # Derived from the names by cancer_desk.core.persian; kept in columns so that
    # search and Persian alphabetical order can use an index.
    search_key: Mapped[str] = mapped_column(String(200))
    sort_key: Mapped[str] = mapped_column(String(200), index=True)

    # The local date the patient was registered (created_at is UTC): registering counts
    # as being seen in that period on Form 2.
    registered_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    cancer_group: Mapped[CancerGroup] = relationship()

    __mapper_args__ = {"version_id_col": version}
