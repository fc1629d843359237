"""Form 1 beyond identity: diagnosis and treatment («ب»), other disease information («ج»),
family history and who completed the form — grouped as on the paper form.

While the form is open with unsaved changes, what is on screen is kept as a draft every
few seconds (as the questionnaire's answers are), and offered back the next time the same
person opens the same patient's form."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core import case as c
from cancer_desk.core.audit_text import describe_differences
from cancer_desk.core.case import CaseRecord
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.reference import Form1Lists
from cancer_desk.services.access import AccessDeniedError
from cancer_desk.services.cases import CaseService
from cancer_desk.services.drafts import Draft, DraftStore
from cancer_desk.services.errors import StaleRecordError
from cancer_desk.services.seals import SealedRecordError
from cancer_desk.ui.choice_row import ChoiceRow
from cancer_desk.ui.draft_keeping import DraftKeeping, same_as_opened
from cancer_desk.ui.field_help import set_field_help
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa, jdate
from cancer_desk.ui.widgets.jalali_date_edit import JalaliDateEdit
from cancer_desk.ui.widgets.number_spin import PersianSpinBox

NO_ANSWER = "—"
DRAFT_KIND = "form1"
DRAFT_INTERVAL_MS = 5_000  # the questionnaire's pace: at most five seconds of work lost
FAMILY_SECTION = "سرطان در خانواده"
CLOSING_SECTION = "تکمیل فرم"
# On the label of every item Form 1 needs before it counts as complete (c.REQUIRED_FOR_COMPLETE).
REQUIRED_MARK = "*"
REQUIRED_LEGEND = (f"خانه‌های نشان‌دار با {REQUIRED_MARK} برای کامل شدن فرم ۱ لازم است. فرم "
                   "ناقص هم ذخیره می‌شود، ولی تا کامل نشود رئیس بیمارستان آن را تأیید "
                   "نمی‌کند و فصل بسته نمی‌شود.")

# (group title, rows of fields); a row holds one to three fields.
SECTIONS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("ب/ اطلاعات تشخیص و درمان بیمار", (
        ("diagnosis_method", "diagnosis_date"),
        ("stage_t", "stage_n", "stage_m"),
        ("grade", "treatment_intent"),
        ("surgery", "surgery_date"),
        ("radiotherapy", "radiotherapy_date"),
        ("chemotherapy", "chemotherapy_date"),
        ("chemotherapy_regimen",),
        ("hormone_therapy", "received_item"),
        ("admissions_count", "hospital_stay_days", "hospital_stay_months"),
    )),
    ("ج/ اطلاعات سایر بیماری", (
        ("recurrence", "first_recurrence_date"),
        ("recurrence_site", "recurrence_count"),
        ("metastasis", "metastasis_date"),
        ("metastasis_site", "remission"),
        ("vital_status", "death_date"),
        ("death_cause", "death_place"),
        ("family_history",),
    )),
)
# Which group a field is in, to say where restored values went.
SECTION_OF: dict[str, str] = {
    **{name: title for title, rows in SECTIONS for row in rows for name in row},
    "completed_on": CLOSING_SECTION,
}


def tell_saved_incomplete(parent: QWidget, missing: list[str]) -> None:
    """After saving a Form 1 that still lacks required items: which ones, and what that
    holds back."""
    box = QMessageBox(QMessageBox.Icon.Information, "فرم ۱ ذخیره شد، ولی کامل نیست",
                      f"فرم ۱ ذخیره شد، ولی {fa(len(missing))} مورد لازم آن هنوز خالی است: "
                      f"{c.name_list(missing)}.\n\nتا این موارد پر نشود، رئیس بیمارستان فرم را "
                      "تأیید نمی‌کند و بیمار در بررسی فرم ۲ پیش از بستن فصل نام برده می‌شود.",
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("saved_incomplete_notice")
    box.button(QMessageBox.StandardButton.Ok).setText("باشه")
    box.exec()


def _json_ready(values: Mapping[str, object]) -> dict[str, object]:
    """A record's values as a draft file keeps them: dates as ISO text, relatives as
    plain mappings — the forms the audit trail keeps, which describe_differences reads."""
    return json.loads(json.dumps(values, default=lambda value: value.isoformat()))


def _draft_contents(values: Mapping[str, object]) -> tuple[dict, int | None, dict] | None:
    """A draft's fields, the version the form was opened at, and the record as it was
    opened; None for a file of another shape (written by another version of the
    program, or edited by hand), which is not offered."""
    fields, version, opened = values.get("fields"), values.get("version"), values.get("opened")
    if not isinstance(fields, dict) or not isinstance(opened, dict):
        return None
    # The version is what keeps the restored draft from overwriting someone else's
    # later save: without a trustworthy one the draft cannot be saved safely.
    if version is not None and type(version) is not int:
        return None
    relatives = fields.get("family_cancers", [])
    if not isinstance(relatives, list) or not all(
            isinstance(row, list) and len(row) == 2 and all(isinstance(v, str) for v in row)
            for row in relatives):
        return None
    return fields, version, opened


def text_field(widget: QWidget) -> QLineEdit:
    """An item typed in a box: every item not a choice, a date, a count or a list."""
    assert isinstance(widget, QLineEdit), type(widget).__name__
    return widget


class CaseFormDialog(DraftKeeping, QDialog):
    """Form 1 of one patient: identity aside, the whole case record, saved as one."""

    _patient_id: int  # always a patient's (the questionnaire may show one read only)

    draft_kind = DRAFT_KIND

    def __init__(self, cases: CaseService, lists: Form1Lists, patient_id: int,
                 patient_name: str, birth_date: dt.date, *, completed_by: str = "",
                 drafts: DraftStore | None = None, draft_owner: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cases = cases
        self._lists = lists
        self._patient_id = patient_id
        self._birth_date = birth_date
        self._drafts = drafts
        self._draft_owner = draft_owner
        self._dirty = False
        self.saved = False
        self.setWindowTitle(f"فرم شماره یک: تشخیص، درمان و سایر اطلاعات — {patient_name}")
        fit_to_screen(self, 1000, 760)
        self.labels = c.labels(lists)
        self.widgets: dict[str, QWidget] = {}
        self.field_labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}

        self.required_legend = QLabel(REQUIRED_LEGEND)
        self.required_legend.setObjectName("required_legend")
        self.required_legend.setProperty("role", "hint")
        self.required_legend.setWordWrap(True)
        self.missing_label = QLabel()
        self.missing_label.setObjectName("missing_label")
        self.missing_label.setProperty("role", "notice")
        self.missing_label.setWordWrap(True)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(self.required_legend)
        for title, rows in SECTIONS:
            box = QGroupBox(title)
            grid = QGridLayout(box)
            grid.setVerticalSpacing(2)
            for row_index, row in enumerate(rows):
                span = 6 // len(row)
                for index, name in enumerate(row):
                    self._add_field(grid, 2 * row_index, index * span, span, name)
            content_layout.addWidget(box)
        content_layout.addWidget(self._family_box())
        content_layout.addWidget(self._closing_box())
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.draft_notice = QLabel()
        self.draft_notice.setObjectName("draft_notice")
        self.draft_notice.setProperty("role", "notice")
        self.draft_notice.setWordWrap(True)
        self.draft_notice.hide()
        self.general_error = QLabel()
        self.general_error.setObjectName("general_error")
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        for kind, text in ((QDialogButtonBox.StandardButton.Save, "ذخیره"),
                           (QDialogButtonBox.StandardButton.Cancel, "انصراف")):
            self.buttons.button(kind).setText(text)
            self.buttons.button(kind).setAutoDefault(False)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.draft_notice)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        state = cases.get(patient_id)
        self._version = state.version
        self._saved_version = state.version  # as it stands now, whatever a draft says
        # To say what someone else changed, if they did.
        self._opened: dict[str, object] = _json_ready(state.record.as_dict())
        self.set_record(state.record)
        completed_on = self.widgets["completed_on"]
        assert isinstance(completed_on, JalaliDateEdit)
        if state.record.completed_on is None:
            completed_on.setDate(dt.date.today())
        # Whoever saves the form is its «تکمیل‌کننده»: the signed-in account, not typed.
        completed_by_edit = self.widgets["completed_by"]
        assert isinstance(completed_by_edit, QLineEdit)
        completed_by_edit.setText(completed_by)
        completed_by_edit.setReadOnly(True)
        for parent_name in {p for p, _ in c.CONDITIONAL.values()}:
            parent = self.widgets[parent_name]
            assert isinstance(parent, ChoiceRow)  # what the conditional items hang on
            parent.changed.connect(lambda _v: self._update_enabled())
        self._update_enabled()
        self._watch_required()
        self._as_opened = self.draft_values()  # no draft while the screen is back to this
        # The first item, not «ذخیره» (the first in the window's focus chain): keys go
        # into the form at once, and Enter does not save it as it stands.
        first = self.widgets[next(iter(self.widgets))]
        next((part for part in (first, *first.findChildren(QWidget))
              if part.focusPolicy() & Qt.FocusPolicy.TabFocus), first).setFocus()
        if self._drafts is not None:
            self._watch_changes()
            self.draft_timer = QTimer(self)
            self.draft_timer.setInterval(DRAFT_INTERVAL_MS)
            self.draft_timer.timeout.connect(self.save_draft)
            self.draft_timer.start()
            self.offer_draft()
            self._show_missing()

    # --- building --------------------------------------------------------------------

    def _make_widget(self, name: str) -> QWidget:
        if name in c.CHOICES:
            choices = ChoiceRow(c.CHOICES[name])
            choices.changed.connect(lambda _v, n=name: self._show_error(n, ""))
            widget: QWidget = choices
        elif name in c.DATE_FIELDS:
            widget = JalaliDateEdit()
            widget.setMaximumDate(dt.date.today())
            widget.dateChanged.connect(lambda _v, n=name: self._show_error(n, ""))
        elif name in c.COUNT_FIELDS:
            widget = PersianSpinBox(unanswered_text=NO_ANSWER)
            widget.setAnswerRange(0, 10_000)
            widget.valueChanged.connect(lambda _v, n=name: self._show_error(n, ""))
        elif name in ("stage_t", "stage_n", "stage_m", "grade"):
            widget = QComboBox()
            values = {"stage_t": self._lists.t_values, "stage_n": self._lists.n_values,
                      "stage_m": self._lists.m_values, "grade": self._lists.grades}[name]
            widget.addItem(NO_ANSWER, "")
            for value in values:
                widget.addItem(value, value)
        else:
            widget = QLineEdit()
            widget.textEdited.connect(lambda _v, n=name: self._show_error(n, ""))
        widget.setObjectName(f"{name}_field")
        return widget

    def _add_field(self, grid: QGridLayout, row: int, column: int, span: int, name: str) -> None:
        mark = f" {REQUIRED_MARK}" if name in c.REQUIRED_FOR_COMPLETE else ""
        label = QLabel(f"{self.labels[name]}{mark}:")
        label.setObjectName(f"{name}_label")
        self.field_labels[name] = label
        widget = self._make_widget(name)
        error = QLabel()
        error.setObjectName(f"{name}_error")
        error.setProperty("role", "error")
        error.setWordWrap(True)
        error.hide()
        set_field_help(self._lists.help_for(name), widget, label)
        label.setBuddy(widget)  # what a screen reader calls the field
        cell = QHBoxLayout()
        cell.addWidget(label)
        cell.addWidget(widget, 1)
        grid.addLayout(cell, row, column, 1, span)
        grid.addWidget(error, row + 1, column, 1, span)
        self.widgets[name] = widget
        self.errors[name] = error

    def _family_box(self) -> QGroupBox:
        box = QGroupBox("در صورت وجود سرطان در خانواده: نوع سرطان و نسبت فامیلی")
        self.family_table = QTableWidget(0, 2)
        self.family_table.setObjectName("family_table")
        self.family_table.setAccessibleName(box.title())
        self.family_table.setHorizontalHeaderLabels(["نوع سرطان", "نسبت فامیلی"])
        self.family_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.family_table.verticalHeader().hide()
        self.family_table.setMinimumHeight(120)
        self.family_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_relative_button = QPushButton("افزودن ردیف")
        self.add_relative_button.setObjectName("add_relative_button")
        self.add_relative_button.setAutoDefault(False)
        self.add_relative_button.clicked.connect(lambda: self.add_relative("", ""))
        remove = QPushButton("حذف ردیف انتخاب‌شده")
        remove.setAutoDefault(False)
        remove.clicked.connect(self._on_remove_relative)
        error = QLabel()
        error.setObjectName("family_cancers_error")
        error.setProperty("role", "error")
        error.hide()
        self.errors["family_cancers"] = error
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_relative_button)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.family_table)
        layout.addLayout(buttons)
        layout.addWidget(error)
        relations = "، ".join(self._lists.relations)
        set_field_help(self._lists.help_for("family_cancers")
                       + (f"\nنسبت‌ها، برای نمونه: {relations}." if relations else ""),
                       box, self.family_table)
        return box

    def _closing_box(self) -> QGroupBox:
        box = QGroupBox("تکمیل فرم")
        grid = QGridLayout(box)
        self._add_field(grid, 0, 0, 3, "completed_on")
        self._add_field(grid, 0, 3, 3, "completed_by")
        return box

    # --- values ----------------------------------------------------------------------

    def add_relative(self, cancer_type: str, relation: str) -> None:
        row = self._append_relative(cancer_type, relation)
        if not cancer_type:
            self.family_table.setCurrentCell(row, 0)
            item = self.family_table.item(row, 0)
            if item is not None:
                self.family_table.editItem(item)

    def _append_relative(self, cancer_type: str, relation: str) -> int:
        row = self.family_table.rowCount()
        self.family_table.insertRow(row)
        self.family_table.setItem(row, 0, QTableWidgetItem(cancer_type))
        self.family_table.setItem(row, 1, QTableWidgetItem(relation))
        return row

    def _on_remove_relative(self) -> None:
        row = self.family_table.currentRow()
        if row >= 0:
            self.family_table.removeRow(row)

    def screen_values(self) -> dict[str, object]:
        """Every field as it stands on screen, a detail of an answer changed away
        included; relatives as [type, relation] pairs."""
        values: dict[str, object] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, ChoiceRow):
                values[name] = widget.value()
            elif isinstance(widget, JalaliDateEdit):
                values[name] = widget.text()
            elif isinstance(widget, PersianSpinBox):
                values[name] = widget.answer()
            elif isinstance(widget, QComboBox):
                values[name] = widget.currentData()
            else:
                values[name] = text_field(widget).text()
        values["family_cancers"] = [
            [self._cell(row, 0), self._cell(row, 1)]
            for row in range(self.family_table.rowCount())
        ]
        return values

    def raw_values(self) -> dict[str, object]:
        values = self.screen_values()
        # A detail whose answer was changed away («بلی» → «خیر») is kept on screen, in
        # case the answer goes back, but it is not part of the record.
        for name, (parent, needed) in c.CONDITIONAL.items():
            if values.get(parent) != needed:
                values[name] = [] if name == "family_cancers" else None
        return values

    def _cell(self, row: int, column: int) -> str:
        item = self.family_table.item(row, column)
        return item.text() if item is not None else ""

    def set_record(self, record: CaseRecord) -> None:
        for name, widget in self.widgets.items():
            value = getattr(record, name)
            if isinstance(widget, ChoiceRow):
                widget.set_value(value)
            elif isinstance(widget, JalaliDateEdit):
                widget.setDate(value)
            elif isinstance(widget, PersianSpinBox):
                if value is not None:
                    widget.setValue(value)
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value or "")))
            else:
                text_field(widget).setText(value or "")
        self.family_table.setRowCount(0)
        for relative in record.family_cancers:
            self._append_relative(relative.cancer_type, relative.relation)

    def _show_value(self, name: str, value: object) -> None:
        """Put a draft's value back in its field. A value of the wrong kind (the file was
        edited, or the form has changed since) is left out rather than guessed at."""
        widget = self.widgets[name]
        if isinstance(widget, ChoiceRow):
            if value is None or type(value) is int:
                widget.set_value(value)
        elif isinstance(widget, JalaliDateEdit):
            if isinstance(value, str):  # as typed, even half a date
                widget.line_edit.setText(value)
        elif isinstance(widget, PersianSpinBox):
            if value is None:
                widget.setValue(widget.minimum())  # «—»: not answered
            elif type(value) is int:
                widget.setValue(value)
        elif isinstance(widget, QComboBox):
            index = widget.findData(value) if isinstance(value, str) else -1
            if index >= 0:
                widget.setCurrentIndex(index)
        elif isinstance(value, str):
            text_field(widget).setText(value)

    def _update_enabled(self) -> None:
        """A date or detail can be filled only with its matching answer («بلی», «فوت شده»)."""
        for name, (parent, needed) in c.CONDITIONAL.items():
            answer = self.widgets[parent]
            assert isinstance(answer, ChoiceRow)  # what the conditional items hang on
            enabled = answer.value() == needed
            if name == "family_cancers":
                self.family_table.setEnabled(enabled)
                self.add_relative_button.setEnabled(enabled)
            else:
                self.widgets[name].setEnabled(enabled)

    # --- what is still missing ---------------------------------------------------------

    def missing_on_screen(self) -> list[str]:
        """The labels of the required items empty on screen, in the form's order."""
        values = self.raw_values()
        return [self.labels[name] for name in c.REQUIRED_FOR_COMPLETE
                if values.get(name) in (None, "") or (isinstance(values.get(name), str)
                                                       and not str(values[name]).strip())]

    def _show_missing(self) -> None:
        missing = self.missing_on_screen()
        self.missing_label.setText(
            f"هنوز خالی ({fa(len(missing))} مورد لازم): {c.name_list(missing)}." if missing
            else "همه موارد لازم فرم ۱ پر است.")

    def _watch_required(self) -> None:
        for name in c.REQUIRED_FOR_COMPLETE:
            widget = self.widgets[name]
            if isinstance(widget, ChoiceRow):
                widget.changed.connect(lambda _v: self._show_missing())
            elif isinstance(widget, JalaliDateEdit):
                widget.line_edit.textChanged.connect(lambda _v: self._show_missing())
            else:
                text_field(widget).textChanged.connect(lambda _v: self._show_missing())
        self._show_missing()

    # --- drafts ----------------------------------------------------------------------

    def draft_values(self) -> dict[str, object]:
        """What a draft keeps: the fields on screen, not who completes the form (whoever
        saves it does)."""
        values = self.screen_values()
        del values["completed_by"]
        return values

    def _watch_changes(self) -> None:
        for widget in self.widgets.values():
            if isinstance(widget, ChoiceRow):
                widget.changed.connect(self._mark_dirty)
            elif isinstance(widget, JalaliDateEdit):
                widget.line_edit.textChanged.connect(self._mark_dirty)
            elif isinstance(widget, PersianSpinBox):
                widget.valueChanged.connect(self._mark_dirty)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._mark_dirty)
            else:
                text_field(widget).textChanged.connect(self._mark_dirty)
        self.family_table.itemChanged.connect(self._mark_dirty)
        self.family_table.model().rowsInserted.connect(self._mark_dirty)
        self.family_table.model().rowsRemoved.connect(self._mark_dirty)

    def _mark_dirty(self, *_args) -> None:
        self._dirty = True

    def has_unsaved_changes(self) -> bool:
        """The screen differs from the record as opened (a restored draft counts)."""
        return not same_as_opened(self.draft_values(), self._as_opened)

    def save_draft(self) -> None:
        """Keep what is on screen (on the timer; nothing written while unchanged). Once
        the screen is back to the record as opened there is nothing unsaved: no draft."""
        if self._drafts is None or not self._dirty:
            return
        values = self.draft_values()
        with contextlib.suppress(OSError):  # a full disk: the window still holds the work
            if values == self._as_opened:
                self._drafts.discard(DRAFT_KIND, self._patient_id, self._draft_owner)
            else:
                # The version and the record as opened go with the values, so that a
                # draft restored after someone else saved the form is refused on saving
                # (and says what they changed) instead of overwriting their work.
                self._drafts.save(DRAFT_KIND, self._patient_id, self._draft_owner,
                                  {"fields": values, "version": self._version,
                                   "opened": self._opened})
            self._dirty = False

    def _saved_elsewhere_since(self, draft: Draft) -> bool:
        contents = _draft_contents(draft.values)
        return contents is not None and contents[1] != self._saved_version

    def ask_restore_draft(self, draft: Draft) -> bool:
        question = (
            f"از {jdate(draft.saved_at.date())} ساعت {fa(draft.saved_at.strftime('%H:%M'))} "
            "تغییرهایی در فرم شماره ۱ این بیمار مانده که ذخیره نشده بود (برنامه بسته شد یا "
            "برق رفت). بازگردانده شود؟")
        if self._saved_elsewhere_since(draft):
            question += ("\n\nاین فرم پس از آن در جای دیگری ذخیره شده است؛ پیش‌نویس برای "
                         "دیدن بازگردانده می‌شود، اما ذخیره آن روی فرم تازه پذیرفته نمی‌شود.")
        box = QMessageBox(QMessageBox.Icon.Question, "پیش‌نویس ذخیره‌نشده فرم شماره ۱",
                          question, QMessageBox.StandardButton.Yes
                          | QMessageBox.StandardButton.No, self)
        # The buttons say what they do: «No» removes the draft for good.
        box.button(QMessageBox.StandardButton.Yes).setText("بازگردانی پیش‌نویس")
        box.button(QMessageBox.StandardButton.No).setText("پاک کردن پیش‌نویس")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.exec()
        return box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)

    def offer_draft(self) -> None:
        assert self._drafts is not None
        draft = self._drafts.load(DRAFT_KIND, self._patient_id, self._draft_owner)
        if draft is None:
            return
        contents = _draft_contents(draft.values)
        if contents is None:  # of no use to anyone: not offered, and not named again
            self._drafts.discard(DRAFT_KIND, self._patient_id, self._draft_owner)
            return
        if not self.ask_restore_draft(draft):
            self._drafts.discard(DRAFT_KIND, self._patient_id, self._draft_owner)
            return
        fields, version, opened = contents
        before = self.draft_values()
        for name in before:
            if name in fields and name in self.widgets:
                self._show_value(name, fields[name])
        if "family_cancers" in fields:
            self.family_table.setRowCount(0)
            for cancer_type, relation in fields["family_cancers"]:
                self._append_relative(cancer_type, relation)
        self._update_enabled()
        # Saving goes on from where the draft was made: if the form was saved elsewhere
        # since, the version no longer matches and saving is refused.
        self._version, self._opened = version, opened
        self._dirty = True
        when = f"{jdate(draft.saved_at.date())} ساعت {fa(draft.saved_at.strftime('%H:%M'))}"
        self.draft_notice.setText(f"پیش‌نویس {when} بازگردانده شد: "
                                  f"{self._restored_summary(before)}")
        self.draft_notice.show()
        if version != self._saved_version:
            saved_now = self._cases.get(self._patient_id).record
            lines = describe_differences(opened, saved_now.as_dict())
            self.general_error.setText(
                "این فرم پس از نوشته شدن پیش‌نویس در جای دیگری ذخیره شده است؛ ذخیره "
                "پیش‌نویس روی آن پذیرفته نمی‌شود تا کار دیگری بی‌خبر پاک نشود."
                + ("\nتغییرهای دیگری:\n" + "\n".join(lines) if lines else "")
                + "\nآنچه لازم است یادداشت کنید، پنجره را ببندید و دوباره باز کنید.")
            self.general_error.show()

    def _restored_summary(self, before: Mapping[str, object]) -> str:
        """Which fields the draft changed, counted by the form's sections, in words."""
        now = self.draft_values()
        changed = [name for name in now if now[name] != before.get(name)]
        parts = []
        for title in (*(title for title, _ in SECTIONS), CLOSING_SECTION):
            count = sum(1 for name in changed if SECTION_OF.get(name) == title)
            if count:
                parts.append(f"{fa(count)} خانه در «{title}»")
        if "family_cancers" in changed:
            relatives = now["family_cancers"]
            rows = len(relatives) if isinstance(relatives, list) else 0
            parts.append(f"فهرست «{FAMILY_SECTION}» ({fa(rows)} ردیف)" if rows
                         else f"فهرست «{FAMILY_SECTION}» (خالی)")
        if not parts:
            return "با آنچه ذخیره شده فرقی ندارد."
        listed = parts[0] if len(parts) == 1 else "، ".join(parts[:-1]) + " و " + parts[-1]
        return f"{listed}. بررسی کنید و ذخیره کنید؛ تا ذخیره نشود، در پرونده نیست."


    # --- saving ----------------------------------------------------------------------

    def _show_error(self, name: str, message: str) -> None:
        self.errors[name].setText(message)
        self.errors[name].setVisible(bool(message))

    def _on_save(self) -> None:
        try:
            record = c.clean_case(self.raw_values(), lists=self._lists,
                                  birth_date=self._birth_date)
        except ValidationErrors as exc:
            for name in self.errors:
                self._show_error(name, exc.errors.get(name, ""))
            first = next(n for n in (*self.widgets, "family_cancers") if n in exc.errors)
            (self.widgets.get(first) or self.family_table).setFocus()
            self.general_error.setText(f"{fa(len(exc.errors))} مورد نیاز به اصلاح دارد؛ پیام "
                                       "زیر هر خانه را ببینید. چیزی ذخیره نشد.")
            self.general_error.show()
            return
        try:
            saved = self._cases.save(self._patient_id, record, self._version)
        except StaleRecordError:
            now = self._cases.get(self._patient_id).record
            lines = describe_differences(self._opened, now.as_dict())
            self.general_error.setText(
                "این پرونده پس از باز شدن در جای دیگری تغییر کرده است؛ چیزی ذخیره نشد."
                + ("\nتغییرهای دیگری:\n" + "\n".join(lines) if lines else "")
                + "\nپنجره را ببندید و دوباره باز کنید.")
            self.general_error.show()
            return
        except (SealedRecordError, AccessDeniedError) as exc:
            self.general_error.setText(f"{exc.message_fa} چیزی ذخیره نشد.")
            self.general_error.show()
            return
        self._forget_draft()  # saved: nothing left to restore
        self.saved = True
        missing = saved.record.missing_labels(self._lists)
        if missing:  # saved all the same: what is there is not lost
            tell_saved_incomplete(self, missing)
        self.accept()

