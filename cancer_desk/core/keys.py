"""Signing keys that only a person's secret opens, and what they sign.

Every checksum the program kept before (the audit chain, a seal's hash, a package's
manifest digest) can be recomputed by anyone holding the database file, and on a ward PC
everyone holds it. A signature can be made only with a private key, and each private key
here is kept encrypted under a key derived from its owner's password:

- **wrapping**: Argon2id (argon2-cffi's ``hash_secret_raw``, the parameters sign-in uses)
  turns the password and a random salt into a 256-bit key; AES-256-GCM (``cryptography``)
  encrypts the private key under it, the purpose and public key bound in as associated
  data, so a wrapped key moved to another account or purpose does not open;
- **signing**: Ed25519 over the canonical JSON of a payload (:func:`signed_bytes`): sorted
  keys, compact, UTF-8. Ed25519 signatures are deterministic, so the same payload signed
  with the same key gives the same bytes (the quarterly package stays reproducible);
- **trust**: a person's key is *endorsed* — its public key, whose it is and the roles they
  hold, signed by the hub's key or by an administrator's endorsed key (or, for a key that
  replaces a provisional one, by that key). :func:`check_endorsed` walks from a key to the
  hub's key. The hub's key is what the ministry pins at the roll-up and compares by phone.

Nothing here reads or writes the database; ``cancer_desk.services.keys`` does.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from cancer_desk.core.audit_chain import hashed_json

WRAP_SCHEME = "argon2id-aes256gcm-1"
SALT_BYTES = 16
NONCE_BYTES = 12
KEY_BYTES = 32

# What a wrapped secret is for, bound into its encryption (associated data).
PURPOSE_PERSON_KEY = "person-signing-key"
PURPOSE_HUB_KEY = "hub-signing-key"

ENDORSEMENT_KIND = "cancer-desk-key-endorsement"
SEAL_KIND = "cancer-desk-form1-seal"
CHECKPOINT_KIND = "cancer-desk-audit-checkpoint"
PACKAGE_KIND = "cancer-desk-package-signature"

# Why a key was endorsed. An endorsement for a new key, a reset or new roles is made by
# the hub's key or an administrator's; one for a key that replaces a provisional key (made
# under a password an administrator chose) by that provisional key of the same account.
ENDORSED_CREATED = "created"
ENDORSED_RESET = "reset"
ENDORSED_ROLES = "roles"
ENDORSED_ROTATED = "rotated"
ENDORSED_UPGRADE = "upgrade"  # a key made at sign-in for an account older than keys
ENDORSEMENT_REASONS = (ENDORSED_CREATED, ENDORSED_RESET, ENDORSED_ROLES, ENDORSED_ROTATED,
                       ENDORSED_UPGRADE)
ADMINISTRATOR_ROLE = "administrator"
MAX_CHAIN = 32  # endorsements from a key to the hub's, at most

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FINGERPRINT_GROUPS = 5  # 5 × 4 letters of base 32 = 100 bits, read out by phone


class WrongSecretError(ValueError):
    """The password (or recovery secret) does not open this wrapped key, or the wrapped
    key was altered."""


class BadKeyError(ValueError):
    """Text that is not a public key or a signature of the kind expected."""


@dataclass(frozen=True)
class KdfParameters:
    """Argon2id's cost: the same as the password hash's, read from it."""

    time_cost: int
    memory_cost: int  # KiB
    parallelism: int

    def as_json(self) -> dict[str, int]:
        return {"time_cost": self.time_cost, "memory_cost": self.memory_cost,
                "parallelism": self.parallelism}


# --- encodings -----------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, *, length: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise BadKeyError("not base64 text")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise BadKeyError(f"not base64: {exc}") from exc
    if length is not None and len(data) != length:
        raise BadKeyError(f"{len(data)} bytes, not {length}")
    return data


def signed_bytes(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes a signature covers: the payload's canonical JSON, UTF-8."""
    return hashed_json(payload).encode("utf-8")


