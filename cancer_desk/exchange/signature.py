"""The quarterly package's detached signature (``signature.json``, format 4 on).

The manifest's own checksum shows a package is whole, not whose it is: anyone can
recompute it. ``signature.json`` holds the Ed25519 signature of the director who closed
the quarter over the exact bytes of ``manifest.json`` (which lists every other member's
SHA-256), with what a receiver needs to check it without the hospital's database: the
signer's public key, the chain of endorsements from it to the hub's key, and the hub's
public key — which the roll-up pins on the hub's first package and compares with every
later one. Ed25519 signatures are deterministic: the same manifest signed by the same key
gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cancer_desk.core import keys as core_keys
from cancer_desk.core.keys import Endorsement, KeyStanding
from cancer_desk.exchange.format import MAX_SIGNATURE_BYTES

SIGNATURE_VERSION = 1
DIRECTOR_ROLE = "director"


def signature_payload(manifest_bytes: bytes, *, hub_fingerprint: str,
                      signer_fingerprint: str, signer: str) -> dict[str, Any]:
    return {"kind": core_keys.PACKAGE_KIND, "version": SIGNATURE_VERSION,
            "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
            "hub_key": hub_fingerprint, "signer_key": signer_fingerprint, "signer": signer}


def signature_json(manifest_bytes: bytes, *, private_key: Any, signer: str,
                   standing: KeyStanding, public_keys: Mapping[str, str],
                   hub_fingerprint: str, hub_public_key: str) -> bytes:
    """``signature.json``'s bytes: ``private_key`` (the signer's, whose ``standing`` is
    endorsed) over ``manifest_bytes``, with the chain that leads to the hub's key."""
    payload = signature_payload(manifest_bytes, hub_fingerprint=hub_fingerprint,
                                signer_fingerprint=standing.fingerprint, signer=signer)
    document = {
        "payload": payload,
        "signature": core_keys.sign(private_key, payload),
        "hub_key": {"fingerprint": hub_fingerprint, "public_key": hub_public_key},
        "keys": core_keys.chain_keys(standing, public_keys),
        "endorsements": [e.as_json() for e in standing.chain],
    }
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1)
            + "\n").encode("utf-8")


@dataclass(frozen=True)
class PackageSignature:
    """What ``signature.json`` proves of a package; ``valid`` only when every check held."""

    valid: bool
    problem: str = ""
    problem_fa: str = ""
    hub_fingerprint: str = ""
    hub_public_key: str = ""
    signer_fingerprint: str = ""
    signer: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def hub_display(self) -> str:
        return core_keys.display_fingerprint(self.hub_fingerprint) \
            if self.hub_fingerprint else ""


def _refused(problem: str, problem_fa: str, **known: Any) -> PackageSignature:
    return PackageSignature(False, problem, problem_fa, **known)


def read_signature(raw: bytes, manifest_bytes: bytes) -> PackageSignature:
    """Check ``signature.json`` (``raw``, untrusted) against ``manifest_bytes``: the
    signature under the signer's key (``cryptography``'s check), the signer's chain of
    endorsements to the hub key it carries, and a director's role at the end of it."""
    if len(raw) > MAX_SIGNATURE_BYTES:
        return _refused("signature.json is too large", "پرونده امضا بیش از اندازه بزرگ است.")
    try:
        document = json.loads(raw.decode("utf-8"))
        payload = document["payload"]
        hub = document["hub_key"]
        hub_fingerprint, hub_public = str(hub["fingerprint"]), str(hub["public_key"])
        carried = {str(k): str(v) for k, v in dict(document.get("keys") or {}).items()}
        chain = [Endorsement(dict(e["payload"]), str(e["signature"]))
                 for e in document.get("endorsements") or []]
        signature = document["signature"]
        if not isinstance(payload, dict):
            raise TypeError("payload")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return _refused(f"signature.json is not a signature document ({exc})",
                        "پرونده امضا ساختار درستی ندارد.")
    known = {"hub_fingerprint": hub_fingerprint, "hub_public_key": hub_public,
             "signer_fingerprint": str(payload.get("signer_key", "")),
             "signer": str(payload.get("signer", ""))}
    expected = signature_payload(manifest_bytes, hub_fingerprint=hub_fingerprint,
                                 signer_fingerprint=known["signer_fingerprint"],
                                 signer=known["signer"])
    if payload != expected:
        return _refused("the signature is for another manifest (or its fields were moved)",
                        "امضا از آنِ این فهرست بسته نیست (بسته پس از امضا دست خورده است).",
                        **known)
    try:
        hub_matches = core_keys.fingerprint(hub_public) == hub_fingerprint
    except core_keys.BadKeyError:
        hub_matches = False
    if not hub_matches:
        return _refused("the hub key does not match its fingerprint",
                        "کلید قطب با اثر انگشت آن نمی‌خواند.", **known)
    signer_public = carried.get(known["signer_fingerprint"])
    if signer_public is None or not core_keys.verify(signer_public, payload, signature):
        return _refused("the manifest's signature does not verify under the signer's key",
                        "امضای فهرست بسته با کلید امضاکننده نمی‌خواند (جعلی یا دست‌خورده).",
                        **known)
    standing = core_keys.check_endorsed(known["signer_fingerprint"], hub_fingerprint,
                                        hub_public, carried, chain)
    if not standing.endorsed:
        return _refused(f"the signer's key is not endorsed by the hub key: "
                        f"{standing.problem}",
                        f"کلید امضاکننده به تأیید کلید قطب نرسیده است: {standing.problem_fa}",
                        **known)
    if DIRECTOR_ROLE not in standing.roles:
        return _refused("the signer is not a director of the hub",
                        "امضاکننده رئیس بیمارستان (قطب) نیست.", **known)
    return PackageSignature(True, **known, roles=standing.roles)
