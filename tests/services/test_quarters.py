"""Form 2 of a quarter from known data, the checks before closing, and what closing and
reopening a quarter do to the records in it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from cancer_desk import paths
from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.core.progress import Cancelled, Progress
from cancer_desk.core.settings import HubSettingsInput
from cancer_desk.exchange import format as fmt
from cancer_desk.services.exports import (
    ExportRefusedError,
    describe_changes_fa,
    export_quarter,
)
from cancer_desk.services.period_lock import PeriodClosedError
from cancer_desk.services.quarters import ReopenRefusedError
from tests.builders import full_case, identity
from tests.conftest import full_answers, open_signed_in
from tests.services.quarter_data import (
    EXPECTED_Q4_1403,
    EXPECTED_TOTAL_Q4_1403,
    fill_quarter_hub,
    j,
)

Q4_1403 = JalaliQuarter(1403, 4)


@pytest.fixture
def hub(configured_context):
    return fill_quarter_hub(configured_context)


def numbers(form2) -> dict[int, tuple[int, int, int]]:
    return {r.group_id: (r.seen, r.covered, r.spent) for r in form2.rows
            if (r.seen, r.covered, r.spent) != (0, 0, 0)}


def test_the_leap_quarter_runs_to_esfand_30() -> None:
    assert (Q4_1403.start.isoformat(), Q4_1403.end.isoformat()) == ("2024-12-21", "2025-03-20")
    assert JalaliQuarter(1404, 4).end.isoformat() == "2026-03-20"  # Esfand 29, not leap
    assert j(1404, 1, 1).isoformat() == "2025-03-21"


def test_form2_of_a_quarter_matches_the_hand_count(hub) -> None:
    report = hub.context.quarters.report(Q4_1403.start, Q4_1403.end)
    assert numbers(report.form2) == EXPECTED_Q4_1403
    total = report.form2.total
    assert (total.seen, total.covered, total.spent) == EXPECTED_TOTAL_Q4_1403
    assert [r.group_id for r in report.form2.rows] == list(range(1, 10))
    assert report.period_support == 1_900_000
    assert report.problems == [] and report.can_close


def test_the_days_either_side_fall_in_the_neighbouring_quarters(hub) -> None:
    autumn = JalaliQuarter(1403, 3)
    report = hub.context.quarters.report(autumn.start, autumn.end)
    assert numbers(report.form2) == {1: (1, 0, 0), 2: (2, 0, 0)}  # A on Azar 30; C, D
    spring = JalaliQuarter(1404, 1)
    report = hub.context.quarters.report(spring.start, spring.end)
    assert numbers(report.form2) == {2: (1, 1, 1_400_000)}  # C on Farvardin 1
    # …and C has no Form 1, which must be finished before that quarter can close.
    assert [p.code for p in report.problems] == ["form1_incomplete"]


def test_any_date_range_not_only_a_quarter(hub) -> None:
    report = hub.context.quarters.report(j(1403, 12, 29), j(1404, 1, 1))
    # B assessed on Esfand 30, E's drug on Esfand 29, C's drug on Farvardin 1.
    assert numbers(report.form2) == {1: (1, 0, 0), 2: (1, 1, 1_400_000), 3: (1, 1, 300_000)}


def test_checks_name_what_blocks_closing(hub) -> None:
    ctx = hub.context
    hub.add_drug("B", j(1403, 12, 1), 100_000)  # B is covered now, without a Form 1
    stray = ctx.patients.create(identity("0067749828", "سارا", "بی‌ارزیابی",
                                         cancer_group_id=4))
    ctx.costs.add(stray.id, CostItemInput(j(1403, 11, 1), "drug", 50_000,
                                          drug_id=hub.drug_id))  # no assessment, no band
    report = ctx.quarters.report(Q4_1403.start, Q4_1403.end)
    problems = {p.code: p for p in report.problems}
    assert set(problems) == {"form1_incomplete", "item_without_band"}
    assert problems["form1_incomplete"].patient_ids == (hub.ids["B"],)
    assert "بیمار B" in problems["form1_incomplete"].message
    assert "بی‌ارزیابی" in problems["item_without_band"].message
    assert numbers(report.form2)[4] == (1, 0, 0)  # seen, not covered: nothing approved
    with pytest.raises(ExportRefusedError) as refused:
        export_quarter(ctx, Q4_1403, ctx_path(ctx) / "q.zip")
    assert {p.code for p in refused.value.problems} == set(problems)


def test_the_check_names_what_an_incomplete_form1_lacks(hub) -> None:
    """Not only who: which items of their Form 1 are still empty, by the window's labels."""
    ctx = hub.context
    hub.add_drug("B", j(1403, 12, 1), 100_000)  # B is covered now
    half = dataclasses.replace(full_case(), diagnosis_date=None, hormone_therapy=None)
    ctx.cases.save(hub.ids["B"], half, None)
    report = ctx.quarters.report(Q4_1403.start, Q4_1403.end)
    [problem] = [p for p in report.problems if p.code == "form1_incomplete"]
    assert problem.patient_ids == (hub.ids["B"],)
    assert "(خالی: «تاریخ تشخیص» و «هورمون‌درمانی»)" in problem.message
    assert not report.can_close
    assert not ctx.quarters.status(Q4_1403).closed
    assert not (ctx_path(ctx) / "q.zip").exists()


