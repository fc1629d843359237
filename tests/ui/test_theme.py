"""Persian everywhere a person looks, Qt's own words included."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from cancer_desk.ui.main import make_application

Button = QMessageBox.StandardButton


def test_qt_s_own_buttons_speak_persian(qapp) -> None:
    make_application()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    box = QMessageBox()
    box.setStandardButtons(Button.Yes | Button.No | Button.Ok | Button.Cancel)
    texts = {button: box.button(button).text().replace("&", "")
             for button in (Button.Yes, Button.No, Button.Ok, Button.Cancel)}
    assert texts == {Button.Yes: "بله", Button.No: "نه", Button.Ok: "تأیید",
                     Button.Cancel: "انصراف"}
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Close)
    for button in buttons.buttons():
        assert not any("a" <= c.lower() <= "z" for c in button.text()), button.text()
    buttons.deleteLater()
    box.deleteLater()
