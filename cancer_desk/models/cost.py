"""Cost items and the formulary of covered drugs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cancer_desk.models.base import Base, utc_now


class FormularyDrug(Base):
    """A drug of the programme's list (the hub's list after the 1387 protocol revision);
    when it is covered is said by its periods, never by the drug itself."""

    __tablename__ = "formulary_drugs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)  # search_key(name)
    generic_name: Mapped[str] = mapped_column(String(200), default="")
    form: Mapped[str] = mapped_column(String(100), default="")  # «ویال ۵۰۰ میلی‌گرم»
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)

    periods: Mapped[list[FormularyPeriod]] = relationship(
        order_by="FormularyPeriod.covered_from", back_populates="drug")


class FormularyPeriod(Base):
    """One stretch of days a drug was covered, both ends included; an open one (no
    ``covered_until``) is its coverage now. Withdrawing closes the open period,
    listing again opens a new one: the list in force on any past day stays readable."""

    __tablename__ = "formulary_periods"
    __table_args__ = (
        CheckConstraint("covered_until IS NULL OR covered_until >= covered_from",
                        name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drug_id: Mapped[int] = mapped_column(ForeignKey("formulary_drugs.id", ondelete="RESTRICT"),
                                         index=True)
    covered_from: Mapped[dt.date] = mapped_column(Date)
    covered_until: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    # Why or on what authority: «فهرست وزارت بهداشت ۱۴۰۵»، «کنار گذاشته به دستور …»
    reason: Mapped[str] = mapped_column(String(300), default="")

    drug: Mapped[FormularyDrug] = relationship(back_populates="periods")


class CostItem(Base):
    """One cost of one patient, and the support it was given.

    The band (coverage percent) and the assessment that set it are copied onto the
    item when it is saved, so a later assessment does not change what was paid.
    """

    __tablename__ = "cost_items"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("insured_part >= 0 AND insured_part <= amount",
                        name="insured_part_within_amount"),
        CheckConstraint("support_amount >= 0 AND support_amount <= amount - insured_part",
                        name="support_within_outside_part"),
        CheckConstraint("kind IN ('drug', 'hospital_stay', 'radiotherapy', 'other')",
                        name="kind"),
        Index("ix_cost_items_patient_date", "patient_id", "item_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="RESTRICT"))
    item_date: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    drug_id: Mapped[int | None] = mapped_column(ForeignKey("formulary_drugs.id"))
    description: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    amount: Mapped[int] = mapped_column(BigInteger)  # whole tomans
    # Tomans within insurance obligations (paid by the insurer, or the franchise of a
    # covered service): never supported. The band applies to amount − insured_part.
    insured_part: Mapped[int] = mapped_column(BigInteger, default=0)
    pharmacy: Mapped[str] = mapped_column(String(200), default="")
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    coverage_percent: Mapped[int | None] = mapped_column(SmallInteger)
    support_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    no_support_reason: Mapped[str | None] = mapped_column(String(30))
    # Set once the item has been referred to accounting; it then stays as referred.
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    drug: Mapped[FormularyDrug | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Referral(Base):
    """A numbered referral to accounting. Each cost item is referred at most once, so a
    second printout can never ask accounting to pay the same cost again."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)  # the referral's number
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="RESTRICT"),
                                            index=True)
    created_on: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(120))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    total_amount: Mapped[int] = mapped_column(BigInteger)
    total_support: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
