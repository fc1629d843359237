"""The hub's settings."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.records import HubSettingsRecord
from cancer_desk.core.settings import HubSettingsInput
from cancer_desk.models import HubSettings


def _record(row: HubSettings) -> HubSettingsRecord:
    return HubSettingsRecord(
        hub_number=row.hub_number,
        university=row.university,
        province=row.province,
        hospital=row.hospital,
        city=row.city,
        programme_year=row.programme_year,
        budget_line=row.budget_line,
        director_name=row.director_name,
        social_worker_name=row.social_worker_name,
        is_demo=row.is_demo,
    )


class SettingsService:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def get(self) -> HubSettingsRecord | None:
        """``None`` until the first-run setup has been completed."""
        with self._sessions() as session:
            return self.get_in(session)

    @staticmethod
    def get_in(session: Session) -> HubSettingsRecord | None:
        row = session.get(HubSettings, 1)
        return _record(row) if row is not None else None

    def save(self, values: HubSettingsInput, *, is_demo: bool = False) -> HubSettingsRecord:
        """``is_demo`` is honoured only when the settings are first created."""
        with self._sessions.begin() as session:
            row = session.get(HubSettings, 1)
            if row is None:
                row = HubSettings(id=1, is_demo=is_demo)
                session.add(row)
            for name, value in vars(values).items():
                setattr(row, name, value)
            session.flush()
            return _record(row)