# --- keys ----------------------------------------------------------------------------


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_raw(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def public_raw(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """A public key as kept and carried: its 32 raw bytes in base64."""
    return b64(public_raw(key))


def load_public(text: object) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(unb64(text, length=32))


def fingerprint(public_key_text: str) -> str:
    """SHA-256 of the raw public key, lower-case hex: the key's stable name."""
    return hashlib.sha256(unb64(public_key_text, length=32)).hexdigest()


def _fingerprint_or_none(public_key_text: object) -> str | None:
    """The fingerprint of text read from a file, or None when it is not a public key."""
    try:
        return fingerprint(str(public_key_text))
    except BadKeyError:
        return None


def display_fingerprint(full: str) -> str:
    """The first 100 bits of a fingerprint as ``XXXX-XXXX-XXXX-XXXX-XXXX`` (Crockford
    base 32): short enough to read over the phone, long enough that no one can make a
    key to match it."""
    bits = bin(int(full[:26], 16))[2:].zfill(104)[:100]
    letters = "".join(_CROCKFORD[int(bits[i:i + 5], 2)] for i in range(0, 100, 5))
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


# --- wrapping under a password --------------------------------------------------------


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive_wrapping_key(secret: str, salt: bytes, parameters: KdfParameters) -> bytes:
    return hash_secret_raw(secret.encode("utf-8"), salt, time_cost=parameters.time_cost,
                           memory_cost=parameters.memory_cost,
                           parallelism=parameters.parallelism, hash_len=KEY_BYTES,
                           type=Type.ID)


def _associated(purpose: str, public_key_text: str) -> bytes:
    return f"{WRAP_SCHEME}|{purpose}|{public_key_text}".encode("ascii")


def wrap(private_key: Ed25519PrivateKey, wrapping_key: bytes, salt: bytes,
         parameters: KdfParameters, purpose: str) -> dict[str, Any]:
    """The private key encrypted under ``wrapping_key`` (from :func:`derive_wrapping_key`
    with ``salt`` and ``parameters``): plain JSON holding nothing secret in the clear."""
    nonce = os.urandom(NONCE_BYTES)
    public = public_text(private_key)
    ciphertext = AESGCM(wrapping_key).encrypt(nonce, private_raw(private_key),
                                              _associated(purpose, public))
    return {"scheme": WRAP_SCHEME, "purpose": purpose, "public_key": public,
            **parameters.as_json(), "salt": b64(salt), "nonce": b64(nonce),
            "ciphertext": b64(ciphertext)}


def wrapped_parameters(wrapped: Mapping[str, Any]) -> tuple[bytes, KdfParameters]:
    """The salt and Argon2id parameters a wrapped key was made with, to derive its key."""
    try:
        if wrapped.get("scheme") != WRAP_SCHEME:
            raise WrongSecretError(f"unknown wrapping {wrapped.get('scheme')!r}")
        parameters = KdfParameters(int(wrapped["time_cost"]), int(wrapped["memory_cost"]),
                                   int(wrapped["parallelism"]))
        salt = unb64(wrapped["salt"], length=SALT_BYTES)
    except (KeyError, TypeError, ValueError) as exc:
        raise WrongSecretError(f"not a wrapped key: {exc}") from exc
    if not (1 <= parameters.time_cost <= 100 and 8 <= parameters.memory_cost <= 4 << 20
            and 1 <= parameters.parallelism <= 64):
        raise WrongSecretError("wrapping parameters out of bounds")  # a file made to stall
    return salt, parameters


def unwrap(wrapped: Mapping[str, Any], wrapping_key: bytes, purpose: str) -> Ed25519PrivateKey:
    """The private key, if ``wrapping_key`` opens it for ``purpose``; else
    :class:`WrongSecretError` (a wrong password and an altered blob read the same)."""
    try:
        if wrapped.get("purpose") != purpose:
            raise WrongSecretError(f"wrapped for {wrapped.get('purpose')!r}, not {purpose!r}")
        public = str(wrapped["public_key"])
        raw = AESGCM(wrapping_key).decrypt(unb64(wrapped["nonce"], length=NONCE_BYTES),
                                           unb64(wrapped["ciphertext"]),
                                           _associated(purpose, public))
    except (InvalidTag, KeyError, TypeError, BadKeyError, UnicodeEncodeError) as exc:
        raise WrongSecretError("the secret does not open this key") from exc
    key = Ed25519PrivateKey.from_private_bytes(raw)
    if public_text(key) != public:
        raise WrongSecretError("the key inside is not the one named")
    return key


class Unwrapper:
    """Derives each (salt, parameters)'s key once: a person's own key and the hub key's
    slot are wrapped with one salt, so signing in costs one Argon2id, not two."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._derived: dict[tuple[bytes, KdfParameters], bytes] = {}

    def key_for(self, salt: bytes, parameters: KdfParameters) -> bytes:
        if (salt, parameters) not in self._derived:
            self._derived[salt, parameters] = derive_wrapping_key(self._secret, salt,
                                                                  parameters)
        return self._derived[salt, parameters]

    def open(self, wrapped: Mapping[str, Any], purpose: str) -> Ed25519PrivateKey:
        salt, parameters = wrapped_parameters(wrapped)
        return unwrap(wrapped, self.key_for(salt, parameters), purpose)

    def wrap(self, private_key: Ed25519PrivateKey, salt: bytes, parameters: KdfParameters,
             purpose: str) -> dict[str, Any]:
        return wrap(private_key, self.key_for(salt, parameters), salt, parameters, purpose)


# --- signing -------------------------------------------------------------------------


def sign(private_key: Ed25519PrivateKey, payload: Mapping[str, Any]) -> str:
    return b64(private_key.sign(signed_bytes(payload)))


def verify(public_key_text: object, payload: Mapping[str, Any], signature: object) -> bool:
    """Whether ``signature`` is the key's over the payload (``cryptography``'s check)."""
    try:
        load_public(public_key_text).verify(unb64(signature, length=64),
                                            signed_bytes(payload))
    except (InvalidSignature, BadKeyError, ValueError):
        return False
    return True


# --- endorsements and the way to the hub's key ----------------------------------------


def endorsement_payload(*, public_key: str, account_id: int, username: str,
                        display_name: str, roles: Sequence[str], reason: str,
                        made_at: dt.datetime, endorser_fingerprint: str,
                        hub_fingerprint: str) -> dict[str, Any]:
    return {"kind": ENDORSEMENT_KIND, "version": 1, "hub_key": hub_fingerprint,
            "public_key": public_key, "fingerprint": fingerprint(public_key),
            "account_id": account_id, "username": username, "display_name": display_name,
            "roles": sorted(roles), "reason": reason,
            "made_at": made_at.isoformat(timespec="microseconds"),
            "endorser": endorser_fingerprint}


@dataclass(frozen=True)
class Endorsement:
    payload: Mapping[str, Any]
    signature: str

    @property
    def key(self) -> str:
        return str(self.payload.get("fingerprint", ""))

    @property
    def endorser(self) -> str:
        return str(self.payload.get("endorser", ""))

    @property
    def made_at(self) -> str:
        return str(self.payload.get("made_at", ""))

    def as_json(self) -> dict[str, Any]:
        return {"payload": dict(self.payload), "signature": self.signature}


@dataclass(frozen=True)
class KeyStanding:
    """What a key is, as far as a chain of endorsements to the hub's key proves."""

    fingerprint: str
    endorsed: bool
    problem: str = ""  # why not, in English
    problem_fa: str = ""
    account_id: int | None = None
    username: str = ""
    display_name: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    chain: tuple[Endorsement, ...] = ()  # from this key's endorsement up to the hub's


def _refused(key: str, problem: str, problem_fa: str) -> KeyStanding:
    return KeyStanding(key, False, problem, problem_fa)


def check_endorsed(key: str, hub_fingerprint: str, hub_public_key: str,
                   public_keys: Mapping[str, str], endorsements: Sequence[Endorsement], *,
                   at: str | None = None) -> KeyStanding:
    """Whether ``key`` (a fingerprint) is endorsed, through a chain of valid signatures,
    by the hub's key, as of ``at`` (an ISO time: the latest endorsement made by then
    counts, so a seal made before a person lost a role still checks).

    ``public_keys`` maps fingerprints to public keys; ``endorsements`` are all known
    (from the database, or carried in a package). Each signature is checked with
    ``cryptography``; a public key whose fingerprint is not its own is ignored. Each
    (key, time) is decided once, so endorsements made to go round in circles, or many of
    them from a hostile package, cost a bounded amount of work."""
    if _fingerprint_or_none(hub_public_key) != hub_fingerprint:
        return _refused(key, "the hub key does not match its fingerprint",
                        "کلید قطب با اثر انگشت آن نمی‌خواند.")
    return _ChainWalk(hub_fingerprint, hub_public_key, public_keys,
                      endorsements).standing(key, at, 0)


class _ChainWalk:
    """One walk from keys to the hub's, each (key, time) decided once."""

    def __init__(self, hub_fingerprint: str, hub_public_key: str,
                 public_keys: Mapping[str, str], endorsements: Sequence[Endorsement]) -> None:
        self.hub_fingerprint = hub_fingerprint
        self.hub_public_key = hub_public_key
        self.public_keys = public_keys
        self.by_key: dict[str, list[Endorsement]] = {}
        for endorsement in endorsements:
            self.by_key.setdefault(endorsement.key, []).append(endorsement)
        self.decided: dict[tuple[str, str | None], KeyStanding] = {}

    def standing(self, key: str, at: str | None, depth: int) -> KeyStanding:
        if (key, at) not in self.decided:
            # Marked first: a circle of endorsements reaching this key again stops here.
            self.decided[key, at] = _refused(key, "the endorsements go round in a circle",
                                             "تأییدهای کلیدها دور خود می‌چرخند.")
            self.decided[key, at] = self._decide(key, at, depth)
        return self.decided[key, at]

    def _decide(self, key: str, at: str | None, depth: int) -> KeyStanding:
        if key == self.hub_fingerprint:
            return KeyStanding(key, True, roles=frozenset({"hub"}))
        if depth > MAX_CHAIN:
            return _refused(key, "the chain of endorsements is too long",
                            "زنجیره تأیید کلیدها بیش از اندازه دراز است.")
        public = self.public_keys.get(key)
        if public is None or _fingerprint_or_none(public) != key:
            return _refused(key, "the key is not known", "این کلید شناخته نیست.")
        mine = sorted((e for e in self.by_key.get(key, ()) if at is None or e.made_at <= at),
                      key=lambda e: e.made_at, reverse=True)
        for endorsement in mine:
            upper = self._vouching(endorsement, public, depth)
            if upper is not None:
                payload = endorsement.payload
                return KeyStanding(
                    key, True, account_id=_int_or_none(payload.get("account_id")),
                    username=str(payload.get("username", "")),
                    display_name=str(payload.get("display_name", "")),
                    roles=frozenset(str(r) for r in payload["roles"]),
                    chain=(endorsement, *upper.chain))
        return _refused(key, "no valid endorsement leads from this key to the hub's key",
                        "هیچ تأیید معتبری این کلید را به کلید قطب نمی‌رساند.")

    def _vouching(self, endorsement: Endorsement, public: str,
                  depth: int) -> KeyStanding | None:
        """The endorser's standing, if this endorsement is valid and theirs to make."""
        payload = endorsement.payload
        if not isinstance(payload, Mapping) or not (
                payload.get("kind") == ENDORSEMENT_KIND and payload.get("public_key") == public
                and payload.get("hub_key") == self.hub_fingerprint
                and payload.get("reason") in ENDORSEMENT_REASONS
                and isinstance(payload.get("roles"), list)):
            return None
        endorser = endorsement.endorser
        endorser_public = self.hub_public_key if endorser == self.hub_fingerprint \
            else self.public_keys.get(endorser)
        if endorser_public is None or _fingerprint_or_none(endorser_public) != endorser \
                or not verify(endorser_public, payload, endorsement.signature):
            return None
        if endorser == self.hub_fingerprint:
            return KeyStanding(endorser, True, roles=frozenset({"hub"}))
        upper = self.standing(endorser, endorsement.made_at, depth + 1)
        if not upper.endorsed:
            return None
        if payload.get("reason") == ENDORSED_ROTATED:
            # Only a person's own provisional key hands on to their next.
            return upper if upper.account_id == payload.get("account_id") else None
        # Only an administrator vouches for whose a key is.
        return upper if ADMINISTRATOR_ROLE in upper.roles else None


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def chain_keys(standing: KeyStanding, public_keys: Mapping[str, str]) -> dict[str, str]:
    """The public keys a chain names (its keys and endorsers, the hub's left out): what a
    package carries so that a receiver can walk the same chain."""
    wanted = {standing.fingerprint}
    for endorsement in standing.chain:
        wanted |= {endorsement.key, endorsement.endorser}
    return {fp: public_keys[fp] for fp in sorted(wanted) if fp in public_keys}
