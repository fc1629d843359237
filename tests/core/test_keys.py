"""Keys wrapped under a password, signatures, and the chain of endorsements to the hub."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from cancer_desk.core import keys

QUICK = keys.KdfParameters(time_cost=1, memory_cost=8, parallelism=1)
WHEN = dt.datetime(2026, 12, 1, 10, 0)


def _wrapped(password: str, purpose: str = keys.PURPOSE_PERSON_KEY):
    private = keys.new_private_key()
    salt = keys.new_salt()
    return private, keys.Unwrapper(password).wrap(private, salt, QUICK, purpose)


def test_a_wrapped_key_opens_with_its_password_alone() -> None:
    private, wrapped = _wrapped("right-pass-1388")
    opened = keys.Unwrapper("right-pass-1388").open(wrapped, keys.PURPOSE_PERSON_KEY)
    assert keys.private_raw(opened) == keys.private_raw(private)
    with pytest.raises(keys.WrongSecretError):
        keys.Unwrapper("wrong-pass-1388").open(wrapped, keys.PURPOSE_PERSON_KEY)
    # Nothing of the private key is in the wrapped form in the clear.
    assert keys.b64(keys.private_raw(private)) not in repr(wrapped)
    assert keys.private_raw(private).hex() not in repr(wrapped)


def test_a_wrapped_key_moved_to_another_purpose_or_altered_does_not_open() -> None:
    _, wrapped = _wrapped("right-pass-1388")
    with pytest.raises(keys.WrongSecretError):
        keys.Unwrapper("right-pass-1388").open(wrapped, keys.PURPOSE_HUB_KEY)
    other = keys.new_private_key()
    swapped = {**wrapped, "public_key": keys.public_text(other)}
    with pytest.raises(keys.WrongSecretError):
        keys.Unwrapper("right-pass-1388").open(swapped, keys.PURPOSE_PERSON_KEY)
    stalling = {**wrapped, "memory_cost": 1 << 30}
    with pytest.raises(keys.WrongSecretError):
        keys.Unwrapper("right-pass-1388").open(stalling, keys.PURPOSE_PERSON_KEY)


def test_signatures_are_checked_by_the_library_and_are_deterministic() -> None:
    private = keys.new_private_key()
    payload = {"kind": "x", "n": 1, "text": "مریم"}
    signature = keys.sign(private, payload)
    assert signature == keys.sign(private, payload)
    Ed25519PublicKey.from_public_bytes(keys.public_raw(private)).verify(
        keys.unb64(signature), keys.signed_bytes(payload))
    assert keys.verify(keys.public_text(private), payload, signature)
    assert not keys.verify(keys.public_text(private), {**payload, "n": 2}, signature)
    assert not keys.verify(keys.public_text(keys.new_private_key()), payload, signature)
    assert not keys.verify("not a key", payload, signature)


def test_a_display_fingerprint_is_five_groups_of_four() -> None:
    fp = keys.fingerprint(keys.public_text(keys.new_private_key()))
    shown = keys.display_fingerprint(fp)
    assert len(shown) == 24 and shown.count("-") == 4


class _Hub:
    """A hub key and the endorsements it and its administrators make."""

    def __init__(self) -> None:
        self.private = keys.new_private_key()
        self.public = keys.public_text(self.private)
        self.fp = keys.fingerprint(self.public)
        self.public_keys: dict[str, str] = {}
        self.endorsements: list[keys.Endorsement] = []

    def person(self) -> tuple[keys.Ed25519PrivateKey, str]:
        private = keys.new_private_key()
        public = keys.public_text(private)
        self.public_keys[keys.fingerprint(public)] = public
        return private, keys.fingerprint(public)

    def endorse(self, fp: str, endorser: keys.Ed25519PrivateKey, *, account_id: int,
                roles: list[str], reason: str = keys.ENDORSED_CREATED,
                at: dt.datetime = WHEN) -> None:
        endorser_fp = keys.fingerprint(keys.public_text(endorser))
        payload = keys.endorsement_payload(
            public_key=self.public_keys[fp], account_id=account_id, username=f"u{account_id}",
            display_name="نام", roles=roles, reason=reason, made_at=at,
            endorser_fingerprint=endorser_fp, hub_fingerprint=self.fp)
        self.endorsements.append(keys.Endorsement(payload, keys.sign(endorser, payload)))

    def check(self, fp: str, at: dt.datetime | None = None) -> keys.KeyStanding:
        return keys.check_endorsed(fp, self.fp, self.public, self.public_keys,
                                   self.endorsements,
                                   at=at.isoformat(timespec="microseconds") if at else None)


def test_a_key_endorsed_by_the_hub_or_an_administrator_stands() -> None:
    hub = _Hub()
    admin, admin_fp = hub.person()
    hub.endorse(admin_fp, hub.private, account_id=1, roles=["administrator"])
    _, director_fp = hub.person()
    hub.endorse(director_fp, admin, account_id=2, roles=["director"])
    standing = hub.check(director_fp)
    assert standing.endorsed and standing.roles == {"director"} and standing.account_id == 2
    assert [e.key for e in standing.chain] == [director_fp, admin_fp]


def test_a_key_vouched_for_by_a_non_administrator_or_by_its_own_signature_does_not() -> None:
    hub = _Hub()
    worker, worker_fp = hub.person()
    hub.endorse(worker_fp, hub.private, account_id=1, roles=["social_worker"])
    _insider, insider_fp = hub.person()
    hub.endorse(insider_fp, worker, account_id=2, roles=["director"])
    assert not hub.check(insider_fp).endorsed
    self_made, self_fp = hub.person()
    hub.endorse(self_fp, self_made, account_id=3, roles=["director"])
    assert not hub.check(self_fp).endorsed
    # Rotation hands on only within one account.
    hub.endorse(insider_fp, worker, account_id=2, roles=["director"],
                reason=keys.ENDORSED_ROTATED)
    assert not hub.check(insider_fp).endorsed


def test_an_endorsement_altered_after_signing_or_for_another_hub_does_not_count() -> None:
    hub = _Hub()
    _, fp = hub.person()
    hub.endorse(fp, hub.private, account_id=1, roles=["social_worker"])
    original = hub.endorsements.pop()
    raised = {**original.payload, "roles": ["director"]}
    hub.endorsements.append(keys.Endorsement(raised, original.signature))
    assert not hub.check(fp).endorsed
    other = _Hub()
    other.public_keys = hub.public_keys
    other.endorsements = [original]
    assert not other.check(fp).endorsed


def test_the_roles_that_count_are_those_endorsed_by_the_time_of_the_signature() -> None:
    hub = _Hub()
    _, fp = hub.person()
    hub.endorse(fp, hub.private, account_id=1, roles=["director"])
    later = WHEN + dt.timedelta(days=30)
    hub.endorse(fp, hub.private, account_id=1, roles=["social_worker"],
                reason=keys.ENDORSED_ROLES, at=later)
    assert hub.check(fp, at=WHEN + dt.timedelta(days=1)).roles == {"director"}
    assert hub.check(fp).roles == {"social_worker"}
    assert not hub.check(fp, at=WHEN - dt.timedelta(days=1)).endorsed


def test_a_chain_that_goes_round_ends() -> None:
    hub = _Hub()
    first, first_fp = hub.person()
    second, second_fp = hub.person()
    hub.endorse(first_fp, second, account_id=1, roles=["administrator"])
    hub.endorse(second_fp, first, account_id=2, roles=["administrator"])
    assert not hub.check(first_fp).endorsed
