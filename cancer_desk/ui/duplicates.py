"""The duplicates window: every pair of records that may be one person, with why; each
pair merged into one record, or marked as two people."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.jalali import format_jalali
from cancer_desk.core.persian import format_number
from cancer_desk.services.access import AccessDeniedError
from cancer_desk.services.duplicates import (
    DuplicatePair,
    DuplicateService,
    MergeRefusedError,
    PatientSide,
)
from cancer_desk.services.errors import NotFoundError
from cancer_desk.ui.background import try_in_background
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa
from cancer_desk.ui.widgets.record_table import record_table

COLUMNS = ("کد ملی", "نام", "نام پدر و تاریخ تولد", "کد ملی", "نام", "نام پدر و تاریخ تولد",
           "چرا تکراری به نظر می‌رسد")


def _born(side: PatientSide) -> str:
    return f"{side.father_name}، {format_jalali(side.birth_date)}"


def _cells(pair: DuplicatePair) -> tuple[str, ...]:
    return (fa(pair.first.national_code), pair.first.full_name, _born(pair.first),
            fa(pair.second.national_code), pair.second.full_name, _born(pair.second),
            pair.reasons_fa)


class DuplicatesDialog(QDialog):
    """Lists what :meth:`DuplicateService.find_all` finds; ``may_merge``: the person may
    merge and mark pairs (else the buttons are not offered)."""

    open_patient_requested = Signal(int)
    records_changed = Signal()

    def __init__(self, duplicates: DuplicateService, parent: QWidget | None = None, *,
                 may_merge: bool = True) -> None:
        super().__init__(parent)
        self._duplicates = duplicates
        self.pairs: list[DuplicatePair] = []
        self.setWindowTitle("پرونده‌های تکراری")
        fit_to_screen(self, 1100, 600)
        intro = QLabel("این پرونده‌ها شاید از یک نفر باشند: کد ملی آن‌ها یک رقم با هم فرق "
                       "دارد یا دو رقمش جابه‌جا شده، یا نام، نام پدر و تاریخ تولدشان یکی "
                       "است.\nهر جفت را ببینید: اگر یک نفر است «ادغام» کنید؛ اگر دو نفرند، "
                       "«این دو نفر یکی نیستند» را بزنید تا دیگر نشان داده نشوند.")
        intro.setWordWrap(True)
        self.table = record_table("duplicates_table", "پرونده‌های تکراری", COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(True)  # two reasons are longer than the room left for them
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.summary = QLabel()
        self.summary.setObjectName("duplicates_summary")
        self.summary.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, slot, shown in (
                ("merge", "ادغام…", self._on_merge, may_merge),
                ("distinct", "این دو نفر یکی نیستند", self._on_distinct, may_merge),
                ("open_first", "باز کردن پرونده اول", lambda: self._open(0), True),
                ("open_second", "باز کردن پرونده دوم", lambda: self._open(1), True),
                ("refresh", "جست‌وجوی دوباره", self.refresh, True)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            button.setVisible(shown)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        close = QPushButton("بستن")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        self._update_buttons()

    # --- the list -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Search the whole database again (off the window's thread)."""
        found = try_in_background(
            self, lambda progress: self._duplicates.find_all(progress=progress),
            title="پرونده‌های تکراری", text="جست‌وجوی پرونده‌های تکراری…",
            answers=[(AccessDeniedError, lambda exc: self._say(exc.message_fa))])
        if found is not None:
            self.show_pairs(found)

    def show_pairs(self, pairs: list[DuplicatePair]) -> None:
        self.pairs = pairs
        self.table.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            for column, text in enumerate(_cells(pair)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.summary.setText("هیچ پرونده تکراری پیدا نشد." if not pairs else
                             f"{format_number(len(pairs))} جفت پرونده شاید تکراری باشد.")
        if pairs:
            self.table.setCurrentCell(0, 0)
        self._update_buttons()

    def selected(self) -> DuplicatePair | None:
        rows = self.table.selectionModel().selectedRows()
        return self.pairs[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for key in ("merge", "distinct", "open_first", "open_second"):
            self.buttons[key].setEnabled(chosen)

    def _say(self, message: str) -> None:
        self.summary.setText(message)

    def _open(self, index: int) -> None:
        pair = self.selected()
        if pair is not None:
            self.open_patient_requested.emit((pair.first, pair.second)[index].id)

    # --- merging and marking -----------------------------------------------------------

    def ask_which_to_keep(self, pair: DuplicatePair) -> PatientSide | None:
        """The record to keep, asked of the person (None: not now)."""
        box = QMessageBox(QMessageBox.Icon.Question, "ادغام دو پرونده",
                          f"کدام پرونده بماند؟ همه ارزیابی‌ها، هزینه‌ها، معرفی‌نامه‌ها و فرم "
                          f"شماره ۱ پرونده دیگر به آن منتقل و پرونده دیگر حذف می‌شود.\n\n"
                          f"{pair.reasons_fa}", parent=self)
        keep = {box.addButton(f"نگه داشتن {fa(side.national_code)} ({side.full_name})",
                              QMessageBox.ButtonRole.AcceptRole): side
                for side in (pair.first, pair.second)}
        box.addButton("انصراف", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return keep.get(box.clickedButton())  # type: ignore[call-overload]

    def _on_merge(self) -> None:
        pair = self.selected()
        if pair is None:
            return
        keep = self.ask_which_to_keep(pair)
        if keep is not None:
            self.merge(pair, keep)

    def merge(self, pair: DuplicatePair, keep: PatientSide) -> None:
        remove = pair.second if keep.id == pair.first.id else pair.first
        try:
            report = self._duplicates.merge(keep.id, remove.id)
        except (MergeRefusedError, AccessDeniedError) as exc:
            self._say(f"ادغام نشد: {exc.message_fa}")
            return
        except NotFoundError:
            self._say("یکی از این دو پرونده در جای دیگری حذف یا ادغام شده است؛ "
                      "فهرست دوباره جست‌وجو شد.")
            self.refresh()
            return
        self.records_changed.emit()
        self.refresh()  # the kept record may now pair with others the removed one did
        self._say(report.summary_fa)

    def _on_distinct(self) -> None:
        pair = self.selected()
        if pair is None:
            return
        try:
            self._duplicates.mark_not_duplicate(pair.first.id, pair.second.id)
        except (MergeRefusedError, AccessDeniedError) as exc:
            self._say(exc.message_fa)
            return
        except NotFoundError:
            self.refresh()
            return
        self._drop(pair.first.id, pair.second.id)
        self._say(f"{fa(pair.first.national_code)} و {fa(pair.second.national_code)} دو نفر "
                  "دانسته شدند و دیگر در این فهرست نمی‌آیند.")

    def _drop(self, first_id: int, second_id: int) -> None:
        self.show_pairs([p for p in self.pairs
                         if (p.first.id, p.second.id) != (first_id, second_id)])
