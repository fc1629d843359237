"""Small things a person meets in the windows: reading back a temporary password,
«بستن» where a window had none, the sign-in window's demo accounts under an error,
a message that goes once its field is corrected, digits at the right of a right-to-
left form, and one arrow on the date button."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyleOptionToolButton,
    QWidget,
)

from cancer_desk.app import DEMO_ACCOUNTS, DEMO_PASSWORD
from cancer_desk.core.patient import FIELDS
from cancer_desk.ui.accounts import AccountDialog, AccountsDialog, ResetPasswordDialog
from cancer_desk.ui.dashboard import DashboardWindow
from cancer_desk.ui.patient_form import PatientFormDialog
from cancer_desk.ui.sign_in import SignInDialog
from cancer_desk.ui.text import fa
from cancer_desk.ui.widgets.jalali_date_edit import JalaliDateEdit
from cancer_desk.ui.widgets.money_edit import MoneyEdit
from tests.builders import identity
from tests.ui.helpers import click, counting, fill_patient, type_text


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    QApplication.processEvents()
    return widget


# --- a temporary password ----------------------------------------------------------


def test_the_administrator_can_read_back_a_temporary_password(qtbot, context) -> None:
    record = context.accounts.list()[0]
    for dialog in (AccountDialog(context.accounts), ResetPasswordDialog(context.accounts,
                                                                         record)):
        shown(qtbot, dialog)
        type_text(dialog.password_edit, "temporary-pass-1")
        assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password
        check = dialog.show_password_check
        assert check.text() == "نمایش گذرواژه" and check.isVisible()
        check.click()
        assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Normal
        assert dialog.password_edit.displayText() == "temporary-pass-1"
        check.click()
        assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password


# --- «بستن» --------------------------------------------------------------------------


def _close_button(window: QWidget) -> QPushButton:
    found = [b for b in window.findChildren(QPushButton)
             if b.text() == "بستن" and b.isVisible()]
    assert len(found) == 1, [b.text() for b in window.findChildren(QPushButton)]
    return found[0]


def test_the_accounts_and_dashboard_windows_close_with_a_button(qtbot,
                                                               configured_context) -> None:
    accounts = shown(qtbot, AccountsDialog(configured_context.accounts,
                                           configured_context.settings))
    click(qtbot, _close_button(accounts))
    assert not accounts.isVisible()

    dashboard = DashboardWindow(configured_context)  # deleted on closing: not qtbot's
    dashboard.show()
    qtbot.waitUntil(lambda: not counting(dashboard))
    with qtbot.waitSignal(dashboard.destroyed):  # it goes as soon as it is closed
        click(qtbot, _close_button(dashboard))


# --- the sign-in window --------------------------------------------------------------


def test_the_demo_accounts_stay_whole_under_a_sign_in_error(qtbot, context) -> None:
    context.accounts.sign_out()
    dialog = shown(qtbot, SignInDialog())  # as at the start: up before the database is
    dialog.set_ready(context.accounts, place="بیمارستان امام خمینی (ره)، تهران",
                     demo_accounts=[(u, n) for u, n, _ in DEMO_ACCOUNTS],
                     demo_password=DEMO_PASSWORD)
    QApplication.processEvents()
    demo = dialog.findChild(QLabel, "demo_accounts_label")

    def whole() -> bool:
        buttons = dialog.findChild(QDialogButtonBox)
        return (demo.height() >= demo.heightForWidth(demo.width())
                and demo.geometry().bottom() < buttons.geometry().top()
                and dialog.height() >= dialog.heightForWidth(dialog.width()))

    assert whole()
    type_text(dialog.username_edit, "tester")
    type_text(dialog.password_edit, "wrong")
    click(qtbot, dialog.sign_in_button)
    QApplication.processEvents()
    assert dialog.general_error.isVisible() and dialog.general_error.text()
    assert whole(), (demo.geometry(), demo.heightForWidth(demo.width()), dialog.size())
    for username, _name, _roles in DEMO_ACCOUNTS:
        assert username in demo.text()


# --- a message under a corrected field -----------------------------------------------


def test_a_field_s_message_goes_when_it_is_corrected(qtbot, context) -> None:
    dialog = shown(qtbot, AccountDialog(context.accounts))
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))
    name_error, username_error = (dialog.field_errors["display_name"],
                                  dialog.field_errors["username"])
    assert name_error.isVisible() and username_error.isVisible()
    type_text(dialog.name_edit, "مریم احمدی")
    assert not name_error.isVisible() and username_error.isVisible()
    # A row of tick boxes counts as its field.
    roles_error = dialog.field_errors["roles"]
    assert roles_error.isVisible()
    next(iter(dialog.role_checks.values())).click()
    assert not roles_error.isVisible() and username_error.isVisible()


def test_the_patient_form_s_count_of_messages_follows_the_corrections(qtbot,
                                                                      configured_context
                                                                      ) -> None:
    dialog = shown(qtbot, PatientFormDialog(configured_context.patients,
                                            configured_context.reference))
    dialog._on_save()  # an empty form: every required field has its message
    count_line = dialog.general_error
    wrong = [f for f in FIELDS if dialog.error_label(f).isVisible()]
    assert len(wrong) > 2 and count_line.text().startswith(f"{fa(len(wrong))} مورد")
    right = {"national_code": "0499370899", "birth_date": "۱۳۵۸/۱۰/۱۱"}
    for done, field in enumerate(wrong, start=1):
        widget = dialog.field_widget(field)
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(1)
        else:
            type_text(widget, right.get(field, "علی"))
        assert not dialog.error_label(field).isVisible(), field
        left = len(wrong) - done
        assert count_line.isVisible() == bool(left), field
        if left:
            assert count_line.text().startswith(f"{fa(left)} مورد"), count_line.text()


def test_the_patient_form_refuses_a_group_other_than_the_code_s(qtbot, configured_context
                                                                 ) -> None:
    dialog = shown(qtbot, PatientFormDialog(configured_context.patients,
                                            configured_context.reference))
    fill_patient(qtbot, dialog)  # group 1, breast
    type_text(dialog.ui.icd10_code_edit, "C73")
    hint = dialog.ui.icd10_hint_label.text()
    assert "«خارج از گروه‌های دستورالعمل»" in hint and "«پستان»" in hint
    dialog._on_save()
    error = dialog.error_label("cancer_group_id")
    assert error.isVisible()
    assert "کد C73" in error.text() and "«پستان»" in error.text()
    assert configured_context.patients.find_by_national_code("0499370899") is None
    combo = dialog.ui.cancer_group_id_combo
    combo.setCurrentIndex(combo.findData(10))
    assert combo.currentText() == "خارج از گروه‌های دستورالعمل"
    dialog._on_save()
    saved = configured_context.patients.find_by_national_code("0499370899")
    assert saved is not None and saved.identity.cancer_group_id == 10


# --- digits at the right -------------------------------------------------------------


def ink_span(widget: QWidget, *, darker_than: int = 100) -> tuple[int, int]:
    """The leftmost and rightmost columns where the widget's text is drawn (dark
    pixels inside its frame; a placeholder's grey is lighter)."""
    image: QImage = widget.grab().toImage()
    columns = [x for x in range(4, image.width() - 4)
               if any(image.pixelColor(x, y).lightness() < darker_than
                      for y in range(4, image.height() - 4))]
    assert columns, "nothing drawn"
    return columns[0], columns[-1]


