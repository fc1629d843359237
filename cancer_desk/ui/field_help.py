"""What a field wants, where a person looks for it: the tooltip and the «این چیست؟»
(Shift+F1) text of the field and of its label."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QWidget


def help_html(text: str) -> str:
    """``text`` as right-to-left rich text. Qt wraps a rich-text tooltip to a readable
    width; a plain one is drawn as one line as wide as the text, off the screen's edge
    for a long help text."""
    paragraphs = (html.escape(part, quote=False) for part in text.split("\n") if part.strip())
    return "".join(f'<p dir="rtl">{part}</p>' for part in paragraphs)


def set_field_help(text: str, *widgets: QWidget | None) -> None:
    """The same help on the field and its label: hovering either shows it, and so does
    clicking either in «این چیست؟» mode."""
    rich = help_html(text) if text else ""
    for widget in widgets:
        if widget is not None:
            widget.setToolTip(rich)
            widget.setWhatsThis(rich)

