"""Signing in: the first administrator, the sign-in window, a new password, and the
lock that covers the window after a while without a key or mouse press."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cancer_desk import APP_NAME_FA
from cancer_desk.core.access import MIN_PASSWORD_LENGTH
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.ui.field_form import FieldForm, form_buttons, grow_to_fit, latin_edit
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa

if TYPE_CHECKING:  # the sign-in window is up before the database layer has loaded
    from cancer_desk.services.accounts import AccountService

PASSWORD_HINT = (f"دست‌کم {fa(MIN_PASSWORD_LENGTH)} نویسه، بدون نام کاربری. گذرواژه جایی "
                 "نوشته نمی‌شود؛ اگر فراموش شود، مدیر سامانه گذرواژه تازه می‌دهد.")


FIRST_RUN_INTRO = ("این نخستین اجرای برنامه است. کسی که برنامه را راه می‌اندازد، حساب «مدیر "
                   "سامانه» را می‌سازد؛ او سپس برای مددکاران و رئیس بیمارستان حساب می‌سازد. "
                   "هیچ‌کس بدون حساب کاربری به پرونده‌ها دسترسی ندارد.")
ROLLUP_FIRST_RUN_INTRO = (
    "پایگاه تجمیع بسته‌ها نخستین بار باز می‌شود و حساب‌های خود را دارد. حساب «مدیر سامانه» "
    "تجمیع را بسازید؛ او کلید تازه یک قطب را (پس از سنجیدن اثر انگشت آن از راه تلفن) "
    "می‌پذیرد و برای کارشناسانی که بسته‌ها را وارد می‌کنند حساب می‌سازد.")


class FirstAdministratorDialog(FieldForm):
    """The first run: the person who installs the program makes the first account."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None, *,
                 cancel_text: str = "بستن برنامه", intro: str = FIRST_RUN_INTRO) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.setWindowTitle("حساب مدیر سامانه")  # Qt adds the program's name
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("display_name_edit")
        self.username_edit = latin_edit("username_edit")
        self.username_edit.setPlaceholderText("مثلاً admin")
        self.password_edit = latin_edit("password_edit", secret=True)
        self.repeat_edit = latin_edit("repeat_edit", secret=True)
        self.add_field("display_name", "نام و نام خانوادگی:", self.name_edit)
        self.add_field("username", "نام کاربری (لاتین):", self.username_edit)
        self.add_field("password", "گذرواژه:", self.password_edit)
        self.add_field("repeat", "تکرار گذرواژه:", self.repeat_edit)
        buttons = form_buttons("ساختن حساب", self, cancel_text=cancel_text)
        buttons.accepted.connect(self._on_accept)
        self.arrange(buttons, hint=PASSWORD_HINT, intro=intro)
        fit_to_screen(self, 520, 380)

    def _on_accept(self) -> None:
        from cancer_desk.services.accounts import AccountsExistError

        self.clear_errors()
        if self.password_edit.text() != self.repeat_edit.text():
            self.show_error("repeat", "«تکرار گذرواژه» با گذرواژه یکی نیست.")
            return
        try:
            self._accounts.create_first_administrator(
                self.username_edit.text(), self.name_edit.text(), self.password_edit.text())
        except ValidationErrors as exc:
            self.show_errors(exc)
            return
        except AccountsExistError:
            self.show_error(None, "حساب مدیر سامانه پیش‌تر (شاید در رایانه دیگری) ساخته شده "
                                  "است؛ برنامه را دوباره باز کنید و وارد شوید.")
            return
        self.accept()


class SignInDialog(FieldForm):
    """Username and password; a demo database shows its accounts.

    At the program's start the window is up before the database is open: it takes the
    name and password meanwhile, and signs in once :meth:`set_ready` has given it the
    accounts. «ورود» pressed before then waits for it, saying so."""

    def __init__(self, accounts: AccountService | None = None, *, place: str = "",
                 demo_accounts: list[tuple[str, str]] | None = None,
                 demo_password: str = "", parent: QWidget | None = None,
                 cancel_text: str = "بستن برنامه") -> None:
        super().__init__(parent)
        self._accounts = accounts
        self._sign_in_when_ready = False
        self.setWindowTitle("ورود")  # Qt adds the program's name
        title = QLabel(APP_NAME_FA)
        title.setProperty("role", "title")
        self.place_label = subtitle = QLabel(place or "با حساب کاربری خود وارد شوید.")
        subtitle.setObjectName("place_label")
        subtitle.setProperty("role", "hint")
        subtitle.setWordWrap(True)
        self.username_edit = latin_edit("username_edit")
        self.password_edit = latin_edit("password_edit", secret=True)
        self.add_field("username", "نام کاربری:", self.username_edit)
        self.add_field("password", "گذرواژه:", self.password_edit)
        # Enter in the name goes on to the password, as in any form (the input guard); a
        # name field that kept its Enter would also press «ورود», trying an empty password
        # that counts towards the lock. Enter in the password signs in.
        self.password_edit.setProperty("enter_submits", True)
        self.password_edit.returnPressed.connect(self._on_accept)
        buttons = form_buttons("ورود", self, cancel_text=cancel_text)
        buttons.accepted.connect(self._on_accept)
        self.sign_in_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.opening_label = QLabel("")  # «در حال باز کردن پایگاه داده…», while it is
        self.opening_label.setObjectName("opening_label")
        self.opening_label.setProperty("role", "hint")
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(8)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.opening_label)
        self._demo_at = layout.count()
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        if accounts is not None:
            self.set_ready(accounts, place=place, demo_accounts=demo_accounts,
                           demo_password=demo_password)

    @property
    def ready(self) -> bool:
        return self._accounts is not None

    def set_ready(self, accounts: AccountService, *, place: str = "",
                  demo_accounts: list[tuple[str, str]] | None = None,
                  demo_password: str = "") -> None:
        """The database is open: these are its accounts, hospital and demo accounts."""
        self._accounts = accounts
        if place:
            self.place_label.setText(place)
        if demo_accounts:
            lines = "\n".join(f"{name}: {username}" for username, name in demo_accounts)
            demo = QLabel("پایگاه داده نمایشی است؛ حساب‌های آن (گذرواژه همه: "
                          f"\u2066{demo_password}\u2069):\n{lines}")
            demo.setObjectName("demo_accounts_label")
            demo.setWordWrap(True)
            demo.setProperty("role", "hint")
            demo.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._layout.insertWidget(self._demo_at, demo)
            grow_to_fit(self)  # at the start, the window is up before they are known
        self.opening_label.setText("")
        self.sign_in_button.setEnabled(True)
        if self._sign_in_when_ready:
            self._sign_in_when_ready = False
            self._on_accept()

    def _on_accept(self) -> None:
        self.clear_errors()
        if not self.username_edit.text().strip():
            self.show_error("username", "«نام کاربری» را وارد کنید.")
            self.username_edit.setFocus()
            return
        if self._accounts is None:  # pressed before the database is open: once it is
            self._sign_in_when_ready = True
            self.opening_label.setText("در حال باز کردن پایگاه داده…")
            self.sign_in_button.setEnabled(False)
            return
        # Here, not above: loaded on the window's thread, it would hold up the note
        # above while the database layer is still loading beside it.
        from cancer_desk.services.accounts import SignInError

        try:
            self._accounts.sign_in(self.username_edit.text(), self.password_edit.text())
        except SignInError as exc:
            self.show_error(None, exc.message_fa)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.accept()


