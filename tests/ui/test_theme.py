"""Persian everywhere a person looks, Qt's own words included."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMessageBox,
    QStyle,
    QStyleOptionGroupBox,
    QVBoxLayout,
)

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


def test_a_group_s_title_sits_at_its_right_edge(qtbot) -> None:
    """A section's title (Form 1's «ب/ اطلاعات تشخیص و درمان بیمار») starts where a
    Persian reader looks first. Qt mirrors a stylesheet's positions in a right-to-left
    window, so «top right» drew it at the left edge."""
    make_application()
    group = QGroupBox("ب/ اطلاعات تشخیص و درمان بیمار")
    QVBoxLayout(group).addWidget(QLabel("متن"))
    group.resize(600, 120)
    qtbot.addWidget(group)
    group.show()
    option = QStyleOptionGroupBox()
    group.initStyleOption(option)
    title = group.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                         QStyle.SubControl.SC_GroupBoxLabel, group)
    assert title.width() > 0
    assert title.right() > group.width() - 40 and title.left() > group.width() // 2
