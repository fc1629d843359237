"""Drafts of an unsaved Form 1: kept while the window is open, offered back after a crash,
gone once the form is saved or closed on purpose, and never a way round someone else's
later save."""

from __future__ import annotations

import dataclasses

import shiboken6
from PySide6.QtWidgets import QMessageBox

from cancer_desk import paths
from cancer_desk.ui.case_form import DRAFT_INTERVAL_MS, DRAFT_KIND, CaseFormDialog
from cancer_desk.ui.main_window import MainWindow
from tests.builders import full_case, identity
from tests.ui.helpers import choose, click, fill_case, run_modal, type_text

OWNER = "tester"  # the account tests sign in with



def crash(dialog: CaseFormDialog) -> None:
    """The program dies with the form open: neither saved nor closed, the dialog gone."""
    dialog.draft_timer.stop()
    shiboken6.delete(dialog)


def open_answering(window: MainWindow, patient_id: int,
                   button: QMessageBox.StandardButton,
                   seen: list[str] | None = None) -> CaseFormDialog:
    """Open Form 1 and answer the restore question (which must be asked) with ``button``;
    the question's text lands in ``seen``."""
    opened: list[CaseFormDialog] = []

    def answer(box) -> None:
        assert isinstance(box, QMessageBox), type(box)
        if seen is not None:
            seen.append(box.text())
        box.button(button).click()

    run_modal(lambda: opened.append(window.patient_room.make_case_dialog(patient_id)), answer)
    return opened[0]


def fill_with_two_relatives(qtbot, dialog: CaseFormDialog) -> None:
    fill_case(qtbot, dialog, surgery_date="۱۴۰۲/۱۱/۱۲")
    click(qtbot, dialog.add_relative_button)
    dialog.family_table.item(1, 0).setText("ریه")
    dialog.family_table.item(1, 1).setText("پدر")
    # Half a date typed, then the answer changed away: kept on screen, disabled.
    choose(dialog.widgets["metastasis"], 1, qtbot)
    type_text(dialog.widgets["metastasis_date"], "۱۴۰۳/۰۱")
    choose(dialog.widgets["metastasis"], 2, qtbot)


def test_form1_changes_are_kept_and_restored_exactly(qtbot, window) -> None:
    ctx = window.context
    patient = ctx.patients.create(identity())
    first = window.patient_room.make_case_dialog(patient.id)  # no draft yet: nothing asked
    first.show()
    assert first.draft_timer.isActive() and first.draft_timer.interval() == DRAFT_INTERVAL_MS
    first.save_draft()
    assert ctx.drafts.load(DRAFT_KIND, patient.id, OWNER) is None  # nothing changed yet

    fill_with_two_relatives(qtbot, first)
    on_screen = first.draft_values()
    first.save_draft()  # what the five-second timer does
    kept = ctx.drafts.load(DRAFT_KIND, patient.id, OWNER)
    assert kept is not None and kept.values["fields"] == on_screen
    assert kept.values["fields"]["family_cancers"] == [["پستان", "خاله"], ["ریه", "پدر"]]
    assert kept.values["version"] is None  # no Form 1 saved yet when it was opened
    crash(first)
    assert ctx.drafts.load(DRAFT_KIND, patient.id, OWNER) is not None  # the crash left it

    seen: list[str] = []
    again = open_answering(window, patient.id, QMessageBox.StandardButton.Yes, seen)
    qtbot.addWidget(again)
    assert "فرم شماره ۱" in seen[0] and "بازگردانده شود؟" in seen[0]
    assert any("۰" <= char <= "۹" for char in seen[0]) and not any(c.isascii() and c.isdigit()
                                                                  for c in seen[0])
    assert again.draft_values() == on_screen
    assert again.widgets["metastasis_date"].text() == "۱۴۰۳/۰۱"
    assert not again.widgets["metastasis_date"].isEnabled()  # still only with «بلی»
    assert again.widgets["surgery_date"].isEnabled()
    notice = again.draft_notice.text()
    assert again.draft_notice.isVisibleTo(again) and "بازگردانده شد" in notice
    # 16 fields of «ب», 5 of «ج» (metastasis_date among them), and the two relatives.
    assert "۱۶ خانه در «ب/ اطلاعات تشخیص و درمان بیمار»" in notice, notice
    assert "۵ خانه در «ج/ اطلاعات سایر بیماری»" in notice, notice
    assert "«سرطان در خانواده» (۲ ردیف)" in notice, notice
    assert not again.general_error.isVisibleTo(again)  # nobody saved the form meanwhile

    click(qtbot, again.save_button)
    saved = ctx.cases.get(patient.id).record
    assert again.saved and saved.surgery_date is not None and saved.grade == "G2"
    assert [(f.cancer_type, f.relation) for f in saved.family_cancers] == [
        ("پستان", "خاله"), ("ریه", "پدر")]
    assert ctx.drafts.load(DRAFT_KIND, patient.id, OWNER) is None  # saved: gone


