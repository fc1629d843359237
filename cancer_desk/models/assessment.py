"""Eligibility assessments: the answers, and what they scored under which rule set."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cancer_desk.models.base import Base, utc_now


class Assessment(Base):
    """Never rescored: a saved assessment keeps the rule set, points and band it got."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("score >= 0", name="score_not_negative"),
        CheckConstraint("coverage_percent BETWEEN 0 AND 100", name="coverage_percent_range"),
        Index("ix_assessments_patient_date", "patient_id", "assessed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="RESTRICT"))
    ruleset_id: Mapped[str] = mapped_column(String(40))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    points: Mapped[dict[str, int]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    coverage_percent: Mapped[int] = mapped_column(Integer)
    assessed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    assessor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
