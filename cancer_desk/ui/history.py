"""Who changed what: a patient's history, or (for those who keep watch) the whole trail
with a check of its hash chain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.audit_text import describe_action, describe_changes
from cancer_desk.core.jalali import format_jalali
from cancer_desk.services.audit import AuditRecord, AuditService
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa
from cancer_desk.ui.widgets.record_table import record_table


def local_time(stored: dt.datetime) -> str:
    moment = stored.replace(tzinfo=dt.UTC).astimezone()
    return f"{format_jalali(moment.date())} {fa(moment.strftime('%H:%M'))}"


class HistoryDialog(QDialog):
    COLUMNS = ("زمان", "کاربر", "کار", "تغییرها", "دلیل")

    def __init__(self, title: str, load: Callable[[], list[AuditRecord]], *,
                 audit: AuditService | None = None, parent: QWidget | None = None) -> None:
        """``audit`` given: a button checks the whole trail's chain."""
        super().__init__(parent)
        self._audit = audit
        self.setWindowTitle(title)
        fit_to_screen(self, 1000, 600)
        self.table = record_table("history_table", "سابقه تغییرات", self.COLUMNS,
                                  one_at_a_time=False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = QLabel("چیزی ثبت نشده است.")
        self.empty_label.setProperty("role", "hint")
        self.chain_label = QLabel()
        self.chain_label.setObjectName("chain_label")
        self.chain_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        if audit is not None:
            self.verify_button = QPushButton("بررسی درستی زنجیره سابقه")
            self.verify_button.setObjectName("verify_chain_button")
            self.verify_button.clicked.connect(self._on_verify)
            row = QHBoxLayout()
            row.addWidget(self.verify_button)
            row.addWidget(self.chain_label, 1)
            layout.addLayout(row)
        self.records = load()
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            cells = (local_time(record.at), record.actor,
                     describe_action(record.action, record.table_name),
                     "\n".join(describe_changes(record.action, record.changes)),
                     record.reason)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.empty_label.setVisible(not self.records)

    def _on_verify(self) -> None:
        assert self._audit is not None
        report = self._audit.verify()
        if report.intact:
            self.chain_label.setProperty("role", "")
            self.chain_label.setText(f"زنجیره سابقه درست است: {fa(report.entries)} ردیف، "
                                     "هیچ ردیفی پس از ثبت دست نخورده است.")
        else:
            self.chain_label.setProperty("role", "error")
            self.chain_label.setText("زنجیره سابقه دست خورده است:\n" + "\n".join(
                p.describe_fa() for p in report.problems[:10]))
        self.chain_label.style().unpolish(self.chain_label)
        self.chain_label.style().polish(self.chain_label)
