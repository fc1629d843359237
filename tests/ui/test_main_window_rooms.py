"""The main window as data and rooms: the toolbar each role sees, and the one signal
that tells the window a room changed records."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtWidgets import QToolBar

from cancer_desk.core.access import Action, Role
from cancer_desk.ui import records_changed
from cancer_desk.ui.main_toolbar import MAIN_TOOLBAR
from cancer_desk.ui.main_window import MainWindow
from tests.builders import identity
from tests.conftest import full_answers

ROLE_PASSWORD = "role pass 1388"


def signed_in_as(ctx, roles: set[Role]):
    """``ctx`` signed in again as a new account holding ``roles`` only."""
    username = "r_" + "_".join(sorted(role.value[:4] for role in roles))
    ctx.accounts.create(username, "آزمون نقش", roles, ROLE_PASSWORD)
    ctx.accounts.clear_password_change(
        next(a.id for a in ctx.accounts.list() if a.username == username))
    ctx.accounts.sign_out()
    ctx.accounts.sign_in(username, ROLE_PASSWORD)
    return ctx


def visible_toolbar(window: MainWindow) -> list[str]:
    """The toolbar as the person sees it, in order: action texts and "|" for separators."""
    toolbar = window.findChild(QToolBar, "main_toolbar")
    return [("|" if action.isSeparator() else action.text())
            for action in toolbar.actions() if action.isVisible() and
            (action.isSeparator() or action.text())]


@pytest.mark.parametrize("roles", [{Role.SOCIAL_WORKER}, {Role.DIRECTOR},
                                   {Role.ADMINISTRATOR}, set(Role)],
                         ids=["social worker", "director", "administrator", "all roles"])
def test_each_role_sees_its_actions_and_no_stray_separator(qtbot, configured_context,
                                                           roles) -> None:
    ctx = signed_in_as(configured_context, roles)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    for group in MAIN_TOOLBAR:
        for entry in group:
            action = getattr(window, entry.name)
            assert action.text() == entry.text
            assert action.isVisible() == (entry.needs is None or ctx.access.may(entry.needs))
    shown = visible_toolbar(window)
    assert shown and shown[0] != "|" and shown[-1] != "|", shown
    assert all(not (a == b == "|") for a, b in itertools.pairwise(shown)), shown
    assert ("بیمار جدید" in shown) == ctx.access.may(Action.EDIT_PATIENTS)


def test_a_role_taken_away_hides_a_whole_group_and_its_separator(qtbot,
                                                                configured_context) -> None:
    ctx = signed_in_as(configured_context, {Role.SOCIAL_WORKER, Role.DIRECTOR})
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    before = visible_toolbar(window)
    window.allowed = window.allowed - {Action.VIEW_REPORTS, Action.EDIT_PATIENTS,
                                       Action.MANAGE_FORMULARY}
    window._show_allowed_actions()
    after = visible_toolbar(window)
    assert "فرم ۲ و بستن فصل" in before and "فرم ۲ و بستن فصل" not in after
    assert after[0] != "|" and after[-1] != "|"
    assert all(not (a == b == "|") for a, b in itertools.pairwise(after)), after


def test_a_change_announced_refreshes_the_patient_shown_and_only_then(qtbot,
                                                                     configured_context):
    ctx = configured_context
    shown = ctx.patients.create(identity())
    other = ctx.patients.create(identity("0084575948", first="مریم"))
    ctx.assessments.record(shown.id, full_answers())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_patient(shown.id)
    panel = window.patient_panel
    reloads: list[int | None] = []
    real = window.patient_panel.show_patient
    window.patient_panel.show_patient = lambda record, *rest: (
        reloads.append(record.id), real(record, *rest))

    window.records.announce(records_changed.COSTS, other.id)
    assert reloads == []  # not the patient on screen
    window.records.announce(records_changed.ASSESSMENT, shown.id)
    assert reloads == [shown.id]
    window.records.announce(records_changed.MANY_PATIENTS)
    assert reloads == [shown.id, shown.id]
    assert panel.isVisible()
    with pytest.raises(ValueError):
        window.records.announce("no such kind", shown.id)


def test_settings_announced_change_the_title_and_the_idle_time(qtbot, configured_context):
    ctx = configured_context
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    settings = ctx.settings.get()
    ctx.settings.set_idle_lock_minutes(settings.idle_lock_minutes + 7)
    window.records.announce(records_changed.SETTINGS)
    assert window.idle_watcher.minutes == settings.idle_lock_minutes + 7
    assert window.hub_settings.idle_lock_minutes == settings.idle_lock_minutes + 7


def test_a_patient_opened_outside_the_search_is_searched_in_persian_digits(
        qtbot, configured_context) -> None:
    """After registering a patient the search did not find, the list narrows to the new
    national code — written as the person would type it, in Persian digits."""
    ctx = configured_context
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.patient_list.search_edit.setText("کسی که نیست")
    patient = ctx.patients.create(identity())
    window.records.announce(records_changed.PATIENT, patient.id)
    window.open_patient(patient.id)
    assert window.patient_list.search_edit.text() == "۰۴۹۹۳۷۰۸۹۹"
    assert window.patient_list.current_patient_id() == patient.id
    assert window.current_patient_id() == patient.id


@pytest.mark.sqlite_only
def test_the_rollup_opens_its_own_database_and_refuses_a_hospitals(qtbot, configured_context,
                                                                   tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog, QMessageBox

    from cancer_desk import paths
    from cancer_desk.ui.rollup_window import RollupWindow
    from cancer_desk.ui.sign_in import FirstAdministratorDialog, SignInDialog

    window = MainWindow(configured_context)
    qtbot.addWidget(window)
    opened: list[str] = []
    monkeypatch.setattr(RollupWindow, "exec",
                        lambda self: opened.append(str(self.context.database.url)) or 0)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, _t, text, *a, **k: told.append(text)))
    # Its first opening makes the roll-up's own administrator; the next asks to sign in.
    made: list[str] = []

    def make_administrator(dialog: FirstAdministratorDialog) -> int:
        made.append(dialog.windowTitle())
        dialog._accounts.create_first_administrator("rollup-admin", "مدیر تجمیع",
                                                    "rollup-pass-1403")
        return QDialog.DialogCode.Accepted

    asked: list[str] = []

    def sign_in(dialog: SignInDialog) -> int:
        asked.append(dialog.place_label.text())
        dialog._accounts.sign_in("rollup-admin", "rollup-pass-1403")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FirstAdministratorDialog, "exec", make_administrator)
    monkeypatch.setattr(SignInDialog, "exec", sign_in)
    rollup_url = paths.sqlite_url(tmp_path / "rollup.sqlite3")
    monkeypatch.setattr(paths, "rollup_database_url", lambda argument=None: rollup_url)
    window.hospital_room.rollup()
    assert told == [] and len(opened) == 1 and "rollup.sqlite3" in opened[0]
    assert made == ["مدیر سامانه تجمیع"] and asked == []
    window.hospital_room.rollup()
    assert len(opened) == 2 and asked == ["ورود به پایگاه تجمیع بسته‌های فصل"]
    opened.pop()

    configured_context.patients.create(identity())  # a hospital's database, not a roll-up
    monkeypatch.setattr(paths, "rollup_database_url",
                        lambda argument=None: str(configured_context.database.url))
    window.hospital_room.rollup()
    assert len(opened) == 1 and told and "بیماران یک بیمارستان" in told[0]
