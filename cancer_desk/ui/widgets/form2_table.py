"""Form 2's table as the window shows it: the nine cancer groups and the total, one line
each, with the paper form's headings."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from cancer_desk.core.costs import MONEY_UNIT
from cancer_desk.core.persian import format_number
from cancer_desk.ui.text import fa

# The paper form's headings, broken where a person would break them.
HEADINGS = ("ردیف", "نوع سرطان", "تعداد کل بیماران\nسرطانی مراجعه‌کننده",
            "تعداد کل بیماران سرطانی\nمشمول دستورالعمل", f"هزینه‌کرد از محل ردیف\n({MONEY_UNIT})")
COUNTING = "…"  # a cell whose number is being counted


class Form2Table(QTableWidget):
    # The nine groups, their total, and the line outside the groups (not in the total).
    def __init__(self, row_count: int = 11, parent: QWidget | None = None) -> None:
        super().__init__(row_count, len(HEADINGS), parent)
        self.setHorizontalHeaderLabels(list(HEADINGS))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        for column, width in ((0, 50), (2, 150), (3, 160), (4, 160)):
            self.setColumnWidth(column, width)
        # One line per row and exactly as tall as its rows, so what is below the table
        # gets the room that is left.
        self.setWordWrap(False)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(header.sizeHint().height() + row_count * rows.defaultSectionSize()
                            + 2 * self.frameWidth() + 2)

    def set_row(self, row: int, number: int | None, label: str,
                values: Sequence[int] | None, *, bold: bool = False) -> None:
        """``values``: patients seen, patients covered, money spent (tomans); ``None``
        while they are being counted (no numbers of another period shown meanwhile)."""
        if values is None:
            figures = (COUNTING,) * 3
        else:
            seen, covered, spent = values
            figures = (fa(seen), fa(covered), format_number(spent))
        cells = (fa(number) if number else "", label, *figures)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column != 1:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.setItem(row, column, item)
