"""Support follows the formulary in force on each item's date (hand-computed figures:
score 76 → 70%, score 86 → 90%; amounts in tomans)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cancer_desk.core.costs import CostItemInput, NoSupport
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.formulary import PROGRAMME_START
from cancer_desk.core.jalali import from_jalali
from cancer_desk.services.formulary import DrugInput, write_template
from tests.builders import identity
from tests.conftest import full_answers

D_0220 = from_jalali(1405, 2, 20)
D_0301 = from_jalali(1405, 3, 1)
D_0305 = from_jalali(1405, 3, 5)
D_0501 = from_jalali(1405, 5, 1)


@pytest.fixture
def patient(context):
    patient = context.patients.create(identity())
    context.assessments.record(patient.id, full_answers(),
                               assessed_on=from_jalali(1405, 1, 10))  # 76 → 70%
    return patient


def supports(context, patient_id: int) -> list[tuple[dt.date, int, NoSupport | None]]:
    return [(r.item.item_date, r.support.amount, r.support.reason)
            for r in context.costs.list(patient_id)]


def add_drug_item(context, patient_id: int, day: dt.date, drug_id: int, amount: int):
    return context.costs.add(patient_id, CostItemInput(day, "drug", amount, drug_id=drug_id))


def test_a_withdrawal_keeps_earlier_items_after_a_new_assessment(context, patient) -> None:
    drug = context.formulary.save(DrugInput("سیس‌پلاتین"))
    add_drug_item(context, patient.id, D_0220, drug.id, 1_000_000)
    add_drug_item(context, patient.id, D_0305, drug.id, 400_000)
    assert supports(context, patient.id) == [(D_0220, 700_000, None), (D_0305, 280_000, None)]

    preview = context.formulary.withdraw(drug.id, D_0301, dry_run=True)
    assert (preview.lost_support, preview.gained_support, preview.kept) == (1, 0, 0)
    assert supports(context, patient.id)[1] == (D_0305, 280_000, None)  # nothing changed

    change = context.formulary.withdraw(drug.id, D_0301, reason="بخشنامه وزارت")
    assert change.lost_support == 1
    assert supports(context, patient.id) == [(D_0220, 700_000, None),
                                             (D_0305, 0, NoSupport.NOT_ON_FORMULARY)]
    periods = context.formulary.get(drug.id).periods
    assert [(p.covered_from, p.covered_until) for p in periods] == [
        (PROGRAMME_START, from_jalali(1405, 2, 31))]
    assert "بخشنامه وزارت" in periods[0].reason

    context.assessments.record(patient.id, full_answers(sick_children=3),
                               assessed_on=from_jalali(1405, 2, 1))  # 86 → 90%, recomputes
    assert supports(context, patient.id) == [(D_0220, 900_000, None),
                                             (D_0305, 0, NoSupport.NOT_ON_FORMULARY)]


def test_relisting_opens_a_new_period(context, patient) -> None:
    drug = context.formulary.save(DrugInput("سیس‌پلاتین"))
    context.formulary.withdraw(drug.id, D_0301)
    add_drug_item(context, patient.id, from_jalali(1405, 4, 20), drug.id, 100_000)
    add_drug_item(context, patient.id, from_jalali(1405, 5, 2), drug.id, 200_000)
    with pytest.raises(ValidationErrors) as refused:
        context.formulary.relist(drug.id, from_jalali(1405, 2, 1))  # inside the old period
    assert "پس از پایان" in refused.value.errors["relist_from"]

    change = context.formulary.relist(drug.id, D_0501)
    assert (change.gained_support, change.lost_support) == (1, 0)
    assert supports(context, patient.id) == [
        (from_jalali(1405, 4, 20), 0, NoSupport.NOT_ON_FORMULARY),
        (from_jalali(1405, 5, 2), 140_000, None)]
    record = context.formulary.get(drug.id)
    assert [(p.covered_from, p.covered_until) for p in record.periods] == [
        (PROGRAMME_START, from_jalali(1405, 2, 31)), (D_0501, None)]
    # A new item dated in the gap gets nothing; one after 05/01 gets its 70%.
    gap = add_drug_item(context, patient.id, from_jalali(1405, 4, 31), drug.id, 10_000)
    assert gap.support.reason is NoSupport.NOT_ON_FORMULARY


def test_a_withdrawal_never_changes_a_referred_item(context, patient) -> None:
    drug = context.formulary.save(DrugInput("سیس‌پلاتین"))
    add_drug_item(context, patient.id, D_0305, drug.id, 400_000)
    referral = context.referrals.create(patient.id)
    change = context.formulary.withdraw(drug.id, D_0301)
    assert (change.lost_support, change.kept) == (0, 1)
    assert supports(context, patient.id) == [(D_0305, 280_000, None)]
    assert context.costs.list(patient.id)[0].referral == referral.number


def test_a_withdrawal_cannot_start_before_the_period(context) -> None:
    drug = context.formulary.save(DrugInput("سیس‌پلاتین", covered_from=D_0301))
    with pytest.raises(ValidationErrors) as refused:
        context.formulary.withdraw(drug.id, D_0220)
    assert "پیش از آغاز" in refused.value.errors["withdraw_from"]
    context.formulary.withdraw(drug.id, D_0301)  # on its first day: it covered no day
    assert context.formulary.get(drug.id).periods == ()
    with pytest.raises(ValidationErrors):
        context.formulary.withdraw(drug.id, D_0305)  # not on the list now


def test_every_change_is_audited(context) -> None:
    drug = context.formulary.save(DrugInput("سیس‌پلاتین"))
    context.formulary.withdraw(drug.id, D_0301)
    context.formulary.relist(drug.id, D_0501)
    entries = [e for e in reversed(context.audit.recent(limit=100))
               if e.table_name == "formulary_periods"]
    assert [e.action for e in entries] == ["insert", "update", "insert"]
    assert entries[1].changes["covered_until"] == [None, "2026-05-21"]
    assert entries[1].reason == "formulary withdrawal"


def test_status_warns_of_an_empty_or_stale_list(context) -> None:
    status = context.formulary.status()
    assert (status.drugs, status.covered_now) == (0, 0)
    assert status.warning is not None and "خالی است" in status.warning
    drug = context.formulary.save(DrugInput("سیس‌پلاتین"))
    assert context.formulary.status().warning is None
    context.formulary.withdraw(drug.id, dt.date.today())
    assert "خالی است" in (context.formulary.status().warning or "")


def test_import_with_periods(context, patient, tmp_path: Path) -> None:
    existing = context.formulary.save(DrugInput("سیس‌پلاتین"))
    add_drug_item(context, patient.id, D_0305, existing.id, 400_000)
    sheet = tmp_path / "list.csv"
    sheet.write_text("نام دارو,تحت پوشش از,تحت پوشش تا\n"
                     "سیس‌پلاتین,,۱۴۰۵/۰۲/۳۱\n"
                     "دوکسوروبیسین,۱۴۰۵/۰۱/۰۱,\n", encoding="utf-8-sig")
    result = context.formulary.import_file(sheet)
    assert (result.added, result.updated, result.problems) == (1, 1, [])
    drugs = {d.name: d for d in context.formulary.list(include_inactive=True)}
    assert [(p.covered_from, p.covered_until) for p in drugs["سیس‌پلاتین"].periods] == [
        (PROGRAMME_START, from_jalali(1405, 2, 31))]
    assert [(p.covered_from, p.covered_until) for p in drugs["دوکسوروبیسین"].periods] == [
        (from_jalali(1405, 1, 1), None)]
    assert "list.csv" in drugs["دوکسوروبیسین"].periods[0].reason
    assert supports(context, patient.id) == [(D_0305, 0, NoSupport.NOT_ON_FORMULARY)]


def test_a_bad_row_refuses_the_whole_file(context, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("name,covered_from,covered_until\n"
                     "پاکلی‌تاکسل,1405/01/01,\n"
                     "جم‌سیتابین,1405/13/01,\n"
                     "اتوپوزاید,1405/03/01,1405/02/01\n", encoding="utf-8")
    result = context.formulary.import_file(sheet)
    assert result.problems[0][0] == 3
    assert "ردیف ۳، ستون «تحت پوشش از»" in result.problems[0][1]
    assert "ماه" in result.problems[0][1]
    assert context.formulary.list(include_inactive=True) == []
    sheet.write_text("name,covered_from,covered_until\n"
                     "اتوپوزاید,1405/03/01,1405/02/01\n", encoding="utf-8")
    result = context.formulary.import_file(sheet)
    assert "ردیف ۲، ستون «تحت پوشش تا»" in result.problems[0][1]
    assert context.formulary.list(include_inactive=True) == []


def test_an_import_that_would_withdraw_before_the_period_is_refused(context,
                                                                    tmp_path: Path) -> None:
    context.formulary.save(DrugInput("سیس‌پلاتین", covered_from=D_0301))
    sheet = tmp_path / "bad.csv"
    sheet.write_text("name,covered_until\nدوکسوروبیسین,\nسیس‌پلاتین,1405/01/01\n",
                     encoding="utf-8")
    result = context.formulary.import_file(sheet)
    assert result.problems and "ردیف ۳، ستون «تحت پوشش تا»" in result.problems[0][1]
    assert [d.name for d in context.formulary.list(include_inactive=True)] == ["سیس‌پلاتین"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_template_reads_back_as_an_empty_list(context, tmp_path: Path, suffix) -> None:
    path = write_template(tmp_path / f"template{suffix}")
    result = context.formulary.import_file(path)
    assert result.problems == [(0, "پرونده هیچ دارویی ندارد.")]
    from cancer_desk.services.tabular import read_table

    assert read_table(path).headers[-1] == "تحت پوشش تا (covered_until)"


def test_an_xlsx_list_with_periods_is_imported_and_audited(context, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["نام دارو (name)", "تحت پوشش از (covered_from)",
                  "تحت پوشش تا (covered_until)"])
    sheet.append(["پاکلی‌تاکسل", "۱۴۰۵/۰۱/۰۱", "۱۴۰۵/۰۲/۳۱"])
    sheet.append(["جم‌سیتابین", "1405/05/01", None])
    path = tmp_path / "ministry.xlsx"
    book.save(path)
    assert context.formulary.import_file(path, dry_run=True).added == 2
    assert context.formulary.list(include_inactive=True) == []  # a dry run writes nothing
    result = context.formulary.import_file(path)
    assert (result.added, result.problems) == (2, [])
    periods = {d.name: [(p.covered_from, p.covered_until) for p in d.periods]
               for d in context.formulary.list(include_inactive=True)}
    assert periods == {"پاکلی‌تاکسل": [(from_jalali(1405, 1, 1), from_jalali(1405, 2, 31))],
                       "جم‌سیتابین": [(D_0501, None)]}
    inserted = [e for e in context.audit.recent(limit=100)
                if e.table_name == "formulary_periods" and e.action == "insert"]
    assert len(inserted) == 2 and {e.reason for e in inserted} == {"formulary import"}


def test_a_withdrawal_never_changes_an_item_of_a_closed_quarter(context, patient) -> None:
    """Spring 1405 closed (sent to the ministry): its item keeps 280,000; the summer
    item, in an open quarter, is recomputed to 0."""
    from cancer_desk.models import QuarterClosure

    drug = context.formulary.save(DrugInput("سیس‌پلاتین"))
    add_drug_item(context, patient.id, D_0305, drug.id, 400_000)
    add_drug_item(context, patient.id, from_jalali(1405, 4, 5), drug.id, 100_000)
    with context.database.session_factory.begin() as session:
        session.add(QuarterClosure(year=1405, quarter=1, version=1, closed_by="tester",
                                   package_sha256="0" * 64, manifest_sha256="0" * 64,
                                   package=b"", snapshot={}))
    change = context.formulary.withdraw(drug.id, D_0301)
    assert (change.lost_support, change.kept) == (1, 1)
    assert supports(context, patient.id) == [
        (D_0305, 280_000, None), (from_jalali(1405, 4, 5), 0, NoSupport.NOT_ON_FORMULARY)]


def test_a_withdrawal_never_changes_an_item_on_a_sealed_form(configured_context) -> None:
    from tests.builders import full_case

    ctx = configured_context
    record = ctx.patients.create(identity())
    ctx.assessments.record(record.id, full_answers(), assessed_on=from_jalali(1405, 1, 10))
    ctx.cases.save(record.id, full_case(), None)
    drug = ctx.formulary.save(DrugInput("سیس‌پلاتین"))
    add_drug_item(ctx, record.id, D_0305, drug.id, 400_000)
    seal = ctx.seals.approve(record.id)
    change = ctx.formulary.withdraw(drug.id, D_0301)
    assert (change.lost_support, change.kept) == (0, 1)
    assert supports(ctx, record.id) == [(D_0305, 280_000, None)]
    assert ctx.seals.in_force(record.id)[0].code == seal.code
