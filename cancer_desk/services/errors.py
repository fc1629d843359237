"""Errors services raise for the window and the command line to explain."""

from __future__ import annotations

from cancer_desk.core.persian import to_persian_digits


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


class ReferredItemError(RuntimeError):
    """A cost item already referred to accounting cannot change."""

    def __init__(self, item_id: int, referral: int) -> None:
        super().__init__(f"cost item {item_id} was referred to accounting (referral {referral})")
        self.message_fa = (f"این هزینه با معرفی‌نامه شماره {to_persian_digits(referral)} به "
                           "حسابداری معرفی شده است و دیگر تغییر نمی‌کند.")
