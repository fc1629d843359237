"""The audit chain's hash of an entry is pinned: stored chains must keep verifying."""

import dataclasses
import datetime as dt

from cancer_desk.core.audit_chain import GENESIS, HASHED_FIELDS, AuditEntryData, entry_hash

EDIT = AuditEntryData(
    seq=7, at=dt.datetime(2025, 3, 21, 8, 30, 5, 123456), account_id=3, actor="مریم رضایی",
    action="update", table_name="patients", record_id="42", patient_id=42,
    changes={"first_name": ["علی", "علیرضا"], "birth_date": ["1980-01-02", None]},
    reason="اصلاح نام", prev_hash=GENESIS)
FIRST = AuditEntryData(
    seq=1, at=dt.datetime(2025, 1, 1), account_id=None, actor="system", action="insert",
    table_name="hub_settings", record_id="1", patient_id=None, changes={}, reason="",
    prev_hash=GENESIS)


def test_the_hash_of_a_known_entry_is_unchanged() -> None:
    assert entry_hash(EDIT) == "dcaa42fa3b4a6270a7383cd38ca007190bad95beabd8248e98816aa02cbb8cc9"
    assert entry_hash(FIRST) == "8a8735d6354f3dd21444a0bce6de2dd23c167c1a221ffa7a8ea4b09fc6e2fa6f"


def test_the_hash_ignores_the_stored_hash_and_covers_every_hashed_field() -> None:
    assert entry_hash(dataclasses.replace(EDIT, entry_hash="f" * 64)) == entry_hash(EDIT)
    stored = {f.name for f in dataclasses.fields(AuditEntryData)} - {"entry_hash"}
    assert set(HASHED_FIELDS) == stored
    changed = {"seq": 8, "at": EDIT.at + dt.timedelta(microseconds=1), "account_id": 4,
               "actor": "x", "action": "delete", "table_name": "cases", "record_id": "43",
               "patient_id": 43, "changes": {}, "reason": "", "prev_hash": "1" * 64}
    for name in HASHED_FIELDS:
        assert entry_hash(dataclasses.replace(EDIT, **{name: changed[name]})) != entry_hash(EDIT)
