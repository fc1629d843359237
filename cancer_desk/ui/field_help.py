"""What a field wants, where a person looks for it: the tooltip and the «این چیست؟»
(Shift+F1) text of the field and of its label, and the «؟» button beside a question."""

from __future__ import annotations

import html

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QToolButton, QWhatsThis, QWidget


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


def help_button(text: str, name: str, parent: QWidget | None = None) -> QToolButton:
    """A small «؟» that shows ``text`` where it is clicked, for a person who does not
    think of hovering or of Shift+F1."""
    button = QToolButton(parent)
    button.setObjectName(name)
    button.setText("؟")
    # A round badge: a bare «؟» beside a bold title is easily taken for punctuation.
    button.setStyleSheet("QToolButton { border: 1px solid #7a8ca3; border-radius: 9px;"
                         " color: #1c4f86; background: palette(window); font-weight: bold;"
                         " padding: 0px; }"
                         " QToolButton:hover { background: #e3ecf7; }")
    button.setFixedSize(19, 19)
    button.setToolTip("این پرسش چه می‌خواهد؟")
    button.setAccessibleName("راهنمای این پرسش")
    rich = help_html(text)
    button.setProperty("help_text", rich)
    button.clicked.connect(
        lambda: QWhatsThis.showText(button.mapToGlobal(QPoint(0, button.height())), rich,
                                    button))
    return button
