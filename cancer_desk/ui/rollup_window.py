"""The receiving side in the window: merge hubs' packages, see the combined Form 2 per
university and for the country."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.jalali import QUARTER_NAMES, JalaliQuarter
from cancer_desk.core.progress import Progress
from cancer_desk.exchange.rollup import ImportOutcome, combined_form2, hubs_in_rollup
from cancer_desk.ui.background import try_in_background
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa, ltr
from cancer_desk.ui.widgets.form2_table import Form2Table
from cancer_desk.ui.widgets.number_spin import PersianSpinBox

if TYPE_CHECKING:
    from cancer_desk.app import AppContext

COUNTRY = "کل کشور"
_STATUS = {"imported": "وارد شد", "replaced": "جای نسخه پیشین را گرفت",
           "unchanged": "پیش‌تر وارد شده بود", "refused": "پذیرفته نشد"}


class RollupWindow(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("تجمیع بسته‌های فصل قطب‌ها (دانشگاه / وزارت)")
        fit_to_screen(self, 1000, 720)
        intro = QLabel("بسته‌های فصل قطب‌ها را وارد کنید. هر بسته پیش از ورود بررسی می‌شود؛ "
                       "بسته دست‌کاری‌شده، ناقص یا بیگانه پذیرفته نمی‌شود و چیزی را تغییر "
                       "نمی‌دهد. اصلاحیه یک قطب جای نسخه پیشین آن را می‌گیرد.")
        intro.setWordWrap(True)
        # The path in a label of its own: a left-to-right run inside Persian text is not
        # always kept whole («%LOCALAPPDATA%…» lost its first «%»).
        location = QLabel(ltr(context.database.location))
        location.setObjectName("rollup_location")
        location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        location_row = QHBoxLayout()
        for label in (QLabel("پایگاه تجمیع (جدا از پایگاه بیماران بیمارستان):"), location):
            label.setProperty("role", "hint")
            location_row.addWidget(label)
        location_row.addStretch(1)
        current = JalaliQuarter.containing(dt.date.today())
        self.year_spin = PersianSpinBox()
        self.year_spin.setAccessibleName("سال")
        self.year_spin.setRange(context.reference.programme.first_programme_year, 1435)
        self.year_spin.setValue(current.year)
        self.quarter_combo = QComboBox()
        self.quarter_combo.setAccessibleName("فصل")
        for number, name in enumerate(QUARTER_NAMES, start=1):
            self.quarter_combo.addItem(f"فصل {fa(number)} ({name})", number)
        self.quarter_combo.setCurrentIndex(current.quarter - 1)
        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("scope_combo")
        self.scope_combo.setAccessibleName("دانشگاه")
        import_button = QPushButton("ورود بسته‌ها…")
        import_button.setAutoDefault(False)
        import_button.clicked.connect(self._on_import)
        # Bound methods, not lambdas holding ``self``: no reference cycle keeps the
        # window's Python side alive until the application shuts down.
        for signal in (self.year_spin.valueChanged, self.quarter_combo.currentIndexChanged):
            signal.connect(self._on_period_changed)
        self.scope_combo.currentIndexChanged.connect(self._show_scope)
        top = QHBoxLayout()
        top.addWidget(QLabel("سال:"))
        top.addWidget(self.year_spin)
        top.addWidget(QLabel("فصل:"))
        top.addWidget(self.quarter_combo)
        top.addWidget(QLabel("دانشگاه:"))
        top.addWidget(self.scope_combo, 1)
        top.addWidget(import_button)

        self.table = Form2Table()
        self.table.setObjectName("rollup_table")
        self.table.setAccessibleName("فرم شماره دو تجمیعی")
        self.hubs = QListWidget()
        self.hubs.setObjectName("hubs_list")
        self.hubs.setAccessibleName("قطب‌های این فصل")
        self.hubs.setMinimumHeight(56)  # the whole window within a 1366×768 screen
        self.log = QListWidget()
        self.log.setObjectName("import_log")
        self.log.setAccessibleName("گزارش ورود")
        self.log.setMaximumHeight(120)
        self.log.setMinimumHeight(48)  # with Form 2's eleven rows, still within 1366×728
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(location_row)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(QLabel("قطب‌های این فصل:"))
        layout.addWidget(self.hubs, 1)
        layout.addWidget(QLabel("گزارش ورود:"))
        layout.addWidget(self.log)
        self._combined: dict[str, Any] = {}
        self.refresh()

    def import_paths(self, paths: list[Path]) -> list[ImportOutcome]:
        """Import each file; those refused only for a password are tried again with the
        password asked once (packages of one round usually share it). Cancelled, those
        imported by then stay, and what is returned is theirs."""
        outcomes, cancelled = self._import_in_background(paths)
        locked = [i for i, o in enumerate(outcomes) if o.needs_password]
        if locked and not cancelled and (password := self.ask_password()):
            again, cancelled = self._import_in_background([paths[i] for i in locked],
                                                          password)
            for index, outcome in zip(locked, again, strict=False):
                outcomes[index] = outcome
        for outcome in outcomes:
            item = QListWidgetItem(f"{Path(outcome.source).name}: {_STATUS[outcome.status]} — "
                                   f"{outcome.message_fa or outcome.message}")
            if not outcome.ok:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.log.addItem(item)
        if cancelled:
            item = QListWidgetItem("ورود لغو شد: بسته‌های بالا وارد شده‌اند و بقیه نه.")
            item.setForeground(Qt.GlobalColor.darkRed)
            self.log.addItem(item)
        self.log.scrollToBottom()
        merged = [o for o in outcomes if o.period is not None]
        if merged:  # show the quarter just imported, usually not the current one
            period = merged[-1].period
            assert period is not None
            year, quarter = period
            self.year_spin.blockSignals(True)
            self.year_spin.setValue(year)
            self.year_spin.blockSignals(False)
            self.quarter_combo.blockSignals(True)
            self.quarter_combo.setCurrentIndex(quarter - 1)
            self.quarter_combo.blockSignals(False)
        self.refresh()
        return outcomes

    def _import_in_background(self, paths: list[Path], password: str | None = None
                              ) -> tuple[list[ImportOutcome], bool]:
        """The packages checked and merged off the window's thread, behind a progress
        dialog; the outcomes, and whether «لغو» stopped it. Each package is merged in a
        transaction of its own, so «لغو» stops between two: one merged stays merged."""
        rollup = self.context.rollup  # as the person signed in to the roll-up
        outcomes: list[ImportOutcome] = []  # read here only once the worker has ended

        def work(progress: Progress) -> bool:
            for done, path in enumerate(paths):
                progress.step(done, len(paths), f"بررسی و ورود بسته {ltr(path.name)}…")
                outcomes.extend(rollup.import_files([path], password=password))
            return True

        ended = try_in_background(self, work, title="تجمیع بسته‌ها", text="ورود بسته‌ها…")
        return outcomes, ended is None

    def ask_password(self) -> str | None:
        password, ok = QInputDialog.getText(self, "رمز بسته", "بسته رمز دارد. رمز آن:",
                                            QLineEdit.EchoMode.Password)
        return password if ok and password else None

    def _on_import(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "بسته‌های فصل", "", "بسته فصل (*.zip)")
        if names:
            self.import_paths([Path(n) for n in names])

    def refresh(self) -> None:
        year, quarter = self.year_spin.value(), self.quarter_combo.currentData()
        self._combined = combined_form2(self.context.database.session_factory, year, quarter)
        chosen = self.scope_combo.currentText()
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem(COUNTRY, "")
        for university in sorted(u for u in self._combined if u):
            self.scope_combo.addItem(university, university)
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findText(chosen)))
        self.scope_combo.blockSignals(False)
        self.hubs.clear()
        from cancer_desk.core.keys import display_fingerprint  # not needed to start

        for package in hubs_in_rollup(self.context.database.session_factory, year, quarter):
            origin = (f"امضای {package.signer}، کلید قطب "
                      f"{ltr(display_fingerprint(package.hub_fingerprint))}"
                      if package.signed else f"بی‌امضا، پذیرفته به دلیل «{package.unsigned_reason}»")
            self.hubs.addItem(f"{package.hospital} — دانشگاه {package.university} "
                              f"(نسخه {fa(package.version)}؛ {origin})")
        self._show_scope()

    def _on_period_changed(self, _value: int) -> None:
        self.refresh()

    def _show_scope(self, _index: int = 0) -> None:
        rows = self._combined.get(self.scope_combo.currentData() or "", {})
        totals = [0, 0, 0]
        groups = self.context.reference.cancer_groups
        for index, group in enumerate(groups):
            row = rows.get(group.id)
            numbers = (row.seen, row.covered, row.spent) if row else (0, 0, 0)
            totals = [t + n for t, n in zip(totals, numbers, strict=True)]
            self.table.set_row(index, group.id, group.label, numbers)
        self.table.set_row(len(groups), None, "جمع کل", totals, bold=True)
        outside = self.context.reference.outside_group
        row = rows.get(outside.id)  # packages of format version 1 have no such line
        self.table.set_row(len(groups) + 1, None, outside.label,
                           (row.seen, row.covered, row.spent) if row else (0, 0, 0))