def test_digit_fields_sit_at_the_right_like_the_other_fields(qtbot, configured_context
                                                            ) -> None:
    patient = configured_context.patients.create(identity(phone="09123456789",
                                                          postal_code="1234567890"))
    dialog = PatientFormDialog(configured_context.patients, configured_context.reference,
                               configured_context.patients.get(patient.id))
    dialog.resize(900, 720)
    shown(qtbot, dialog)
    for field in ("first_name", "national_code", "phone", "postal_code"):
        edit = dialog.field_widget(field)
        edit.deselect()  # the form opens in «کد ملی», its text selected (white on blue)
        left, right = ink_span(edit)
        assert right > edit.width() - 20 and left > edit.width() // 2, (field, left, right)


def test_an_amount_sits_at_the_right_empty_and_typed(qtbot) -> None:
    dialog = QDialog()
    amount = MoneyEdit(dialog)
    amount.setGeometry(10, 10, 300, 30)
    dialog.resize(320, 50)
    shown(qtbot, dialog)
    for typed in ("", "۱۲۳۴۵"):
        amount.setText(typed)
        left, right = ink_span(amount, darker_than=200)  # «مبلغ به تومان», then digits
        assert right > amount.width() - 20 and left > amount.width() // 2, (typed, left)


# --- the date button -----------------------------------------------------------------


def test_the_date_button_has_one_arrow_and_opens_the_calendar(qtbot) -> None:
    window = QWidget()
    date = JalaliDateEdit(window)
    date.setGeometry(20, 20, 200, 30)
    window.setGeometry(400, 100, 240, 70)
    shown(qtbot, window)
    option = QStyleOptionToolButton()
    date.button.initStyleOption(option)
    # The style draws a second, menu arrow for a button that has a menu.
    assert not option.features & QStyleOptionToolButton.ToolButtonFeature.HasMenu
    assert date.button.text() == "▾"
    click(qtbot, date.button)
    menu = date._menu
    qtbot.waitUntil(menu.isVisible)
    assert date.calendar.isVisible()
    # Under the button, its right edge at the button's (a right-to-left window).
    button_right = date.button.mapToGlobal(QPoint(date.button.width(), 0)).x()
    assert abs(menu.geometry().right() - button_right) <= 2
    assert menu.geometry().top() >= date.button.mapToGlobal(QPoint(0, 0)).y()
    date.calendar.clicked.emit(date.calendar.selectedDate().addDays(-1))
    assert not menu.isVisible() and date.date() is not None
