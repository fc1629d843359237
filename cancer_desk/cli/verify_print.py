"""``verify-print``: does a printed Form 1 match the record now? (Imports inside
functions: see _common.)"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from cancer_desk.cli._common import EXIT_FAILURE, EXIT_OK, BadInput, open_signed_in

if TYPE_CHECKING:
    from cancer_desk.cli._common import Subcommands
    from cancer_desk.services.seals import SealCheck


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    check = sub.add_parser("verify-print", parents=[common],
                           help="does a printed Form 1 with this code match the record now? "
                                "(no sign-in needed)")
    check.add_argument("code", metavar="CODE", help="the code printed under the QR code, or "
                                                    "what a scanner reads from it")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=verify_printed_form1)


def verify_printed_form1(args: argparse.Namespace) -> int:
    from cancer_desk.services.seals import SealStatus

    with open_signed_in(args, sign_in=False) as context:
        check = context.seals.check(args.code)
    if check.status == SealStatus.MALFORMED:
        raise BadInput(f"{args.code!r} is not a Form 1 code (12 letters and digits, as "
                       "printed under the QR code)")
    if args.json:
        print(json.dumps(_as_json(check), ensure_ascii=False, indent=2))
    else:
        _describe(check)
    return EXIT_OK if check.status == SealStatus.CURRENT else EXIT_FAILURE


def _as_json(check: SealCheck) -> dict[str, Any]:
    seal = check.seal
    return {
        "status": check.status.value, "code": check.code,
        "patient": check.patient_name or None, "national_code": check.national_code or None,
        "sealed_at": seal.sealed_at.isoformat() if seal else None,
        "sealed_by": seal.sealed_by if seal else None,
        "unsealed_at": seal.unsealed_at.isoformat() if seal and seal.unsealed_at else None,
        "unseal_reason": seal.unseal_reason if seal else None,
        "printed": seal.summary if seal else None,
        "current_code": check.current_code}


def _describe(check: SealCheck) -> None:
    print(f"{check.code}: {check.status.value}")
    seal = check.seal
    if seal is None:
        return
    print(f"Form 1 of {check.patient_name} ({check.national_code}), approved by "
          f"{seal.sealed_by} at {seal.sealed_at:%Y-%m-%d %H:%M} UTC")
    if seal.summary:
        print("the printout says: " + ", ".join(
            f"{key} {value}" for key, value in seal.summary.items() if value))
    if seal.unsealed_at is not None:
        print(f"unsealed by {seal.unsealed_by} at {seal.unsealed_at:%Y-%m-%d %H:%M} "
              f"UTC: {seal.unseal_reason}")
    if check.current_code and check.current_code != check.code:
        print(f"the form in force now has code {check.current_code}")
