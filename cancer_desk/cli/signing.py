"""``signing``: the hospital's certificate for signing printed PDFs; and the signing of
``print form1 --sign``. (Imports inside functions: see _common.)"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cancer_desk.cli._common import EXIT_FAILURE, EXIT_OK, BadInput, open_signed_in, with_persian

if TYPE_CHECKING:
    from cancer_desk.app import AppContext
    from cancer_desk.cli._common import Subcommands
    from cancer_desk.print.signing import CertificateInfo

SIGNING_PASSWORD_ENV_VAR = "CANCER_DESK_SIGNING_PASSWORD"


def add_sign_option(printing: argparse.ArgumentParser) -> None:
    printing.add_argument(
        "--sign", action="store_true",
        help=f"form1: sign the PDF with the hospital's certificate (see 'signing load'); "
             f"only an approved Form 1. The certificate's passphrase is read from "
             f"${SIGNING_PASSWORD_ENV_VAR}, or asked")


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    signing = sub.add_parser("signing", parents=[common],
                             help="the hospital's certificate for signing printed PDFs")
    actions = signing.add_subparsers(dest="signing_command", metavar="ACTION", required=True)
    load = actions.add_parser(
        "load", parents=[common],
        help=f"install a certificate and its key from a PKCS#12 file (.p12/.pfx), replacing "
             f"the one before; its passphrase is read from ${SIGNING_PASSWORD_ENV_VAR} or "
             f"asked, here and at each signing, and never stored")
    load.add_argument("file", type=Path, metavar="FILE.p12")
    load.set_defaults(handler=load_certificate)
    status = actions.add_parser(
        "status", parents=[common],
        help="the installed certificate; exit status 1 if none or expired (no sign-in "
             "needed)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=certificate_status)


def _signing_passphrase() -> str:
    passphrase = os.environ.get(SIGNING_PASSWORD_ENV_VAR)
    if passphrase:
        return passphrase
    if not sys.stdin.isatty():
        raise BadInput(f"no certificate passphrase: set ${SIGNING_PASSWORD_ENV_VAR} or run at "
                       "a terminal")
    import getpass

    return getpass.getpass("certificate passphrase: ")


def signing_passphrase_for(args: argparse.Namespace) -> str | None:
    """For ``print form1 --sign``: the passphrase, checked before anything is written."""
    if not args.sign:
        return None
    from cancer_desk.print import signing

    passphrase = _signing_passphrase()
    try:
        signing.check_passphrase(passphrase)
    except signing.SigningError as exc:
        raise BadInput(with_persian(exc)) from exc
    return passphrase


def sign_written_form1(context: AppContext, patient_id: int, output: Path,
                       passphrase: str) -> None:
    """Replace the PDF just written with its signed copy; on failure remove it, so an
    unsigned file is never left where a signed one was asked for."""
    from cancer_desk.paths import keep_private
    from cancer_desk.print import signing
    from cancer_desk.services.documents import DocumentUnavailableError

    partial = output.with_name(output.name + ".partial")
    try:
        signed = context.signing.sign_form1(patient_id, output.read_bytes(), passphrase)
        keep_private(partial)
        partial.write_bytes(signed)
        partial.replace(output)
    except (signing.SigningError, DocumentUnavailableError) as exc:
        output.unlink(missing_ok=True)
        raise BadInput(with_persian(exc)) from exc
    except OSError as exc:
        output.unlink(missing_ok=True)
        raise BadInput(f"cannot write {output}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)


def _certificate_text(info: CertificateInfo) -> str:
    return (f"{info.subject_name} (issued by {info.issuer}), valid "
            f"{info.valid_from:%Y-%m-%d} – {info.valid_to:%Y-%m-%d}; "
            f"sha256 {info.fingerprint_sha256}")


def certificate_status(args: argparse.Namespace) -> int:
    from cancer_desk.print import signing

    info = signing.installed_certificate()
    if args.json:
        print(json.dumps(None if info is None else {
            "subject": info.subject_name, "issuer": info.issuer,
            "valid_from": info.valid_from.isoformat(),
            "valid_to": info.valid_to.isoformat(), "expired": info.expired(),
            "sha256": info.fingerprint_sha256}, ensure_ascii=False, indent=2))
    elif info is None:
        print("no signing certificate installed")
    else:
        state = " — EXPIRED" if info.expired() else ""
        print(f"{_certificate_text(info)}{state}")
    return EXIT_OK if info is not None and not info.expired() else EXIT_FAILURE


def load_certificate(args: argparse.Namespace) -> int:
    from cancer_desk.print import signing

    with open_signed_in(args) as context:
        try:
            info = context.signing.install(args.file, _signing_passphrase())
        except signing.SigningError as exc:
            raise BadInput(with_persian(exc)) from exc
    print(f"installed the signing certificate of {_certificate_text(info)}")
    return EXIT_OK