def ctx_path(ctx) -> Path:
    """The test's own folder (whether the database is a file or on a server)."""
    folder = paths.user_data_dir() / "out"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_exporting_closes_the_quarter_and_locks_its_records(hub) -> None:
    ctx = hub.context
    result = export_quarter(ctx, Q4_1403, ctx_path(ctx) / "q.zip")
    assert result.version == 1 and result.newly_closed
    status = ctx.quarters.status(Q4_1403)
    assert status.closed and status.last_closed_by == "مریم احمدی"
    items_before = [(c.id, c.version) for c in ctx.costs.list(hub.ids["E"])]
    with pytest.raises(PeriodClosedError) as closed:
        hub.add_drug("E", j(1403, 12, 30), 1)
    assert "بازگشایی" in closed.value.message_fa
    first = ctx.costs.list(hub.ids["E"])[0]
    with pytest.raises(PeriodClosedError):
        ctx.costs.update(first.id, dataclasses.replace(first.item, amount=5), first.version)
    with pytest.raises(PeriodClosedError):  # moving an item out of the quarter, too
        ctx.costs.update(first.id, dataclasses.replace(first.item, item_date=j(1404, 1, 2)),
                         first.version)
    with pytest.raises(PeriodClosedError):
        ctx.costs.delete(first.id, first.version)
    with pytest.raises(PeriodClosedError):
        ctx.assessments.record(hub.ids["B"], full_answers(),
                               assessed_on=j(1403, 10, 1))
    assert [(c.id, c.version) for c in ctx.costs.list(hub.ids["E"])] == items_before
    with pytest.raises(PeriodClosedError):  # nor moving one in from another quarter
        later = hub.add_drug("E", j(1404, 1, 5), 1_000)
        ctx.costs.update(later.id, dataclasses.replace(later.item, item_date=j(1403, 12, 1)),
                         later.version)
    # The quarter before is open as ever. An assessment there that would now set the
    # band of A's drug on Dey 1 (a later one of the same day, 90%) leaves the closed
    # quarter's support alone…
    ctx.assessments.record(hub.ids["A"], full_answers(sick_children=3),
                           assessed_on=j(1403, 9, 30))
    assert [c.support.amount for c in ctx.costs.list(hub.ids["A"])] == [700_000]
    # …until the quarter is reopened: then the support follows the assessment in force.
    assert ctx.quarters.reopen(Q4_1403, reason="ارزیابی تازه بیمار") == 1
    assert [c.support.amount for c in ctx.costs.list(hub.ids["A"])] == [900_000]


def test_exporting_a_closed_quarter_again_gives_the_same_bytes(hub) -> None:
    """Whoever asks, and whatever has changed in the settings since: the file is the
    one that was sent."""
    ctx = hub.context
    first = export_quarter(ctx, Q4_1403, ctx_path(ctx) / "one.zip")
    settings = ctx.settings.get()
    ctx.settings.save(HubSettingsInput.of(settings, director_name="دکتر دیگری"))
    again = export_quarter(ctx, Q4_1403, ctx_path(ctx) / "two.zip")
    assert (first.newly_closed, again.newly_closed) == (True, False)
    assert (ctx_path(ctx) / "one.zip").read_bytes() == (ctx_path(ctx) / "two.zip").read_bytes()
    assert again.changed_since == []
    assert again.package.manifest["exported_by"] == first.package.manifest["exported_by"]
    assert ctx.quarters.status(Q4_1403).versions == 1


