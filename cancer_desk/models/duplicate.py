"""Pairs of patients someone has looked at and found to be two people: the duplicate
finder does not list them again."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cancer_desk.models.base import Base, utc_now


class NotDuplicate(Base):
    __tablename__ = "not_duplicates"
    __table_args__ = (
        # One row per pair, the smaller id first, whichever of the two was open.
        CheckConstraint("first_patient_id < second_patient_id", name="ordered_pair"),
        UniqueConstraint("first_patient_id", "second_patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"))
    second_patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    marked_by: Mapped[str] = mapped_column(String(120))
    marked_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    reason: Mapped[str] = mapped_column(Text, default="")
