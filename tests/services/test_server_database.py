"""What must hold whether the database is an SQLite file or on a PostgreSQL server that
several PCs share: each PC here is a context of its own (its own engine and
connections), as a second PC on the ward would be."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from cancer_desk.core.costs import CostItemInput
from cancer_desk.db.migrate import head_revision
from cancer_desk.services.backups import NotOnFileError
from cancer_desk.services.errors import StaleRecordError
from tests.conftest import open_signed_in
from tests.services.test_patients import CODES, identity


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
    for attempt in (backups.backup_now, backups.daily,
                    lambda: backups.restore(tmp_path / "copy.sqlite3")):
        with pytest.raises(NotOnFileError) as refused:
            attempt()
        assert "pg_dump" in refused.value.message_fa


def test_a_server_out_of_reach_gets_a_message_saying_so() -> None:
    """Whatever the tests run on: a server nobody answers at (a closed port here)."""
    from sqlalchemy.exc import OperationalError

    from cancer_desk.db.engine import make_engine
    from cancer_desk.ui.errors import storage_problem_fa

    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none",
                         connect_args={"connect_timeout": 2})
    with pytest.raises(OperationalError) as caught:
        engine.connect()
    engine.dispose()
    assert "سرور پایگاه داده در دسترس نیست" in storage_problem_fa(caught.value)


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