def test_a_closed_quarter_whose_records_changed_says_so(hub) -> None:
    ctx = hub.context
    first = export_quarter(ctx, Q4_1403, ctx_path(ctx) / "one.zip")
    # Form 1 and the identity are the patient's living record, not locked to a quarter;
    # the package is. Writing it again gives what was sent, and says what moved since.
    state = ctx.cases.get(hub.ids["A"])
    ctx.cases.save(hub.ids["A"], dataclasses.replace(full_case(), grade="G3"), state.version)
    patient = ctx.patients.get(hub.ids["F"])
    ctx.patients.update(hub.ids["F"], dataclasses.replace(patient.identity, cancer_group_id=4),
                        patient.version)
    again = export_quarter(ctx, Q4_1403, ctx_path(ctx) / "two.zip")
    assert again.package.data == first.package.data
    assert {"change": "changed", "record": "patient", "id": "0499370899"} in \
        again.changed_since  # A
    assert {"change": "form2", "group_id": 4, "from": [0, 0, 0], "to": [1, 0, 0]} in \
        again.changed_since  # F moved from group 3
    assert "۲ رکورد" in describe_changes_fa(again.changed_since)


def test_an_unfinished_or_future_quarter_cannot_be_closed(hub, tmp_path) -> None:
    current = JalaliQuarter.containing(dt.date.today())
    future = JalaliQuarter.containing(current.end + dt.timedelta(days=1))
    for quarter in (current, future, current.previous.previous):
        today = quarter.end if quarter.end < dt.date.today() else dt.date.today()
        with pytest.raises(ExportRefusedError) as refused:
            export_quarter(hub.context, quarter, tmp_path / "q.zip",
                           today=today)  # on its very last day, too
        assert "هنوز تمام نشده" in refused.value.message_fa
        assert not hub.context.quarters.status(quarter).closed
    assert not (tmp_path / "q.zip").exists()


def test_reopening_needs_a_reason_and_makes_the_next_export_an_amendment(hub) -> None:
    ctx = hub.context
    first = export_quarter(ctx, Q4_1403, ctx_path(ctx) / "v1.zip")
    with pytest.raises(ValueError, match="reason"):
        ctx.quarters.reopen(Q4_1403, reason="  ")
    assert ctx.quarters.status(Q4_1403).closed
    ctx.quarters.reopen(Q4_1403, reason="اصلاح مبلغ داروی بیمار")
    status = ctx.quarters.status(Q4_1403)
    assert not status.closed and status.reopened_reason == "اصلاح مبلغ داروی بیمار"
    with pytest.raises(ValueError, match="not closed"):
        ctx.quarters.reopen(Q4_1403, reason="دوباره بازگشایی")

    item = ctx.costs.list(hub.ids["A"])[0]
    ctx.costs.update(item.id, dataclasses.replace(item.item, amount=2_000_000), item.version)
    hub.add_drug("B", j(1403, 11, 1), 10_000)
    ctx.cases.save(hub.ids["B"], full_case(), None)  # B is covered now: Form 1 first

    second = export_quarter(ctx, Q4_1403, ctx_path(ctx) / "v2.zip")
    assert second.version == 2 and second.newly_closed
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(second.package.data)).read(fmt.MANIFEST))
    assert manifest["version"] == 2
    amends = manifest["amends"]
    assert (amends["version"], amends["sha256"]) == (1, first.package.sha256)
    assert (amends["reason"], amends["reopened_by"]) == ("اصلاح مبلغ داروی بیمار", "مریم احمدی")
    assert amends["reopened_on"] == dt.date.today().isoformat()
    changes = manifest["changes"]
    assert {"change": "changed", "record": "cost_item", "id": str(item.id)} in changes
    assert {"change": "changed", "record": "patient", "id": "0012345679"} in changes  # B
    assert {"change": "form2", "group_id": 1, "from": [2, 1, 700_000],
            "to": [2, 2, 1_407_000]} in changes
    assert {"change": "form2", "group_id": 0, "from": [5, 2, 1_900_000],
            "to": [5, 3, 2_607_000]} in changes
    assert not any(c.get("group_id") in (2, 3) for c in changes)  # unchanged rows
    assert manifest["sums"]["spent_toman"] == 2_607_000
    assert ctx.quarters.status(Q4_1403).closed
    assert ctx.quarters.status(Q4_1403).versions == 2
    assert json.loads(zipfile.ZipFile(io.BytesIO(first.package.data))
                      .read(fmt.MANIFEST))["changes"] == []


