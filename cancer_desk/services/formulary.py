"""The formulary: drugs the programme covers and from when to when, kept by an
administrator.

A drug is never deleted (past cost items name it) and its coverage is never rewritten:
withdrawing closes its open period from a day on, listing it again opens a new one.
Support follows the list in force on each item's date (cancer_desk.core.formulary), so
a withdrawal changes only items dated on or after it; of those, items in a closed
quarter, referred to accounting or on a sealed Form 1 keep what they had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Action
from cancer_desk.core.errors import InputError, ValidationErrors
from cancer_desk.core.formulary import (
    PROGRAMME_START,
    CoveragePeriod,
    covered_on,
    last_change,
    list_warning,
    open_period,
    relisting_problem,
    withdrawal_problem,
)
from cancer_desk.core.jalali import JalaliQuarter, local_date, parse_jalali
from cancer_desk.core.patient_import import map_headers
from cancer_desk.core.persian import (
    normalize_text,
    one_line_problem,
    search_key,
    to_persian_digits,
)
from cancer_desk.core.records import DrugRecord
from cancer_desk.db.engine import take_write_lock
from cancer_desk.models import CostItem, FormularyDrug, FormularyPeriod
from cancer_desk.models.base import utc_now
from cancer_desk.services import audit
from cancer_desk.services.access import Access
from cancer_desk.services.costs import resupport
from cancer_desk.services.errors import NotFoundError
from cancer_desk.services.period_lock import closed_quarter
from cancer_desk.services.seals import current_seal
from cancer_desk.services.tabular import TableReadError, read_table


@dataclass(frozen=True)
class DrugInput:
    name: str
    generic_name: str = ""
    form: str = ""
    covered_from: dt.date | None = None  # a new drug's first day; None: PROGRAMME_START
    covered_until: dt.date | None = None  # from an imported list: its last covered day


def _periods(row: FormularyDrug) -> tuple[CoveragePeriod, ...]:
    return tuple(CoveragePeriod(p.covered_from, p.covered_until, p.recorded_by,
                                local_date(p.recorded_at), p.reason) for p in row.periods)


def _record(row: FormularyDrug, today: dt.date | None = None) -> DrugRecord:
    periods = _periods(row)
    return DrugRecord(row.id, row.name, row.generic_name, row.form,
                      covered_on(periods, today or dt.date.today()), periods)


DRUG_LABELS = {"name": "نام دارو", "generic_name": "نام ژنریک", "form": "شکل و مقدار"}


def clean_drug(raw: DrugInput) -> DrugInput:
    errors = {key: problem for key, label in DRUG_LABELS.items()
              if (problem := one_line_problem(getattr(raw, key), label))}
    if errors:
        raise ValidationErrors(errors)
    name = normalize_text(raw.name)
    if not name:
        errors["name"] = "«نام دارو» را وارد کنید."
    elif len(name) > 200:
        errors["name"] = "«نام دارو» بیش از ۲۰۰ نویسه است."
    if raw.covered_from and raw.covered_until and raw.covered_until < raw.covered_from:
        errors["covered_until"] = (f"«{FORMULARY_COLUMNS['covered_until']}» پیش از "
                                   f"«{FORMULARY_COLUMNS['covered_from']}» است.")
    if errors:
        raise ValidationErrors(errors)
    return DrugInput(name, normalize_text(raw.generic_name)[:200], normalize_text(raw.form)[:100],
                     raw.covered_from, raw.covered_until)


FORMULARY_COLUMNS = {"name": "نام دارو", "generic_name": "نام ژنریک", "form": "شکل و مقدار",
                     "covered_from": "تحت پوشش از", "covered_until": "تحت پوشش تا"}
FORMULARY_COLUMN_HELP = {
    "name": "نام دارو، همان که در فهرست وزارت بهداشت آمده است.",
    "generic_name": "اختیاری.",
    "form": "اختیاری؛ مثلاً «ویال ۵۰۰ میلی‌گرم».",
    "covered_from": "اختیاری؛ تاریخ شمسی (۱۴۰۵/۰۱/۰۱). خالی: داروی تازه از آغاز برنامه.",
    "covered_until": "اختیاری؛ آخرین روز پوشش (تاریخ شمسی). خالی: هنوز تحت پوشش است.",
}


@dataclass(frozen=True)
class FormularyImportResult:
    added: int
    updated: int
    problems: list[tuple[int, str]]  # (row number, Persian message)

    def summary(self) -> str:
        if self.problems:
            return (f"{to_persian_digits(len(self.problems))} اشکال در پرونده هست؛ "
                    "هیچ دارویی وارد نشد.")
        return (f"{to_persian_digits(self.added)} داروی تازه و {to_persian_digits(self.updated)} "
                "داروی موجود.")


@dataclass(frozen=True)
class CoverageChange:
    """What a withdrawal or a re-listing does (or would do) to saved cost items."""

    drug: DrugRecord
    lost_support: int = 0  # items recomputed that get less (a withdrawal)
    gained_support: int = 0  # items recomputed that get more (a re-listing)
    kept: int = 0  # items the new list reads otherwise but that are fixed

    def summary(self) -> str:
        parts = []
        if self.lost_support:
            parts.append(f"{to_persian_digits(self.lost_support)} هزینه حمایت خود را از "
                         "دست می‌دهد")
        if self.gained_support:
            parts.append(f"{to_persian_digits(self.gained_support)} هزینه حمایت می‌گیرد")
        if self.kept:
            parts.append(f"{to_persian_digits(self.kept)} هزینه (فصل بسته، ارجاع‌شده یا "
                         "فرم مهرشده) همان که بود می‌ماند")
        return "؛ ".join(parts) if parts else "هیچ هزینهٔ ثبت‌شده‌ای تغییر نمی‌کند"


@dataclass(frozen=True)
class FormularyStatus:
    drugs: int
    covered_now: int
    last_change: dt.date | None
    warning: str | None = field(default=None)


@dataclass
class _Tally:
    lost: int = 0
    gained: int = 0
    kept: int = 0
    sealed: dict[int, bool] = field(default_factory=dict)
    closed: dict[tuple[int, int], bool] = field(default_factory=dict)

    def fixed(self, session: Session, row: CostItem) -> bool:
        """May the item's support no longer change (asked of accounting, sent to the
        ministry, or approved on a sealed Form 1)?"""
        if row.referral_id is not None:
            return True
        quarter = JalaliQuarter.containing(row.item_date)
        key = (quarter.year, quarter.quarter)
        if key not in self.closed:
            self.closed[key] = closed_quarter(session, row.item_date) is not None
        if row.patient_id not in self.sealed:
            self.sealed[row.patient_id] = current_seal(session, row.patient_id) is not None
        return self.closed[key] or self.sealed[row.patient_id]


def _resupport_changed(session: Session, row: FormularyDrug,
                       before: Sequence[CoveragePeriod]) -> _Tally:
    """Recompute the drug's items whose date the new periods read otherwise."""
    session.flush()
    session.expire(row, ["periods"])
    after = _periods(row)
    tally = _Tally()
    for item in session.scalars(select(CostItem).where(CostItem.drug_id == row.id,
                                                       CostItem.kind == "drug")):
        if covered_on(before, item.item_date) == covered_on(after, item.item_date):
            continue
        if tally.fixed(session, item):
            tally.kept += 1
            continue
        old = item.support_amount
        resupport(session, item)
        tally.lost += item.support_amount < old
        tally.gained += item.support_amount > old
    return tally


