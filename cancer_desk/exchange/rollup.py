"""The receiving side: merging hubs' packages into a roll-up database, and the combined
Form 2 per university and for the country."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.persian import search_key, to_persian_digits
from cancer_desk.db.engine import take_write_lock
from cancer_desk.exchange.format import DIGEST_FIELD
from cancer_desk.exchange.verify import MAX_PACKAGE_BYTES, verify_bytes
from cancer_desk.models import RollupHubKey, RollupPackage, RollupRow

if TYPE_CHECKING:
    from cancer_desk.exchange.signature import PackageSignature

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


@dataclass(frozen=True)
class Importer:
    """Who merges, and what they decided beforehand: a named person, and for a package
    without a signature (format 1-3) the reason a roll-up administrator gave to take it."""

    name: str
    unsigned_reason: str = ""
    # Hospitals' programs do not sign their packages yet (format 3): until they do, an
    # unsigned package is taken from a hub whose key is not pinned, marked unsigned. A
    # hub that has sent a signed package is never taken unsigned again.
    require_signature: bool = False


def import_package(session_factory: sessionmaker[Session], data: bytes, *, source: str = "",
                   password: str | None = None,
                   importer: Importer = Importer("")) -> ImportOutcome:
    """Verify, then merge in one transaction. The same package again changes nothing; the
    next version of a hub's quarter replaces the one before; a package signed under a key
    other than the hub's pinned one, a version that jumps or is older, an unsigned package
    nobody took with a reason — anything doubtful is refused, naming the hub, and the
    roll-up is left byte for byte as it was."""
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
    if report.signature is not None and not report.signature.valid:
        return _refused_for(source, manifest, report.signature.problem,
                            report.signature.problem_fa)
    try:
        return _merge(session_factory, manifest, report.data, source, report.signature,
                      importer)
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


def _hub_named(manifest: dict[str, Any]) -> tuple[str, str]:
    hub, period = manifest["hub"], manifest["period"]
    return (f"{hub['hospital']} ({hub['university']}), {period['year']} Q{period['quarter']}",
            to_persian_digits(f"{hub['hospital']} (دانشگاه {hub['university']})، فصل "
                              f"{period['quarter']} سال {period['year']}"))


def _refused_for(source: str, manifest: dict[str, Any], message: str,
                 message_fa: str) -> ImportOutcome:
    """A refusal that names the hub and quarter the package says it is of."""
    english, persian = _hub_named(manifest)
    return ImportOutcome(source, "refused", f"{english}: {message}", f"{persian}: {message_fa}")


def _pinned_key(session: Session, key: str) -> RollupHubKey | None:
    return session.scalar(select(RollupHubKey).where(RollupHubKey.hub_key == key,
                                                     RollupHubKey.replaced_at.is_(None)))


def _origin_refusal(session: Session, manifest: dict[str, Any],
                    signature: PackageSignature | None, importer: Importer,
                    source: str) -> ImportOutcome | None:
    """Whether the package may be taken as the hub's, by its signature and the key the
    roll-up holds for the hub; None when it may."""
    from cancer_desk.core.keys import display_fingerprint  # with the package's signature

    pinned = _pinned_key(session, hub_key(manifest["hub"]))
    if signature is None:
        if pinned is not None:
            return _refused_for(
                source, manifest, "unsigned, from a hub that signs its packages (its key is "
                "pinned here): refused", "بسته امضا ندارد، حال آنکه این قطب بسته‌هایش را امضا "
                "می‌کند (کلید آن در تجمیع نگه داشته شده است)؛ وارد نشد.")
        if importer.require_signature and not importer.unsigned_reason:
            return _refused_for(
                source, manifest, f"unsigned (format {manifest['format_version']}): "
                "nothing shows it is the hub's; a roll-up administrator may take it, "
                "giving a reason", "بسته امضا ندارد و هیچ نشانی نیست که از آنِ همان قطب "
                "باشد؛ تنها مدیر سامانه تجمیع می‌تواند با ذکر دلیل آن را بپذیرد.")
        return None
    if pinned is not None and pinned.fingerprint != signature.hub_fingerprint:
        return _refused_for(
            source, manifest,
            f"signed under the hub key {display_fingerprint(signature.hub_fingerprint)}, "
            f"but the roll-up holds {display_fingerprint(pinned.fingerprint)} for this hub; "
            "if the hub really has a new key, a roll-up administrator accepts it after "
            "comparing its fingerprint by phone (package accept-key)",
            f"با کلید قطب {display_fingerprint(signature.hub_fingerprint)} امضا شده، ولی "
            f"کلیدی که تجمیع برای این قطب دارد {display_fingerprint(pinned.fingerprint)} "
            "است. اگر قطب به‌راستی کلید تازه دارد، مدیر سامانه تجمیع پس از سنجیدن اثر "
            "انگشت آن با قطب از راه تلفن، آن را می‌پذیرد.")
    return None


def _version_refusal(current: RollupPackage | None, manifest: dict[str, Any],
                     source: str) -> ImportOutcome | None:
    """The next version of what the roll-up holds, amending it; None when it is."""
    version = manifest["version"]
    if current is None:
        return None
    if version <= current.version:
        return _refused_for(
            source, manifest, f"version {version} is not newer than the imported version "
                              f"{current.version}",
            to_persian_digits(f"نسخه {version} این بسته از نسخه واردشده ({current.version}) "
                              "تازه‌تر نیست؛ وارد نشد."))
    if version > current.version + 1:
        return _refused_for(
            source, manifest, f"version {version} jumps from the imported version "
                              f"{current.version}; import version {current.version + 1} first",
            to_persian_digits(f"نسخه {version} از نسخه واردشده ({current.version}) می‌پرد؛ "
                              f"نخست نسخه {current.version + 1} را وارد کنید."))
    amends = manifest.get("amends")
    if not isinstance(amends, dict) or amends.get("manifest_sha256") != current.sha256:
        return _refused_for(
            source, manifest, f"version {version} amends a version {current.version} other "
                              "than the one imported",
            to_persian_digits(f"نسخه {version} نسخه‌ای از {current.version} را اصلاح می‌کند "
                              "که با نسخه واردشده یکی نیست؛ وارد نشد."))
    return None


def _merge(session_factory: sessionmaker[Session], manifest: dict[str, Any], data: dict[str, Any],
           source: str, signature: PackageSignature | None,
           importer: Importer) -> ImportOutcome:
    """One verified package into the roll-up, in one transaction holding the write lock
    (two importers at once cannot both make their version the current one). A refusal
    is decided before anything is written."""
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
        refusal = _origin_refusal(session, manifest, signature, importer, source) \
            or _version_refusal(current, manifest, source)
        if refusal is not None:
            return refusal
        if signature is not None and _pinned_key(session, key) is None:
            session.add(RollupHubKey(hub_key=key, hospital=manifest["hub"]["hospital"],
                                     public_key=signature.hub_public_key,
                                     fingerprint=signature.hub_fingerprint,
                                     pinned_by=importer.name, reason="first signed package"))
        if current is not None:
            current.current = False
            session.flush()  # one current package per hub and quarter, at every moment
        package = RollupPackage(
            hub_key=key, hub_number=manifest["hub"].get("number"),
            university=manifest["hub"]["university"], province=manifest["hub"]["province"],
            hospital=manifest["hub"]["hospital"], year=period["year"],
            quarter=period["quarter"], period_start=dt.date.fromisoformat(period["start"]),
            period_end=dt.date.fromisoformat(period["end"]), version=version,
            sha256=package_sha, current=True, manifest=manifest, imported_by=importer.name,
            signed=signature is not None,
            signer=signature.signer if signature is not None else "",
            signer_fingerprint=signature.signer_fingerprint if signature is not None else "",
            hub_fingerprint=signature.hub_fingerprint if signature is not None else "",
            unsigned_reason="" if signature is not None else importer.unsigned_reason)
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
                 password: str | None = None, importer: Importer = Importer(""),
                 on_outcome: Callable[[ImportOutcome], None] | None = None
                 ) -> list[ImportOutcome]:
    """Each file in turn, ``on_outcome`` hearing of each as soon as it is decided: one
    refused does not keep the others out."""
    outcomes = []
    for path in paths:
        outcome = _import_file(session_factory, path, password, importer)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


def read_package_file(path: Path) -> bytes:
    """A package file's bytes, refused (ValueError) before reading when it is larger
    than any package; OSError when it cannot be read."""
    if path.stat().st_size > MAX_PACKAGE_FILE_BYTES:
        raise ValueError("too large to be a package")
    return path.read_bytes()


def _import_file(session_factory: sessionmaker[Session], path: Path,
                 password: str | None, importer: Importer) -> ImportOutcome:
    try:
        if path.stat().st_size > MAX_PACKAGE_FILE_BYTES:
            return ImportOutcome(str(path), "refused", "too large to be a package",
                                 "پرونده بزرگ‌تر از آن است که بسته فصل باشد.")
        data = path.read_bytes()
    except OSError as exc:
        return ImportOutcome(str(path), "refused", f"cannot be read: {exc}",
                             "پرونده خوانده نمی‌شود.")
    try:
        return import_package(session_factory, data, source=str(path), password=password,
                              importer=importer)
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