def test_a_failed_write_leaves_the_quarter_open(hub, tmp_path) -> None:
    missing_folder = tmp_path / "no-such-folder" / "q.zip"
    with pytest.raises(OSError):
        export_quarter(hub.context, Q4_1403, missing_folder)
    assert not hub.context.quarters.status(Q4_1403).closed
    hub.add_drug("E", j(1403, 12, 30), 1)  # still editable


class CancelAt(Progress):
    """Records what the work says; once it has said ``text``, the next step (or, with
    ``at_check``, the next explicit check only) is cancelled."""

    def __init__(self, text: str | None, *, at_check: bool = False) -> None:
        self.text, self.at_check = text, at_check
        self.texts: list[str] = []
        self.steps = 0
        self.asked = False

    def step(self, done: int, total: int, text: str = "") -> None:
        self.steps += 1
        if text:
            self.texts.append(text)
        if text and text == self.text:
            self.asked = True
        if not self.at_check:
            self.check()

    def check(self) -> None:
        if self.asked:
            raise Cancelled()


WRITING = "نوشتن بسته روی دیسک…"
EXPORT_STAGES = ["شمردن بیماران، ارزیابی‌ها و هزینه‌های فصل…", "خواندن پرونده بیماران فصل…",
                 "خواندن ارزیابی‌ها و هزینه‌های فصل…", "نوشتن جدول‌های بسته…",
                 "نوشتن برگه «فرم شماره یک» در پرونده اکسل بسته…",
                 "نوشتن برگه «ارزیابی‌ها» در پرونده اکسل بسته…",
                 "نوشتن برگه «هزینه‌ها» در پرونده اکسل بسته…", "ذخیره پرونده اکسل بسته…",
                 "فشردن بسته…", "بررسی بسته ساخته‌شده…", WRITING]


def test_an_export_tells_its_progress_stage_by_stage(hub, tmp_path) -> None:
    progress = CancelAt(None)
    export_quarter(hub.context, Q4_1403, tmp_path / "q.zip", progress=progress)
    assert progress.texts == EXPORT_STAGES


@pytest.mark.parametrize(("text", "at_check"), [
    (EXPORT_STAGES[0], False),
    ("نوشتن برگه «هزینه‌ها» در پرونده اکسل بسته…", False),
    (WRITING, True),  # after the file is written and flushed, just before the commit
])
def test_a_cancelled_export_leaves_no_file_and_the_quarter_open(hub, tmp_path, text,
                                                                at_check) -> None:
    ctx = hub.context
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "q.zip"
    with pytest.raises(Cancelled):
        export_quarter(ctx, Q4_1403, target, progress=CancelAt(text, at_check=at_check))
    assert list(folder.iterdir()) == []  # neither the package nor its .partial
    status = ctx.quarters.status(Q4_1403)
    assert not status.closed and status.versions == 0
    hub.add_drug("E", j(1403, 12, 30), 1)  # its records are still editable
    # …and the quarter closes as ever afterwards, as version 1.
    assert export_quarter(ctx, Q4_1403, target).version == 1


def test_a_cancelled_export_of_a_closed_quarter_leaves_it_closed(hub, tmp_path) -> None:
    ctx = hub.context
    export_quarter(ctx, Q4_1403, tmp_path / "sent.zip")
    with pytest.raises(Cancelled):
        export_quarter(ctx, Q4_1403, tmp_path / "again.zip",
                       progress=CancelAt(WRITING, at_check=True))
    assert not (tmp_path / "again.zip").exists()
    assert not list(tmp_path.glob("*.partial"))
    assert ctx.quarters.status(Q4_1403).closed


def test_the_package_names_the_director_who_closed_it(hub, tmp_path) -> None:
    result = export_quarter(hub.context, Q4_1403, tmp_path / "q.zip")
    assert result.package.manifest["exported_by"] == hub.context.access.actor.display_name
    assert hub.context.quarters.status(Q4_1403).last_closed_by == "مریم احمدی"


def test_allocation_per_programme_year(context) -> None:
    assert context.allocations.get(1403) is None
    context.allocations.set(1403, 5_000_000_000)
    context.allocations.set(1403, 6_000_000_000)
    assert context.allocations.get(1403) == 6_000_000_000
    with pytest.raises(ValueError):
        context.allocations.set(1403, -1)
    assert context.allocations.get(1403) == 6_000_000_000


