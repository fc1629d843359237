"""Who may do what: the three roles, the actions each allows, and the rules for
usernames, passwords and locking an account after wrong passwords.

One person may hold several roles; an action is allowed if any of them allows it.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from cancer_desk.core.persian import normalize_text, to_persian_digits


class Role(enum.StrEnum):
    ADMINISTRATOR = "administrator"
    SOCIAL_WORKER = "social_worker"
    DIRECTOR = "director"

    @property
    def label_fa(self) -> str:
        return ROLE_LABELS_FA[self]


ROLE_LABELS_FA = {
    Role.ADMINISTRATOR: "مدیر سامانه",
    Role.SOCIAL_WORKER: "مددکار اجتماعی",
    Role.DIRECTOR: "رئیس بیمارستان",
}


class Action(enum.StrEnum):
    VIEW_PATIENTS = "view_patients"
    EDIT_PATIENTS = "edit_patients"
    MERGE_PATIENTS = "merge_patients"
    ASSESS = "assess"
    EDIT_CASE = "edit_case"
    EDIT_COSTS = "edit_costs"
    PRINT_FORMS = "print_forms"
    VIEW_REPORTS = "view_reports"
    APPROVE_FORMS = "approve_forms"
    CLOSE_QUARTER = "close_quarter"
    MANAGE_SETTINGS = "manage_settings"
    BACKUP = "backup"
    SET_ALLOCATION = "set_allocation"
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_FORMULARY = "manage_formulary"
    VIEW_AUDIT = "view_audit"
    # At a roll-up (a university's or the ministry's): merging hubs' packages, and what
    # only an administrator of the roll-up decides — a hub's new key, taking an unsigned
    # package, removing one.
    IMPORT_PACKAGES = "import_packages"
    MANAGE_ROLLUP = "manage_rollup"

    @property
    def label_fa(self) -> str:
        return ACTION_LABELS_FA[self]


ACTION_LABELS_FA = {
    Action.VIEW_PATIENTS: "دیدن پرونده بیماران",
    Action.EDIT_PATIENTS: "ثبت و ویرایش مشخصات بیمار",
    Action.MERGE_PATIENTS: "ادغام پرونده‌های تکراری",
    Action.ASSESS: "ثبت ارزیابی",
    Action.EDIT_CASE: "ویرایش فرم شماره ۱",
    Action.EDIT_COSTS: "ثبت هزینه و معرفی به حسابداری",
    Action.PRINT_FORMS: "چاپ فرم‌ها",
    Action.VIEW_REPORTS: "دیدن فرم شماره ۲ و گزارش‌ها",
    Action.APPROVE_FORMS: "تأیید و مهر فرم شماره ۱",
    Action.CLOSE_QUARTER: "بستن و بازگشایی فصل",
    Action.MANAGE_SETTINGS: "تنظیمات بیمارستان",
    Action.SET_ALLOCATION: "ثبت اعتبار سالانه",
    Action.BACKUP: "پشتیبان‌گیری و بازگردانی پایگاه داده",
    Action.MANAGE_ACCOUNTS: "مدیریت حساب‌های کاربری",
    Action.MANAGE_FORMULARY: "مدیریت فهرست داروها",
    Action.VIEW_AUDIT: "دیدن سابقه تغییرات",
    Action.IMPORT_PACKAGES: "وارد کردن بسته‌های فصل در تجمیع",
    Action.MANAGE_ROLLUP: "پذیرش کلید تازه قطب، بسته بی‌امضا و برداشتن بسته در تجمیع",
}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMINISTRATOR: frozenset({
        Action.MANAGE_SETTINGS, Action.SET_ALLOCATION, Action.MANAGE_ACCOUNTS,
        Action.MANAGE_FORMULARY, Action.VIEW_AUDIT, Action.BACKUP,
        Action.IMPORT_PACKAGES, Action.MANAGE_ROLLUP,
    }),
    # Merging is the social worker's: who registers patients is who knows the person
    # registered twice. What others signed for is guarded by the merge itself (a sealed
    # Form 1, a closed quarter), and every merge is in the trail.
    Role.SOCIAL_WORKER: frozenset({
        Action.VIEW_PATIENTS, Action.EDIT_PATIENTS, Action.MERGE_PATIENTS, Action.ASSESS,
        Action.EDIT_CASE,
        Action.EDIT_COSTS, Action.PRINT_FORMS, Action.VIEW_REPORTS, Action.VIEW_AUDIT,
    }),
    # "Reads everything": every reading action, and what only a director signs for.
    # The allocation letter comes to the director, who sees it against the spending on
    # the dashboard; an administrator may enter it too (from the command line).
    Role.DIRECTOR: frozenset({
        Action.VIEW_PATIENTS, Action.PRINT_FORMS, Action.VIEW_REPORTS, Action.VIEW_AUDIT,
        Action.APPROVE_FORMS, Action.CLOSE_QUARTER, Action.SET_ALLOCATION,
        Action.IMPORT_PACKAGES,
    }),
}


def parse_roles(stored: str) -> frozenset[Role]:
    """Roles as the database keeps them: ``"social_worker,director"``."""
    return frozenset(Role(name) for name in stored.split(",") if name)


def store_roles(roles: frozenset[Role] | set[Role]) -> str:
    return ",".join(role.value for role in Role if role in roles)


def allowed(roles: frozenset[Role] | set[Role], action: Action) -> bool:
    return any(action in ROLE_ACTIONS[role] for role in roles)


def roles_allowing(action: Action) -> list[Role]:
    return [role for role in Role if action in ROLE_ACTIONS[role]]


@dataclass(frozen=True)
class Actor:
    """The person signed in, as every service and audit entry sees them."""

    account_id: int
    username: str
    display_name: str
    roles: frozenset[Role]

    def may(self, action: Action) -> bool:
        return allowed(self.roles, action)

    @property
    def label(self) -> str:
        return f"{self.display_name} ({self.username})"


# --- usernames and passwords -------------------------------------------------------------

USERNAME_PATTERN = re.compile(r"[a-z][a-z0-9._-]{2,31}")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200


def clean_username(raw: str) -> str:
    """Usernames are Latin (typed on any keyboard layout the same way), lower case."""
    return normalize_text(raw).lower()


def username_problem(username: str) -> str | None:
    if not USERNAME_PATTERN.fullmatch(username):
        return ("«نام کاربری» باید ۳ تا ۳۲ حرف لاتین کوچک، رقم، نقطه، خط تیره یا زیرخط "
                "باشد و با حرف آغاز شود.")
    return None


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is not acceptable, in Persian, or ``None``."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return (f"«گذرواژه» دست‌کم {to_persian_digits(MIN_PASSWORD_LENGTH)} نویسه "
                "باشد.")
    if len(password) > MAX_PASSWORD_LENGTH:
        return "«گذرواژه» بیش از اندازه بلند است."
    if password.strip() != password:
        return "«گذرواژه» با فاصله آغاز یا تمام نشود."
    if len(set(password)) < 4:
        return "«گذرواژه» بیش از اندازه ساده است (نویسه‌های تکراری)."
    if username and username.lower() in password.lower():
        return "«گذرواژه» نام کاربری را در خود نداشته باشد."
    return None


# --- locking after wrong passwords -------------------------------------------------------

MAX_FAILED_ATTEMPTS = 5
LOCK_DURATION = dt.timedelta(minutes=5)
DEFAULT_IDLE_LOCK_MINUTES = 10
IDLE_LOCK_RANGE = (1, 240)


@dataclass(frozen=True)
class FailedAttempt:
    """The state of an account after one more wrong password."""

    failed_attempts: int
    locked_until: dt.datetime | None


def after_failed_attempt(failed_attempts: int, now: dt.datetime) -> FailedAttempt:
    """Every ``MAX_FAILED_ATTEMPTS`` wrong passwords in a row lock the account for
    ``LOCK_DURATION``; the count starts again after the lock (a time-out, not for ever).
    """
    count = failed_attempts + 1
    if count >= MAX_FAILED_ATTEMPTS:
        return FailedAttempt(0, now + LOCK_DURATION)
    return FailedAttempt(count, None)


def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    return locked_until is not None and now < locked_until
