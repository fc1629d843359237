"""Signing a printed Form 1 with the hospital's certificate, and checking the signature
the way a PDF reader does (pyHanko's validator, trusting that certificate)."""

from __future__ import annotations

import io
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from cancer_desk.paths import user_data_dir
from cancer_desk.print import signing
from cancer_desk.print.form1 import render_form1
from cancer_desk.print.signing import SigningError
from tests.builders import TODAY
from tests.print.certificates import (
    HOSPITAL_CN,
    ISSUER_CN,
    PASSPHRASE,
    hospital_pkcs12,
    make_certificate,
)
from tests.print.pdf_reading import signature_status

REASON = "تأیید فرم شماره یک"
LOCATION = "بیمارستان امام خمینی، تهران"
SIGNER = "دکتر محمود صالحی"


@pytest.fixture
def certificate_file(tmp_path):
    return hospital_pkcs12(tmp_path / "hospital.p12")


@pytest.fixture
def sealed_form1(patient_with_everything) -> bytes:
    ctx, patient_id = patient_with_everything
    ctx.seals.approve(patient_id)
    out = io.BytesIO()
    render_form1(ctx.documents.form1(patient_id, today=TODAY), out)
    return out.getvalue()




def sign(pdf: bytes, passphrase: str = PASSPHRASE) -> bytes:
    return signing.sign_pdf(pdf, passphrase, reason=REASON, location=LOCATION,
                            signer_name=SIGNER)


def test_loading_keeps_a_copy_and_describes_the_certificate(certificate_file):
    path, certificate = certificate_file
    assert signing.installed_certificate() is None
    info = signing.load_certificate(path, PASSPHRASE)
    assert (info.subject_name, info.issuer) == (HOSPITAL_CN, ISSUER_CN)
    assert (info.valid_from, info.valid_to) == (certificate.not_valid_before_utc,
                                                certificate.not_valid_after_utc)
    assert not info.expired()
    kept = user_data_dir() / "signing" / "certificate.p12"
    assert kept.read_bytes() == path.read_bytes()  # still locked by its passphrase
    assert PASSPHRASE.encode() not in b"".join(p.read_bytes() for p in kept.parent.iterdir())
    assert signing.installed_certificate() == info


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_the_kept_copy_is_readable_by_its_owner_alone(certificate_file):
    path, _ = certificate_file
    umask = os.umask(0)  # the most permissive: the modes must not depend on it
    try:
        signing.load_certificate(path, PASSPHRASE)
    finally:
        os.umask(umask)
    folder = user_data_dir() / "signing"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "certificate.p12").stat().st_mode) == 0o600


def test_a_second_certificate_replaces_the_first(certificate_file, tmp_path):
    path, _ = certificate_file
    signing.load_certificate(path, PASSPHRASE)
    other, _ = hospital_pkcs12(tmp_path / "renewed.p12", valid_to_days=730)
    info = signing.load_certificate(other, PASSPHRASE)
    assert signing.installed_certificate() == info
    assert (user_data_dir() / "signing" / "certificate.p12").read_bytes() == other.read_bytes()


def test_a_signed_form1_validates_and_names_the_certificate(certificate_file, sealed_form1):
    path, certificate = certificate_file
    signing.load_certificate(path, PASSPHRASE)
    signed = sign(sealed_form1)
    assert signed[:len(sealed_form1)] == sealed_form1  # an incremental update
    embedded, status = signature_status(signed, certificate)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == HOSPITAL_CN
    assert embedded.field_name == signing.SIGNATURE_FIELD
    signature = embedded.sig_object
    assert signature["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert (signature["/Reason"], signature["/Location"], signature["/Name"]) == (
        REASON, LOCATION, SIGNER)
    # Baseline B: the signing certificate is bound into the signed attributes.
    attributes = {a["type"].native for a in embedded.signer_info["signed_attrs"]}
    assert "signing_certificate_v2" in attributes


def test_a_changed_byte_breaks_the_signature(certificate_file, sealed_form1):
    path, certificate = certificate_file
    signing.load_certificate(path, PASSPHRASE)
    signed = bytearray(sign(sealed_form1))
    at = signed.index(b"/Creator") + 1  # a key of the PDF's /Info, in the signed bytes
    assert at < len(sealed_form1)
    signed[at] = ord("K")
    _, status = signature_status(bytes(signed), certificate)
    assert not status.intact and not status.bottom_line