def test_demo_patients_never_land_in_a_closed_quarter(hub, tmp_path) -> None:
    from cancer_desk.app import DemoRefusedError, fill_demo

    export_quarter(hub.context, Q4_1403, tmp_path / "q.zip")
    assert hub.context.quarters.closed_quarters() == [Q4_1403]
    before = hub.context.patients.count()
    with pytest.raises(DemoRefusedError, match="1403 Q4"):
        fill_demo(hub.context, 5, seed=1, force=True)
    assert hub.context.patients.count() == before


def test_an_export_that_cannot_get_the_lock_leaves_everything_as_it_was(
        hub, db_url, tmp_path, monkeypatch) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from cancer_desk.db import engine as engine_module

    monkeypatch.setattr(engine_module, "WRITE_WAIT_MS", 200)
    impatient = open_signed_in(db_url)  # another PC, as it were
    # Someone saving a cost this very moment, holding the write lock.
    holder = engine_module.make_engine(db_url).connect()
    if holder.dialect.name == "sqlite":
        holder.execution_options(cancer_desk_begin="IMMEDIATE").begin()
        refusal = "locked"
    else:
        holder.begin()
        holder.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                       {"key": engine_module.WRITE_LOCK_KEY})
        refusal = "lock timeout"
    try:
        with pytest.raises(OperationalError, match=refusal):
            export_quarter(impatient, Q4_1403, tmp_path / "q.zip")
    finally:
        holder.rollback()
        holder.close()
        holder.engine.dispose()
    assert not (tmp_path / "q.zip").exists() and not list(tmp_path.glob("*.partial"))
    assert not impatient.quarters.status(Q4_1403).closed
    impatient.close()


def test_export_works_on_an_in_memory_database(tmp_path) -> None:
    """Everything an export reads comes through its one session (a memory database has
    only one connection)."""
    from cancer_desk.app import demo_settings

    memory = open_signed_in("sqlite://")
    memory.settings.save(demo_settings(memory.reference))
    fill_quarter_hub(memory)
    result = export_quarter(memory, Q4_1403, tmp_path / "q.zip")
    assert result.package.manifest["counts"]["seen"] == 5
    memory.close()


def test_reopening_never_changes_a_sealed_form1(hub) -> None:
    """Reopening brings support in line with the assessments; on a Form 1 the director
    has sealed, that would change the approved totals: it is refused, naming whom, and
    nothing of the reopening is kept."""
    ctx = hub.context
    export_quarter(ctx, Q4_1403, ctx_path(ctx) / "q.zip")
    ctx.assessments.record(hub.ids["A"], full_answers(sick_children=3),
                           assessed_on=j(1403, 9, 30))
    seal = ctx.seals.approve(hub.ids["A"])
    with pytest.raises(ReopenRefusedError) as refused:
        ctx.quarters.reopen(Q4_1403, reason="ارزیابی تازه بیمار")
    assert ctx.patients.get(hub.ids["A"]).full_name in refused.value.message_fa
    assert ctx.quarters.status(Q4_1403).closed
    assert [c.support.amount for c in ctx.costs.list(hub.ids["A"])] == [700_000]
    assert ctx.seals.check(seal.code).status == "current"
    ctx.seals.unseal(hub.ids["A"], "ارزیابی تازه پیش از بازگشایی")
    assert ctx.quarters.reopen(Q4_1403, reason="ارزیابی تازه بیمار") == 1


def test_a_record_whose_group_is_not_its_code_s_is_named(configured_context) -> None:
    """Saved before the group had to follow the code (written straight to the
    database here): counted where recorded, named in a notice, and no crash."""
    from sqlalchemy import update

    from cancer_desk.models import Patient
    from tests.builders import identity

    context = configured_context
    patient = context.patients.create(identity("0499370899"))
    with context.database.session_factory.begin() as session:
        session.execute(update(Patient).where(Patient.id == patient.id)
                        .values(icd10_code="C73"))
    today = dt.date.today()
    report = context.quarters.report(today - dt.timedelta(days=1), today)
    assert report.form2.row(1).seen == 1 and report.can_close
    assert [n.code for n in report.notices] == ["group_not_code"]
    assert "کد C73" in report.notices[0].message
    assert context.patients.get(patient.id).identity.icd10_code == "C73"
