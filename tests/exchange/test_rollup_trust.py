"""The roll-up takes a package as a hub's only when the hub's key signed it: the key is
pinned from the hub's first signed package, a new one is accepted only by a named roll-up
administrator who typed its fingerprint, with a reason; a version that jumps or is older
is refused naming the hub, and a refusal leaves the roll-up's file as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from cancer_desk.core.access import Role
from cancer_desk.core.errors import InputError
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.core.keys import display_fingerprint
from cancer_desk.exchange.rollup import Importer, import_files
from cancer_desk.exchange.verify import verify_file
from cancer_desk.models import AuditEntry, RollupHubKey, RollupPackage
from cancer_desk.services.access import AccessDeniedError
from cancer_desk.services.exports import export_quarter
from tests.builders import make_hub
from tests.conftest import TEST_PASSWORD
from tests.exchange.rollup_helpers import rollup_import
from tests.services.quarter_data import j

Q4_1403 = JalaliQuarter(1403, 4)


def signed(hub, path: Path) -> Path:
    """The package with a detached signature by the hub's signed-in director (the
    tester, holding every role), as the hospital's export will write it."""
    import io
    import zipfile

    from cancer_desk.exchange import format as fmt
    from cancer_desk.exchange.signature import signature_json
    from cancer_desk.services import keys

    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    ring = hub.access.keys
    with hub.database.session_factory() as session:
        hub_row = keys.hub_key(session)
        document = signature_json(
            members[fmt.MANIFEST], private_key=ring.private_key,
            signer=hub.access.actor.display_name,
            standing=keys.standing(session, ring.fingerprint),
            public_keys=keys.public_keys(session), hub_fingerprint=hub_row.fingerprint,
            hub_public_key=hub_row.public_key)
    path.write_bytes(fmt.deterministic_zip({**members, fmt.SIGNATURE_JSON: document}))
    return path


def without_signature(data: bytes) -> bytes:
    import io
    import zipfile

    from cancer_desk.exchange import format as fmt

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return fmt.deterministic_zip({name: archive.read(name) for name in archive.namelist()
                                      if name != fmt.SIGNATURE_JSON})


def files_of(context) -> dict[str, bytes]:
    """The roll-up's database file and its write-ahead log, byte for byte."""
    main = Path(context.database.location)
    return {p.name: p.read_bytes() for p in (main, main.with_name(main.name + "-wal"))
            if p.exists()}


@pytest.fixture
def hub_versions(tmp_path, reference):
    """Hub 3's genuine v1, v2, v3 of 1403 Q4, and a package for hub 3 made in another
    database (another hub key): what an impostor, or a reinstalled PC, sends."""
    hub, data = make_hub(tmp_path / "genuine", 3, reference)
    paths = [signed(hub, export_quarter(hub, Q4_1403, tmp_path / "v1.zip").path)]
    for version, drug in ((2, 10_000), (3, 20_000)):
        hub.quarters.reopen(Q4_1403, reason="هزینه جاافتاده بیمار")
        data.add_drug("A", j(1403, 12, 20 + version), drug)
        paths.append(signed(hub, export_quarter(hub, Q4_1403,
                                                tmp_path / f"v{version}.zip").path))
    hub.close()
    (tmp_path / "other").mkdir()
    impostor, theirs = make_hub(tmp_path / "other", 3, reference)
    theirs.add_drug("A", j(1403, 11, 2), 5_000)  # a package of its own, not a copy
    forged = signed(impostor, export_quarter(impostor, Q4_1403, tmp_path / "forged.zip").path)
    impostor.close()
    return paths, forged


@pytest.fixture(autouse=True)
def _folders(tmp_path):
    (tmp_path / "genuine").mkdir()


def test_the_first_signed_package_pins_the_hubs_key(context, hub_versions) -> None:
    (v1, v2, _), _ = hub_versions
    first, = rollup_import(context, [v1], unsigned_reason="")
    assert first.status == "imported"
    signature = verify_file(v1).signature
    assert signature is not None and signature.valid
    with context.database.session_factory() as session:
        pinned = session.scalars(select(RollupHubKey)).all()
        package = session.scalars(select(RollupPackage)).one()
    assert [(p.fingerprint, p.replaced_at, p.pinned_by) for p in pinned] == \
        [(signature.hub_fingerprint, None, context.access.actor.display_name)]
    assert (package.signed, package.imported_by, package.hub_fingerprint) == \
        (True, context.access.actor.display_name, signature.hub_fingerprint)
    second, = rollup_import(context, [v2], unsigned_reason="")
    assert second.status == "replaced"


def test_a_package_signed_under_another_key_is_refused_and_changes_nothing(
        context, hub_versions) -> None:
    (v1, _, _), forged = hub_versions
    rollup_import(context, [v1])
    before = files_of(context)
    refused, = rollup_import(context, [forged])
    assert refused.status == "refused"
    assert "Q4" in refused.message and "accept-key" in refused.message  # the hub named
    assert "تلفن" in refused.message_fa
    assert files_of(context) == before


