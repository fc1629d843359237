"""Window sizes from the screen the window is on, not from a designer's large monitor:
the commonest ward PC has 1366×768 with a 40 px Windows taskbar, so 1366×728 to share."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The window manager's frame around what Qt sizes: the title bar (about 31 px on Windows
# at 100%, more with display scaling) and the borders.
FRAME_HEIGHT = 40
FRAME_WIDTH = 16


def available_area(widget: QWidget) -> QRect:
    """What the screen ``widget`` is on (or its parent's, or the primary one) leaves free
    of taskbars and docks."""
    screen = widget.screen() if widget.screen() is not None else (
        QGuiApplication.primaryScreen())
    parent = widget.parentWidget()
    if parent is not None and parent.screen() is not None:
        screen = parent.screen()
    return screen.availableGeometry()


def size_within(width: int, height: int, area: QRect) -> QSize:
    """(width, height), made smaller where ``area`` — less the window's frame — is."""
    return QSize(min(width, area.width() - FRAME_WIDTH),
                 min(height, area.height() - FRAME_HEIGHT))


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Give ``widget`` its comfortable size, or less on a small screen: its title bar and
    its buttons stay on screen, above the taskbar. (A window never gets smaller than its
    layout's minimum; the tests keep those within 1366×728.)"""
    widget.resize(size_within(width, height, available_area(widget)))
