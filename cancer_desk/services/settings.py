"""The hub's settings."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import IDLE_LOCK_RANGE, Action
from cancer_desk.core.errors import InputError
from cancer_desk.core.persian import to_persian_digits
from cancer_desk.core.records import HubSettingsRecord
from cancer_desk.core.settings import HubSettingsInput
from cancer_desk.models import HubSettings
from cancer_desk.services.access import Access


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
        idle_lock_minutes=row.idle_lock_minutes,
        backup_folder=row.backup_folder,
    )


class SettingsService:
    """Reading needs no account: the sign-in window shows which hospital this is."""

    def __init__(self, session_factory: sessionmaker[Session], access: Access) -> None:
        self._sessions = session_factory
        self._access = access

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
        self._access.require(Action.MANAGE_SETTINGS)
        with self._sessions.begin() as session:
            row = session.get(HubSettings, 1)
            if row is None:
                row = HubSettings(id=1, is_demo=is_demo)
                session.add(row)
            for name, value in vars(values).items():
                setattr(row, name, value)
            session.flush()
            return _record(row)

    def set_idle_lock_minutes(self, minutes: int) -> HubSettingsRecord:
        """How long the window waits without a key or mouse press before it locks."""
        self._access.require(Action.MANAGE_SETTINGS)
        low, high = IDLE_LOCK_RANGE
        if not low <= minutes <= high:
            raise InputError("idle_lock_minutes", f"must be {low}–{high}",
                             f"«قفل پس از بیکاری» باید میان {to_persian_digits(low)} و "
                             f"{to_persian_digits(high)} دقیقه باشد.")
        return self._set_one("idle_lock_minutes", minutes)

    def set_backup_folder(self, folder: str) -> HubSettingsRecord:
        """Where the automatic backups go ("" for beside the database). The folder must
        exist or be creatable, and take a file."""
        self._access.require(Action.MANAGE_SETTINGS)
        folder = folder.strip()
        if folder:
            path = Path(folder).expanduser()
            try:
                path.mkdir(parents=True, exist_ok=True)
                probe = path / ".cancer-desk-write-test"
                probe.write_bytes(b"")
                probe.unlink()
            except OSError as exc:
                raise InputError("backup_folder", f"cannot write to {path}: {exc}",
                                 "در «پوشه پشتیبان» نمی‌توان نوشت (پوشه، دیسک یا اجازه "
                                 "نوشتن را بررسی کنید).") from exc
            folder = str(path.resolve())
        return self._set_one("backup_folder", folder)

    def _set_one(self, field: str, value: object) -> HubSettingsRecord:
        """One setting of a hub already set up, in a transaction of its own."""
        with self._sessions.begin() as session:
            row = session.get(HubSettings, 1)
            if row is None:
                raise InputError(field, "the hub is not set up yet",
                                 "نخست تنظیمات مرکز را کامل کنید.")
            setattr(row, field, value)
            session.flush()
            return _record(row)
