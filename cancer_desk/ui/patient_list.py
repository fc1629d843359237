"""The patient list: search as you type, Persian order, rows fetched a page at a time."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.errors import InputError
from cancer_desk.core.records import PatientSummary
from cancer_desk.core.reference import ReferenceData
from cancer_desk.services.patients import PatientService
from cancer_desk.ui.text import count, fa, jdate, percent

PAGE_SIZE = 200
PATIENT_ID_ROLE = Qt.ItemDataRole.UserRole

_COLUMNS = ("کد ملی", "نام خانوادگی", "نام", "نام پدر", "نوع سرطان", "امتیاز", "پوشش",
            "آخرین ارزیابی")


class PatientListModel(QAbstractTableModel):
    """Holds only the rows fetched so far; the view asks for more as it scrolls."""

    def __init__(self, patients: PatientService, reference: ReferenceData,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._patients = patients
        self._group_labels = {g.id: g.short_label for g in reference.all_groups}
        self._query = ""
        self._rows: list[PatientSummary] = []
        self._total = 0

    # --- loading -------------------------------------------------------------------------

    def set_query(self, query: str) -> str:
        """The list for ``query``; the Persian reason it is empty when the query is
        refused (too long), else ""."""
        self.beginResetModel()
        self._query = query
        refusal = ""
        try:
            self._total, self._rows = self._patients.search_page(query, limit=PAGE_SIZE)
        except InputError as exc:
            self._total, self._rows, refusal = 0, [], exc.message_fa
        self.endResetModel()
        return refusal

    def refresh(self) -> None:
        self.set_query(self._query)

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008  (Qt API)
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._patients.search(self._query, offset=len(self._rows), limit=PAGE_SIZE)
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # --- model API -----------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(_COLUMNS):
            return _COLUMNS[section]
        if orientation == Qt.Orientation.Vertical:
            return fa(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == PATIENT_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 5, 6, 7):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, row: PatientSummary, column: int) -> str | None:
        match column:
            case 0:
                return fa(row.national_code)
            case 1:
                return row.last_name
            case 2:
                return row.first_name
            case 3:
                return row.father_name
            case 4:
                return self._group_labels.get(row.cancer_group_id, "")
            case 5:
                return fa(row.latest_score) if row.latest_score is not None else "—"
            case 6:
                return percent(row.latest_coverage_percent) or "—"
            case 7:
                return jdate(row.latest_assessed_on) or "—"
        return None

    def patient_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, patient_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == patient_id), None)


class PatientListView(QWidget):
    patient_selected = Signal(object)  # int or None
    patient_activated = Signal(int)

    def __init__(self, patients: PatientService, reference: ReferenceData,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PatientListModel(patients, reference, self)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("patient_search_edit")
        self.search_edit.setAccessibleName("جستجوی بیمار")
        self.search_edit.setPlaceholderText("جستجو با نام، نام خانوادگی یا کد ملی…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("patient_count_label")
        self.count_label.setProperty("role", "hint")

        self.table = QTableView()
        self.table.setObjectName("patient_table")
        self.table.setAccessibleName("فهرست بیماران")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((105, 110, 80, 80, 140, 50, 50, 90)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        # Enter on a row opens the patient as a double click does (Qt calls both
        # "activated"); Tab leaves the list for the panel instead of walking its cells.
        self.table.activated.connect(self._on_activated)
        self.table.setTabKeyNavigation(False)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.current_patient_id()
        self._update_count(self.model.set_query(self.search_edit.text()))
        if current is not None:
            self.select_patient(current)

    def select_patient(self, patient_id: int) -> bool:
        row = self.model.row_of(patient_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)  # with SelectRows this selects the whole row
        self.table.scrollTo(index)
        return True

    def current_patient_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.patient_id(index.row()) if index.isValid() else None

    def _update_count(self, refusal: str = "") -> None:
        # Beside the search box there is room for the reason's first clause; the whole
        # of it is the label's tooltip.
        self.count_label.setText(refusal.split("؛")[0] + "." if refusal
                                 else f"{count(self.model.total)} بیمار")
        self.count_label.setToolTip(refusal)

    def _on_search_changed(self, _text: str) -> None:
        self._update_count(self.model.set_query(self.search_edit.text()))
        only = self.model.patient_id(0) if self.model.rowCount() == 1 else None
        if only is not None:
            self.select_patient(only)  # one match: show it straight away
        else:
            self.patient_selected.emit(None)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.patient_selected.emit(self.model.patient_id(current.row())
                                   if current.isValid() else None)

    def _on_activated(self, index: QModelIndex) -> None:
        patient_id = self.model.patient_id(index.row())
        if patient_id is not None:
            self.patient_activated.emit(patient_id)
