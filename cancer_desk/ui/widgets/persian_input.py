"""Line-edit helpers for Persian input."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from cancer_desk.core.persian import to_persian_digits


def show_persian_digits_while_typing(edit: QLineEdit) -> None:
    """Whatever digits the keyboard sends, the field shows Persian ones.

    The value is read back through the core's normalisers, which accept every kind
    of digit, so this changes only what the person sees.

    In a right-to-left form the digits sit at the right like every other field's
    text. (Qt lays a field out in the direction of its first letter, and digits have
    none: left to right, so "leading" would put a national code at the left.) A field
    given an alignment of its own (centred, say) keeps it.
    """
    if (edit.layoutDirection() == Qt.LayoutDirection.RightToLeft
            and edit.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask
            == Qt.AlignmentFlag.AlignLeft):
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
                          | Qt.AlignmentFlag.AlignVCenter)

    def on_text_edited(text: str) -> None:
        persian = to_persian_digits(text)
        if persian != text:
            position = edit.cursorPosition()
            edit.setText(persian)
            edit.setCursorPosition(position)

    edit.textEdited.connect(on_text_edited)
