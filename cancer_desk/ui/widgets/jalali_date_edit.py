"""A Jalali date field: type ``۱۳۶۵/۰۲/۳۰`` or pick from a Persian calendar.

Typing is faster than spinning for people who know the date by heart; the picker
helps everyone else. The calendar is Qt's Jalali calendar with Friday as the weekend.
Dates are converted with jdatetime (the program's one source of truth) and limited
to 1300–1435, where Qt and jdatetime agree.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCalendar, QDate, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextDocumentFragment
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from cancer_desk.core.errors import InputError
from cancer_desk.core.jalali import MAX_YEAR, MIN_YEAR, format_jalali, from_jalali, parse_jalali
from cancer_desk.ui.widgets.persian_input import show_persian_digits_while_typing


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def make_jalali_calendar(parent: QWidget | None = None) -> QCalendarWidget:
    calendar = QCalendarWidget(parent)
    calendar.setCalendar(QCalendar(QCalendar.System.Jalali))
    calendar.setFirstDayOfWeek(Qt.DayOfWeek.Saturday)
    calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
    calendar.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames)
    calendar.setMinimumSize(340, 240)
    calendar.setGridVisible(True)
    weekday = QTextCharFormat()
    weekday.setForeground(QColor("#202124"))
    weekend = QTextCharFormat()
    weekend.setForeground(QColor("#b3261e"))
    for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday, Qt.DayOfWeek.Monday,
                Qt.DayOfWeek.Tuesday, Qt.DayOfWeek.Wednesday, Qt.DayOfWeek.Thursday):
        calendar.setWeekdayTextFormat(day, weekday)
    calendar.setWeekdayTextFormat(Qt.DayOfWeek.Friday, weekend)
    calendar.setMinimumDate(_qdate(from_jalali(MIN_YEAR, 1, 1)))
    calendar.setMaximumDate(_qdate(from_jalali(MAX_YEAR, 12, 29)))
    return calendar


def _label_of(widget: QWidget) -> str:
    """The text of the label whose buddy ``widget`` is, as a screen reader says it."""
    parent = widget.parentWidget()
    if parent is None:
        return ""
    for label in parent.findChildren(QLabel, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if label.buddy() is widget:
            return QTextDocumentFragment.fromHtml(label.text()).toPlainText() \
                .replace("&", "").strip(" :*")
    return ""


class JalaliDateEdit(QWidget):
    """Line edit plus calendar button. ``date()`` is ``None`` while empty or invalid;
    :meth:`checked_date` says why it is invalid."""

    dateChanged = Signal(object)  # datetime.date or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max_date: dt.date | None = None
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText("سال/ماه/روز")
        self.line_edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.line_edit.setMaxLength(12)
        show_persian_digits_while_typing(self.line_edit)
        self.line_edit.textChanged.connect(self._on_text_changed)
        self.line_edit.editingFinished.connect(self._on_editing_finished)

        self.calendar = make_jalali_calendar()
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar.activated.connect(self._on_calendar_clicked)
        self._menu = QMenu(self)
        action = QWidgetAction(self._menu)
        action.setDefaultWidget(self.calendar)
        self._menu.addAction(action)

        # One arrow: the button's own «▾». Given the menu itself, Qt would draw its menu
        # arrow beside it as well; the button opens the calendar instead.
        self.button = QToolButton(self)
        self.button.setObjectName("calendar_button")
        self.button.setText("▾")
        self.button.setToolTip("انتخاب از تقویم (Alt+↓ یا F4 در خانه تاریخ)")
        self.button.setAccessibleName("انتخاب از تقویم")
        self.button.clicked.connect(self.show_calendar)
        # Not a stop of Tab or Enter: the date is typed, and the next key goes to the next
        # field. From the keyboard the calendar opens as a Windows date box's does.
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for keys in ("Alt+Down", "F4"):
            opener = QShortcut(QKeySequence(keys), self.line_edit)
            opener.setContext(Qt.ShortcutContext.WidgetShortcut)
            opener.activated.connect(self.show_calendar)
        self._menu.aboutToShow.connect(self._on_menu_about_to_show)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line_edit)

    # --- public ------------------------------------------------------------------------

    def setMaximumDate(self, value: dt.date | None) -> None:
        self._max_date = value
        if value is not None:
            self.calendar.setMaximumDate(_qdate(value))

    def setDate(self, value: dt.date | None) -> None:
        self.line_edit.setText(format_jalali(value) if value else "")

    def date(self) -> dt.date | None:
        try:
            return self.checked_date()
        except InputError:
            return None

    def checked_date(self, *, field: str = "date", label: str = "تاریخ") -> dt.date | None:
        """The date, ``None`` when empty, or :class:`InputError` naming ``label``."""
        if not self.line_edit.text().strip():
            return None
        return parse_jalali(self.line_edit.text(), field=field, label=label)

    def text(self) -> str:
        return self.line_edit.text()

    def clear(self) -> None:
        self.setDate(None)

    def show_calendar(self) -> None:
        """The calendar under the button, its right edge at the button's in a right-to-
        left window (as a menu of the button would open)."""
        below = self.button.mapToGlobal(QPoint(0, self.button.height()))
        if self.isRightToLeft():
            below.setX(below.x() + self.button.width() - self._menu.sizeHint().width())
        self._menu.popup(below)

    def showEvent(self, event) -> None:
        """The typed field takes the name of the label beside the whole date field (a
        form's row label is the buddy of this widget, not of the field inside it), so a
        screen reader says «تاریخ تولد», not nothing."""
        if not self.line_edit.accessibleName():
            self.line_edit.setAccessibleName(self.accessibleName() or _label_of(self))
        super().showEvent(event)

    # --- slots -------------------------------------------------------------------------

    def _on_text_changed(self, _text: str) -> None:
        self.dateChanged.emit(self.date())

    def _on_editing_finished(self) -> None:
        value = self.date()
        if value is not None:
            self.line_edit.setText(format_jalali(value))  # ۱۳۶۵/۲/۳ → ۱۳۶۵/۰۲/۰۳

    def _on_menu_about_to_show(self) -> None:
        value = self.date() or self._max_date or dt.date.today()
        self.calendar.setSelectedDate(_qdate(value))

    def _on_calendar_clicked(self, value: QDate) -> None:
        self.setDate(_pydate(value))
        self._menu.hide()
