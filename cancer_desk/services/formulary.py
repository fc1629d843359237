"""The formulary: drugs the programme covers, kept by an administrator."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Action
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.patient_import import map_headers
from cancer_desk.core.persian import normalize_text, search_key, to_persian_digits
from cancer_desk.core.records import DrugRecord
from cancer_desk.models import FormularyDrug
from cancer_desk.services.access import Access
from cancer_desk.services.errors import NotFoundError
from cancer_desk.services.tabular import TableReadError, read_table


@dataclass(frozen=True)
class DrugInput:
    name: str
    generic_name: str = ""
    form: str = ""


def _record(row: FormularyDrug) -> DrugRecord:
    return DrugRecord(row.id, row.name, row.generic_name, row.form, row.active)


def clean_drug(raw: DrugInput) -> DrugInput:
    name = normalize_text(raw.name)
    errors = {}
    if not name:
        errors["name"] = "«نام دارو» را وارد کنید."
    elif len(name) > 200:
        errors["name"] = "«نام دارو» بیش از ۲۰۰ نویسه است."
    if errors:
        raise ValidationErrors(errors)
    return DrugInput(name, normalize_text(raw.generic_name)[:200], normalize_text(raw.form)[:100])


FORMULARY_COLUMNS = {"name": "نام دارو", "generic_name": "نام ژنریک", "form": "شکل و مقدار"}


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


class FormularyService:
    """Reading needs no account (the list is public); changing it is an
    administrator's."""

    def __init__(self, session_factory: sessionmaker[Session], access: Access) -> None:
        self._sessions = session_factory
        self._access = access

    def list(self, *, include_inactive: bool = False) -> list[DrugRecord]:
        statement = select(FormularyDrug).order_by(FormularyDrug.name_key)
        if not include_inactive:
            statement = statement.where(FormularyDrug.active.is_(True))
        with self._sessions() as session:
            return [_record(r) for r in session.scalars(statement)]

    def get(self, drug_id: int) -> DrugRecord:
        with self._sessions() as session:
            row = session.get(FormularyDrug, drug_id)
            if row is None:
                raise NotFoundError(f"drug {drug_id} does not exist")
            return _record(row)

    def save(self, drug: DrugInput, drug_id: int | None = None) -> DrugRecord:
        self._access.require(Action.MANAGE_FORMULARY)
        drug = clean_drug(drug)
        with self._sessions.begin() as session:
            key = search_key(drug.name)
            clash = session.scalar(select(FormularyDrug).where(FormularyDrug.name_key == key))
            if clash is not None and clash.id != drug_id:
                raise ValidationErrors({"name": f"«{clash.name}» پیش‌تر در فهرست هست."})
            row = session.get(FormularyDrug, drug_id) if drug_id is not None else None
            if drug_id is not None and row is None:
                raise NotFoundError(f"drug {drug_id} does not exist")
            if row is None:
                row = FormularyDrug()
                session.add(row)
            row.name, row.name_key = drug.name, key
            row.generic_name, row.form = drug.generic_name, drug.form
            session.flush()
            return _record(row)

    def set_active(self, drug_id: int, active: bool) -> DrugRecord:
        """Drugs are withdrawn, never deleted: past cost items still name them."""
        self._access.require(Action.MANAGE_FORMULARY)
        with self._sessions.begin() as session:
            row = session.get(FormularyDrug, drug_id)
            if row is None:
                raise NotFoundError(f"drug {drug_id} does not exist")
            row.active = active
            session.flush()
            return _record(row)

    def import_file(self, path: Path, *, dry_run: bool = False) -> FormularyImportResult:
        """A CSV/XLSX list of drugs (columns: name, generic_name, form)."""
        self._access.require(Action.MANAGE_FORMULARY)
        try:
            table = read_table(path)
        except TableReadError as exc:
            return FormularyImportResult(0, 0, [(0, exc.message_fa)])
        mapping, header_problems = map_headers(table.headers, FORMULARY_COLUMNS, ("name",))
        if header_problems:
            return FormularyImportResult(0, 0, [(p.row, p.describe()) for p in header_problems])
        rows = []
        for number, cells in table.rows:
            values = {key: cells[i] if i < len(cells) else None for i, key in mapping.items()}
            rows.append((number, DrugInput(*(str(values.get(k) or "")
                                             for k in ("name", "generic_name", "form")))))
        return self.import_drugs(rows, dry_run=dry_run)

    def import_drugs(self, rows: Sequence[tuple[int, DrugInput]], *,
                     dry_run: bool = False) -> FormularyImportResult:
        """All rows or none: a name already listed is updated (and re-activated)."""
        self._access.require(Action.MANAGE_FORMULARY)
        problems: list[tuple[int, str]] = []
        cleaned: list[tuple[int, DrugInput]] = []
        seen: dict[str, int] = {}
        for number, raw in rows:
            try:
                drug = clean_drug(raw)
            except ValidationErrors as exc:
                problems.extend((number, f"ردیف {to_persian_digits(number)}: {m}")
                                for m in exc.errors.values())
                continue
            key = search_key(drug.name)
            if key in seen:
                problems.append((number, f"ردیف {to_persian_digits(number)}: «{drug.name}» در "
                                         f"ردیف {to_persian_digits(seen[key])} هم آمده است."))
                continue
            seen[key] = number
            cleaned.append((number, drug))
        if not cleaned and not problems:
            problems.append((0, "پرونده هیچ دارویی ندارد."))
        if problems:
            return FormularyImportResult(0, 0, problems)
        with self._sessions() as session:
            known = set(session.scalars(select(FormularyDrug.name_key)))
        updated = sum(1 for _, d in cleaned if search_key(d.name) in known)
        if dry_run:
            return FormularyImportResult(len(cleaned) - updated, updated, [])
        with self._sessions.begin() as session:
            existing = {d.name_key: d for d in session.scalars(select(FormularyDrug))}
            for _, drug in cleaned:
                key = search_key(drug.name)
                row = existing.get(key)
                if row is None:
                    session.add(FormularyDrug(name=drug.name, name_key=key,
                                              generic_name=drug.generic_name, form=drug.form))
                else:
                    row.name, row.active = drug.name, True
                    row.generic_name = drug.generic_name or row.generic_name
                    row.form = drug.form or row.form
        return FormularyImportResult(len(cleaned) - updated, updated, [])
