"""Accounts: Argon2id hashes, wrong passwords, locking and unlocking, resets."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from cancer_desk.core.access import LOCK_DURATION, MAX_FAILED_ATTEMPTS, Role
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.services import accounts as accounts_module
from cancer_desk.services.access import AccessDeniedError, NotSignedInError
from cancer_desk.services.accounts import AccountsExistError, LastAdministratorError, SignInError
from tests.builders import identity
from tests.conftest import TEST_PASSWORD, TEST_USERNAME

WORKER_PASSWORD = "temp-77-karimi"


@pytest.fixture
def worker(context):
    """A social worker made by the administrator, who has chosen her own password."""
    record = context.accounts.create("zahra", "زهرا کریمی", {Role.SOCIAL_WORKER},
                                     WORKER_PASSWORD)
    return record


def audit_actions(context, limit: int = 20) -> list[tuple[str, str]]:
    return [(e.action, e.reason) for e in reversed(context.audit.recent(limit=limit))]


def test_the_program_hashes_with_argon2id() -> None:
    hasher = accounts_module.make_password_hasher()
    stored = hasher.hash("a password")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert hasher.verify(stored, "a password")


def test_no_password_is_stored_or_audited(context, worker, db_file) -> None:
    context.accounts.sign_in("zahra", WORKER_PASSWORD)
    context.accounts.change_own_password(WORKER_PASSWORD, "my own secret 42")
    raw = db_file.read_bytes() + db_file.with_name(db_file.name + "-wal").read_bytes()
    for password in (WORKER_PASSWORD, "my own secret 42", TEST_PASSWORD):
        assert password.encode() not in raw
    with sqlite3.connect(db_file) as db:
        hashes = [row[0] for row in db.execute("SELECT password_hash FROM accounts")]
        trail = [json.loads(row[0]) for row in db.execute("SELECT changes FROM audit_log")]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert "argon2" not in str(trail) and "my own secret" not in str(trail)
    assert {"password_hash": ["•••", "changed"], "must_change_password": [True, False]} in trail


def test_wrong_passwords_lock_the_account_for_a_while(context, worker, monkeypatch) -> None:
    context.accounts.sign_out()
    for attempt in range(1, MAX_FAILED_ATTEMPTS + 1):
        with pytest.raises(SignInError) as wrong:
            context.accounts.sign_in("zahra", "not it")
        assert wrong.value.locked_until is None, attempt
        assert "درست نیست" in wrong.value.message_fa
    # Locked now. A wrong password still reads like any wrong password (no name can be
    # fished for); the right one is refused, and says until when.
    with pytest.raises(SignInError) as still_wrong:
        context.accounts.sign_in("zahra", "not it either")
    assert still_wrong.value.locked_until is None
    with pytest.raises(SignInError, match="locked") as locked:
        context.accounts.sign_in("zahra", WORKER_PASSWORD)
    assert locked.value.locked_until is not None and "قفل" in locked.value.message_fa
    assert context.access.actor is None
    # …and once the time-out has passed it works again.
    later = locked.value.locked_until + dt.timedelta(seconds=1)
    monkeypatch.setattr(accounts_module, "utc_now", lambda: later)
    assert context.accounts.sign_in("zahra", WORKER_PASSWORD).username == "zahra"
    assert dt.timedelta(minutes=30) >= LOCK_DURATION  # a time-out, not for ever


def test_an_administrator_unlocks_and_every_attempt_is_audited(context, worker) -> None:
    context.accounts.sign_out()
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInError):
            context.accounts.sign_in("zahra", "not it")
    context.accounts.sign_in(TEST_USERNAME, TEST_PASSWORD)
    assert context.accounts.get(worker.id).locked()
    context.accounts.unlock(worker.id)
    assert not context.accounts.get(worker.id).locked()
    actions = audit_actions(context)
    assert actions.count(("sign_in_failed", "wrong password")) == MAX_FAILED_ATTEMPTS
    assert ("locked", "too many wrong passwords") in actions
    assert actions[-1][0] == "unlock"
    context.accounts.sign_out()
    assert context.accounts.sign_in("zahra", WORKER_PASSWORD).display_name == "زهرا کریمی"


def test_an_unknown_name_reads_like_a_wrong_password(context) -> None:
    context.accounts.sign_out()
    with pytest.raises(SignInError) as unknown:
        context.accounts.sign_in("nobody", "whatever-1")
    with pytest.raises(SignInError) as wrong:
        context.accounts.sign_in(TEST_USERNAME, "whatever-1")
    assert unknown.value.message_fa == wrong.value.message_fa
    context.accounts.sign_in(TEST_USERNAME, TEST_PASSWORD)
    assert ("sign_in_failed", "unknown username") in audit_actions(context)
    # What was typed as a name may be a password typed in the wrong field: not kept.
    assert "nobody" not in str([(e.actor, e.changes) for e in context.audit.recent()])


def test_a_forgotten_password_is_reset_by_an_administrator(context, worker) -> None:
    context.accounts.reset_password(worker.id, "temporary-99")
    context.accounts.sign_out()
    with pytest.raises(SignInError):
        context.accounts.sign_in("zahra", WORKER_PASSWORD)
    context.accounts.sign_in("zahra", "temporary-99")
    assert context.accounts.must_change_password()
    with pytest.raises(ValidationErrors) as weak:
        context.accounts.change_own_password("temporary-99", "short")
    assert "«گذرواژه»" in weak.value.errors["password"]
    context.accounts.change_own_password("temporary-99", "my own 2026 key")
    assert not context.accounts.must_change_password()
    context.accounts.sign_out()
    assert context.accounts.sign_in("zahra", "my own 2026 key").username == "zahra"


def test_no_one_but_an_administrator_manages_accounts(context, worker) -> None:
    context.accounts.sign_out()
    context.accounts.sign_in("zahra", WORKER_PASSWORD)
    with pytest.raises(AccessDeniedError):
        context.accounts.reset_password(1, "temporary-99")
    context.accounts.sign_out()
    with pytest.raises(NotSignedInError):
        context.accounts.list()


def test_the_last_administrator_cannot_be_removed(context) -> None:
    me = context.accounts.list()[0]
    with pytest.raises(LastAdministratorError):
        context.accounts.update(me.id, display_name=me.display_name,
                                roles={Role.SOCIAL_WORKER}, active=True,
                                expected_version=me.version)
    with pytest.raises(LastAdministratorError):
        context.accounts.update(me.id, display_name=me.display_name, roles=set(Role),
                                active=False, expected_version=me.version)
    assert Role.ADMINISTRATOR in context.accounts.get(me.id).roles


def test_a_disabled_account_cannot_sign_in(context, worker) -> None:
    context.accounts.update(worker.id, display_name=worker.display_name,
                            roles=worker.roles, active=False, expected_version=worker.version)
    context.accounts.sign_out()
    with pytest.raises(SignInError) as refused:
        context.accounts.sign_in("zahra", WORKER_PASSWORD)
    assert "غیرفعال" in refused.value.message_fa
    with pytest.raises(SignInError) as guessed:  # a guess learns nothing of the account
        context.accounts.sign_in("zahra", "a guess")
    assert "غیرفعال" not in guessed.value.message_fa


@pytest.mark.parametrize(("username", "name", "roles", "password", "field"), [
    ("Zahra K", "زهرا", {Role.SOCIAL_WORKER}, "long enough 1", "username"),
    ("زهرا", "زهرا", {Role.SOCIAL_WORKER}, "long enough 1", "username"),
    ("zahra", "  ", {Role.SOCIAL_WORKER}, "long enough 1", "display_name"),
    ("zahra", "زهرا", set(), "long enough 1", "roles"),
    ("zahra", "زهرا", {Role.SOCIAL_WORKER}, "short", "password"),
    ("zahra", "زهرا", {Role.SOCIAL_WORKER}, "zahra-2026-x", "password"),
    ("zahra", "زهرا", {Role.SOCIAL_WORKER}, "aaaaaaaaaa", "password"),
])
def test_bad_account_input_names_the_field(context, username, name, roles, password,
                                           field) -> None:
    before = len(context.accounts.list())
    with pytest.raises(ValidationErrors) as caught:
        context.accounts.create(username, name, roles, password)
    assert field in caught.value.errors
    assert len(context.accounts.list()) == before


def test_a_username_is_taken_once(context, worker) -> None:
    with pytest.raises(ValidationErrors) as caught:
        context.accounts.create("ZAHRA", "زهرای دیگر", {Role.DIRECTOR}, "long enough 1")
    assert "گرفته شده" in caught.value.errors["username"]


def test_the_first_administrator_is_made_once(context) -> None:
    with pytest.raises(AccountsExistError):
        context.accounts.create_first_administrator("other", "دیگری", "long enough 1")


def test_disabling_or_changing_roles_elsewhere_applies_at_the_next_action(context, worker,
                                                                          db_url) -> None:
    """Two PCs: the administrator's changes reach a person already signed in."""
    from tests.conftest import open_signed_in

    context.accounts.clear_password_change(worker.id)
    context.accounts.sign_out()
    context.accounts.sign_in("zahra", WORKER_PASSWORD)
    assert context.patients.count() == 0  # a social worker reads patients
    admin_pc = open_signed_in(db_url)
    try:
        record = admin_pc.accounts.get(worker.id)
        admin_pc.accounts.update(worker.id, display_name=record.display_name,
                                 roles={Role.DIRECTOR}, active=True,
                                 expected_version=record.version)
        with pytest.raises(AccessDeniedError):
            context.patients.create(identity())  # no longer a social worker
        assert context.access.actor.roles == frozenset({Role.DIRECTOR})
        record = admin_pc.accounts.get(worker.id)
        admin_pc.accounts.update(worker.id, display_name=record.display_name,
                                 roles=record.roles, active=False,
                                 expected_version=record.version)
        with pytest.raises(NotSignedInError) as disabled:
            context.patients.count()
        assert "غیرفعال" in disabled.value.message_fa
        assert context.access.actor is None
    finally:
        admin_pc.close()


