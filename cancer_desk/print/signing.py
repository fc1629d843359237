"""Signing a printed PDF with the hospital's certificate (PAdES baseline B).

A hospital loads its certificate and private key once, as the PKCS#12 file (.p12/.pfx)
its certificate authority issued. The file is kept, still locked by its passphrase, in
the user's data folder; the passphrase is asked at each signing and never stored, so a
copy of the data folder alone cannot sign anything. The certificate's public part is
kept beside it, so the program can say whose certificate is installed without asking.

The printed QR code already lets anyone check a Form 1 against the database; a signature
lets someone without access to the database check that the PDF is the hospital's own
and unaltered, in any PDF reader.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from cancer_desk.core.jalali import format_jalali
from cancer_desk.paths import user_data_dir

SIGNATURE_FIELD = "CancerDeskSignature"
CERTIFICATE_FILE = "certificate.p12"
PUBLIC_CERTIFICATE_FILE = "certificate.pem"  # the public part alone: nothing secret
_POSIX = os.name == "posix"

# The start of every PKCS#12 file (RFC 7292 PFX): SEQUENCE { INTEGER 3, ContentInfo of
# type data or signedData … }. Told apart from other files so that a wrong passphrase
# and a wrong file get different answers: the library reports both the same way.
_PKCS7_DATA = bytes.fromhex("06092a864886f70d010701")
_PKCS7_SIGNED_DATA = bytes.fromhex("06092a864886f70d010702")


class SigningError(ValueError):
    """Signing, or loading the certificate, is refused; ``message_fa`` says why, naming
    the field to correct (``field``: "certificate_file" or "passphrase", or "")."""

    def __init__(self, message: str, message_fa: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message_fa = message_fa
        self.field = field


@dataclass(frozen=True)
class CertificateInfo:
    subject_name: str  # the certificate's common name: whom the signature names
    issuer: str  # the certificate authority's common name (or its whole name)
    valid_from: dt.datetime  # UTC
    valid_to: dt.datetime  # UTC
    fingerprint_sha256: str  # hex: to compare with what the authority says it issued

    def expired(self, now: dt.datetime | None = None) -> bool:
        return (now or _now()) > self.valid_to


def signing_dir() -> Path:
    return user_data_dir() / "signing"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _common_name(name: x509.Name) -> str:
    names = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else name.rfc4514_string()


def _info(certificate: x509.Certificate) -> CertificateInfo:
    return CertificateInfo(
        subject_name=_common_name(certificate.subject),
        issuer=_common_name(certificate.issuer),
        valid_from=certificate.not_valid_before_utc,
        valid_to=certificate.not_valid_after_utc,
        fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex())


def _der_length(data: bytes, at: int) -> tuple[int, int]:
    """(length, offset of the content) of the DER element whose length byte is at ``at``."""
    first = data[at]
    if first < 0x80:
        return first, at + 1
    count = first & 0x7F
    if not 0 < count <= 4 or at + 1 + count > len(data):
        raise ValueError("not DER")
    return int.from_bytes(data[at + 1:at + 1 + count], "big"), at + 1 + count


def _looks_like_pkcs12(data: bytes) -> bool:
    try:
        if data[:1] != b"\x30":
            return False
        length, start = _der_length(data, 1)
        if start + length != len(data) or data[start:start + 3] != b"\x02\x01\x03":
            return False
        if data[start + 3:start + 4] != b"\x30":
            return False
        _, content = _der_length(data, start + 4)
        return data[content:content + len(_PKCS7_DATA)] in (_PKCS7_DATA, _PKCS7_SIGNED_DATA)
    except (IndexError, ValueError):
        return False


def _password(passphrase: str) -> bytes | None:
    return passphrase.encode("utf-8") if passphrase else None


def _open_pkcs12(data: bytes, passphrase: str) -> pkcs12.PKCS12KeyAndCertificates:
    """The key and certificates in ``data``, checked to be usable for signing now."""
    if not _looks_like_pkcs12(data):
        raise SigningError(
            "the file is not a PKCS#12 certificate file",
            "«پرونده گواهی» یک پرونده گواهی PKCS#12 (با پسوند p12 یا pfx) نیست.",
            field="certificate_file")
    try:
        bundle = pkcs12.load_pkcs12(data, _password(passphrase))
    except ValueError as exc:
        raise SigningError(
            "wrong passphrase for the certificate file",
            "«رمز گواهی» درست نیست: رمزی را بنویسید که پرونده گواهی با آن صادر شده است.",
            field="passphrase") from exc
    if bundle.key is None:
        raise SigningError(
            "the certificate file holds no private key",
            "«پرونده گواهی» کلید خصوصی ندارد؛ پرونده‌ای لازم است که هم گواهی و هم کلید "
            "خصوصی در آن باشد.", field="certificate_file")
    if bundle.cert is None:
        raise SigningError(
            "the certificate file holds a key but no certificate for it",
            "در «پرونده گواهی» گواهی کلید نیست؛ پرونده‌ای لازم است که هم گواهی و هم کلید "
            "خصوصی در آن باشد.", field="certificate_file")
    certificate = bundle.cert.certificate
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if bundle.key.public_key().public_bytes(*spki) != certificate.public_key().public_bytes(
            *spki):
        raise SigningError(
            "the private key in the file does not belong to its certificate",
            "کلید خصوصی «پرونده گواهی» از آنِ گواهی درون آن نیست.", field="certificate_file")
    _check_dates(_info(certificate))
    return bundle


def _check_dates(info: CertificateInfo) -> None:
    now = _now()
    if info.expired(now):
        raise SigningError(
            f"the certificate expired on {info.valid_to:%Y-%m-%d}",
            f"اعتبار گواهی «پرونده گواهی» ({info.subject_name}) در "
            f"{format_jalali(info.valid_to.date())} به پایان رسیده است؛ گواهی تازه بگیرید.",
            field="certificate_file")
    if now < info.valid_from:
        raise SigningError(
            f"the certificate is valid only from {info.valid_from:%Y-%m-%d}",
            f"گواهی «پرونده گواهی» ({info.subject_name}) از "
            f"{format_jalali(info.valid_from.date())} معتبر می‌شود.", field="certificate_file")


def _write_private(path: Path, data: bytes) -> None:
    """Write readable by the owner alone, all or nothing (a rename over the old copy)."""
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        if _POSIX:
            os.chmod(partial, 0o600)  # the mode given to open() passes through the umask
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def load_certificate(p12_path: Path, passphrase: str) -> CertificateInfo:
    """Check that the file opens with ``passphrase`` and holds a key with its
    certificate, valid today; then keep a copy for signing. Replaces a copy kept before."""
    try:
        data = Path(p12_path).read_bytes()
    except OSError as exc:
        raise SigningError(f"cannot read {p12_path}: {exc.strerror or exc}",
                           "«پرونده گواهی» خوانده نشد؛ نشانی پرونده را بررسی کنید.",
                           field="certificate_file") from exc
    bundle = _open_pkcs12(data, passphrase)
    assert bundle.cert is not None  # checked by _open_pkcs12
    folder = signing_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if _POSIX:
        os.chmod(folder, 0o700)
    _write_private(folder / CERTIFICATE_FILE, data)
    _write_private(folder / PUBLIC_CERTIFICATE_FILE,
                   bundle.cert.certificate.public_bytes(serialization.Encoding.PEM))
    return _info(bundle.cert.certificate)


def installed_certificate() -> CertificateInfo | None:
    """The certificate kept for signing, or None (never loaded, or its files are gone)."""
    folder = signing_dir()
    if not (folder / CERTIFICATE_FILE).is_file():
        return None
    try:
        certificate = x509.load_pem_x509_certificate(
            (folder / PUBLIC_CERTIFICATE_FILE).read_bytes())
    except (OSError, ValueError):
        return None
    return _info(certificate)


def _installed_pkcs12() -> bytes:
    try:
        return (signing_dir() / CERTIFICATE_FILE).read_bytes()
    except FileNotFoundError as exc:
        raise SigningError(
            "no signing certificate is installed",
            "هنوز گواهی امضایی در این برنامه بارگذاری نشده است؛ نخست «پرونده گواهی» را "
            "بارگذاری کنید.", field="certificate_file") from exc


def check_passphrase(passphrase: str) -> CertificateInfo:
    """The installed certificate, if ``passphrase`` opens it and it is valid today: to
    ask again before a long job rather than fail at its end."""
    bundle = _open_pkcs12(_installed_pkcs12(), passphrase)
    assert bundle.cert is not None  # checked by _open_pkcs12
    return _info(bundle.cert.certificate)


def sign_pdf(pdf_bytes: bytes, passphrase: str, *, reason: str, location: str,
             signer_name: str) -> bytes:
    """The PDF with a PAdES signature (baseline B) by the installed certificate, added
    as an incremental update: the signed bytes are the original bytes, plus the
    signature after them."""
    data = _installed_pkcs12()
    _open_pkcs12(data, passphrase)  # the checks, with messages people can act on
    # pyHanko takes a while to import: only when something is signed.
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12_data(
        data, other_certs=(), passphrase=_password(passphrase))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256", reason=reason, location=location, name=signer_name)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        signed = signers.PdfSigner(metadata, signer=signer).sign_pdf(writer)
    except PdfError as exc:
        raise SigningError(f"cannot sign this PDF: {exc}",
                           "این پرونده PDF را نمی‌توان امضا کرد.") from exc
    signed_pdf: bytes = signed.getvalue()  # pyHanko is read here without its types
    return signed_pdf
