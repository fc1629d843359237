"""Self-signed certificates in PKCS#12 files, as a hospital's certificate authority
would issue them (a key and its certificate, locked by a passphrase)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

HOSPITAL_CN = "بیمارستان امام خمینی تهران"
ISSUER_CN = "مرکز صدور گواهی آزمایشی"
PASSPHRASE = "رمز-گواهی-۱۴۰۴"


def make_certificate(common_name: str = HOSPITAL_CN, *, valid_from_days: int = -1,
                     valid_to_days: int = 365):
    """(key, certificate) valid from ``valid_from_days`` to ``valid_to_days`` from now."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ISSUER_CN)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=valid_from_days))
        .not_valid_after(now + dt.timedelta(days=valid_to_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256()))
    return key, certificate


def write_pkcs12(path: Path, key, certificate, passphrase: str = PASSPHRASE) -> Path:
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"hospital", key, certificate, None,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))))
    return path


def hospital_pkcs12(path: Path, **validity):
    """A PKCS#12 file of a new key and certificate; returns (path, certificate)."""
    key, certificate = make_certificate(**validity)
    return write_pkcs12(path, key, certificate), certificate


def trust_in(certificate):
    """A pyHanko validation context that trusts this certificate alone."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import ValidationContext

    der = certificate.public_bytes(serialization.Encoding.DER)
    return ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)])