class ChangePasswordDialog(FieldForm):
    """Choosing one's own password: after an administrator's reset it cannot be put off."""

    def __init__(self, accounts: AccountService, *, required: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.setWindowTitle("گذرواژه تازه")
        self.current_edit = latin_edit("current_password_edit", secret=True)
        self.new_edit = latin_edit("new_password_edit", secret=True)
        self.repeat_edit = latin_edit("repeat_edit", secret=True)
        self.add_field("current", "گذرواژه کنونی:", self.current_edit)
        self.add_field("password", "گذرواژه تازه:", self.new_edit)
        self.add_field("repeat", "تکرار گذرواژه تازه:", self.repeat_edit)
        buttons = form_buttons("ذخیره", self, cancel_text="خروج از حساب" if required else "انصراف")
        buttons.accepted.connect(self._on_accept)
        self.arrange(buttons, hint=PASSWORD_HINT, intro=(
            "مدیر سامانه برای شما گذرواژه موقت گذاشته است؛ پیش از ادامه، گذرواژه‌ای "
            "برگزینید که تنها خودتان بدانید." if required else
            "گذرواژه کنونی و گذرواژه تازه را وارد کنید."))
        fit_to_screen(self, 480, 340)

    def _on_accept(self) -> None:
        self.clear_errors()
        if self.new_edit.text() != self.repeat_edit.text():
            self.show_error("repeat", "«تکرار گذرواژه تازه» با گذرواژه تازه یکی نیست.")
            return
        from cancer_desk.services.accounts import SignInError

        try:
            self._accounts.change_own_password(self.current_edit.text(), self.new_edit.text())
        except SignInError as exc:
            self.show_error("current", exc.message_fa)
            return
        except ValidationErrors as exc:
            self.show_errors(exc)
            return
        self.accept()


class LockDialog(FieldForm):
    """Covers the window after a while without use: the same person types their password
    again, or signs out so someone else can sign in."""

    SIGN_OUT = 2  # done() code: sign out instead of unlocking

    def __init__(self, accounts: AccountService, parent: QWidget | None = None, *,
                 by_hand: bool = False) -> None:
        super().__init__(parent)
        self._accounts = accounts
        actor = accounts.current
        self.setWindowTitle("قفل")  # Qt adds the program's name
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        why = "برنامه قفل شد." if by_hand else "برنامه پس از مدتی بی‌کاری قفل شد."
        message = QLabel(f"{why} برای ادامه، "
                         f"{actor.display_name if actor else ''} گذرواژه خود را وارد کند.")
        message.setObjectName("lock_message")
        message.setWordWrap(True)
        self.password_edit = latin_edit("password_edit", secret=True)
        self.password_edit.setProperty("enter_submits", True)  # Enter unlocks
        self.password_edit.returnPressed.connect(self._on_accept)
        self.add_field("password", "گذرواژه:", self.password_edit)
        buttons = form_buttons("ادامه", self, cancel_text=None)
        buttons.accepted.connect(self._on_accept)
        sign_out = QPushButton("خروج از حساب")
        sign_out.setObjectName("sign_out_button")
        sign_out.clicked.connect(self._on_sign_out)
        buttons.addButton(sign_out, QDialogButtonBox.ButtonRole.ResetRole)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        fit_to_screen(self, 440, 220)

    def reject(self) -> None:  # Escape must not unlock
        pass

    def _on_sign_out(self) -> None:
        self.done(self.SIGN_OUT)

    def _on_accept(self) -> None:
        self.clear_errors()
        from cancer_desk.services.accounts import SignInError

        try:
            self._accounts.confirm_password(self.password_edit.text())
        except SignInError as exc:
            self.show_error(None, exc.message_fa)
            self.password_edit.clear()
            if exc.locked_until is not None:  # locked out: only signing out is left
                self.password_edit.setEnabled(False)
            return
        self.accept()
