"""Line-edit helpers for Persian input."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from cancer_desk.core.persian import to_persian_digits


def show_persian_digits_while_typing(edit: QLineEdit) -> None:
    """Whatever digits the keyboard sends, the field shows Persian ones.

    The value is read back through the core's normalisers, which accept every kind
    of digit, so this changes only what the person sees.
    """

    def on_text_edited(text: str) -> None:
        persian = to_persian_digits(text)
        if persian != text:
            position = edit.cursorPosition()
            edit.setText(persian)
            edit.setCursorPosition(position)

    edit.textEdited.connect(on_text_edited)
