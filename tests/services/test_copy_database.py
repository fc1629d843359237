"""Moving a ward's database file to a department's server (or to any empty database):
an exact copy, checked, recorded in both trails; refused into a database holding data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from cancer_desk.app import fill_demo
from cancer_desk.core.costs import CostItemInput
from cancer_desk.db.engine import make_engine
from cancer_desk.models import Base
from cancer_desk.paths import sqlite_url
from cancer_desk.services.access import AccessDeniedError
from cancer_desk.services.transfer import CopyRefusedError, copy_database
from tests.builders import CODES, identity
from tests.conftest import open_signed_in

TODAY = dt.date(2025, 3, 1)


def table_rows(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            # By the first column (the id, or seq), as numbers would sort.
            return {table.name: sorted((tuple(map(repr, row)) for row in
                                        connection.execute(select(table))),
                                       key=lambda row: (len(row[0]), row))
                    for table in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


@pytest.fixture
def ward(tmp_path):
    """The ward PC's own file, with a year of demo work and a sealed Form 1."""
    ward = open_signed_in(sqlite_url(tmp_path / "ward.sqlite3"))
    from cancer_desk.app import demo_settings

    ward.settings.save(demo_settings(ward.reference))
    fill_demo(ward, 15, seed=4, force=True, today=TODAY)
    yield ward
    ward.close()


def test_the_copy_is_exact_and_carries_on_where_the_ward_left_off(ward, db_url) -> None:
    report = copy_database(ward.database, ward.access, db_url)
    assert report.counts["patients"] == 15
    before = table_rows(ward.database.url)
    after = table_rows(db_url)
    # Every row the same but the trail's last entry on each side: the copy itself.
    for table in before:
        if table != "audit_log":
            assert after[table] == before[table], table
    assert after["audit_log"][:-1] == before["audit_log"][:-1]
    copied_head = int(report.trail_head.split(":")[0])
    assert after["audit_log"][-1][:1] == (repr(copied_head + 1),)
    assert "'copy'" in after["audit_log"][-1] and "copied_from" in after["audit_log"][-1][8]

    server = open_signed_in(db_url)  # the same accounts and passwords
    try:
        trail = server.audit.verify()
        assert trail.intact, trail.problems
        assert trail.entries == trail.head_seq > copied_head
        # New records take new ids (a server's sequences start after the copied ones).
        new = server.patients.create(identity(CODES[7], first="نرگس"))
        assert new.id > max(p.id for p in ward.patients.search(""))
        server.costs.add(new.id, CostItemInput(TODAY, "other", 9_000, description="ایاب"))
    finally:
        server.close()
    assert ward.audit.recent(limit=1)[0].action == "copy"
    assert ward.audit.verify().intact


def test_a_database_holding_data_is_not_copied_into(ward, db_url) -> None:
    copy_database(ward.database, ward.access, db_url)
    before = table_rows(db_url)
    with pytest.raises(CopyRefusedError) as refused:
        copy_database(ward.database, ward.access, db_url)
    assert "خالی نیست" in refused.value.message_fa
    assert table_rows(db_url) == before
    with pytest.raises(CopyRefusedError):
        copy_database(ward.database, ward.access, ward.database.url)


def test_a_copy_that_fails_half_way_leaves_no_half_database(ward, db_url,
                                                            monkeypatch) -> None:
    from cancer_desk.services import transfer

    real = transfer._counts
    calls = {"n": 0}

    def miscounting(connection):
        calls["n"] += 1
        counts = real(connection)
        if calls["n"] == 2:  # the target's count, as if a row had gone missing
            counts["patients"] -= 1
        return counts

    monkeypatch.setattr(transfer, "_counts", miscounting)
    with pytest.raises(CopyRefusedError, match="does not match"):
        copy_database(ward.database, ward.access, db_url)
    engine = make_engine(db_url)
    try:
        from sqlalchemy import inspect

        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
    monkeypatch.setattr(transfer, "_counts", real)
    assert copy_database(ward.database, ward.access, db_url).counts["patients"] == 15


def test_only_an_administrator_copies_the_database(ward, db_url) -> None:
    from cancer_desk.core.access import Role

    ward.accounts.create("sara", "سارا رضایی", {Role.SOCIAL_WORKER}, "temporary-1388")
    ward.accounts.sign_out()
    ward.accounts.sign_in("sara", "temporary-1388")
    ward.accounts.change_own_password("temporary-1388", "another-pass-1388")
    with pytest.raises(AccessDeniedError):
        copy_database(ward.database, ward.access, db_url)


def test_a_target_out_of_reach_is_named(ward, tmp_path) -> None:
    for target in (f"sqlite:///{tmp_path.as_posix()}/no/such/folder/x.sqlite3",
                   "postgresql+psycopg://nobody@127.0.0.1:9/none"):
        with pytest.raises(CopyRefusedError) as refused:
            copy_database(ward.database, ward.access, target)
        assert "در دسترس نیست" in refused.value.message_fa