def test_a_wrong_passphrase_is_told_plainly(certificate_file, sealed_form1):
    path, _ = certificate_file
    with pytest.raises(SigningError) as caught:
        signing.load_certificate(path, "not-the-passphrase")
    assert caught.value.field == "passphrase"
    assert "«رمز گواهی» درست نیست" in caught.value.message_fa
    assert signing.installed_certificate() is None  # nothing kept
    signing.load_certificate(path, PASSPHRASE)
    with pytest.raises(SigningError) as caught:
        sign(sealed_form1, "not-the-passphrase")
    assert caught.value.field == "passphrase"


@pytest.mark.parametrize("content", [
    b"this is not a certificate file\n" * 20,
    b"",
    b"certificate" * 3,
    None,  # a certificate alone, in DER: ASN.1, but not PKCS#12
])
def test_a_file_that_is_not_pkcs12_is_told_apart(tmp_path, content):
    if content is None:
        _, certificate = make_certificate()
        content = certificate.public_bytes(serialization.Encoding.DER)
    garbage = tmp_path / "garbage.p12"
    garbage.write_bytes(content)
    with pytest.raises(SigningError) as caught:
        signing.load_certificate(garbage, PASSPHRASE)
    assert caught.value.field == "certificate_file"
    assert "«پرونده گواهی» یک پرونده گواهی PKCS#12" in caught.value.message_fa


def test_an_expired_certificate_is_refused(tmp_path):
    path, _ = hospital_pkcs12(tmp_path / "old.p12", valid_from_days=-400, valid_to_days=-2)
    with pytest.raises(SigningError) as caught:
        signing.load_certificate(path, PASSPHRASE)
    assert "به پایان رسیده است" in caught.value.message_fa
    assert "expired" in str(caught.value)


def test_a_certificate_not_valid_yet_is_refused(tmp_path):
    path, _ = hospital_pkcs12(tmp_path / "early.p12", valid_from_days=3, valid_to_days=30)
    with pytest.raises(SigningError) as caught:
        signing.load_certificate(path, PASSPHRASE)
    assert "معتبر می‌شود" in caught.value.message_fa


def test_a_file_without_the_private_key_is_refused(tmp_path):
    _, certificate = make_certificate()
    path = tmp_path / "cert-only.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"hospital", None, certificate, None,
        serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    with pytest.raises(SigningError) as caught:
        signing.load_certificate(path, PASSPHRASE)
    assert "کلید خصوصی ندارد" in caught.value.message_fa


def test_a_missing_file_is_told(tmp_path):
    with pytest.raises(SigningError) as caught:
        signing.load_certificate(tmp_path / "nowhere.p12", PASSPHRASE)
    assert caught.value.field == "certificate_file"
    assert "خوانده نشد" in caught.value.message_fa


def test_nothing_is_signed_before_a_certificate_is_loaded(sealed_form1):
    with pytest.raises(SigningError) as caught:
        sign(sealed_form1)
    assert "بارگذاری نشده" in caught.value.message_fa
    with pytest.raises(SigningError):
        signing.check_passphrase(PASSPHRASE)


def test_check_passphrase_answers_before_any_work(certificate_file):
    path, _ = certificate_file
    signing.load_certificate(path, PASSPHRASE)
    assert signing.check_passphrase(PASSPHRASE).subject_name == HOSPITAL_CN
    with pytest.raises(SigningError) as caught:
        signing.check_passphrase("wrong")
    assert caught.value.field == "passphrase"


def test_a_file_that_is_not_a_pdf_is_not_signed(certificate_file):
    path, _ = certificate_file
    signing.load_certificate(path, PASSPHRASE)
    with pytest.raises(SigningError) as caught:
        sign(b"%PDF-1.4 but nothing after it")
    assert "PDF" in caught.value.message_fa


def test_installed_certificate_reads_the_public_part_only(certificate_file):
    """The window asks this at start-up, with no passphrase to give."""
    path, _ = certificate_file
    info = signing.load_certificate(path, PASSPHRASE)
    assert signing.installed_certificate() == info
    (user_data_dir() / "signing" / "certificate.p12").unlink()
    assert signing.installed_certificate() is None
