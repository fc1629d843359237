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
