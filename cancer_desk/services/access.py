"""Who is signed in, and the check every service makes before it acts.

One :class:`Access` per open database: the window and the command line sign a person in
through :class:`~cancer_desk.services.accounts.AccountService`, and from then on every
service asks ``access.require(action)``. A refusal is itself written to the audit trail.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Action, Actor, parse_roles, roles_allowing
from cancer_desk.models import Account, HubSettings

if TYPE_CHECKING:
    from cancer_desk.services.keys import KeyRing


class AccessDeniedError(RuntimeError):
    """The signed-in person's roles do not allow the action (or nobody is signed in).

    Not a PermissionError: that is an OSError, which the code writing files catches as
    «the disk refused», and a refusal must never read as that."""

    def __init__(self, message: str, message_fa: str, action: Action | None = None) -> None:
        super().__init__(message)
        self.message_fa = message_fa
        self.action = action


class NotSignedInError(AccessDeniedError):
    def __init__(self, message: str = "nobody is signed in",
                 message_fa: str = "نخست با حساب کاربری خود وارد شوید.") -> None:
        super().__init__(message, message_fa)


class Access:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory
        self._actor: Actor | None = None
        # The signed-in person's unwrapped signing keys (services.keys.KeyRing): in
        # memory only, dropped at sign-out.
        self.keys: KeyRing | None = None
        self._generation: str | None = None
        self._checked = threading.local()  # .actor: read once for the work under way

    @property
    def actor(self) -> Actor | None:
        return self._actor

    def _set(self, actor: Actor | None, keys: KeyRing | None = None) -> None:
        """For AccountService alone: after a password was checked, or at sign-out."""
        self._actor = actor
        self.keys = keys if actor is not None else None
        self._generation = self._read_generation() if actor is not None else None

    def _read_generation(self) -> str:
        with self._sessions() as session:
            return session.scalar(select(HubSettings.generation)
                                  .where(HubSettings.id == 1)) or ""

    def _current(self) -> Actor | None:
        """The signed-in actor as the accounts table says now: an account disabled, or
        its roles changed, on another PC takes effect at the next action, not at the next
        sign-in."""
        actor = self._actor
        if actor is None:
            return None
        checked: Actor | None = getattr(self._checked, "actor", None)  # per thread
        if checked is not None and checked.account_id == actor.account_id:
            return checked
        with self._sessions() as session:
            row = session.execute(select(Account.active, Account.roles, Account.display_name)
                                  .where(Account.id == actor.account_id)).first()
            generation = session.scalar(select(HubSettings.generation)
                                        .where(HubSettings.id == 1))
        if (generation or "") != self._generation:  # restored from a backup since sign-in
            self._actor = None
            # The file was replaced: connections kept open still read the one before.
            bind = self._sessions.kw.get("bind")
            if bind is not None:
                bind.dispose()
            raise NotSignedInError("the database was restored from a backup",
                                   "پایگاه داده از یک نسخه پشتیبان بازگردانده شده است؛ "
                                   "دوباره وارد شوید.")
        if row is None or not row.active:
            self._actor = None
            from cancer_desk.services.audit import record_event

            record_event(self._sessions, actor, "refused", "accounts", str(actor.account_id),
                         reason="account disabled")
            raise NotSignedInError("the account was disabled",
                                   "این حساب غیرفعال شده است؛ به مدیر سامانه بگویید.")
        roles = parse_roles(row.roles)
        if roles != actor.roles or row.display_name != actor.display_name:
            self._actor = actor = replace(actor, roles=roles, display_name=row.display_name)
        return actor

    @contextmanager
    def one_check(self) -> Iterator[None]:
        """One piece of work made of several service calls (a printed Form 1 reads the
        patient, their Form 1, costs and seal): the account is read from the database
        once, at its start, instead of at each call (that was half of reading a form
        to print). Each call inside still checks its own action against the roles read.
        Per thread: work beside the window is not covered by the window's check."""
        actor = self._current()
        outer = getattr(self._checked, "actor", None)
        self._checked.actor = actor
        try:
            yield
        finally:
            self._checked.actor = outer

    def may(self, action: Action) -> bool:
        return self._actor is not None and self._actor.may(action)

    def require(self, action: Action) -> Actor:
        """The signed-in actor if their roles allow ``action``; otherwise the refusal is
        audited (in its own transaction: the action's own never starts) and raised."""
        from cancer_desk.services.audit import record_event

        actor = self._current()
        if actor is None:
            record_event(self._sessions, None, "refused", "", action.value,
                         changes={"action": [None, action.value]},
                         reason="nobody signed in")
            raise NotSignedInError()
        if actor.may(action):
            return actor
        record_event(self._sessions, actor, "refused", "", action.value,
                     changes={"action": [None, action.value]})
        holders = "، ".join(f"«{role.label_fa}»" for role in roles_allowing(action))
        raise AccessDeniedError(
            f"{actor.username} may not {action.value}",
            f"حساب «{actor.display_name}» اجازه «{action.label_fa}» را ندارد؛ این کار با "
            f"نقش {holders} است.", action)