def test_a_screen_changed_back_leaves_no_draft(qtbot, window) -> None:
    ctx = window.context
    patient = ctx.patients.create(identity())
    ctx.cases.save(patient.id, full_case(), None)
    dialog = window.patient_room.make_case_dialog(patient.id)
    qtbot.addWidget(dialog)
    grade = dialog.widgets["grade"]
    grade.setCurrentIndex(grade.findData("G3"))
    dialog.save_draft()
    assert ctx.drafts.load(DRAFT_KIND, patient.id, OWNER) is not None
    grade.setCurrentIndex(grade.findData("G2"))  # as saved
    dialog.save_draft()
    assert ctx.drafts.load(DRAFT_KIND, patient.id, OWNER) is None


def test_declining_the_draft_removes_it_and_keeps_the_saved_form(qtbot, window) -> None:
    ctx = window.context
    patient = ctx.patients.create(identity())
    ctx.cases.save(patient.id, full_case(), None)
    first = window.patient_room.make_case_dialog(patient.id)
    grade = first.widgets["grade"]
    grade.setCurrentIndex(grade.findData("G3"))
    first.save_draft()
    crash(first)
    ctx.drafts.save(DRAFT_KIND, patient.id, "someone_else", {"fields": {}, "version": None,
                                                              "opened": {}})

    again = open_answering(window, patient.id, QMessageBox.StandardButton.No)
    qtbot.addWidget(again)
    assert again.widgets["grade"].currentData() == "G2"  # the saved form, not the draft
    assert not again.draft_notice.isVisibleTo(again)
    assert ctx.drafts.load(DRAFT_KIND, patient.id, OWNER) is None
    # Another person's draft of the same form is theirs: neither offered here nor removed.
    assert ctx.drafts.load(DRAFT_KIND, patient.id, "someone_else") is not None


def test_cancel_removes_the_draft(qtbot, window) -> None:
    ctx = window.context
    patient = ctx.patients.create(identity())
    dialog = window.patient_room.make_case_dialog(patient.id)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(dialog.widgets["surgery"], 1, qtbot)
    dialog.save_draft()
    assert ctx.drafts.load(DRAFT_KIND, patient.id, OWNER) is not None
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Cancel))
    assert not dialog.isVisible()
    assert ctx.drafts.load(DRAFT_KIND, patient.id, OWNER) is None
    assert not dialog.draft_timer.isActive()


