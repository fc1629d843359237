"""The audit trail: every change recorded in its own transaction, field by field; the
table refuses changes; the chain finds what was done around that refusal."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DatabaseError

from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.core.settings import HubSettingsInput
from cancer_desk.models import AuditEntry, Patient
from cancer_desk.services import audit
from cancer_desk.services.formulary import DrugInput
from cancer_desk.services.patient_import import write_template
from tests.builders import full_case, identity
from tests.conftest import TEST_DISPLAY_NAME, TEST_USERNAME, full_answers

ME = f"{TEST_DISPLAY_NAME} ({TEST_USERNAME})"


def entries(context, table: str | None = None) -> list[audit.AuditRecord]:
    found = list(reversed(context.audit.recent(limit=1000)))
    return [e for e in found if table is None or e.table_name == table]


def test_a_patient_is_recorded_field_by_field(configured_context) -> None:
    ctx = configured_context
    patient = ctx.patients.create(identity(phone="09121234567"))
    [insert] = entries(ctx, "patients")
    assert (insert.action, insert.actor, insert.record_id) == ("insert", ME, str(patient.id))
    assert insert.patient_id == patient.id
    assert insert.changes["last_name"] == [None, "کریمی"]
    assert insert.changes["birth_date"] == [None, "1980-01-01"]
    assert "search_key" not in insert.changes and "version" not in insert.changes

    ctx.patients.update(patient.id, dataclasses.replace(patient.identity, phone="09351112233"),
                        patient.version)
    change = entries(ctx, "patients")[-1]
    assert change.action == "update"
    assert change.changes == {"phone": ["09121234567", "09351112233"]}  # only what changed


def test_every_kind_of_record_is_covered(configured_context) -> None:
    ctx = configured_context
    patient = ctx.patients.create(identity())
    ctx.assessments.record(patient.id, full_answers())
    ctx.cases.save(patient.id, full_case(), None)
    state = ctx.cases.get(patient.id)
    ctx.cases.save(patient.id, dataclasses.replace(
        state.record, family_cancers=state.record.family_cancers[:1]), state.version)
    item = ctx.costs.add(patient.id, CostItemInput(dt.date.today(), "other", 50_000,
                                                   description="ایاب و ذهاب"))
    ctx.costs.delete(item.id, item.version)
    drug = ctx.formulary.save(DrugInput("سیس‌پلاتین"))
    ctx.formulary.set_active(drug.id, False)
    settings = ctx.settings.get()
    ctx.settings.save(HubSettingsInput.of(settings, director_name="دکتر تازه"))
    ctx.allocations.set(1403, 9_000_000)
    seen = {(e.table_name, e.action) for e in entries(ctx)}
    assert {("patients", "insert"), ("assessments", "insert"), ("cases", "insert"),
            ("cases", "update"), ("cost_items", "insert"), ("cost_items", "delete"),
            ("formulary_drugs", "insert"), ("formulary_periods", "insert"),
            ("formulary_periods", "update"), ("hub_settings", "update"), ("allocations", "insert"),
            ("accounts", "insert")} <= seen
    family = next(e for e in entries(ctx, "cases") if e.action == "update")
    assert family.changes["family_cancers"] == [[["پستان", "خاله"], ["روده بزرگ", "پدربزرگ"]],
                                                [["پستان", "خاله"]]]
    deleted = next(e for e in entries(ctx, "cost_items") if e.action == "delete")
    assert deleted.changes["amount"] == [50_000, None] and deleted.patient_id == patient.id
    assert entries(ctx, "hub_settings")[-1].changes["director_name"][1] == "دکتر تازه"
    history = ctx.audit.patient_history(patient.id)
    assert {e.table_name for e in history} == {"patients", "assessments", "cases",
                                               "cost_items"}


def test_a_reason_asked_for_is_recorded(configured_context, tmp_path) -> None:
    from cancer_desk.services.exports import export_quarter
    from tests.services.quarter_data import fill_quarter_hub

    ctx = configured_context
    fill_quarter_hub(ctx)
    export_quarter(ctx, JalaliQuarter(1403, 4), tmp_path / "q.zip")
    ctx.quarters.reopen(JalaliQuarter(1403, 4), reason="هزینه جاافتاده بیمار")
    reopened = entries(ctx, "quarter_closures")[-1]
    assert reopened.reason == "هزینه جاافتاده بیمار"
    assert reopened.changes["reopen_reason"] == ["", "هزینه جاافتاده بیمار"]
    closed = entries(ctx, "quarter_closures")[0]
    assert closed.changes["package"][1]["sha256"]  # the package's hash, not its bytes
    assert "snapshot" not in closed.changes


def test_a_failed_save_leaves_no_entry(configured_context, monkeypatch) -> None:
    from cancer_desk.services import assessments

    ctx = configured_context
    patient = ctx.patients.create(identity())
    before = len(entries(ctx))

    def power_cut(*_args):  # after the assessment and its entry were flushed
        raise RuntimeError("power cut")

    monkeypatch.setattr(assessments, "reband_patient", power_cut)
    with pytest.raises(RuntimeError):
        ctx.assessments.record(patient.id, full_answers())
    assert ctx.assessments.history(patient.id) == []
    assert len(entries(ctx)) == before


def test_bulk_imports_are_recorded_too(configured_context, tmp_path: Path) -> None:
    ctx = configured_context
    template = write_template(tmp_path / "patients.csv")
    lines = template.read_text(encoding="utf-8-sig").splitlines()
    template.write_text("\n".join([lines[0], "0499370899,زهرا,گودرزی,علی,2,1360/05/12,1,,"])
                        + "\n", encoding="utf-8-sig")
    report = ctx.imports.run(template)
    assert report.imported == 1, [p.describe() for p in report.problems]
    [entry] = entries(ctx, "patients")
    assert entry.reason == "import" and entry.changes["last_name"] == [None, "گودرزی"]


def test_a_change_with_nobody_signed_in_is_refused(configured_context) -> None:
    ctx = configured_context
    ctx.accounts.sign_out()
    with pytest.raises(audit.UnattributedChangeError), \
            ctx.database.session_factory.begin() as session:
        session.add(Patient(**{**identity().as_dict(), "search_key": "x", "sort_key": "x"}))


def test_the_table_refuses_update_and_delete(configured_context) -> None:
    sessions = configured_context.database.session_factory
    for statement in (update(AuditEntry).values(actor="someone else"), delete(AuditEntry)):
        with pytest.raises(DatabaseError, match="append-only"), sessions.begin() as session:
            session.execute(statement)
    assert audit.verify(sessions).intact


def _tamper(db_file: Path, *statements: str) -> None:
    """What someone with the file and an SQLite tool could do: drop the triggers first."""
    with sqlite3.connect(db_file) as db:
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("DROP TRIGGER audit_log_no_delete")
        for statement in statements:
            db.execute(statement)


@pytest.fixture
def trail(configured_context):
    ctx = configured_context
    for code in ("0499370899", "0012345679", "1234567891"):
        ctx.patients.create(identity(code))
    report = audit.verify(ctx.database.session_factory)
    assert report.intact and report.entries >= 6
    return ctx


def test_an_edited_entry_is_named(trail, db_file) -> None:
    _tamper(db_file, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 4")
    report = audit.verify(trail.database.session_factory)
    assert [(p.seq, p.kind) for p in report.problems] == [(4, "changed")]
    assert "ردیف ۴" in report.problems[0].describe_fa()


def test_a_deleted_entry_is_named(trail, db_file) -> None:
    _tamper(db_file, "DELETE FROM audit_log WHERE seq = 3")
    report = audit.verify(trail.database.session_factory)
    assert [(p.seq, p.kind) for p in report.problems] == [(4, "missing")]
    assert "entries 3–3 are missing" in report.problems[0].describe()


def test_two_swapped_entries_are_named(trail, db_file) -> None:
    columns = "at, account_id, actor, action, table_name, record_id, patient_id, changes, " \
              "reason, prev_hash, entry_hash"
    _tamper(db_file,
            f"CREATE TEMP TABLE keep AS SELECT seq, {columns} FROM audit_log "
            "WHERE seq IN (4, 5)",
            "UPDATE audit_log SET prev_hash = 'x' || seq WHERE seq IN (4, 5)",
            *[f"UPDATE audit_log SET ({columns}) = (SELECT {columns} FROM keep "
              f"WHERE keep.seq = {other}) WHERE seq = {mine}" for mine, other in ((4, 5), (5, 4))])
    report = audit.verify(trail.database.session_factory)
    assert [(p.seq, p.kind) for p in report.problems if p.seq in (4, 5)] == [
        (4, "changed"), (5, "changed")]
    # …and the entry after them no longer follows on.
    assert [(p.seq, p.kind) for p in report.problems if p.seq > 5] == [(6, "broken_link")]


def test_an_entry_moved_whole_is_named(trail, db_file) -> None:
    """The entry keeps its own hash but is renumbered to another place in the chain."""
    _tamper(db_file, "UPDATE audit_log SET seq = 1000 WHERE seq = 2")
    report = audit.verify(trail.database.session_factory)
    kinds = {(p.seq, p.kind) for p in report.problems}
    assert (3, "missing") in kinds and (1000, "changed") in kinds


def test_a_forked_chain_cannot_be_written(configured_context) -> None:
    """Two writers continuing from the same entry: the second is refused by the database."""
    from sqlalchemy.exc import IntegrityError

    sessions = configured_context.database.session_factory
    with sessions() as session:
        last = session.query(AuditEntry).order_by(AuditEntry.seq.desc()).first()
        duplicate = {c.name: getattr(last, c.key) for c in AuditEntry.__table__.columns}
    duplicate["seq"] += 1
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.execute(AuditEntry.__table__.insert(), [duplicate])
    assert json.dumps(audit.verify(sessions).intact) == "true"


def test_an_administrator_sees_the_trail_without_patients_data(configured_context) -> None:
    from cancer_desk.core.access import Role

    ctx = configured_context
    ctx.patients.create(identity())
    admin = ctx.accounts.create("it-admin", "واحد فناوری", {Role.ADMINISTRATOR}, "it pass 2026")
    ctx.accounts.clear_password_change(admin.id)
    ctx.accounts.sign_out()
    ctx.accounts.sign_in("it-admin", "it pass 2026")
    seen = ctx.audit.recent(limit=1000)
    assert seen and all(e.patient_id is None and e.table_name not in audit.PATIENT_TABLES
                        for e in seen)
    assert "کریمی" not in str([e.changes for e in seen])
    assert any(e.table_name == "accounts" for e in seen)