def test_an_administrator_accepts_a_hubs_new_key_by_its_fingerprint(
        context, hub_versions) -> None:
    (v1, _, _), forged = hub_versions
    rollup_import(context, [v1])
    shown = verify_file(forged).signature.hub_display
    with pytest.raises(InputError) as wrong:
        context.rollup.accept_hub_key(forged, typed_fingerprint="0000-0000-0000-0000-0000",
                                      reason="کلید تازه پس از نصب دوباره")
    assert wrong.value.field == "fingerprint"
    with pytest.raises(InputError) as no_reason:
        context.rollup.accept_hub_key(forged, typed_fingerprint=shown, reason="")
    assert no_reason.value.field == "reason"
    # Read out by phone: lower case, in Persian digits, without the dashes.
    typed = shown.replace("-", " ").lower().translate(str.maketrans("0123456789",
                                                                    "۰۱۲۳۴۵۶۷۸۹"))
    accepted = context.rollup.accept_hub_key(forged, typed_fingerprint=typed,
                                             reason="کلید تازه پس از نصب دوباره")
    assert accepted.replaced == verify_file(v1).signature.hub_fingerprint
    keys = context.rollup.hub_keys()
    assert [(k.display, k.replaced_at is None) for k in keys][-1] == (shown, True)
    assert sum(k.replaced_at is None for k in keys) == 1
    with context.database.session_factory() as session:
        trail = session.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "rollup_hub_keys")).all()
    assert any(e.reason == "کلید تازه پس از نصب دوباره" and e.action == "insert"
               for e in trail)
    # The forged package is now the hub's: but as version 1 of a quarter held at version 1.
    again, = rollup_import(context, [forged])
    assert again.status == "refused" and "not newer" in again.message


def test_only_an_administrator_of_the_rollup_accepts_a_key(context, hub_versions) -> None:
    (v1, _, _), forged = hub_versions
    rollup_import(context, [v1])
    record = context.accounts.create("importer", "کارشناس تجمیع", {Role.DIRECTOR},
                                     TEST_PASSWORD)
    context.accounts.clear_password_change(record.id)
    context.accounts.sign_out()
    context.accounts.sign_in("importer", TEST_PASSWORD)
    with pytest.raises(AccessDeniedError):
        context.rollup.accept_hub_key(forged, typed_fingerprint=verify_file(
            forged).signature.hub_display, reason="کلید تازه پس از نصب دوباره")
    with pytest.raises(AccessDeniedError):
        context.rollup.import_files([forged], unsigned_reason="بی‌امضا بپذیر")
    refused, = context.rollup.import_files([forged])
    assert refused.status == "refused"


def test_a_version_that_jumps_or_is_older_is_refused_naming_the_hub(
        context, hub_versions) -> None:
    (v1, v2, v3), _ = hub_versions
    rollup_import(context, [v1])
    before = files_of(context)
    jump, = rollup_import(context, [v3])
    assert jump.status == "refused" and "jumps" in jump.message and "Q4" in jump.message
    assert files_of(context) == before
    assert [o.status for o in rollup_import(context, [v2, v3])] == ["replaced", "replaced"]
    older, = rollup_import(context, [v1])
    assert older.status == "unchanged"  # held before: known, not a newer claim


def test_an_unsigned_package_needs_a_reason_and_never_for_a_signing_hub(
        context, hub_versions, tmp_path) -> None:
    from tests.exchange.old_packages import as_version_2

    (v1, v2, _), _ = hub_versions
    old = tmp_path / "old.zip"
    old.write_bytes(as_version_2(without_signature(v1.read_bytes())))
    strict = Importer(context.access.actor.display_name, require_signature=True)
    unsigned, = import_files(context.database.session_factory, [old], importer=strict)
    assert unsigned.status == "refused" and "unsigned" in unsigned.message
    taken, = rollup_import(context, [old], unsigned_reason="بسته پیش از امضا، تأیید تلفنی")
    assert taken.status == "imported"
    with context.database.session_factory() as session:
        package = session.scalars(select(RollupPackage)).one()
    assert (package.signed, package.unsigned_reason) == (False, "بسته پیش از امضا، تأیید تلفنی")
    context.rollup.remove(package.id, "بسته بی‌امضا جای خود را به امضاشده می‌دهد")
    first, = rollup_import(context, [v1], unsigned_reason="")
    assert first.status == "imported"
    later_unsigned = tmp_path / "old-v2.zip"
    later_unsigned.write_bytes(as_version_2(without_signature(v2.read_bytes())))
    refused, = rollup_import(context, [later_unsigned], unsigned_reason="بسته پیش از امضا")
    assert refused.status == "refused" and "signs its packages" in refused.message


def test_removing_a_package_is_named_and_audited(context, hub_versions) -> None:
    (v1, _, _), _ = hub_versions
    rollup_import(context, [v1])
    with context.database.session_factory() as session:
        package_id = session.scalars(select(RollupPackage.id)).one()
    with pytest.raises(InputError):
        context.rollup.remove(package_id, "")
    context.rollup.remove(package_id, "قطب بسته را پس گرفت")
    with context.database.session_factory() as session:
        package = session.get(RollupPackage, package_id)
        trail = session.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "rollup_packages", AuditEntry.action == "update")).all()
    assert (package.current, package.removed_by) == (False, context.access.actor.display_name)
    assert [e.reason for e in trail] == ["قطب بسته را پس گرفت"]
    assert display_fingerprint(package.hub_fingerprint)