def test_a_draft_restored_after_someone_else_saved_is_refused_on_saving(qtbot,
                                                                         window) -> None:
    ctx = window.context
    patient = ctx.patients.create(identity())
    ctx.cases.save(patient.id, full_case(), None)
    first = window.patient_room.make_case_dialog(patient.id)
    first.widgets["chemotherapy_regimen"].setText("AC")
    first.save_draft()
    crash(first)
    state = ctx.cases.get(patient.id)  # another social worker corrects the grade
    ctx.cases.save(patient.id, dataclasses.replace(state.record, grade="G3"), state.version)

    seen: list[str] = []
    again = open_answering(window, patient.id, QMessageBox.StandardButton.Yes, seen)
    qtbot.addWidget(again)
    assert "در جای دیگری ذخیره شده" in seen[0]  # said before choosing
    assert again.widgets["chemotherapy_regimen"].text() == "AC"
    # The draft is the whole screen as it was, the old grade too: saved over the new
    # record, it would undo the other person's correction without a word.
    assert again.widgets["grade"].currentData() == "G2"
    warning = again.general_error.text().replace("\u2068", "").replace("\u2069", "")
    assert again.general_error.isVisibleTo(again) and "درجه (Grade): G2 ← G3" in warning

    again._on_save()
    message = again.general_error.text().replace("\u2068", "").replace("\u2069", "")
    assert not again.saved
    assert "تغییر کرده" in message and "درجه (Grade): G2 ← G3" in message
    record = ctx.cases.get(patient.id).record
    assert (record.grade, record.chemotherapy_regimen) == ("G3", full_case().chemotherapy_regimen)
    assert ctx.drafts.load(DRAFT_KIND, patient.id, OWNER) is not None  # not saved: kept


def test_the_main_window_names_form1_drafts_apart_from_questionnaires(qtbot,
                                                                      window) -> None:
    ctx = window.context
    assessed = ctx.patients.create(identity())
    cased = ctx.patients.create(identity("0012345679", first="سارا"))
    ctx.drafts.save("questionnaire", assessed.id, OWNER, {"answers": {}})
    ctx.drafts.save(DRAFT_KIND, cased.id, OWNER, {"fields": {}, "version": None,
                                                  "opened": {}})
    ctx.drafts.save(DRAFT_KIND, 999, OWNER, {"fields": {}})  # a patient gone
    notice = window.patient_room.drafts_notice()
    [questionnaire_line] = [line for line in notice.splitlines() if "پرسشنامه" in line]
    [form1_line] = [line for line in notice.splitlines() if "فرم شماره ۱" in line]
    assert f"«{assessed.full_name}»" in questionnaire_line
    assert f"«{cased.full_name}»" not in questionnaire_line
    assert f"«{cased.full_name}»" in form1_line and "«پرونده بیماری (فرم ۱)»" in form1_line
    assert f"«{assessed.full_name}»" not in form1_line
    assert ctx.drafts.load(DRAFT_KIND, 999, OWNER) is None


def test_a_garbled_draft_is_ignored(qtbot, window, monkeypatch) -> None:
    ctx = window.context
    patient = ctx.patients.create(identity())
    other = ctx.patients.create(identity("0012345679"))
    folder = paths.user_data_dir() / "drafts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{DRAFT_KIND}-{patient.id}-{OWNER}.json").write_text(
        '{"saved_at": "2026-11-', "utf-8")  # cut short by the crash
    # Whole, but not a Form 1 draft's shape: no version to keep a later save safe.
    ctx.drafts.save(DRAFT_KIND, other.id, OWNER, {"fields": {"grade": "G3"},
                                                  "version": "x", "opened": {}})
    asked: list[int] = []
    monkeypatch.setattr(CaseFormDialog, "ask_restore_draft",
                        lambda self, draft: asked.append(draft.patient_id) or True)
    for patient_id in (patient.id, other.id):
        dialog = window.patient_room.make_case_dialog(patient_id)
        qtbot.addWidget(dialog)
        assert dialog.widgets["grade"].currentData() == ""
        assert not dialog.draft_notice.isVisibleTo(dialog)
    assert asked == []
    assert ctx.drafts.load(DRAFT_KIND, other.id, OWNER) is None  # of no use: removed
    assert window.patient_room.drafts_notice() == ""
