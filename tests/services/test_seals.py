"""Sealing Form 1: approve → edits refused → unseal with a reason → a new code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest

from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.errors import InputError
from cancer_desk.core.persian import to_persian_digits
from cancer_desk.core.seal import qr_payload, short_code
from cancer_desk.services.seals import SealedRecordError, SealRefusedError, SealStatus
from tests.builders import full_case, identity
from tests.conftest import full_answers


@pytest.fixture
def patient(configured_context):
    ctx = configured_context
    record = ctx.patients.create(identity())
    ctx.assessments.record(record.id, full_answers())
    ctx.cases.save(record.id, full_case(), None)
    ctx.costs.add(record.id, CostItemInput(dt.date.today(), "other", 80_000,
                                           description="ایاب و ذهاب"))
    return record.id


def test_a_form_without_its_case_record_cannot_be_approved(configured_context) -> None:
    ctx = configured_context
    bare = ctx.patients.create(identity())
    with pytest.raises(SealRefusedError) as refused:
        ctx.seals.approve(bare.id)
    assert "پر نشده" in refused.value.message_fa


def test_an_incomplete_form_is_refused_naming_what_it_lacks(configured_context) -> None:
    ctx = configured_context
    record = ctx.patients.create(identity())
    half = dataclasses.replace(full_case(), diagnosis_date=None, surgery=None,
                               surgery_date=None, family_history=None, family_cancers=())
    ctx.cases.save(record.id, half, None)
    with pytest.raises(SealRefusedError) as refused:
        ctx.seals.approve(record.id)
    assert refused.value.missing == ["تاریخ تشخیص", "جراحی", "سابقه سرطان در خانواده"]
    assert "«تاریخ تشخیص»، «جراحی» و «سابقه سرطان در خانواده»" in refused.value.message_fa
    assert ctx.seals.current(record.id) is None and ctx.seals.history(record.id) == []
    asked = ctx.seals.refusal(record.id)  # the same answer, before the director confirms
    assert asked is not None and asked.missing == refused.value.missing
    state = ctx.cases.get(record.id)
    ctx.cases.save(record.id, full_case(), state.version)  # completed: now it is sealed
    assert ctx.seals.refusal(record.id) is None
    assert ctx.seals.approve(record.id).patient_id == record.id
    assert "پیش‌تر تأیید شده" in ctx.seals.refusal(record.id).message_fa


def test_seal_edit_refused_unseal_new_code(configured_context, patient) -> None:
    ctx = configured_context
    seal = ctx.seals.approve(patient)
    assert seal.code == short_code(seal.content_sha256)
    assert len(seal.code) == 14 and seal.code.count("-") == 2
    assert ctx.seals.check(seal.code).status == SealStatus.CURRENT
    with pytest.raises(SealRefusedError):
        ctx.seals.approve(patient)  # once is enough

    # Sealed: nothing Form 1 shows can change, whichever way it is tried.
    person = ctx.patients.get(patient)
    state = ctx.cases.get(patient)
    [item] = ctx.costs.list(patient)
    refused = [
        lambda: ctx.patients.update(patient, dataclasses.replace(
            person.identity, phone="09350000000"), person.version),
        lambda: ctx.cases.save(patient, dataclasses.replace(state.record, grade="G3"),
                               state.version),
        lambda: ctx.assessments.record(patient, full_answers(sick_children=0)),
        lambda: ctx.costs.add(patient, CostItemInput(dt.date.today(), "other", 1_000,
                                                     description="دیگر")),
        lambda: ctx.costs.update(item.id, dataclasses.replace(item.item, amount=1),
                                 item.version),
        lambda: ctx.costs.delete(item.id, item.version),
    ]
    for attempt in refused:
        with pytest.raises(SealedRecordError) as caught:
            attempt()
        assert seal.code in caught.value.message_fa
    assert ctx.patients.get(patient).version == person.version
    assert ctx.costs.totals(patient).total_amount == 80_000
    assert len(ctx.assessments.history(patient)) == 1

    # Unsealing needs a reason; the old printout is then superseded.
    with pytest.raises(InputError) as no_reason:
        ctx.seals.unseal(patient, " ")
    assert "دلیل" in no_reason.value.message_fa
    ctx.seals.unseal(patient, "تاریخ تشخیص اشتباه بود")
    old = ctx.seals.check(seal.code)
    assert old.status == SealStatus.SUPERSEDED and old.current_code is None
    assert old.seal.unseal_reason == "تاریخ تشخیص اشتباه بود"

    state = ctx.cases.get(patient)
    ctx.cases.save(patient, dataclasses.replace(state.record, grade="G3"), state.version)
    again = ctx.seals.approve(patient)
    assert again.code != seal.code and again.content_sha256 != seal.content_sha256
    assert ctx.seals.check(again.code).status == SealStatus.CURRENT
    superseded = ctx.seals.check(seal.code)
    assert superseded.status == SealStatus.SUPERSEDED
    assert superseded.current_code == again.code
    unseal = [e for e in ctx.audit.patient_history(patient) if e.table_name == "form_seals"
              and e.action == "update"]
    assert unseal[0].reason == "تاریخ تشخیص اشتباه بود"


def test_sealing_unchanged_content_again_keeps_the_printout_valid(configured_context,
                                                                  patient) -> None:
    ctx = configured_context
    first = ctx.seals.approve(patient)
    ctx.seals.unseal(patient, "بازبینی بی‌تغییر")
    second = ctx.seals.approve(patient)
    assert second.code == first.code
    assert ctx.seals.check(first.code).status == SealStatus.CURRENT


def test_a_record_changed_behind_the_seal_shows(configured_context, patient, db_file) -> None:
    """If the database is changed without the program (or by a reopened quarter's new
    bands), the printout no longer matches and the check says so."""
    ctx = configured_context
    seal = ctx.seals.approve(patient)
    with sqlite3.connect(db_file) as db:
        db.execute("UPDATE cost_items SET support_amount = support_amount + 1")
    assert ctx.seals.check(seal.code).status == SealStatus.CHANGED


@pytest.mark.parametrize("typed", [
    lambda code: code.lower(),
    lambda code: code.replace("-", ""),
    lambda code: to_persian_digits(code.replace("-", " ")),
    lambda code: code.replace("0", "O").replace("1", "I"),
])
def test_a_code_is_found_however_it_is_typed(configured_context, patient, typed) -> None:
    seal = configured_context.seals.approve(patient)
    assert configured_context.seals.check(typed(seal.code)).status == SealStatus.CURRENT


def test_the_qr_payload_and_unknown_codes(configured_context, patient) -> None:
    ctx = configured_context
    seal = ctx.seals.approve(patient)
    assert ctx.seals.check(qr_payload(seal.content_sha256)).status == SealStatus.CURRENT
    forged = qr_payload("0" * 64)
    assert ctx.seals.check(forged).status == SealStatus.UNKNOWN
    assert ctx.seals.check("ABCD-EFGH-JKMN").status == SealStatus.UNKNOWN
    assert ctx.seals.check("not a code").status == SealStatus.MALFORMED
    assert ctx.seals.check("").status == SealStatus.MALFORMED


def test_a_form_changed_behind_its_seal_prints_as_a_draft(configured_context, patient,
                                                          db_file) -> None:
    """The printout never claims an approval for content that is not what was approved."""
    ctx = configured_context
    ctx.seals.approve(patient)
    assert ctx.documents.form1(patient).seal is not None
    with sqlite3.connect(db_file) as db:
        db.execute("UPDATE cost_items SET amount = amount + 1")
    assert ctx.documents.form1(patient).seal is None
    seal, matches = ctx.seals.in_force(patient)
    assert seal is not None and not matches


def test_the_seal_keeps_what_the_printout_says(configured_context, patient) -> None:
    seal = configured_context.seals.approve(patient)
    assert seal.summary["total_amount"] == 80_000
    assert seal.summary["diagnosis_date"] == full_case().diagnosis_date.isoformat()
    assert seal.summary["completed_by"] == "مریم احمدی"


def test_a_field_added_to_form1_later_leaves_old_seals_valid(configured_context,
                                                            patient) -> None:
    """The sealed content is frozen per version: a new Form 1 field joins a new version
    and old printouts still check as current."""
    from cancer_desk.core import seal as seal_module
    from cancer_desk.services import seals as seals_module

    ctx = configured_context
    sealed = ctx.seals.approve(patient)
    v1 = seal_module.CONTENT_FIELDS[1]
    wider = ((*v1[0], "postal_code_2"), v1[1])
    patched = {**seal_module.CONTENT_FIELDS, 2: wider}
    original = seal_module.CONTENT_FIELDS
    seal_module.CONTENT_FIELDS = patched
    try:
        assert ctx.seals.check(sealed.code).status == SealStatus.CURRENT
        with ctx.database.session_factory() as session:
            assert seals_module.form1_sha256(session, patient, 1) == sealed.content_sha256
    finally:
        seal_module.CONTENT_FIELDS = original


def test_the_frozen_fields_are_every_field_of_form1_today() -> None:
    """Adding a field to the patient or the case record fails here: it must join a new
    content version, or it would not be sealed."""
    from cancer_desk.core.case import CASE_FIELDS
    from cancer_desk.core.patient import FIELDS
    from cancer_desk.core.seal import CONTENT_FIELDS, CONTENT_VERSION

    identity_fields, case_fields = CONTENT_FIELDS[CONTENT_VERSION]
    assert set(identity_fields) == set(FIELDS)
    assert set(case_fields) == set(CASE_FIELDS)
