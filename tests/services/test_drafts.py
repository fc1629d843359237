"""Drafts: kept whole or not at all, the person's own, unreadable ones ignored."""

from __future__ import annotations

import os
import stat

from cancer_desk.services.drafts import DraftStore


def test_a_draft_is_kept_found_and_discarded(tmp_path) -> None:
    store = DraftStore(tmp_path / "drafts")
    store.save("questionnaire", 7, "maryam", {"answers": {"income": "under_k300"}})
    store.save("questionnaire", 8, "zahra", {"answers": {}})
    draft = store.load("questionnaire", 7, "maryam")
    assert draft is not None and draft.values["answers"] == {"income": "under_k300"}
    assert [d.patient_id for d in store.pending("maryam")] == [7]  # hers alone
    store.discard("questionnaire", 7, "maryam")
    assert store.load("questionnaire", 7, "maryam") is None
    assert not list((tmp_path / "drafts").glob("*.partial"))
    if os.name == "posix":
        kept = tmp_path / "drafts" / "questionnaire-8-zahra.json"
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_draft_cut_short_is_not_offered(tmp_path) -> None:
    store = DraftStore(tmp_path)
    (tmp_path / "questionnaire-3-maryam.json").write_text('{"saved_at": "2026-11-', "utf-8")
    assert store.load("questionnaire", 3, "maryam") is None
    assert store.pending("maryam") == []


def test_a_merged_patients_drafts_follow_the_record_kept(tmp_path) -> None:
    import json

    store = DraftStore(tmp_path)
    store.save("questionnaire", 3, "maryam", {"answers": {"income": "under_k300"}})
    store.save("form1", 3, "maryam", {"stage_t": "T2"})
    store.save("form1", 13, "maryam", {"stage_t": "T9"})  # another patient's, untouched
    store.save("form1", 5, "maryam", {"stage_t": "T1"})
    newer = tmp_path / "form1-5-maryam.json"
    payload = json.loads(newer.read_text("utf-8"))
    newer.write_text(json.dumps({**payload, "saved_at": "2099-01-01T00:00:00"}), "utf-8")
    assert store.move_patient(3, 5) == 1
    assert store.load("questionnaire", 5, "maryam").values == {
        "answers": {"income": "under_k300"}}
    assert store.load("form1", 5, "maryam").values == {"stage_t": "T1"}  # the newer stays
    assert store.load("form1", 3, "maryam") is None
    assert store.load("form1", 13, "maryam").values == {"stage_t": "T9"}
