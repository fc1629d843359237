"""Errors services raise for the window and the command line to explain."""

from __future__ import annotations


class NotFoundError(LookupError):
    pass


class DuplicateNationalCodeError(ValueError):
    """A patient with this national code exists; ``existing_id`` is who."""

    def __init__(self, national_code: str, existing_id: int, existing_name: str) -> None:
        super().__init__(f"national code {national_code} already belongs to patient "
                         f"{existing_id} ({existing_name})")
        self.national_code = national_code
        self.existing_id = existing_id
        self.existing_name = existing_name


class StaleRecordError(RuntimeError):
    """Someone else saved the record after it was opened here."""
