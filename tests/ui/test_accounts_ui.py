"""The windows of accounts: the first administrator, signing in, the idle lock, the roles'
windows, approving Form 1 and the history of changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from cancer_desk.core.access import Role
from cancer_desk.ui import records_changed
from cancer_desk.ui.accounts import AccountDialog, AccountsDialog
from cancer_desk.ui.history import HistoryDialog
from cancer_desk.ui.main import first_run, prepare_context, sign_in
from cancer_desk.ui.main_window import MainWindow
from cancer_desk.ui.seals import UnsealDialog, VerifyPrintDialog
from cancer_desk.ui.setup_dialog import SetupDialog
from cancer_desk.ui.sign_in import (
    ChangePasswordDialog,
    FirstAdministratorDialog,
    LockDialog,
    SignInDialog,
)
from cancer_desk.ui.signing import SigningCertificateDialog
from tests.builders import full_case, identity
from tests.conftest import full_answers, sign_in_tester
from tests.ui.helpers import click, on_next_modal, run_modal, type_text


def ok(dialog: QDialog):
    from PySide6.QtWidgets import QDialogButtonBox

    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def answer_message(button=QMessageBox.StandardButton.Yes):
    def interact(box: QDialog) -> None:
        assert isinstance(box, QMessageBox), type(box)
        box.button(button).click()
    return interact


def test_the_first_run_makes_the_administrator_then_the_hospital(qtbot, db_url) -> None:
    context = prepare_context(db_url)

    def administrator(dialog: FirstAdministratorDialog) -> None:
        type_text(dialog.name_edit, "علی رضایی")
        type_text(dialog.username_edit, "Ali")
        type_text(dialog.password_edit, "short")
        type_text(dialog.repeat_edit, "short")
        click(qtbot, ok(dialog))
        assert dialog.isVisible()
        assert "«گذرواژه»" in dialog.field_errors["password"].text()
        dialog.password_edit.setText("a long secret 1")
        dialog.repeat_edit.setText("a long secret 2")
        click(qtbot, ok(dialog))
        assert "تکرار" in dialog.field_errors["repeat"].text()
        dialog.repeat_edit.setText("a long secret 1")
        click(qtbot, ok(dialog))
        assert not dialog.isVisible()

    def hospital(dialog: SetupDialog) -> None:
        type_text(dialog.search_edit, "ساری")
        dialog.hub_list.setCurrentItem(next(
            dialog.hub_list.item(i) for i in range(dialog.hub_list.count())
            if dialog.hub_list.item(i).data(Qt.ItemDataRole.UserRole) == 40))
        click(qtbot, dialog.save_button)

    # The administrator's window, then the hospital's: two modal dialogs in turn.
    results: list[bool] = []
    failures: list[BaseException] = []
    on_next_modal(SetupDialog, hospital, failures)
    run_modal(lambda: results.append(first_run(context)), administrator)
    assert not failures, failures
    assert results == [True]
    assert context.access.actor.username == "ali"  # typed «Ali»: names are lower case
    assert context.access.actor.roles == frozenset({Role.ADMINISTRATOR})
    assert context.settings.get().hub_number == 40

    # The administrator's window: accounts and settings, no patient files.
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    assert window.patient_list is None
    assert window.findChild(type(window.centralWidget()), "no_patients_label") is not None
    assert window.accounts_action.isVisible() and not window.new_patient_action.isVisible()
    assert window.account_button.text().startswith("علی رضایی")

    def add_worker(accounts: AccountsDialog) -> None:
        def fill(dialog: AccountDialog) -> None:
            type_text(dialog.name_edit, "مریم احمدی")
            type_text(dialog.username_edit, "maryam")
            dialog.role_checks[Role.SOCIAL_WORKER].setChecked(True)
            type_text(dialog.password_edit, "temporary-pass-1")
            click(qtbot, ok(dialog))
        run_modal(accounts.add_button.click, fill)
        assert accounts.table.rowCount() == 2
        assert accounts.table.item(1, 3).text() == "در انتظار گذرواژه تازه"
        accounts.accept()

    run_modal(window.accounts_action.trigger, add_worker)
    window.sign_out()
    assert window.signed_out and context.access.actor is None

    # She signs in with the temporary password and must choose her own.
    def sign_in_as_maryam(dialog: SignInDialog) -> None:
        type_text(dialog.username_edit, "maryam")
        type_text(dialog.password_edit, "wrong-password")
        click(qtbot, ok(dialog))
        assert "درست نیست" in dialog.general_error.text()
        type_text(dialog.password_edit, "temporary-pass-1")
        click(qtbot, ok(dialog))

    def choose_password(dialog: ChangePasswordDialog) -> None:
        type_text(dialog.current_edit, "temporary-pass-1")
        type_text(dialog.new_edit, "her own secret 9")
        type_text(dialog.repeat_edit, "her own secret 9")
        click(qtbot, ok(dialog))

    signed: list[bool] = []
    on_next_modal(ChangePasswordDialog, choose_password, failures)
    run_modal(lambda: signed.append(sign_in(context)), sign_in_as_maryam)
    assert not failures, failures
    assert signed == [True] and context.access.actor.username == "maryam"
    assert not context.accounts.must_change_password()
    worker_window = MainWindow(context)
    qtbot.addWidget(worker_window)
    assert worker_window.patient_list is not None
    assert worker_window.new_patient_action.isVisible()
    assert not worker_window.accounts_action.isVisible()
    assert not worker_window.settings_action.isVisible()
    worker_window.close()
    context.close()


@pytest.fixture
def sealed_hub(configured_context):
    ctx = configured_context
    patient = ctx.patients.create(identity())
    ctx.assessments.record(patient.id, full_answers())
    ctx.cases.save(patient.id, full_case(), None)
    ctx.accounts.create("director", "دکتر محمود صالحی", {Role.DIRECTOR}, "salehi pass 1")
    ctx.accounts.clear_password_change(ctx.accounts.list()[0].id)
    ctx.accounts.sign_out()
    ctx.accounts.sign_in("director", "salehi pass 1")
    return ctx, patient.id


def test_the_director_cannot_seal_an_incomplete_form1(qtbot, sealed_hub) -> None:
    """The refusal names what is missing, as the Form 1 window labels it; nothing sealed."""
    import dataclasses

    ctx, _complete = sealed_hub
    ctx.accounts.sign_out()
    sign_in_tester(ctx)  # a social worker fills in all but one required item
    patient = ctx.patients.create(identity("0012345679"))
    ctx.cases.save(patient.id, dataclasses.replace(full_case(), vital_status=None), None)
    ctx.accounts.sign_out()
    ctx.accounts.sign_in("director", "salehi pass 1")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_patient(patient.id)
    told: list[str] = []
    failures: list[BaseException] = []

    def refused(box: QDialog) -> None:
        told.append(box.text())  # type: ignore[attr-defined]
        box.accept()

    def first(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        if box.button(QMessageBox.StandardButton.Yes) is None:
            refused(box)  # refused at once (ui.seals.approve_form1)
            return
        on_next_modal(QMessageBox, refused, failures)  # «…تأیید و مهر شود؟», then refused
        answer_message()(box)

    run_modal(window.patient_panel.approve_button.click, first)
    assert not failures, failures
    assert told and "کامل نیست" in told[0] and "«وضعیت حیاتی»" in told[0]
    assert ctx.seals.current(patient.id) is None and ctx.seals.history(patient.id) == []
    assert window.patient_panel.approve_button.isEnabled()


def test_approving_an_incomplete_form_refuses_before_asking(qtbot, sealed_hub) -> None:
    import dataclasses

    from cancer_desk.ui.seals import approve_form1

    ctx, complete = sealed_hub
    ctx.accounts.sign_out()
    sign_in_tester(ctx)
    patient = ctx.patients.create(identity("0012345679"))
    ctx.cases.save(patient.id, dataclasses.replace(full_case(), diagnosis_method=None), None)
    ctx.accounts.sign_out()
    ctx.accounts.sign_in("director", "salehi pass 1")
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[str, str]] = []
    sealed: list[bool] = []

    def read(box: QDialog) -> None:
        seen.append((box.windowTitle(), box.text()))  # type: ignore[attr-defined]
        box.accept()

    run_modal(lambda: approve_form1(parent, ctx.seals, patient.id, "بیمار",
                                    on_sealed=lambda: sealed.append(True)), read)
    [(title, text)] = seen  # one box, no question first
    assert title == "تأیید نشد" and "«روش تشخیص»" in text
    assert sealed == [] and ctx.seals.current(patient.id) is None

    failures: list[BaseException] = []
    seen.clear()

    def confirm(box: QDialog) -> None:
        on_next_modal(QMessageBox, read, failures)
        answer_message()(box)

    run_modal(lambda: approve_form1(parent, ctx.seals, complete, "بیمار",
                                    on_sealed=lambda: sealed.append(True)), confirm)
    assert not failures, failures
    seal = ctx.seals.current(complete)
    assert sealed == [True] and seal is not None and seal.code in seen[0][1]


def test_the_director_approves_and_unseals_form1(qtbot, sealed_hub) -> None:
    ctx, patient_id = sealed_hub
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    panel = window.patient_panel
    assert not window.new_patient_action.isVisible()  # a director reads, and approves
    window.open_patient(patient_id)
    assert panel.approve_button.isVisible() and panel.approve_button.isEnabled()
    assert not panel.edit_button.isVisible() and not panel.assess_button.isVisible()
    assert "هنوز به تأیید" in panel.seal_label.text()

    told: list[str] = []
    failures: list[BaseException] = []

    def confirm(box: QDialog) -> None:  # «…تأیید و مهر شود؟», then the code is told
        on_next_modal(QMessageBox, lambda done: (told.append(done.text()), done.accept()),
                      failures)
        answer_message()(box)

    run_modal(panel.approve_button.click, confirm)
    assert not failures, failures
    seal = ctx.seals.current(patient_id)
    assert told and seal.code in told[0]  # the message that gives the code
    assert seal is not None and seal.sealed_by == "دکتر محمود صالحی"
    assert seal.code in panel.seal_label.text()
    assert not panel.approve_button.isEnabled() and panel.unseal_button.isEnabled()

    def unseal(dialog: UnsealDialog) -> None:
        click(qtbot, ok(dialog))
        assert dialog.isVisible() and "دلیل" in dialog.error_label.text()
        type_text(dialog.reason_edit, "نشانی بیمار عوض شده است")
        click(qtbot, ok(dialog))

    run_modal(panel.unseal_button.click, unseal)
    assert ctx.seals.current(patient_id) is None
    assert "هنوز به تأیید" in panel.seal_label.text()

    def look(dialog: VerifyPrintDialog) -> None:
        type_text(dialog.code_edit, seal.code)
        click(qtbot, ok(dialog))
        assert "باطل" in dialog.result_label.text()
        assert "نشانی بیمار عوض شده است" in dialog.result_label.text()
        assert "میزان حمایت ۰ تومان" in dialog.result_label.text()  # what the paper said
        dialog.reject()

    run_modal(window.verify_print_action.trigger, look)


def test_a_sealed_form_disables_editing_for_the_social_worker(qtbot, sealed_hub) -> None:
    ctx, patient_id = sealed_hub
    ctx.seals.approve(patient_id)
    ctx.accounts.sign_out()
    ctx.accounts.sign_in("tester", "test-pass-1388")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_patient(patient_id)
    panel = window.patient_panel
    for button in (panel.edit_button, panel.assess_button, panel.case_button):
        assert not button.isEnabled() and "مهر" in button.toolTip()
    assert not window.edit_patient_action.isEnabled()


def test_the_history_of_a_patient_reads_in_persian(qtbot, sealed_hub) -> None:
    ctx, patient_id = sealed_hub
    ctx.seals.approve(patient_id)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_patient(patient_id)
    seen: list[list[str]] = []

    def read(dialog: HistoryDialog) -> None:
        for row in range(dialog.table.rowCount()):
            seen.append([dialog.table.item(row, c).text() for c in range(5)])
        dialog.accept()

    run_modal(window.patient_panel.changes_button.click, read)
    actions = [row[2] for row in seen]
    assert actions[0] == "تأیید و مهر فرم شماره ۱"  # newest first
    assert "ثبت مشخصات بیمار" in actions and "ثبت ارزیابی" in actions
    patient_row = next(row for row in seen if row[2] == "ثبت مشخصات بیمار")
    assert "نام خانوادگی بیمار: کریمی" in patient_row[3]
    assert "تاریخ تولد: ۱۳۵۸/۱۰/۱۱" in patient_row[3]  # Jalali, Persian digits
    assert patient_row[1].startswith("مریم احمدی")


def test_the_idle_window_locks_and_asks_for_the_password(qtbot, configured_context) -> None:
    window = MainWindow(configured_context)
    qtbot.addWidget(window)
    window.show()
    watcher = window.idle_watcher
    watcher.minutes = 10
    watcher.check()
    assert not watcher.paused  # not idle yet
    watcher.last_activity -= 11 * 60

    def unlock(dialog: LockDialog) -> None:
        type_text(dialog.password_edit, "not it")
        click(qtbot, ok(dialog))
        assert dialog.isVisible() and "درست نیست" in dialog.general_error.text()
        dialog.reject()  # Escape does not unlock
        assert dialog.isVisible()
        type_text(dialog.password_edit, "test-pass-1388")
        click(qtbot, ok(dialog))

    run_modal(watcher.check, unlock)
    assert not watcher.paused and not window.signed_out
    assert configured_context.access.actor is not None

    watcher.last_activity -= 11 * 60

    def leave(dialog: LockDialog) -> None:
        click(qtbot, dialog.findChild(QPushButton, "sign_out_button"))

    run_modal(watcher.check, leave)
    assert window.signed_out and configured_context.access.actor is None


def test_work_that_ends_under_the_lock_leaves_the_program_locked(qtbot,
                                                                  configured_context) -> None:
    """The idle lock comes over a progress dialog; the work ending under it closes the
    progress dialog, not the lock."""
    import threading

    from cancer_desk.ui.background import ProgressDialog, run_in_background

    window = MainWindow(configured_context)
    qtbot.addWidget(window)
    window.show()
    release = threading.Event()
    seen: dict[str, object] = {}
    failures: list[BaseException] = []

    def unlock_after_the_work(lock: LockDialog) -> None:
        progress = lock.parentWidget()
        release.set()
        qtbot.waitUntil(lambda: not progress.isVisible(), timeout=10_000)  # work done
        # The main window's own sheet (the order of window.covers follows Qt's list of
        # windows, which may put the progress dialog's first).
        own = [shade for shade in window.covers if shade.parentWidget() is window]
        seen.update(modal=QApplication.activeModalWidget() is lock, shown=lock.isVisible(),
                    covered=len(own) == 1 and own[0].isVisible())
        type_text(lock.password_edit, "test-pass-1388")
        click(qtbot, ok(lock))

    def lock_over(progress: ProgressDialog) -> None:
        on_next_modal(LockDialog, unlock_after_the_work, failures)
        window.lock()  # what the idle watcher does

    on_next_modal(ProgressDialog, lock_over, failures)
    assert run_in_background(window, lambda _p: release.wait(10), title="آزمون", text="…")
    assert not failures, failures
    assert seen == {"modal": True, "shown": True, "covered": True}
    assert configured_context.access.actor is not None and not window.signed_out


def test_the_window_loads_a_certificate_and_prints_a_signed_form1(qtbot, sealed_hub,
                                                                   tmp_path, monkeypatch):
    from tests.print.certificates import PASSPHRASE, hospital_pkcs12
    from tests.print.pdf_reading import signature_status

    ctx, patient_id = sealed_hub
    p12, certificate = hospital_pkcs12(tmp_path / "hospital.p12")
    ctx.accounts.sign_out()
    ctx.accounts.sign_in("tester", "test-pass-1388")  # every role, administrator too
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    opened: list[Path] = []  # what the program handed the PDF viewer
    monkeypatch.setattr("cancer_desk.ui.printing.open_pdf",
                        lambda path: opened.append(path) or True)
    window.open_patient(patient_id)

    # A draft is never signed: the window says so before asking for the passphrase.
    told: list[str] = []
    run_modal(lambda: window.print_room.print_paper("form1", "signed"),
              lambda box: (told.append(box.text()), box.accept()))
    assert "هنوز تأیید نشده" in told[0] and opened == []

    def load(dialog: SigningCertificateDialog) -> None:
        assert "هنوز گواهی" in dialog.current_label.text()
        dialog.file_edit.setText(str(p12))
        type_text(dialog.passphrase_edit, "wrong one")
        click(qtbot, ok(dialog))
        assert dialog.isVisible() and "«رمز گواهی»" in \
            dialog.field_errors["passphrase"].text()
        dialog.passphrase_edit.setText(PASSPHRASE)
        click(qtbot, ok(dialog))

    run_modal(window.signing_action.trigger, load)
    assert ctx.signing.installed().subject_name == "بیمارستان امام خمینی تهران"
    assert ctx.audit.recent(limit=1)[0].table_name == "signing_certificate"

    ctx.seals.approve(patient_id)
    window.records.announce(records_changed.SEAL, patient_id)  # sealed behind its back
    monkeypatch.setattr(window.print_room, "ask_signing_passphrase", lambda: PASSPHRASE)
    window.print_room.print_paper("form1", "signed")
    signed = opened[-1].read_bytes()
    embedded, status = signature_status(signed, certificate)
    assert status.intact and status.valid
    assert "کد" in embedded.sig_object["/Reason"]


def test_a_role_taken_away_on_another_pc_is_explained_and_hidden(qtbot, sealed_hub,
                                                                 db_url) -> None:
    from cancer_desk.services.access import AccessDeniedError, NotSignedInError
    from cancer_desk.ui.errors import handle_exception
    from tests.conftest import open_signed_in

    ctx, patient_id = sealed_hub  # the director is signed in here
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_patient(patient_id)
    assert window.patient_panel.approve_button.isVisible()
    admin_pc = open_signed_in(db_url)
    director = next(a for a in admin_pc.accounts.list() if a.username == "director")
    admin_pc.accounts.update(director.id, display_name=director.display_name,
                             roles={Role.SOCIAL_WORKER}, active=True,
                             expected_version=director.version)
    with pytest.raises(AccessDeniedError) as refused:
        ctx.seals.approve(patient_id)  # what the button does
    told: list[str] = []
    run_modal(lambda: handle_exception(AccessDeniedError, refused.value, None),
              lambda box: (told.append(box.text()), box.accept()))
    assert "اجازه" in told[0]
    assert not window.patient_panel.approve_button.isVisible()
    assert window.new_patient_action.isVisible()  # a social worker now

    director = next(a for a in admin_pc.accounts.list() if a.username == "director")
    admin_pc.accounts.update(director.id, display_name=director.display_name,
                             roles=director.roles, active=False,
                             expected_version=director.version)
    admin_pc.close()
    with pytest.raises(NotSignedInError) as disabled:
        ctx.patients.count()
    run_modal(lambda: handle_exception(NotSignedInError, disabled.value, None),
              lambda box: box.accept())
    assert window.signed_out and not window.isVisible()


def test_the_lock_covers_every_open_window(qtbot, configured_context) -> None:
    window = MainWindow(configured_context)
    qtbot.addWidget(window)
    window.show()
    covered: list[int] = []

    def unlock(dialog: LockDialog) -> None:
        covered.extend(shade.parentWidget() is window and shade.isVisible()
                       for shade in window.covers)
        type_text(dialog.password_edit, "test-pass-1388")
        click(qtbot, ok(dialog))

    run_modal(window.lock, unlock)
    assert covered == [True]
    assert window.covers == []
    shade = window.findChild(QLabel, "lock_cover")
    assert shade is not None and not shade.isVisible()


def test_a_director_neither_edits_by_double_click_nor_refers_costs(qtbot, sealed_hub) -> None:
    ctx, patient_id = sealed_hub
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window._on_patient_activated(patient_id)  # a double click in the list
    assert QApplication.activeModalWidget() is None and window.current_patient_id() == patient_id
    told: list[str] = []
    run_modal(lambda: window.print_room.print_paper("referral", "open"),
              lambda box: (told.append(box.text()), box.accept()))
    assert "هنوز معرفی‌نامه‌ای" in told[0]  # offered the earlier ones, none yet


@pytest.mark.sqlite_only
def test_the_administrator_backs_up_and_restores_from_the_window(qtbot, configured_context,
                                                                 tmp_path) -> None:
    from cancer_desk.ui.backups import BackupsDialog

    ctx = configured_context
    ctx.patients.create(identity())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.backups_action.isVisible()
    made: list = []

    def back_up(dialog: BackupsDialog) -> None:
        failures: list[BaseException] = []
        # The copy is made behind a progress dialog; then the message box says it is done.
        on_next_modal(QMessageBox, lambda box: box.accept(), failures)
        dialog.backup_button.click()
        assert not failures, failures
        assert dialog.table.rowCount() == 1
        made.extend(ctx.backups.list())
        dialog.accept()

    run_modal(window.backups_action.trigger, back_up)
    assert len(made) == 1
    ctx.patients.create(identity("0012345679", last="پس‌ازپشتیبان"))

    def restore(dialog: BackupsDialog) -> None:
        dialog.ask_restore_source = lambda: made[0].path
        failures: list[BaseException] = []

        def confirm(box: QDialog) -> None:
            assert "۱ بیمار" in box.text()  # what the backup holds
            on_next_modal(QMessageBox, lambda done: done.accept(), failures)
            answer_message()(box)

        # The backup is checked, then restored, behind progress dialogs; the message
        # boxes come between and after.
        on_next_modal(QMessageBox, confirm, failures)
        dialog.restore_button.click()
        assert not failures, failures

    run_modal(window.backups_action.trigger, restore)
    assert window.signed_out  # the accounts are the backup's: everyone signs in again
    from tests.conftest import sign_in_tester
    assert sign_in_tester(ctx).patients.count() == 1


@pytest.mark.sqlite_only
def test_a_restore_cannot_be_cancelled_once_it_writes_and_says_so(qtbot, configured_context,
                                                                  monkeypatch) -> None:
    import threading

    from cancer_desk.services import backups as backups_module
    from cancer_desk.ui.background import ProgressDialog
    from cancer_desk.ui.backups import BackupsDialog

    ctx = configured_context
    saved = ctx.backups.backup_now()
    ctx.patients.create(identity())
    held, go = threading.Event(), threading.Event()

    def held_once_recorded(step: str) -> None:  # the restore's entry is in the copy
        if step == "recorded":
            held.set()
            assert go.wait(10)

    monkeypatch.setattr(backups_module, "restore_step", held_once_recorded)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda _p, _t, text, *a, **k: told.append(text)))
    dialog = BackupsDialog(ctx.backups, ctx.settings)
    qtbot.addWidget(dialog)
    dialog.ask_restore_source = lambda: saved
    seen: dict[str, object] = {}

    def try_to_cancel(progress: ProgressDialog) -> None:
        qtbot.waitUntil(held.is_set, timeout=10_000)
        qtbot.waitUntil(lambda: not progress.cancel_button.isEnabled())
        seen["note"] = progress.note_label.text()
        progress.close()  # the window's close button, Esc: the restore goes on
        qtbot.keyClick(progress, Qt.Key.Key_Escape)
        seen["open"] = progress.isVisible()
        go.set()
        qtbot.waitUntil(lambda: not progress.isVisible(), timeout=10_000)

    failures: list[BaseException] = []

    def checked(progress: ProgressDialog) -> None:  # the first checks the backup file
        qtbot.waitUntil(lambda: not progress.isVisible(), timeout=10_000)
        on_next_modal(ProgressDialog, try_to_cancel, failures)  # the second restores it

    on_next_modal(ProgressDialog, checked, failures)
    dialog.restore_button.click()
    assert not failures, failures
    assert dialog.restored and seen["open"] is True
    assert "نمی‌توان در میانه لغو کرد" in str(seen["note"])
    assert told and told[-1].startswith("پشتیبان بازگردانده شد")
    assert sign_in_tester(ctx).patients.count() == 0  # the backup's, made before the patient


@pytest.mark.sqlite_only
def test_a_window_left_open_for_days_still_makes_its_daily_copy(qtbot,
                                                                 configured_context) -> None:
    window = MainWindow(configured_context)
    qtbot.addWidget(window)
    assert window.backup_room.daily_timer.isActive()
    window.backup_room.start_daily_backup()  # what the hourly timer does
    assert window.statusBar().currentMessage() == "در حال گرفتن پشتیبان روزانه…"
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "پشتیبان روزانه گرفته شد.",
                    timeout=10_000)
    assert [c.kind_fa for c in configured_context.backups.list()] == ["روزانه"]


@pytest.mark.sqlite_only
def test_the_daily_copy_waits_while_work_runs_in_the_background(qtbot,
                                                                configured_context) -> None:
    """A restore under way must not be copied half-written: the hourly timer lets it be."""
    import threading

    from cancer_desk.ui.background import ProgressDialog, run_in_background

    window = MainWindow(configured_context)
    qtbot.addWidget(window)
    release = threading.Event()
    during: list = []

    def timer_fires(progress: ProgressDialog) -> None:
        window.backup_room.start_daily_backup()  # what the hourly timer does
        during.extend(configured_context.backups.list())
        release.set()
        qtbot.waitUntil(lambda: not progress.isVisible(), timeout=10_000)

    failures: list[BaseException] = []
    on_next_modal(ProgressDialog, timer_fires, failures)
    run_in_background(window, lambda _progress: release.wait(10), title="آزمون", text="…")
    assert not failures, failures
    assert during == []
    window.backup_room.start_daily_backup()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "پشتیبان روزانه گرفته شد.",
                    timeout=10_000)
    assert [c.kind_fa for c in configured_context.backups.list()] == ["روزانه"]


def test_a_questionnaire_cut_short_is_offered_back(qtbot, configured_context) -> None:
    """A power cut mid-questionnaire: the answers kept as a draft are offered when the
    questionnaire is opened again, and the window says what it restored."""
    ctx = configured_context
    patient = ctx.patients.create(identity())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    first = window.patient_room.make_questionnaire(patient.id)
    first.inputs["income"].set_answer("under_k300")
    first.inputs["family_size"].set_answer(6)
    first.save_draft()  # what the five-second timer does
    # …and the program dies here: the dialog is never closed nor saved.
    first.draft_timer.stop()
    first.deleteLater()
    from cancer_desk.ui import questionnaire as questionnaire_module

    offered: list[str] = []

    def accept_draft(self, draft) -> bool:
        offered.append(draft.kind)
        return True

    original = questionnaire_module.QuestionnaireDialog.ask_restore_draft
    questionnaire_module.QuestionnaireDialog.ask_restore_draft = accept_draft
    try:
        again = window.patient_room.make_questionnaire(patient.id)
    finally:
        questionnaire_module.QuestionnaireDialog.ask_restore_draft = original
    qtbot.addWidget(again)
    assert offered == ["questionnaire"]
    assert again.answers()["income"] == "under_k300" and again.answers()["family_size"] == 6
    assert "بازگردانده شد" in again.message_label.text() and "۲ پاسخ" in again.message_label.text()
    again.reject()  # closed on purpose: the draft goes
    assert ctx.drafts.load("questionnaire", patient.id, "tester") is None


def test_the_window_names_the_patients_with_unsaved_drafts(qtbot, configured_context) -> None:
    ctx = configured_context
    patient = ctx.patients.create(identity())
    ctx.drafts.save("questionnaire", patient.id, "tester", {"answers": {}})
    ctx.drafts.save("questionnaire", 999, "tester", {"answers": {}})  # a patient gone
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    notice = window.patient_room.drafts_notice()
    assert "«علی کریمی»" in notice and "ارزیابی جدید" in notice
    assert ctx.drafts.load("questionnaire", 999, "tester") is None


def test_signing_out_keeps_open_forms_as_drafts(qtbot, configured_context,
                                                monkeypatch) -> None:
    """Signed out mid-form (by hand, or from the idle lock by the next person at the PC):
    the work waits as a draft for this person's return; closed on purpose, it goes."""
    ctx = configured_context
    patient = ctx.patients.create(identity())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    questionnaire = window.patient_room.make_questionnaire(patient.id)
    questionnaire.inputs["income"].set_answer("under_k300")
    questionnaire.show()
    form1 = window.patient_room.make_case_dialog(patient.id)
    form1.show()
    from tests.ui.helpers import choose

    choose(form1.widgets["metastasis"], 1, qtbot)
    window.sign_out()
    assert not questionnaire.isVisible() and not form1.isVisible()
    kept = ctx.drafts.load("questionnaire", patient.id, "tester")
    assert kept is not None and kept.values["answers"]["income"] == "under_k300"
    assert ctx.drafts.load("form1", patient.id, "tester") is not None
    # Back, and closing the form on purpose: the draft goes.
    ctx.accounts.sign_in("tester", "test-pass-1388")
    from cancer_desk.ui.questionnaire import QuestionnaireDialog

    monkeypatch.setattr(QuestionnaireDialog, "ask_restore_draft", lambda self, draft: True)
    questionnaire_again = window.patient_room.make_questionnaire(patient.id)
    assert questionnaire_again.answers()["income"] == "under_k300"
    questionnaire_again.reject()
    assert ctx.drafts.load("questionnaire", patient.id, "tester") is None
