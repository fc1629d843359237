"""Patients registered twice: finding them (for one patient about to be registered, or
across the whole database), merging two records of one person, and remembering pairs
someone found to be two people.

A merge keeps one record and moves the other's assessments, costs, referrals, Form 1
and earlier seals onto it, in one transaction, then bands the costs again by the
assessments they now sit beside. It is refused where it would change what a director
approved (a sealed Form 1) or what was sent to the ministry (a closed quarter).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core import duplicates as finder
from cancer_desk.core.access import Action
from cancer_desk.core.case import CASE_FIELDS
from cancer_desk.core.duplicates import Person, Reason, Suspicion, ordered_pair
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.core.patient import PatientIdentity
from cancer_desk.core.persian import normalize_text, to_persian_digits
from cancer_desk.core.progress import NO_PROGRESS, Progress
from cancer_desk.db.engine import take_write_lock
from cancer_desk.models import (
    Assessment,
    CaseRecordRow,
    CostItem,
    FormSeal,
    NotDuplicate,
    Patient,
    Referral,
)
from cancer_desk.services import audit
from cancer_desk.services.access import Access
from cancer_desk.services.costs import reband_patient
from cancer_desk.services.drafts import DraftStore
from cancer_desk.services.errors import NotFoundError
from cancer_desk.services.period_lock import closed_quarter
from cancer_desk.services.seals import SealedRecordError, current_seal, matches_seal

READ_BATCH = 20_000


class MergeRefusedError(ValueError):
    """The two records cannot be merged; ``message_fa`` says why."""

    def __init__(self, message: str, message_fa: str) -> None:
        super().__init__(message)
        self.message_fa = message_fa


@dataclass(frozen=True)
class PatientSide:
    """One of the two records, as the list of duplicates shows it."""

    id: int
    national_code: str
    first_name: str
    last_name: str
    father_name: str
    birth_date: dt.date

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class DuplicatePair:
    first: PatientSide
    second: PatientSide
    reasons: tuple[Reason, ...]

    @property
    def reasons_fa(self) -> str:
        return "، ".join(reason.label_fa for reason in self.reasons)


@dataclass(frozen=True)
class Match:
    """A patient on file who may be the one being registered."""

    patient: PatientSide
    reasons: tuple[Reason, ...]

    @property
    def reasons_fa(self) -> str:
        return "، ".join(reason.label_fa for reason in self.reasons)


@dataclass(frozen=True)
class MergeReport:
    kept_id: int
    kept_code: str
    removed_code: str
    assessments: int
    cost_items: int
    referrals: int
    seals: int
    case: str  # what became of the two Forms 1, in Persian
    rebanded: int

    @property
    def summary_fa(self) -> str:
        return (f"پرونده {self.removed_code} در پرونده {self.kept_code} ادغام شد: "
                f"{to_persian_digits(self.assessments)} ارزیابی، "
                f"{to_persian_digits(self.cost_items)} هزینه و "
                f"{to_persian_digits(self.referrals)} معرفی‌نامه منتقل شد. {self.case}")


@dataclass(frozen=True)
class RowSuspicion:
    """A row of a file to import that may be a patient on file (``patient``) or another
    row of the same file (``other_row``), and why."""

    row: int
    patient: PatientSide | None
    other_row: int | None
    reasons: tuple[Reason, ...]

    @property
    def reasons_fa(self) -> str:
        return "، ".join(reason.label_fa for reason in self.reasons)

    def describe_fa(self) -> str:
        if self.patient is not None:
            who = (f"بیمار ثبت‌شده «{self.patient.full_name}» با کد ملی "
                   f"{to_persian_digits(self.patient.national_code)}")
        else:
            who = f"ردیف {to_persian_digits(self.other_row or 0)} همین پرونده"
        return (f"شاید همان {who} باشد ({self.reasons_fa}). اگر همان بیمار است، این ردیف را "
                "از پرونده بردارید یا کد ملی را درست کنید.")


def _people_on_file(session: Session, progress: Progress) -> list[Person]:
    people: list[Person] = []
    result = session.execute(
        select(Patient.id, Patient.national_code, Patient.search_key,
               Patient.father_name, Patient.birth_date)
        .execution_options(yield_per=READ_BATCH))
    for number, (pid, code, key, father, born) in enumerate(result):
        if number % READ_BATCH == 0:
            progress.check()
        people.append(Person(pid, code, finder.joined_name_key(key, father, born)))
    return people


def _sides(session: Session, ids: set[int]) -> dict[int, PatientSide]:
    """The patients of ``ids``, read 900 at a time (under SQLite's limit of variables)."""
    ordered = sorted(ids)
    sides: dict[int, PatientSide] = {}
    for start in range(0, len(ordered), 900):
        sides.update({row.id: _side(row) for row in session.scalars(
            select(Patient).where(Patient.id.in_(ordered[start:start + 900])))})
    return sides


def _side(row: Patient) -> PatientSide:
    return PatientSide(row.id, row.national_code, row.first_name, row.last_name,
                       row.father_name, row.birth_date)


def _person(row: Patient) -> Person:
    return Person(row.id, row.national_code, finder.joined_name_key(
        row.search_key, row.father_name, row.birth_date))


def _dismissed(session: Session, patient_id: int | None = None) -> frozenset[tuple[int, int]]:
    statement = select(NotDuplicate.first_patient_id, NotDuplicate.second_patient_id)
    if patient_id is not None:
        statement = statement.where(or_(NotDuplicate.first_patient_id == patient_id,
                                        NotDuplicate.second_patient_id == patient_id))
    return frozenset((a, b) for a, b in session.execute(statement))


# Who saved the form and when are filled in by the program, not by the person.
_NOT_ENTERED = frozenset({"family_cancers", "completed_by", "completed_on"})


def _case_is_empty(case: CaseRecordRow) -> bool:
    """Nothing entered: a Form 1 opened and saved blank."""
    if case.family_cancers:
        return False
    return all(getattr(case, name) in (None, "") for name in CASE_FIELDS
               if name not in _NOT_ENTERED)


def _refuse_seals(keep: Patient, remove: Patient, keep_seal: FormSeal | None,
                  remove_seal: FormSeal | None) -> None:
    if keep_seal is not None and remove_seal is not None:
        raise MergeRefusedError(
            "both patients' Forms 1 are sealed",
            f"فرم شماره ۱ هر دو پرونده ({keep.national_code} و {remove.national_code}) تأیید "
            "و مهر شده است؛ ادغام آن‌ها آنچه را رئیس بیمارستان تأیید کرده تغییر می‌دهد. "
            "نخست رئیس بیمارستان مهر یکی را با ذکر دلیل بردارد.")
    if remove_seal is not None:
        raise MergeRefusedError(
            "the Form 1 of the record to remove is sealed",
            f"فرم شماره ۱ پرونده {remove.national_code} تأیید و مهر شده است و حذف نمی‌شود؛ "
            "همین پرونده را نگه دارید و دیگری را در آن ادغام کنید.")


def _activity_dates(session: Session, patient_id: int) -> list[tuple[str, dt.date]]:
    """What of the patient's a quarter's package counts, by date."""
    patient = session.get(Patient, patient_id)
    assert patient is not None
    dates: list[tuple[str, dt.date]] = [("ثبت", patient.registered_on)]
    dates += [("ارزیابی", day) for day in session.scalars(
        select(Assessment.assessed_on).where(Assessment.patient_id == patient_id))]
    dates += [("هزینه", day) for day in session.scalars(
        select(CostItem.item_date).where(CostItem.patient_id == patient_id))]
    dates += [("معرفی‌نامه", day) for day in session.scalars(
        select(Referral.created_on).where(Referral.patient_id == patient_id))]
    return dates


def _refuse_closed(session: Session, patient: Patient, why: str) -> None:
    """Refuse when any of the patient's dealings lies in a closed quarter."""
    seen: dict[tuple[int, int], bool] = {}
    for what, day in _activity_dates(session, patient.id):
        quarter = JalaliQuarter.containing(day)
        key = (quarter.year, quarter.quarter)
        if key not in seen:
            seen[key] = closed_quarter(session, day) is not None
        if seen[key]:
            raise MergeRefusedError(
                f"patient {patient.id} has records in the closed quarter "
                f"{quarter.year}-Q{quarter.quarter}",
                f"{what} پرونده {patient.national_code} در {quarter.label} است که بسته و "
                f"فرستاده شده است؛ {why} آنچه را فرستاده شده تغییر می‌دهد. نخست آن فصل "
                "را (با ذکر دلیل) بازگشایی کنید.")


def _move_case(session: Session, keep: Patient, remove: Patient) -> tuple[str, bool]:
    """One Form 1 for the merged record: what was done, and whether the kept record's
    Form 1 changed."""
    kept = session.scalar(select(CaseRecordRow).where(CaseRecordRow.patient_id == keep.id))
    moving = session.scalar(select(CaseRecordRow).where(CaseRecordRow.patient_id == remove.id))
    if moving is None:
        return "فرم شماره ۱ پرونده ماندگار دست نخورد.", False
    if kept is not None and not _case_is_empty(kept) and not _case_is_empty(moving):
        raise MergeRefusedError(
            "both patients have a filled Form 1",
            f"هر دو پرونده ({keep.national_code} و {remove.national_code}) فرم شماره ۱ "
            "پرشده دارند و برنامه نمی‌تواند میان آن‌ها انتخاب کند. نخست فرم شماره ۱ "
            "یکی را با دیگری یکسان کنید یا خالی کنید، سپس ادغام کنید.")
    if _case_is_empty(moving):
        session.delete(moving)
        return "فرم شماره ۱ خالی پرونده حذف‌شده کنار رفت.", False
    if kept is not None:  # empty: the filled one takes its place
        session.delete(kept)
        session.flush()  # one case per patient: the old row goes before the new one comes
    moving.patient_id = keep.id
    return "فرم شماره ۱ پرونده حذف‌شده به پرونده ماندگار منتقل شد.", True


def _move_rows(session: Session, keep_id: int, remove_id: int) -> dict[str, int]:
    moved: dict[str, int] = {}
    # Any: the four models share the column, not a class that declares it.
    models: tuple[tuple[str, Any], ...] = (
        ("assessments", Assessment), ("cost_items", CostItem), ("referrals", Referral),
        ("seals", FormSeal))
    for name, model in models:
        rows = list(session.scalars(select(model).where(model.patient_id == remove_id)))
        for row in rows:  # one by one, so the trail records each move
            row.patient_id = keep_id
        moved[name] = len(rows)
    return moved


class DuplicateService:
    def __init__(self, session_factory: sessionmaker[Session], access: Access,
                 drafts: DraftStore | None = None) -> None:
        self._sessions = session_factory
        self._access = access
        self._drafts = drafts

    # --- finding -----------------------------------------------------------------------

    def candidates(self, identity: PatientIdentity, exclude_id: int | None = None
                   ) -> list[Match]:
        """Patients on file who may be the one being registered (or edited, as
        ``exclude_id``): a code one digit or one swap away, or the same names and birth
        date. Pairs marked as two people are left out."""
        self._access.require(Action.VIEW_PATIENTS)
        near = finder.near_codes(identity.national_code)
        me = Person(exclude_id or 0, identity.national_code, finder.name_key(
            identity.first_name, identity.last_name, identity.father_name,
            identity.birth_date))
        first_last = me.name_key.rsplit(finder.NAME_KEY_SEPARATOR, 2)[0]
        with self._sessions() as session:
            rows = {row.id: row for row in session.scalars(
                select(Patient).where(Patient.national_code.in_(list(near))))}
            rows.update({row.id: row for row in session.scalars(
                select(Patient).where(Patient.search_key == first_last,
                                      Patient.birth_date == identity.birth_date))})
            dismissed = _dismissed(session, exclude_id) if exclude_id else frozenset()
            matches = []
            for row in sorted(rows.values(), key=lambda r: r.id):
                if row.id == exclude_id or (exclude_id and ordered_pair(
                        exclude_id, row.id) in dismissed):
                    continue
                reasons = finder.reasons_between(me, _person(row))
                if reasons:
                    matches.append(Match(_side(row), reasons))
        matches.sort(key=lambda m: -len(m.reasons))
        return matches

    def find_all(self, *, progress: Progress = NO_PROGRESS) -> list[DuplicatePair]:
        """Every likely pair in the database, the surest first."""
        self._access.require(Action.VIEW_PATIENTS)
        progress.step(0, 0, "خواندن پرونده‌ها…")
        with self._sessions() as session:
            people = _people_on_file(session, progress)
            progress.step(0, 0, "جست‌وجوی پرونده‌های تکراری…")
            suspicions = finder.find_duplicates(people, _dismissed(session))
            return self._pairs(session, suspicions)

    def among_rows(self, rows: list[tuple[int, PatientIdentity]], *,
                   progress: Progress = NO_PROGRESS) -> list[RowSuspicion]:
        """For rows about to be registered together (an import: row number, identity),
        each that may be a patient on file or another of the rows, and why: the whole
        file against the whole database at once, not a query per row."""
        self._access.require(Action.VIEW_PATIENTS)
        # A row is a negative id, so it can never be taken for a patient's.
        rows_as_people = [Person(-number, identity.national_code, finder.name_key(
            identity.first_name, identity.last_name, identity.father_name,
            identity.birth_date)) for number, identity in rows]
        with self._sessions() as session:
            people = _people_on_file(session, progress)
            # Pairs of two patients on file are not this file's question.
            suspicions = finder.find_among_new(people, rows_as_people)
            sides = _sides(session, {pid for s in suspicions for pid in s.pair if pid > 0})
        return sorted((RowSuspicion(-s.first_id, sides.get(s.second_id),
                                    -s.second_id if s.second_id < 0 else None, s.reasons)
                       for s in suspicions), key=lambda r: (r.row, r.other_row or 0))

    @staticmethod
    def _pairs(session: Session, suspicions: list[Suspicion]) -> list[DuplicatePair]:
        sides = _sides(session, {pid for s in suspicions for pid in s.pair})
        return [DuplicatePair(sides[s.first_id], sides[s.second_id], s.reasons)
                for s in suspicions]

    # --- two people ----------------------------------------------------------------------

    def mark_not_duplicate(self, first_id: int, second_id: int, reason: str = "") -> None:
        """The two records are two people: not listed as duplicates again."""
        actor = self._access.require(Action.MERGE_PATIENTS)
        if first_id == second_id:
            raise MergeRefusedError("a patient is not a pair", "یک پرونده با خودش جفت نیست.")
        low, high = ordered_pair(first_id, second_id)
        with self._sessions.begin() as session:
            take_write_lock(session)
            first, second = session.get(Patient, low), session.get(Patient, high)
            if first is None or second is None:
                raise NotFoundError(f"patient {low} or {high} does not exist")
            if session.scalar(select(NotDuplicate.id).where(
                    NotDuplicate.first_patient_id == low,
                    NotDuplicate.second_patient_id == high)) is not None:
                return
            row = NotDuplicate(first_patient_id=low, second_patient_id=high,
                               marked_by=actor.display_name, reason=normalize_text(reason))
            session.add(row)
            session.flush()
            codes = [first.national_code, second.national_code]
            audit.append(session, actor, [audit.Draft(
                "not_duplicate", "not_duplicates", str(row.id), low,
                {"national_codes": [None, codes]})], reason=row.reason)

    # --- merging ------------------------------------------------------------------------

    def merge(self, keep_id: int, remove_id: int, reason: str = "") -> MergeReport:
        """Move everything of ``remove_id`` onto ``keep_id`` and delete ``remove_id``."""
        actor = self._access.require(Action.MERGE_PATIENTS)
        if keep_id == remove_id:
            raise MergeRefusedError("a patient cannot be merged into itself",
                                    "یک پرونده در خودش ادغام نمی‌شود.")
        with self._sessions.begin() as session:
            take_write_lock(session)
            keep, remove = session.get(Patient, keep_id), session.get(Patient, remove_id)
            if keep is None or remove is None:
                raise NotFoundError(f"patient {keep_id} or {remove_id} does not exist")
            kept_code, removed_code = keep.national_code, remove.national_code
            session.info[audit.REASON_KEY] = normalize_text(reason) or \
                f"ادغام پرونده تکراری {removed_code} در {kept_code}"
            keep_seal = current_seal(session, keep_id)
            _refuse_seals(keep, remove, keep_seal, current_seal(session, remove_id))
            _refuse_closed(session, remove, "انتقال آن به پرونده دیگر")
            case_done, case_changed = _move_case(session, keep, remove)
            if case_changed:
                _refuse_closed(session, keep, "تغییر فرم شماره ۱ آن")
            moved = _move_rows(session, keep_id, remove_id)
            session.execute(delete(NotDuplicate).where(or_(
                NotDuplicate.first_patient_id == remove_id,
                NotDuplicate.second_patient_id == remove_id)))
            session.flush()  # the moves, before the record they left goes
            session.delete(remove)
            session.flush()
            rebanded = self._reband(session, keep, keep_seal)
            report = MergeReport(keep_id, kept_code, removed_code, moved["assessments"],
                                 moved["cost_items"], moved["referrals"], moved["seals"],
                                 case_done, rebanded)
            audit.append(session, actor, [audit.Draft(
                "merge", "patients", str(keep_id), keep_id,
                {"kept": [kept_code, kept_code], "removed": [removed_code, None],
                 "moved": [None, {**moved, "case": case_changed}]})],
                reason=session.info[audit.REASON_KEY])
        if self._drafts is not None:
            self._drafts.move_patient(remove_id, keep_id)
        return report

    @staticmethod
    def _reband(session: Session, keep: Patient, keep_seal: FormSeal | None) -> int:
        refusal = MergeRefusedError(
            "the kept patient's Form 1 is sealed and the merge would change it",
            f"فرم شماره ۱ پرونده {keep.national_code} تأیید و مهر شده است و ادغام، فرم "
            "شماره ۱ یا جمع هزینه‌ها و حمایت آن را تغییر می‌دهد. نخست رئیس بیمارستان مهر "
            "را با ذکر دلیل بردارد.")
        if keep_seal is not None and not matches_seal(session, keep_seal):
            raise refusal
        try:
            return reband_patient(session, keep.id)
        except SealedRecordError as exc:
            raise refusal from exc