def _end_coverage(session: Session, row: FormularyDrug, day: dt.date, reason: str,
                  recorded_by: str) -> None:
    """Close the open period so that ``day`` is the first day not covered; the period
    then names who closed it and when (the trail keeps who opened it)."""
    current = next(p for p in row.periods if p.covered_until is None)
    if day <= current.covered_from:  # withdrawn on its first day: it never covered a day
        session.delete(current)
        return
    current.covered_until = day - dt.timedelta(days=1)
    current.recorded_by, current.recorded_at = recorded_by, utc_now()
    if reason:
        current.reason = f"{current.reason}؛ {reason}" if current.reason else reason
    current.reason = current.reason[:300]


def _date_field(value: object, key: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_jalali(str(value), field=key, label=FORMULARY_COLUMNS[key])


def _row_input(number: int, values: dict[str, object],
               problems: list[tuple[int, str]]) -> DrugInput | None:
    dates: dict[str, dt.date | None] = {}
    for key in ("covered_from", "covered_until"):
        try:
            dates[key] = _date_field(values.get(key), key)
        except InputError as exc:
            problems.append((number, f"ردیف {to_persian_digits(number)}، ستون "
                                     f"«{FORMULARY_COLUMNS[key]}»: {exc.message_fa}"))
    if len(dates) < 2:
        return None
    name, generic_name, form = (str(values.get(k) or "") for k in ("name", "generic_name", "form"))
    return DrugInput(name, generic_name, form, dates["covered_from"], dates["covered_until"])

def _clean_rows(rows: Sequence[tuple[int, DrugInput]],
                problems: list[tuple[int, str]]) -> list[tuple[int, DrugInput]]:
    cleaned: list[tuple[int, DrugInput]] = []
    seen: dict[str, int] = {}
    for number, raw in rows:
        try:
            drug = clean_drug(raw)
        except ValidationErrors as exc:
            problems.extend((number, f"ردیف {to_persian_digits(number)}، ستون "
                                     f"«{FORMULARY_COLUMNS.get(k, k)}»: {m}")
                            for k, m in exc.errors.items())
            continue
        key = search_key(drug.name)
        if key in seen:
            problems.append((number, f"ردیف {to_persian_digits(number)}: «{drug.name}» در "
                                     f"ردیف {to_persian_digits(seen[key])} هم آمده است."))
            continue
        seen[key] = number
        cleaned.append((number, drug))
    return cleaned


def write_template(path: Path) -> Path:
    """The import template: one header row (Persian label and key); an .xlsx also has a
    sheet explaining each column."""
    headers = [f"{label} ({key})" for key, label in FORMULARY_COLUMNS.items()]
    if path.suffix.lower() == ".csv":
        path.write_text(",".join(headers) + "\r\n", encoding="utf-8-sig")  # BOM: for Excel
        return path
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "داروها"
    sheet.sheet_view.rightToLeft = True
    sheet.append(headers)
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(16, len(headers[index - 1]) + 2)
        for row in range(2, 1001):  # dates typed as text, not turned into numbers
            sheet.cell(row=row, column=index).number_format = "@"
    guide = book.create_sheet("راهنما")
    guide.sheet_view.rightToLeft = True
    guide.append(["ستون", "کلید", "لازم است", "توضیح"])
    for key, label in FORMULARY_COLUMNS.items():
        guide.append([label, key, "بلی" if key == "name" else "خیر",
                      FORMULARY_COLUMN_HELP[key]])
    for letter, width in (("A", 20), ("B", 16), ("C", 10), ("D", 70)):
        guide.column_dimensions[letter].width = width
    book.save(path)
    return path


class FormularyService:
    """Reading needs no account (the list is public); changing it is an
    administrator's."""

    def __init__(self, session_factory: sessionmaker[Session], access: Access,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self._sessions = session_factory
        self._access = access
        self._today = today

    @staticmethod
    def write_template(path: Path) -> Path:
        return write_template(path)

    def list(self, *, include_inactive: bool = False) -> list[DrugRecord]:
        """The drugs covered today, or every drug ever listed."""
        today = self._today()
        with self._sessions() as session:
            drugs = [_record(r, today) for r in
                     session.scalars(select(FormularyDrug).order_by(FormularyDrug.name_key))]
        return drugs if include_inactive else [d for d in drugs if d.active]

    def get(self, drug_id: int) -> DrugRecord:
        with self._sessions() as session:
            return _record(self._drug(session, drug_id), self._today())

    def status(self) -> FormularyStatus:
        """How many drugs are covered today, when the list last changed, and what to
        warn of (an empty list, or one nobody has changed for over a year)."""
        today = self._today()
        drugs = self.list(include_inactive=True)
        return FormularyStatus(len(drugs), sum(d.active for d in drugs),
                               last_change([d.periods for d in drugs]),
                               list_warning([d.periods for d in drugs], today))

    @staticmethod
    def _drug(session: Session, drug_id: int) -> FormularyDrug:
        row = session.get(FormularyDrug, drug_id)
        if row is None:
            raise NotFoundError(f"drug {drug_id} does not exist")
        return row

    def _recorded_by(self) -> str:
        actor = self._access.actor
        return actor.label if actor is not None else ""

    def _open_period(self, row: FormularyDrug, day: dt.date, reason: str,
                     until: dt.date | None = None) -> None:
        row.periods.append(FormularyPeriod(covered_from=day, covered_until=until,
                                           recorded_by=self._recorded_by(),
                                           reason=normalize_text(reason)[:300]))

    def save(self, drug: DrugInput, drug_id: int | None = None, *,
             reason: str = "") -> DrugRecord:
        """A new drug (covered from ``drug.covered_from``) or a drug's names."""
        self._access.require(Action.MANAGE_FORMULARY)
        drug = clean_drug(drug)
        with self._sessions.begin() as session:
            key = search_key(drug.name)
            clash = session.scalar(select(FormularyDrug).where(FormularyDrug.name_key == key))
            if clash is not None and clash.id != drug_id:
                raise ValidationErrors({"name": f"«{clash.name}» پیش‌تر در فهرست هست."})
            row = self._drug(session, drug_id) if drug_id is not None else None
            if row is None:
                row = FormularyDrug()
                session.add(row)
                self._open_period(row, drug.covered_from or PROGRAMME_START,
                                  reason or "افزوده به فهرست", drug.covered_until)
            row.name, row.name_key = drug.name, key
            row.generic_name, row.form = drug.generic_name, drug.form
            session.flush()
            return _record(row, self._today())

    def withdraw(self, drug_id: int, day: dt.date, *, reason: str = "",
                 dry_run: bool = False) -> CoverageChange:
        """Take the drug off the list from ``day`` (``day`` itself is not covered).
        Items dated before keep their support; the rest in open quarters, not referred
        and not sealed, are recomputed. ``dry_run``: say what would change, change
        nothing (for the confirmation)."""
        def change(session: Session, row: FormularyDrug) -> None:
            problem = withdrawal_problem(_periods(row), day)
            if problem:
                raise ValidationErrors({"withdraw_from": problem})
            _end_coverage(session, row, day, normalize_text(reason) or "خارج از فهرست",
                          self._recorded_by())
        return self._change(drug_id, change, "formulary withdrawal", dry_run)

    def relist(self, drug_id: int, day: dt.date, *, reason: str = "",
               dry_run: bool = False) -> CoverageChange:
        """Put a withdrawn drug back on the list from ``day``: a new period."""
        def change(_session: Session, row: FormularyDrug) -> None:
            problem = relisting_problem(_periods(row), day)
            if problem:
                raise ValidationErrors({"relist_from": problem})
            self._open_period(row, day, reason or "بازگشت به فهرست")
        return self._change(drug_id, change, "formulary relisting", dry_run)

    def set_active(self, drug_id: int, active: bool) -> DrugRecord:
        """Withdraw from today, or list again from today."""
        today = self._today()
        if active:
            return self.relist(drug_id, today).drug
        return self.withdraw(drug_id, today).drug

    def _change(self, drug_id: int, change: Callable[[Session, FormularyDrug], None],
                audit_reason: str, dry_run: bool) -> CoverageChange:
        self._access.require(Action.MANAGE_FORMULARY)
        with self._sessions() as session:
            take_write_lock(session)  # the closed-quarter and seal checks hold until commit
            session.info[audit.REASON_KEY] = audit_reason
            row = self._drug(session, drug_id)
            before = _periods(row)
            change(session, row)
            tally = _resupport_changed(session, row, before)
            result = CoverageChange(_record(row, self._today()), tally.lost, tally.gained,
                                    tally.kept)
            if dry_run:
                session.rollback()
            else:
                session.commit()
            return result

    def import_file(self, path: Path, *, dry_run: bool = False) -> FormularyImportResult:
        """A CSV/XLSX list of drugs (columns: name, generic_name, form, and optional
        covered_from / covered_until as Jalali dates). One bad row refuses the file."""
        self._access.require(Action.MANAGE_FORMULARY)
        try:
            table = read_table(path)
        except TableReadError as exc:
            return FormularyImportResult(0, 0, [(0, exc.message_fa)])
        mapping, header_problems = map_headers(table.headers, FORMULARY_COLUMNS, ("name",))
        if header_problems:
            return FormularyImportResult(0, 0, [(p.row, p.describe()) for p in header_problems])
        rows: list[tuple[int, DrugInput]] = []
        problems: list[tuple[int, str]] = []
        for number, cells in table.rows:
            values = {key: cells[i] if i < len(cells) else None for i, key in mapping.items()}
            drug = _row_input(number, values, problems)
            if drug is not None:
                rows.append((number, drug))
        if problems:
            return FormularyImportResult(0, 0, problems)
        return self.import_drugs(rows, dry_run=dry_run, source=path.name)

    def import_drugs(self, rows: Sequence[tuple[int, DrugInput]], *,
                     dry_run: bool = False, source: str = "") -> FormularyImportResult:
        """All rows or none. A name already listed is updated; its coverage follows the
        row: an end date withdraws it from the next day, a start date (or none) lists a
        withdrawn drug again."""
        self._access.require(Action.MANAGE_FORMULARY)
        problems: list[tuple[int, str]] = []
        cleaned = _clean_rows(rows, problems)
        if not cleaned and not problems:
            problems.append((0, "پرونده هیچ دارویی ندارد."))
        if problems:
            return FormularyImportResult(0, 0, problems)
        reason = f"ورود از فهرست {source}".strip() if source else "ورود از فهرست"
        with self._sessions() as session:
            take_write_lock(session)
            session.info[audit.REASON_KEY] = "formulary import"
            existing = {d.name_key: d for d in session.scalars(select(FormularyDrug))}
            updated = 0
            for number, drug in cleaned:
                row = existing.get(search_key(drug.name))
                updated += row is not None
                try:
                    self._import_one(session, row, drug, reason)
                except ValidationErrors as exc:
                    problems.extend((number, f"ردیف {to_persian_digits(number)}، ستون "
                                             f"«{FORMULARY_COLUMNS.get(k, k)}»: {m}")
                                    for k, m in exc.errors.items())
            if problems or dry_run:
                session.rollback()
            else:
                session.commit()
        if problems:
            return FormularyImportResult(0, 0, problems)
        return FormularyImportResult(len(cleaned) - updated, updated, [])

    def _import_one(self, session: Session, row: FormularyDrug | None, drug: DrugInput,
                    reason: str) -> None:
        if row is None:
            row = FormularyDrug(name=drug.name, name_key=search_key(drug.name),
                                generic_name=drug.generic_name, form=drug.form)
            session.add(row)
            self._open_period(row, drug.covered_from or PROGRAMME_START, reason,
                              drug.covered_until)
            return
        row.name = drug.name
        row.generic_name = drug.generic_name or row.generic_name
        row.form = drug.form or row.form
        before = _periods(row)
        if open_period(before) is None and drug.covered_until is None:
            day = drug.covered_from or self._today()
            problem = relisting_problem(before, day)
            if problem:
                raise ValidationErrors({"covered_from": problem})
            self._open_period(row, day, reason)
        elif open_period(before) is not None and drug.covered_until is not None:
            day = drug.covered_until + dt.timedelta(days=1)
            problem = withdrawal_problem(before, day)
            if problem:
                raise ValidationErrors({"covered_until": problem})
            _end_coverage(session, row, day, reason, self._recorded_by())
        else:
            return
        _resupport_changed(session, row, before)
