"""The receiving side: merging hubs' packages into a roll-up database, and the combined
Form 2 per university and for the country."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.persian import search_key, to_persian_digits
from cancer_desk.db.engine import take_write_lock
from cancer_desk.exchange.format import DIGEST_FIELD
from cancer_desk.exchange.verify import MAX_PACKAGE_BYTES, verify_bytes
from cancer_desk.models import RollupPackage, RollupRow

# The zip on disk: it is never larger than what it holds inflated (plus its index).
MAX_PACKAGE_FILE_BYTES = MAX_PACKAGE_BYTES + 16 * 1024 * 1024


@dataclass(frozen=True)
class ImportOutcome:
    source: str
    status: str  # "imported", "replaced", "unchanged", "refused"
    message: str
    message_fa: str = ""
    needs_password: bool = False  # refused only for want of the right password
    period: tuple[int, int] | None = None  # (year, quarter) of a package in the roll-up

    @property
    def ok(self) -> bool:
        return self.status != "refused"


def hub_key(hub: dict[str, Any]) -> str:
    """One hub across packages: its number in the directive's list, or for a hospital
    entered by hand its university and name, however they were typed."""
    if hub.get("number") is not None:
        return f"hub:{hub['number']}"
    return "|".join(("name", search_key(str(hub.get("university", ""))),
                     search_key(str(hub.get("hospital", "")))))


def import_package(session_factory: sessionmaker[Session], data: bytes, *, source: str = "",
                   password: str | None = None) -> ImportOutcome:
    """Verify, then merge in one transaction. The same package again changes nothing; a
    later version of a hub's quarter replaces the earlier one; anything doubtful is
    refused and the roll-up is left as it was."""
    report = verify_bytes(data, password)
    if not report.ok:
        return ImportOutcome(source, "refused", "; ".join(report.describe()),
                             "؛ ".join(report.describe_fa()), needs_password=report.encrypted)
    manifest = report.manifest
    assert manifest is not None and report.data is not None
    period = manifest["period"]
    if period.get("year") is None or period.get("quarter") is None:
        return ImportOutcome(source, "refused", "not a quarterly package (a custom period)",
                             "این بسته یک فصل نیست (بازه دلخواه است).")
    try:
        return _merge(session_factory, manifest, report.data, source)
    except IntegrityError as exc:  # another import made its version current meanwhile
        return ImportOutcome(source, "refused", f"another import got there first; try again "
                                                f"({exc.orig})",
                             "هم‌زمان بسته دیگری از همین قطب وارد شد؛ دوباره بکوشید.")
    except OperationalError as exc:
        if "locked" in str(exc.orig) or "busy" in str(exc.orig):
            return ImportOutcome(source, "refused", f"the roll-up was busy, try again "
                                                    f"({exc.orig})",
                                 "پایگاه تجمیع در همان لحظه در دست کار دیگری بود؛ دوباره "
                                 "بکوشید.")
        return ImportOutcome(source, "refused", f"the roll-up could not be written ({exc.orig})",
                             "در پایگاه تجمیع نوشته نشد (دیسک یا دسترسی را بررسی کنید).")
    except (OverflowError, StatementError) as exc:  # beyond what verify bounds; never crash
        return ImportOutcome(source, "refused", f"a value the roll-up cannot hold ({exc})",
                             "عددی در بسته است که در پایگاه تجمیع نمی‌گنجد.")


def _merge(session_factory: sessionmaker[Session], manifest: dict[str, Any], data: dict[str, Any],
           source: str) -> ImportOutcome:
    """One verified package into the roll-up, in one transaction holding the write lock
    (two importers at once cannot both make their version the current one)."""
    # The manifest's digest covers every file's checksum: it names the content, whatever
    # the wrapping (an encrypted copy has other bytes every time it is written).
    package_sha = manifest[DIGEST_FIELD]
    period = manifest["period"]
    key = hub_key(manifest["hub"])
    version = manifest["version"]
    with session_factory.begin() as session:
        take_write_lock(session)
        known = session.scalar(select(RollupPackage).where(RollupPackage.sha256 == package_sha))
        if known is not None:
            if known.current:
                return ImportOutcome(source, "unchanged", "already imported",
                                     "پیش‌تر وارد شده است؛ چیزی تغییر نکرد.",
                                     period=(known.year, known.quarter))
            return ImportOutcome(source, "unchanged",
                                 "already imported, and since replaced by a later version",
                                 "پیش‌تر وارد شده و نسخه تازه‌تری جای آن را گرفته است.")
        current = session.scalar(select(RollupPackage).where(
            RollupPackage.hub_key == key, RollupPackage.year == period["year"],
            RollupPackage.quarter == period["quarter"], RollupPackage.current.is_(True)))
        if current is not None and version <= current.version:
            return ImportOutcome(
                source, "refused",
                f"version {version} of this hub's {period['year']} Q{period['quarter']} "
                f"is not newer than the imported version {current.version}",
                to_persian_digits(f"نسخه {version} این بسته از نسخه واردشده ({current.version}) "
                                  f"تازه‌تر نیست؛ وارد نشد."))
        if current is not None:
            current.current = False
            session.flush()  # one current package per hub and quarter, at every moment
        package = RollupPackage(
            hub_key=key, hub_number=manifest["hub"].get("number"),
            university=manifest["hub"]["university"], province=manifest["hub"]["province"],
            hospital=manifest["hub"]["hospital"], year=period["year"],
            quarter=period["quarter"], period_start=dt.date.fromisoformat(period["start"]),
            period_end=dt.date.fromisoformat(period["end"]), version=version,
            sha256=package_sha, current=True, manifest=manifest)
        # Verified: the nine groups once each, then the total (not stored: it is a sum).
        package.rows = [RollupRow(group_id=int(r["group_id"]), seen=int(r["seen"]),
                                  covered=int(r["covered"]), spent=int(r["spent_toman"]))
                        for r in data["form2"] if int(r["group_id"]) != 0]
        session.add(package)
    hub = manifest["hub"]
    status = "replaced" if current is not None else "imported"
    return ImportOutcome(
        source, status,
        f"{hub['hospital']} ({hub['university']}), {period['year']} Q{period['quarter']} "
        f"v{version}",
        to_persian_digits(f"{hub['hospital']} (دانشگاه {hub['university']})، فصل "
                          f"{period['quarter']} سال {period['year']}، نسخه {version}"),
        period=(period["year"], period["quarter"]))


def import_files(session_factory: sessionmaker[Session], paths: list[Path], *,
                 password: str | None = None,
                 on_outcome: Callable[[ImportOutcome], None] | None = None
                 ) -> list[ImportOutcome]:
    """Each file in turn, ``on_outcome`` hearing of each as soon as it is decided: one
    refused does not keep the others out."""
    outcomes = []
    for path in paths:
        outcome = _import_file(session_factory, path, password)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


def _import_file(session_factory: sessionmaker[Session], path: Path,
                 password: str | None) -> ImportOutcome:
    try:
        if path.stat().st_size > MAX_PACKAGE_FILE_BYTES:
            return ImportOutcome(str(path), "refused", "too large to be a package",
                                 "پرونده بزرگ‌تر از آن است که بسته فصل باشد.")
        data = path.read_bytes()
    except OSError as exc:
        return ImportOutcome(str(path), "refused", f"cannot be read: {exc}",
                             "پرونده خوانده نمی‌شود.")
    try:
        return import_package(session_factory, data, source=str(path), password=password)
    # Past what verify foresees; the rest of the folder goes on.
    except (RecursionError, MemoryError, ValueError) as exc:
        return ImportOutcome(str(path), "refused", f"cannot be checked ({exc!r})",
                             "بسته بررسی‌پذیر نیست؛ وارد نشد.")


@dataclass(frozen=True)
class CombinedRow:
    university: str  # "" for the whole country
    group_id: int
    seen: int
    covered: int
    spent: int


def combined_form2(session_factory: sessionmaker[Session], year: int,
                   quarter: int) -> dict[str, dict[int, CombinedRow]]:
    """university → group → sums over the hubs' current packages; key "" is the country.

    Summed here, in Python's integers, not by the database: SQL's SUM of many hubs'
    large figures can pass the 64-bit integer a database keeps and fail the query."""
    with session_factory() as session:
        rows = session.execute(
            select(RollupPackage.university, RollupRow.group_id, RollupRow.seen,
                   RollupRow.covered, RollupRow.spent)
            .join(RollupRow, RollupRow.package_id == RollupPackage.id)
            .where(RollupPackage.year == year, RollupPackage.quarter == quarter,
                   RollupPackage.current.is_(True))).all()
    sums: dict[str, dict[int, list[int]]] = {}
    for university, group_id, seen, covered, spent in rows:
        for key in (university, ""):
            totals = sums.setdefault(key, {}).setdefault(group_id, [0, 0, 0])
            totals[0] += int(seen)
            totals[1] += int(covered)
            totals[2] += int(spent)
    combined = {university: {g: CombinedRow(university, g, *t) for g, t in sorted(groups.items())}
                for university, groups in sums.items() if university}
    combined[""] = {g: CombinedRow("", g, *t) for g, t in sorted(sums.get("", {}).items())}
    return combined


def hubs_in_rollup(session_factory: sessionmaker[Session], year: int,
                   quarter: int) -> list[RollupPackage]:
    with session_factory() as session:
        return list(session.scalars(select(RollupPackage).where(
            RollupPackage.year == year, RollupPackage.quarter == quarter,
            RollupPackage.current.is_(True)).order_by(RollupPackage.university,
                                                      RollupPackage.hospital)))