def test_one_check_reads_the_account_once_and_still_checks_each_action(
        context, worker, db_url) -> None:
    """A printed form is several service calls: the account is read at its start only.
    Each call still checks its own action, and after the work the next action reads the
    account again (a change made on another PC then applies)."""
    from sqlalchemy import event

    from cancer_desk.core.access import Action
    from tests.conftest import open_signed_in

    context.accounts.clear_password_change(worker.id)
    context.accounts.sign_out()
    context.accounts.sign_in("zahra", WORKER_PASSWORD)
    reads: list[str] = []

    def keep(_conn, _cursor, statement, *_args) -> None:
        if "FROM accounts" in statement:
            reads.append(statement)

    event.listen(context.database.engine, "before_cursor_execute", keep)
    with context.access.one_check():
        assert context.patients.count() == 0
        assert context.patients.count() == 0
        context.access.require(Action.EDIT_PATIENTS)
        with pytest.raises(AccessDeniedError):  # not a social worker's: refused as ever
            context.access.require(Action.MANAGE_ACCOUNTS)
    assert len(reads) == 1
    admin_pc = open_signed_in(db_url)
    try:
        record = admin_pc.accounts.get(worker.id)
        admin_pc.accounts.update(worker.id, display_name=record.display_name,
                                 roles=record.roles, active=False,
                                 expected_version=record.version)
    finally:
        admin_pc.close()
    with pytest.raises(NotSignedInError):
        context.patients.count()
    with pytest.raises(NotSignedInError), context.access.one_check():
        context.patients.count()
