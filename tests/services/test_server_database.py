"""What must hold whether the database is an SQLite file or on a PostgreSQL server that
several PCs share: each PC here is a context of its own (its own engine and
connections), as a second PC on the ward would be."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading

import pytest

from cancer_desk.core.costs import CostItemInput
from cancer_desk.db.migrate import head_revision
from cancer_desk.services.backups import NotOnFileError
from cancer_desk.services.errors import StaleRecordError
from tests.builders import CODES, identity
from tests.conftest import open_signed_in


@pytest.fixture
def second_pc(context, db_url):
    other = open_signed_in(db_url)
    yield other
    other.close()


def test_two_pcs_one_patient_the_second_save_is_refused(context, second_pc) -> None:
    opened_here = context.patients.create(identity(CODES[0]))
    opened_there = second_pc.patients.get(opened_here.id)
    context.patients.update(opened_here.id, identity(CODES[0], first="رضا"),
                            opened_here.version)
    with pytest.raises(StaleRecordError):
        second_pc.patients.update(opened_there.id, identity(CODES[0], first="حسین"),
                                  opened_there.version)
    assert second_pc.patients.get(opened_here.id).identity.first_name == "رضا"
    assert context.audit.verify().intact


def test_two_pcs_saving_at_once_lose_nothing_and_keep_the_trail_whole(
        context, second_pc) -> None:
    """One PC adds costs (under the write lock) while the other keeps changing a patient
    (optimistic, no lock): every save lands, and the audit chain, which both append to,
    has no fork and no gap."""
    costs_for = context.patients.create(identity(CODES[0])).id
    edited = context.patients.create(identity(CODES[1])).id
    rounds = 25
    failures: list[BaseException] = []

    def add_costs() -> None:
        try:
            for n in range(rounds):
                context.costs.add(costs_for, CostItemInput(
                    dt.date.today(), "other", 1_000 + n, description=f"ایاب و ذهاب {n}"))
        except BaseException as exc:
            failures.append(exc)

    def edit_patient() -> None:
        try:
            for n in range(rounds):
                record = second_pc.patients.get(edited)
                second_pc.patients.update(edited, identity(CODES[1], phone=f"0912000{n:04d}"),
                                          record.version)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=add_costs), threading.Thread(target=edit_patient)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(context.costs.list(costs_for)) == rounds
    assert context.patients.get(edited).version == rounds + 1
    report = context.audit.verify()
    assert report.intact, report.problems
    assert report.entries == report.head_seq


def test_check_reports_the_schema_and_counts(configured_context) -> None:
    for code in CODES[:3]:
        configured_context.patients.create(identity(code))
    facts = configured_context.backups.check()
    assert facts.revision == head_revision()
    assert facts.counts["patients"] == 3
    assert facts.sound
    on_file = configured_context.database.sqlite_file is not None
    assert facts.integrity_checked == on_file


@pytest.mark.postgresql_only
def test_on_a_server_backups_are_the_servers_own_care(configured_context, tmp_path) -> None:
    backups = configured_context.backups
    for attempt in (backups.backup_now, backups.daily, backups.daily_due,
                    lambda: backups.restore(tmp_path / "copy.sqlite3")):
        with pytest.raises(NotOnFileError) as refused:
            attempt()
        assert "pg_dump" in refused.value.message_fa


def test_a_server_out_of_reach_gets_a_message_saying_so() -> None:
    """Whatever the tests run on: a server nobody answers at (a closed port here)."""
    from sqlalchemy.exc import OperationalError

    from cancer_desk.db.engine import make_engine
    from cancer_desk.ui.errors import storage_problem_fa

    for url in ("postgresql+psycopg://nobody@127.0.0.1:9/none",  # a port nobody answers
                "postgresql+psycopg://nobody@no-such-server.invalid/none"):  # a wrong name
        engine = make_engine(url, connect_args={"connect_timeout": 2})
        with pytest.raises(OperationalError) as caught:
            engine.connect()
        engine.dispose()
        assert "سرور پایگاه داده در دسترس نیست" in storage_problem_fa(caught.value), url


@pytest.mark.postgresql_only
def test_a_busy_or_read_only_server_refuses_the_save_and_says_why(
        configured_context, db_url, monkeypatch) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from cancer_desk.db import engine as engine_module
    from cancer_desk.ui.errors import storage_problem_fa

    patient = configured_context.patients.create(identity(CODES[0])).id
    cost = CostItemInput(dt.date.today(), "other", 5_000, description="ایاب و ذهاب")
    monkeypatch.setattr(engine_module, "WRITE_WAIT_MS", 200)
    holder = engine_module.make_engine(db_url).connect()  # another PC in mid-save
    holder.begin()
    holder.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                   {"key": engine_module.WRITE_LOCK_KEY})
    try:
        with pytest.raises(DBAPIError) as busy:
            configured_context.costs.add(patient, cost)
    finally:
        holder.rollback()
    assert "در دست رایانه یا برنامه دیگری است" in storage_problem_fa(busy.value)

    # The server (a standby, or one the IT person set so) takes no writes.
    holder.execute(text(f'ALTER DATABASE "{holder.engine.url.database}" '
                        "SET default_transaction_read_only = on"))
    holder.commit()
    holder.close()
    holder.engine.dispose()
    configured_context.database.engine.dispose()  # new connections take the setting
    with pytest.raises(DBAPIError) as read_only:
        configured_context.costs.add(patient, cost)
    assert "فقط‌خواندنی" in storage_problem_fa(read_only.value)
    assert configured_context.costs.list(patient) == []


def test_a_form1_save_racing_its_seal_never_lands_behind_it(configured_context, db_url,
                                                            monkeypatch) -> None:
    """One PC has checked that Form 1 is not sealed and is about to save it, when the
    director seals it on another: either the save lands first and the seal covers it,
    or the seal refuses it. Never a fresh seal that no longer matches."""
    import dataclasses

    from cancer_desk.services import cases as cases_module
    from cancer_desk.services.seals import SealStatus
    from tests.builders import full_case
    from tests.conftest import full_answers

    ctx = configured_context
    patient = ctx.patients.create(identity()).id
    ctx.assessments.record(patient, full_answers())
    state = ctx.cases.save(patient, full_case(), None)
    director = open_signed_in(db_url)
    checked, go_on = threading.Event(), threading.Event()
    real_check = cases_module.ensure_unsealed

    def check_then_pause(session, patient_id):
        real_check(session, patient_id)
        checked.set()
        go_on.wait(timeout=3)  # the director seals meanwhile, if the seal can get in

    monkeypatch.setattr(cases_module, "ensure_unsealed", check_then_pause)
    outcome: dict[str, object] = {}

    def edit() -> None:
        try:
            changed = dataclasses.replace(full_case(), grade="G1")
            outcome["saved"] = ctx.cases.save(patient, changed, state.version)
        except Exception as exc:
            outcome["refused"] = exc

    editing = threading.Thread(target=edit)
    editing.start()
    try:
        assert checked.wait(10)
        seal = director.seals.approve(patient)  # waits for the save to finish
        go_on.set()
    finally:
        go_on.set()
        editing.join(30)
    assert "saved" in outcome, outcome
    assert director.seals.check(seal.code).status == SealStatus.CURRENT
    director.close()


def test_a_sign_in_and_an_edit_of_that_account_do_not_deadlock(configured_context, db_url,
                                                                monkeypatch) -> None:
    from cancer_desk.core.access import Role
    from cancer_desk.services import audit

    admin = configured_context
    sara = admin.accounts.create("sara", "سارا رضایی", {Role.SOCIAL_WORKER}, "temporary-1388")
    ward_pc = open_signed_in(db_url)
    ward_pc.accounts.sign_out()
    real_append = audit.append
    paused = threading.Event()

    def append_then_pause(session, *args, **kwargs):
        written = real_append(session, *args, **kwargs)
        if threading.current_thread().name == "sign-in" and not paused.is_set():
            paused.set()
            threading.Event().wait(1.0)  # holds what it holds; the account row at commit
        return written

    monkeypatch.setattr(audit, "append", append_then_pause)
    outcome: dict[str, object] = {}

    def sign_in() -> None:
        try:
            ward_pc.accounts.sign_in("sara", "temporary-1388")
            outcome["sign-in"] = "ok"
        except Exception as exc:
            outcome["sign-in"] = exc

    signing_in = threading.Thread(target=sign_in, name="sign-in")
    signing_in.start()
    assert paused.wait(10)
    # Saved, or refused because the sign-in changed the account first (its last sign-in):
    # told, not lost. Never a deadlock or a wait without end.
    with contextlib.suppress(StaleRecordError):
        admin.accounts.update(sara.id, display_name="سارا رضایی‌نژاد",
                              roles={Role.SOCIAL_WORKER}, active=True,
                              expected_version=sara.version)
    signing_in.join(30)
    assert outcome == {"sign-in": "ok"}
    ward_pc.close()


def test_two_pcs_opening_a_new_database_at_once_both_start(db_url) -> None:
    """The first migrates; the other waits its turn and finds the schema made."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    child = ("import sys, time\n"
             "from cancer_desk.db.database import open_database\n"
             "while time.time() < float(sys.argv[2]): pass\n"
             "open_database(sys.argv[1]).dispose()\n"
             "print('started')\n")
    at = str(time.time() + 2.5)
    pcs = [subprocess.Popen([sys.executable, "-c", child, db_url, at],
                            cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    said = [pc.communicate(timeout=120)[0].strip() for pc in pcs]
    assert [s.splitlines()[-1] if s else "" for s in said] == ["started", "started"], said


def test_a_save_holds_the_write_lock_from_its_start(context) -> None:
    from sqlalchemy import select

    from cancer_desk.db.engine import take_write_lock

    sessions = context.database.session_factory
    with sessions.begin() as session:
        take_write_lock(session)  # held since begin(): asking again is harmless
        session.execute(select(1))
        take_write_lock(session)
    with sessions() as session:  # a reader that starts writing too late is told so
        session.execute(select(1))
        with pytest.raises(RuntimeError, match="first query"):
            take_write_lock(session)


def test_the_audit_trail_cannot_be_changed_on_either_database(context) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    context.patients.create(identity(CODES[0]))
    for statement in ("UPDATE audit_log SET actor = 'someone else'",
                      "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), \
                context.database.engine.begin() as connection:
            connection.execute(text(statement))
    assert context.audit.verify().intact


def test_an_older_database_with_records_is_brought_up_to_date(db_url) -> None:
    """On either database: the schema one version back, holding a patient; the next
    start migrates it, and the patient is found as before."""
    from alembic import command

    from cancer_desk.db.migrate import alembic_config, head_revision

    ctx = open_signed_in(db_url)
    ctx.patients.create(identity(CODES[0]))
    config = alembic_config(ctx.database.engine)
    with ctx.database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
    ctx.close()
    again = open_signed_in(db_url)
    try:
        assert again.database.migration.after == head_revision()
        assert again.database.migration.before != head_revision()
        assert [p.national_code for p in again.patients.search("کریمی")] == [CODES[0]]
        assert [p.national_code for p in again.patients.search(CODES[0][:4])] == [CODES[0]]
    finally:
        again.close()
