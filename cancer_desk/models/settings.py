"""The hub's own settings: which hospital this PC serves and what its forms print."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cancer_desk.models.base import Base, utc_now


class HubSettings(Base):
    """One row (id 1): set on first run, changed from the settings window."""

    __tablename__ = "hub_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    # Row number in the directive's list of 44 hubs; NULL for a hospital entered by hand.
    hub_number: Mapped[int | None] = mapped_column(Integer)
    university: Mapped[str] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(60))
    hospital: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(60), default="")
    programme_year: Mapped[int] = mapped_column(Integer)  # Jalali year printed on Form 1
    budget_line: Mapped[str] = mapped_column(String(20))
    director_name: Mapped[str] = mapped_column(String(120), default="")
    social_worker_name: Mapped[str] = mapped_column(String(120), default="")
    # Set only by `cancer-desk demo` / `--demo` on an empty database: the data in it is
    # synthetic, and the demo commands refuse to touch a database where this is false.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # The window locks after this many minutes without a key or mouse press.
    idle_lock_minutes: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    # Where the automatic backups go; "" for the backups folder beside the database.
    backup_folder: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Changed by every restore: a PC signed in before it is signed out at its next action.
    generation: Mapped[str] = mapped_column(String(32), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
