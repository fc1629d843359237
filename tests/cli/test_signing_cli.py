"""``cancer-desk signing load|status`` and ``print form1 --sign``, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from cancer_desk.cli import SIGNING_PASSWORD_ENV_VAR
from tests.cli.helpers import run
from tests.conftest import TEST_PASSWORD, open_signed_in
from tests.print.certificates import HOSPITAL_CN, PASSPHRASE, hospital_pkcs12, trust_in

NATIONAL_CODE = "0499370899"


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(SIGNING_PASSWORD_ENV_VAR, PASSPHRASE)
    return hospital_pkcs12(tmp_path / "hospital.p12")


@pytest.fixture
def form1_db(tmp_path: Path, reference):
    """A hospital with one patient whose Form 1 is filled in but not approved yet."""
    from cancer_desk.app import demo_settings
    from cancer_desk.paths import sqlite_url
    from tests.builders import full_case, identity

    db = tmp_path / "hospital.sqlite3"
    context = open_signed_in(sqlite_url(db))
    context.settings.save(demo_settings(reference))
    patient = context.patients.create(identity(NATIONAL_CODE, "زهرا", "پاکزاد"))
    context.cases.save(patient.id, full_case(), None)
    context.close()
    return db


def approve(db: Path) -> str:
    from cancer_desk.paths import sqlite_url

    context = open_signed_in(sqlite_url(db))
    try:
        patient = context.patients.find_by_national_code(NATIONAL_CODE)
        return context.seals.approve(patient.id).code
    finally:
        context.close()


def test_load_then_print_a_signed_form1(form1_db, certificate, tmp_path, capsys):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    path, issued = certificate
    code, out, err = run(["signing", "load", str(path), "--db", str(form1_db)], capsys)
    assert code == 0, err
    assert HOSPITAL_CN in out and "installed" in out
    code, out, _ = run(["signing", "status"], capsys)
    assert code == 0 and HOSPITAL_CN in out

    seal_code = approve(form1_db)
    pdf = tmp_path / "form1.pdf"
    code, out, err = run(["print", "form1", NATIONAL_CODE, "-o", str(pdf), "--db",
                          str(form1_db), "--sign"], capsys)
    assert code == 0, err
    assert not list(tmp_path.glob("*.partial"))
    with pdf.open("rb") as stream:
        [embedded] = PdfFileReader(stream).embedded_signatures
        status = validate_pdf_signature(embedded, trust_in(issued))
        assert status.intact and status.valid and status.bottom_line
        assert seal_code in embedded.sig_object["/Reason"]
        assert embedded.sig_object["/Name"] == "مریم احمدی"  # who signed in to sign


def test_a_draft_is_not_signed(form1_db, certificate, tmp_path, capsys):
    path, _ = certificate
    assert run(["signing", "load", str(path), "--db", str(form1_db)], capsys)[0] == 0
    pdf = tmp_path / "form1.pdf"
    code, _, err = run(["print", "form1", NATIONAL_CODE, "-o", str(pdf), "--db",
                        str(form1_db), "--sign"], capsys)
    assert code == 2 and "not approved yet" in err and "هنوز تأیید نشده" in err
    assert not pdf.exists()


def test_sign_with_a_wrong_passphrase_writes_nothing(form1_db, certificate, tmp_path,
                                                     capsys, monkeypatch):
    path, _ = certificate
    assert run(["signing", "load", str(path), "--db", str(form1_db)], capsys)[0] == 0
    approve(form1_db)
    monkeypatch.setenv(SIGNING_PASSWORD_ENV_VAR, "not-the-passphrase")
    pdf = tmp_path / "form1.pdf"
    code, _, err = run(["print", "form1", NATIONAL_CODE, "-o", str(pdf), "--db",
                        str(form1_db), "--sign"], capsys)
    assert code == 2 and "«رمز گواهی» درست نیست" in err
    assert not pdf.exists()


def test_sign_without_a_certificate_or_for_another_document(form1_db, tmp_path, capsys,
                                                            monkeypatch):
    monkeypatch.setenv(SIGNING_PASSWORD_ENV_VAR, PASSPHRASE)
    approve(form1_db)
    pdf = tmp_path / "form1.pdf"
    code, _, err = run(["print", "form1", NATIONAL_CODE, "-o", str(pdf), "--db",
                        str(form1_db), "--sign"], capsys)
    assert code == 2 and "no signing certificate" in err
    assert not pdf.exists()
    code, _, err = run(["print", "assessment", NATIONAL_CODE, "-o", str(pdf), "--db",
                        str(form1_db), "--sign"], capsys)
    assert code == 2 and "--sign is for form1" in err


def test_load_refuses_a_wrong_passphrase_and_keeps_nothing(form1_db, certificate, capsys,
                                                           monkeypatch):
    path, _ = certificate
    monkeypatch.setenv(SIGNING_PASSWORD_ENV_VAR, "not-the-passphrase")
    code, _, err = run(["signing", "load", str(path), "--db", str(form1_db)], capsys)
    assert code == 2 and "wrong passphrase" in err and "«رمز گواهی» درست نیست" in err
    code, out, _ = run(["signing", "status"], capsys)
    assert code == 1 and "no signing certificate" in out


def test_load_needs_the_settings_permission(form1_db, certificate, capsys):
    from cancer_desk.core.access import Role
    from cancer_desk.paths import sqlite_url

    context = open_signed_in(sqlite_url(form1_db))
    worker = context.accounts.create("worker", "سارا رحیمی", {Role.SOCIAL_WORKER},
                                     TEST_PASSWORD)
    context.accounts.clear_password_change(worker.id)
    context.close()
    path, _ = certificate
    code, _, err = run(["signing", "load", str(path), "--db", str(form1_db)], capsys,
                       user="worker")
    assert code == 2 and "refused" in err
    assert run(["signing", "status"], capsys)[0] == 1


def test_load_is_recorded_in_the_audit_trail(form1_db, certificate, capsys):
    import json

    path, _ = certificate
    assert run(["signing", "load", str(path), "--db", str(form1_db)], capsys)[0] == 0
    code, out, _ = run(["audit", "log", "--json", "--db", str(form1_db)], capsys)
    assert code == 0
    [entry] = [e for e in json.loads(out) if e["table_name"] == "signing_certificate"]
    assert entry["action"] == "load" and entry["changes"]["subject"] == [None, HOSPITAL_CN]


def test_status_as_json(certificate, capsys):
    import json

    from cancer_desk.print import signing

    path, issued = certificate
    signing.load_certificate(path, PASSPHRASE)
    code, out, _ = run(["signing", "status", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["subject"] == HOSPITAL_CN and data["expired"] is False
    assert data["valid_to"] == issued.not_valid_after_utc.isoformat()
