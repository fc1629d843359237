"""A table of records a window lists (accounts, backups, costs, drugs, the history):
read only, chosen a whole row at a time, named for a screen reader, and left by Tab for
the next control rather than walked cell by cell."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QTableWidget


def record_table(name: str, spoken_name: str, columns: Sequence[str], *,
                 one_at_a_time: bool = True) -> QTableWidget:
    """``name``: its object name; ``spoken_name``: what a screen reader says;
    ``one_at_a_time``: a single row is chosen (else several, to copy them)."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setAccessibleName(spoken_name)
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if one_at_a_time:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    return table
