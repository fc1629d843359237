"""Accounts: the first administrator, signing in and out, and what an administrator
does for others (create, change roles, reset a forgotten password, unlock).

Passwords are hashed with Argon2id (argon2-cffi); the password itself is never stored,
logged or written to the audit trail. There is no master password: a forgotten one is
reset by an administrator, and a forgotten administrator's by another administrator.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from cancer_desk.core.access import (
    Action,
    Actor,
    Role,
    after_failed_attempt,
    clean_username,
    is_locked,
    parse_roles,
    password_problem,
    store_roles,
    username_problem,
)
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.jalali import format_jalali
from cancer_desk.core.persian import normalize_text, one_line_problem, to_persian_digits
from cancer_desk.models import Account
from cancer_desk.models.base import utc_now
from cancer_desk.services import audit
from cancer_desk.services.access import Access
from cancer_desk.services.errors import NotFoundError, StaleRecordError

if TYPE_CHECKING:
    from cancer_desk.services.keys import KeyRing


def _keys() -> ModuleType:
    """The signing keys' module, loaded at the first sign-in: it brings the cryptography
    library, which the sign-in window does not need to appear."""
    from cancer_desk.services import keys

    return keys


def make_password_hasher() -> PasswordHasher:
    """RFC 9106's low-memory profile of Argon2id (3 passes, 64 MiB, 4 lanes), argon2-cffi's
    default: about a tenth of a second on a ward PC per attempt, which makes guessing slow
    and signing in not."""
    return PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


PASSWORD_HASHER = make_password_hasher()
# Checked against when the username is unknown, so that a wrong name takes as long as a
# wrong password and the time does not tell which names exist.
_UNKNOWN_USER_HASH: dict[int, str] = {}


@dataclass(frozen=True)
class AccountRecord:
    id: int
    version: int
    username: str
    display_name: str
    roles: frozenset[Role]
    active: bool
    must_change_password: bool
    locked_until: dt.datetime | None
    last_sign_in_at: dt.datetime | None

    def locked(self, now: dt.datetime | None = None) -> bool:
        return is_locked(self.locked_until, now or utc_now())


WRONG_FA = ("«نام کاربری» یا «گذرواژه» درست نیست. (پس از پنج گذرواژه نادرست پیاپی، حساب "
            "پنج دقیقه قفل می‌شود.)")


class SignInError(RuntimeError):
    """Wrong username or password, a locked or a disabled account."""

    def __init__(self, message: str, message_fa: str,
                 locked_until: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.message_fa = message_fa
        self.locked_until = locked_until


class AccountsExistError(RuntimeError):
    """The first administrator is made once; after that, administrators make accounts."""


class LastAdministratorError(ValueError):
    def __init__(self) -> None:
        super().__init__("this would leave no active administrator")
        self.message_fa = ("دست‌کم یک حساب فعال «مدیر سامانه» باید بماند؛ وگرنه کسی "
                           "نمی‌تواند حساب‌ها و تنظیمات را نگه دارد.")


def _record(row: Account) -> AccountRecord:
    return AccountRecord(row.id, row.version, row.username, row.display_name,
                         parse_roles(row.roles), row.active, row.must_change_password,
                         row.locked_until, row.last_sign_in_at)


def _actor(row: Account) -> Actor:
    return Actor(row.id, row.username, row.display_name, parse_roles(row.roles))


def _local_time(stored: dt.datetime) -> str:
    local = stored.replace(tzinfo=dt.UTC).astimezone()
    return f"{format_jalali(local.date())} ساعت {to_persian_digits(local.strftime('%H:%M'))}"


def clean_account(username: str, display_name: str, roles: frozenset[Role] | set[Role],
                  password: str | None) -> tuple[str, str]:
    """Checked username and display name; raises ValidationErrors naming each field."""
    errors: dict[str, str] = {}
    username = clean_username(username)
    line_problem = one_line_problem(display_name, "نام و نام خانوادگی")
    display_name = normalize_text(display_name)
    if problem := username_problem(username):
        errors["username"] = problem
    if line_problem:
        errors["display_name"] = line_problem
    elif not display_name:
        errors["display_name"] = "«نام و نام خانوادگی» را وارد کنید."
    elif len(display_name) > 120:
        errors["display_name"] = "«نام و نام خانوادگی» بیش از ۱۲۰ نویسه است."
    if not roles:
        errors["roles"] = "دست‌کم یک «نقش» برگزینید."
    if password is not None and (problem := password_problem(password, username)):
        errors["password"] = problem
    if errors:
        raise ValidationErrors(errors)
    return username, display_name


class AccountService:
    def __init__(self, session_factory: sessionmaker[Session], access: Access) -> None:
        self._sessions = session_factory
        self._access = access

    @property
    def current(self) -> Actor | None:
        return self._access.actor

    # --- first run ---------------------------------------------------------------------

    def has_accounts(self) -> bool:
        with self._sessions() as session:
            return bool(session.scalar(select(func.count()).select_from(Account)))

    def create_first_administrator(self, username: str, display_name: str,
                                   password: str) -> Actor:
        """Only while there is no account at all; the new administrator is signed in."""
        roles = frozenset({Role.ADMINISTRATOR})
        username, display_name = clean_account(username, display_name, roles, password)
        password_hash = PASSWORD_HASHER.hash(password)
        with self._sessions.begin() as session:
            if session.scalar(select(func.count()).select_from(Account)):
                raise AccountsExistError("accounts exist already; an administrator "
                                         "creates new ones")
            # Nobody is signed in yet: the first administrator creates themselves.
            session.info[audit.ACTOR_KEY] = Actor(0, username, display_name, roles)
            row = Account(username=username, display_name=display_name,
                          password_hash=password_hash, roles=store_roles(roles),
                          last_sign_in_at=utc_now())
            session.add(row)
            session.flush()
            actor = _actor(row)
            ring = _keys().set_up_first(session, row, password)
        self._access._set(actor, ring)
        return actor

    # --- signing in and out ------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Actor:
        actor, ring = self._check_password(clean_username(username), password,
                                           open_keys=True)
        self._access._set(actor, ring)
        return actor

    def confirm_password(self, password: str) -> None:
        """The signed-in person types their password again (unlocking an idle window).
        Wrong passwords count towards locking the account as at sign-in."""
        actor = self._access.actor
        if actor is None:
            raise SignInError("nobody is signed in", "کسی وارد نشده است.")
        self._check_password(actor.username, password, event="unlock")

    def sign_out(self) -> None:
        """Recorded, and the trail's head signed by the person leaving (a checkpoint)."""
        actor = self._access.actor
        if actor is not None:
            with self._sessions.begin() as session:
                audit.append(session, actor, [audit.Draft("sign_out", "accounts",
                                                          str(actor.account_id), None, {})])
                _keys().write_checkpoint(session, self._access.keys, actor.display_name,
                                      "sign_out")
        self._access._set(None)

    def _check_password(self, username: str, password: str, *, event: str = "sign_in",
                        open_keys: bool = False) -> tuple[Actor, KeyRing | None]:
        """The actor whose password this is, and with ``open_keys`` their signing keys
        unwrapped by it (made, for an account older than keys)."""
        now = utc_now()
        wrong = self._wrong()
        ring: KeyRing | None = None
        with self._sessions.begin() as session:
            row = session.scalar(select(Account).where(Account.username == username))
            if row is None:
                _verify_quietly(password)
                # Not the name typed: people type their password into the wrong field,
                # and the trail can never be cleaned of it.
                audit.append(session, None, [audit.Draft(f"{event}_failed", "accounts", "",
                                                         None, {})],
                             actor_label="?", reason="unknown username")
                failure: SignInError | None = wrong
            else:
                failure = self._password_outcome(session, row, password, now, event)
                actor = _actor(row)
                if failure is None and open_keys:
                    ring = _keys().unlock(session, row, password)
        if failure is not None:
            raise failure
        return actor, ring

    def _password_outcome(self, session: Session, row: Account, password: str,
                          now: dt.datetime, event: str) -> SignInError | None:
        """Update ``row`` for this attempt, audit it, and return the error to raise."""
        actor = _actor(row)
        session.info[audit.ACTOR_KEY] = actor

        def note(action: str, reason: str = "") -> None:
            audit.append(session, actor, [audit.Draft(action, "accounts", str(row.id), None,
                                                      {})], reason=reason)

        # A disabled or locked account is told as such only to whoever knows its password;
        # to anyone else it reads like a wrong password, so names cannot be fished for.
        try:
            PASSWORD_HASHER.verify(row.password_hash, password)
            right = True
        except (VerificationError, InvalidHashError):
            right = False
        if not row.active:
            note(f"{event}_failed", "account disabled")
            return SignInError("this account is disabled",
                               "این حساب غیرفعال است؛ به مدیر سامانه بگویید.") if right \
                else self._wrong()
        if is_locked(row.locked_until, now):
            note(f"{event}_failed", "account locked")
            return self._locked_error(row.locked_until) if right else self._wrong()
        if not right:
            state = after_failed_attempt(row.failed_attempts, now)
            row.failed_attempts = state.failed_attempts
            row.locked_until = state.locked_until
            note(f"{event}_failed", "wrong password")
            if state.locked_until is not None:
                note("locked", "too many wrong passwords")
            return self._wrong()
        if PASSWORD_HASHER.check_needs_rehash(row.password_hash):
            row.password_hash = PASSWORD_HASHER.hash(password)
        row.failed_attempts = 0
        row.locked_until = None
        if event == "sign_in":
            row.last_sign_in_at = now
        note(event)
        return None

    @staticmethod
    def _wrong() -> SignInError:
        return SignInError("wrong username or password", WRONG_FA)

    @staticmethod
    def _locked_error(until: dt.datetime | None) -> SignInError:
        assert until is not None
        return SignInError(
            f"the account is locked until {until.isoformat(timespec='seconds')} UTC after "
            "repeated wrong passwords",
            f"این حساب پس از چند گذرواژه نادرست تا {_local_time(until)} قفل است؛ پس از آن "
            "دوباره بکوشید، یا مدیر سامانه آن را باز کند.", until)

    def change_own_password(self, current_password: str, new_password: str) -> None:
        actor = self._access.actor
        if actor is None:
            raise SignInError("nobody is signed in", "کسی وارد نشده است.")
        self._check_password(actor.username, current_password, event="confirm")
        if problem := password_problem(new_password, actor.username):
            raise ValidationErrors({"password": problem})
        if new_password == current_password:
            raise ValidationErrors({"password": "«گذرواژه تازه» با گذرواژه کنونی یکی است."})
        with self._sessions.begin() as session:
            row = session.get(Account, actor.account_id)
            assert row is not None
            row.password_hash = PASSWORD_HASHER.hash(new_password)
            row.must_change_password = False
            ring = _keys().change_password(session, row, new_password, self._access.keys)
        self._access.keys = ring

    def must_change_password(self) -> bool:
        actor = self._access.actor
        if actor is None:
            return False
        with self._sessions() as session:
            row = session.get(Account, actor.account_id)
            return bool(row and row.must_change_password)

    # --- an administrator's work -------------------------------------------------------

    def list(self) -> list[AccountRecord]:
        self._access.require(Action.MANAGE_ACCOUNTS)
        with self._sessions() as session:
            return [_record(r) for r in session.scalars(select(Account)
                                                        .order_by(Account.username))]

    def get(self, account_id: int) -> AccountRecord:
        self._access.require(Action.MANAGE_ACCOUNTS)
        with self._sessions() as session:
            row = session.get(Account, account_id)
            if row is None:
                raise NotFoundError(f"account {account_id} does not exist")
            return _record(row)

    def create(self, username: str, display_name: str, roles: set[Role] | frozenset[Role],
               password: str) -> AccountRecord:
        """The new person must choose their own password at their first sign-in."""
        self._access.require(Action.MANAGE_ACCOUNTS)
        username, display_name = clean_account(username, display_name, roles, password)
        password_hash = PASSWORD_HASHER.hash(password)
        with self._sessions.begin() as session:
            if session.scalar(select(Account).where(Account.username == username)):
                raise ValidationErrors({"username": f"«{username}» پیش‌تر گرفته شده است."})
            row = Account(username=username, display_name=display_name,
                          password_hash=password_hash, roles=store_roles(frozenset(roles)),
                          must_change_password=True)
            session.add(row)
            session.flush()
            _keys().provision(session, row, password, self._access.keys,
                           "created")
            return _record(row)

    def update(self, account_id: int, *, display_name: str,
               roles: set[Role] | frozenset[Role], active: bool,
               expected_version: int) -> AccountRecord:
        self._access.require(Action.MANAGE_ACCOUNTS)
        try:
            with self._sessions.begin() as session:
                row = self._changeable(session, account_id, expected_version)
                _, display_name = clean_account(row.username, display_name, roles, None)
                roles_changed = parse_roles(row.roles) != frozenset(roles) \
                    or row.display_name != display_name
                disabled = row.active and not active
                row.display_name = display_name
                row.roles = store_roles(frozenset(roles))
                row.active = active
                session.flush()
                self._keep_an_administrator(session)
                _keys().after_account_update(session, row, roles_changed=roles_changed,
                                          disabled=disabled, administrator=self._access.keys)
                record = _record(row)
        except StaleDataError as exc:
            raise StaleRecordError(f"account {account_id} changed") from exc
        if self.current is not None and account_id == self.current.account_id:
            self._access._set(Actor(record.id, record.username, record.display_name,
                                    record.roles), self._access.keys)
        return record

    def reset_password(self, account_id: int, temporary_password: str, *,
                       reason: str = "") -> AccountRecord:
        """A forgotten password: the administrator sets a temporary one, the account is
        unlocked, and its owner must choose a new one at the next sign-in."""
        self._access.require(Action.MANAGE_ACCOUNTS)
        with self._sessions.begin() as session:
            row = session.get(Account, account_id)
            if row is None:
                raise NotFoundError(f"account {account_id} does not exist")
            if problem := password_problem(temporary_password, row.username):
                raise ValidationErrors({"password": problem})
            session.info[audit.REASON_KEY] = normalize_text(reason) or "password reset"
            row.password_hash = PASSWORD_HASHER.hash(temporary_password)
            row.must_change_password = True
            row.failed_attempts = 0
            row.locked_until = None
            session.flush()
            _keys().provision(session, row, temporary_password, self._access.keys,
                           "reset")
            return _record(row)

    def unlock(self, account_id: int) -> AccountRecord:
        self._access.require(Action.MANAGE_ACCOUNTS)
        with self._sessions.begin() as session:
            row = session.get(Account, account_id)
            if row is None:
                raise NotFoundError(f"account {account_id} does not exist")
            row.failed_attempts = 0
            row.locked_until = None
            audit.append(session, self._access.actor,
                         [audit.Draft("unlock", "accounts", str(row.id), None, {})])
            return _record(row)

    def clear_password_change(self, account_id: int) -> None:
        """The demo's accounts keep the password they were given."""
        self._access.require(Action.MANAGE_ACCOUNTS)
        with self._sessions.begin() as session:
            row = session.get(Account, account_id)
            if row is None:
                raise NotFoundError(f"account {account_id} does not exist")
            row.must_change_password = False
            _keys().settle(session, row.id)

    @staticmethod
    def _changeable(session: Session, account_id: int, expected_version: int) -> Account:
        row = session.get(Account, account_id)
        if row is None:
            raise NotFoundError(f"account {account_id} does not exist")
        if row.version != expected_version:
            raise StaleRecordError(f"account {account_id} changed since it was opened")
        return row

    @staticmethod
    def _keep_an_administrator(session: Session) -> None:
        administrators = [r for r in session.scalars(select(Account).where(
            Account.active.is_(True))) if Role.ADMINISTRATOR in parse_roles(r.roles)]
        if not administrators:
            raise LastAdministratorError()


def _verify_quietly(password: str) -> None:
    key = id(PASSWORD_HASHER)
    if key not in _UNKNOWN_USER_HASH:
        _UNKNOWN_USER_HASH[key] = PASSWORD_HASHER.hash("not a password of anyone")
    with contextlib.suppress(VerificationError, InvalidHashError):
        PASSWORD_HASHER.verify(_UNKNOWN_USER_HASH[key], password)
