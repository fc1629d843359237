"""New or changed patient: the identity fields of Form 1 («الف»), laid out in forms.ui."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core import icd10, national_code
from cancer_desk.core.audit_text import describe_differences
from cancer_desk.core.errors import InputError, ValidationErrors
from cancer_desk.core.patient import (
    FIELDS,
    NATIONALITY_CHOICES,
    SEX_CHOICES,
    PatientIdentity,
    clean_identity,
)
from cancer_desk.core.records import PatientRecord
from cancer_desk.core.reference import ReferenceData
from cancer_desk.core.residence import residence_verdict
from cancer_desk.services.access import AccessDeniedError
from cancer_desk.services.duplicates import DuplicateService, Match, PatientSide
from cancer_desk.services.errors import (
    DuplicateNationalCodeError,
    NotFoundError,
    StaleRecordError,
)
from cancer_desk.services.patients import PatientService
from cancer_desk.services.seals import SealedRecordError
from cancer_desk.ui.draft_keeping import AsksBeforeDiscarding, same_as_opened
from cancer_desk.ui.field_help import set_field_help
from cancer_desk.ui.generated.ui_forms import Ui_PatientForm
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa
from cancer_desk.ui.widgets.jalali_date_edit import JalaliDateEdit
from cancer_desk.ui.widgets.persian_input import show_persian_digits_while_typing

_DIGIT_FIELDS = ("national_code", "birth_certificate_no", "postal_code", "phone",
                 "relative_phone", "insurance_number", "address_plaque")


class PatientFormDialog(AsksBeforeDiscarding, QDialog):
    """Saving goes through :class:`PatientService`; on success ``saved_record`` holds
    the result. When the national code is already on file the dialog offers to open
    that patient instead and emits :attr:`open_existing_requested`; so it does, before
    saving, for a patient who may be the same person (:class:`DuplicateService`: a code
    one digit or one swap away, or the same names and birth date)."""

    open_existing_requested = Signal(int)

    def __init__(self, patients: PatientService, reference: ReferenceData,
                 record: PatientRecord | None = None, parent: QWidget | None = None, *,
                 hub_province: str = "", duplicates: DuplicateService | None = None) -> None:
        super().__init__(parent)
        self._patients = patients
        self._duplicates = duplicates
        self._confirmed_distinct: list[int] = []  # the person said: not these patients
        self._reference = reference
        self._record = record
        self._hub_province = hub_province
        self._existing_id: int | None = None
        self._similar_id: int | None = None
        self._similar_confirmed = False
        self.saved_record: PatientRecord | None = None

        self.form = QWidget()
        self.ui = Ui_PatientForm()
        self.ui.setupUi(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.general_error = QLabel()
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self._counting_errors = False
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        for kind, text in ((QDialogButtonBox.StandardButton.Save, "ذخیره"),
                           (QDialogButtonBox.StandardButton.Cancel, "انصراف")):
            button = self.buttons.button(kind)
            button.setText(text)
            button.setAutoDefault(False)  # Enter moves to the next field, never saves
            button.setDefault(False)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        self.setWindowTitle("ویرایش مشخصات بیمار" if record else "بیمار جدید")
        fit_to_screen(self, 900, 720)
        self._fill_choices()
        for field in _DIGIT_FIELDS:
            show_persian_digits_while_typing(self.line_edit(field))
        for field in FIELDS:
            self._connect_clear_on_edit(field)
            self.error_label(field).hide()
            set_field_help(self.help_text(field), self.field_widget(field),
                           getattr(self.ui, field + "_label", None))
        self.ui.duplicate_banner.hide()
        self.ui.similar_banner.hide()
        self.ui.open_existing_button.clicked.connect(self._on_open_existing)
        self.ui.open_similar_button.setText("باز کردن پرونده موجود")
        self.ui.open_similar_button.clicked.connect(self._on_open_similar)
        self.new_anyway_button = QPushButton("ذخیره همین پرونده" if record else
                                             "ثبت بیمار تازه")
        self.new_anyway_button.setObjectName("new_anyway_button")
        self.new_anyway_button.setAutoDefault(False)
        self.new_anyway_button.clicked.connect(self._on_save)  # the banner is the question
        # The two answers one above the other, beside the question: side by side they
        # took half the banner and squeezed the question into a column.
        self.ui.similar_layout.removeWidget(self.ui.open_similar_button)
        answers = QVBoxLayout()
        answers.addWidget(self.ui.open_similar_button)
        answers.addWidget(self.new_anyway_button)
        self.ui.similar_layout.addLayout(answers)
        self.ui.similar_layout.setStretch(0, 1)
        for field in ("first_name", "last_name", "father_name", "birth_date"):
            widget = self.field_widget(field)
            signal = widget.dateChanged if isinstance(widget, JalaliDateEdit) \
                else self.line_edit(field).textEdited
            signal.connect(self._on_identity_edited)
        self.ui.icd10_code_edit.textChanged.connect(self._on_icd10_changed)
        self.ui.cancer_group_id_combo.currentIndexChanged.connect(
            lambda _i: self._on_icd10_changed(self.ui.icd10_code_edit.text()))
        self.ui.address_province_combo.currentTextChanged.connect(self._on_residence_changed)
        self.ui.icd10_hint_label.hide()
        self._on_residence_changed("")
        self.ui.national_code_edit.editingFinished.connect(self._on_national_code_finished)
        self.ui.birth_date_edit.setMaximumDate(dt.date.today())
        if record is not None:
            self.set_identity(record.identity)
        self._as_opened = self.raw_values()
        # The first field, not «ذخیره» (the first in the window's focus chain): typing goes
        # into the form at once, and Enter does not try to save it blank.
        self.ui.national_code_edit.setFocus()

    def has_unsaved_changes(self) -> bool:
        return not same_as_opened(self.raw_values(), self._as_opened)

    # --- widgets by field name -------------------------------------------------------

    def field_widget(self, field: str) -> QWidget:
        for suffix in ("_edit", "_combo"):
            widget = getattr(self.ui, field + suffix, None)
            if isinstance(widget, QWidget):
                return widget
        raise KeyError(field)

    def line_edit(self, field: str) -> QLineEdit:
        """The field's box, for a field typed in one (not a date, not a list)."""
        widget = self.field_widget(field)
        assert isinstance(widget, QLineEdit), field
        return widget

    def error_label(self, field: str) -> QLabel:
        label = getattr(self.ui, field + "_error")
        assert isinstance(label, QLabel), field
        return label

    def help_text(self, field: str) -> str:
        """What the field wants, from the reference data (form1.toml's [help])."""
        form1 = self._reference.form1
        return form1.help_for(field) if form1 is not None else ""

    def _fill_choices(self) -> None:
        ui = self.ui
        for combo, choices in ((ui.sex_combo, SEX_CHOICES),
                               (ui.nationality_combo, NATIONALITY_CHOICES)):
            for key, label in choices.items():
                combo.addItem(f"{fa(key)}. {label}", key)
        ui.sex_combo.setPlaceholderText("انتخاب کنید")
        ui.sex_combo.setCurrentIndex(-1)
        for group in self._reference.cancer_groups:
            ui.cancer_group_id_combo.addItem(f"{fa(group.id)}. {group.label}", group.id)
        outside = self._reference.outside_group
        ui.cancer_group_id_combo.addItem(outside.label, outside.id)
        ui.cancer_group_id_combo.setPlaceholderText("انتخاب کنید")
        ui.cancer_group_id_combo.setCurrentIndex(-1)
        for combo, city_edit in ((ui.birth_province_combo, ui.birth_city_edit),
                                 (ui.address_province_combo, ui.address_city_edit)):
            for province in self._reference.provinces:
                combo.addItem(province.name)
            combo.setPlaceholderText("انتخاب کنید")
            combo.setCurrentIndex(-1)
            combo.currentTextChanged.connect(
                lambda name, edit=city_edit: self._suggest_cities(name, edit))
        ui.insurance_type_combo.addItems(list(self._reference.programme.insurance_types))
        ui.insurance_type_combo.setCurrentIndex(-1)

    def _suggest_cities(self, province_name: str, edit: QLineEdit) -> None:
        province = self._reference.province(province_name)
        completer = QCompleter(list(province.cities) if province else [], edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        edit.setCompleter(completer)

    def _connect_clear_on_edit(self, field: str) -> None:
        widget = self.field_widget(field)
        clear = lambda *_: self._field_corrected(field)  # noqa: E731
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(clear)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(clear)
        elif isinstance(widget, JalaliDateEdit):
            widget.dateChanged.connect(clear)

    # --- reading and writing the fields ----------------------------------------------

    def raw_values(self) -> dict[str, object]:
        values: dict[str, object] = {}
        for field in FIELDS:
            widget = self.field_widget(field)
            if isinstance(widget, JalaliDateEdit):
                values[field] = widget.text()
            elif isinstance(widget, QComboBox):
                data = widget.currentData()
                values[field] = data if data is not None else (
                    widget.currentText() if widget.currentIndex() >= 0 or widget.isEditable()
                    else "")
            else:
                values[field] = self.line_edit(field).text()
        return values

    def set_identity(self, identity: PatientIdentity) -> None:
        for field, value in identity.as_dict().items():
            widget = self.field_widget(field)
            if isinstance(widget, JalaliDateEdit):
                assert value is None or isinstance(value, dt.date), field
                widget.setDate(value)
            elif isinstance(widget, QComboBox):
                index = widget.findData(value)
                if index < 0:
                    index = widget.findText(str(value))
                if index >= 0:
                    widget.setCurrentIndex(index)
                elif widget.isEditable():
                    widget.setEditText(str(value))
            else:
                self.line_edit(field).setText(fa(value) if field in _DIGIT_FIELDS
                                              else str(value))

    def _show_error(self, field: str, message: str) -> None:
        label = self.error_label(field)
        label.setText(message)
        label.setVisible(bool(message))

    def _show_errors(self, errors: dict[str, str]) -> None:
        for field in FIELDS:
            self._show_error(field, errors.get(field, ""))
        first = next((f for f in FIELDS if f in errors), None)
        if first is not None:
            self.field_widget(first).setFocus()
        self._show_count_to_correct()

    def _show_count_to_correct(self) -> None:
        count = sum(not self.error_label(field).isHidden() for field in FIELDS)
        self._show_general(f"{fa(count)} مورد نیاز به اصلاح دارد؛ پیام زیر هر خانه را ببینید."
                           if count else "")
        self._counting_errors = bool(count)  # the line above the buttons is the count

    def _field_corrected(self, field: str) -> None:
        """An edited field's message goes, and the count above the buttons follows it
        (to nothing when the last one is corrected); another message there stays."""
        self._show_error(field, "")
        if self._counting_errors:
            self._show_count_to_correct()

    def _show_general(self, message: str) -> None:
        self._counting_errors = False
        self.general_error.setText(message)
        self.general_error.setVisible(bool(message))

    # --- duplicates ------------------------------------------------------------------

    def _own_id(self) -> int | None:
        return self._record.id if self._record else None

    def _on_national_code_finished(self) -> None:
        try:
            code = national_code.normalize(self.ui.national_code_edit.text())
        except InputError as exc:
            if self.ui.national_code_edit.text().strip():
                self._show_error("national_code", exc.message_fa)
            self._hide_duplicate()
            return
        self.ui.national_code_edit.setText(fa(code))
        existing = self._patients.find_by_national_code(code)
        if existing is not None and existing.id != self._own_id():
            self._offer_existing(existing.id, existing.full_name, code)
        else:
            self._hide_duplicate()

    def _changed_elsewhere(self) -> str:
        """What the other save changed, field by field (as opened ← as saved now)."""
        assert self._record is not None
        try:
            now = self._patients.get(self._record.id)
        except NotFoundError:
            return " این بیمار در جای دیگری حذف شده است."
        lines = describe_differences(self._record.identity.as_dict(), now.identity.as_dict())
        return ("\nتغییرهای دیگری:\n" + "\n".join(lines)) if lines else ""

    def _offer_existing(self, patient_id: int, name: str, code: str) -> None:
        self._existing_id = patient_id
        self.ui.duplicate_label.setText(
            f"کد ملی {fa(code)} پیش‌تر برای «{name}» ثبت شده است. هر بیمار یک پرونده دارد؛ "
            "به جای ساختن پرونده دوم، پرونده او را باز کنید.")
        self.ui.duplicate_banner.show()
        self._show_error("national_code", "این کد ملی تکراری است.")

    def _hide_duplicate(self) -> None:
        self._existing_id = None
        self.ui.duplicate_banner.hide()

    def _on_open_existing(self) -> None:
        if self._existing_id is not None:
            self.open_existing_requested.emit(self._existing_id)
            QDialog.reject(self)  # the person chose that record over what is typed

    def _on_open_similar(self) -> None:
        if self._similar_id is not None:
            self.open_existing_requested.emit(self._similar_id)
            QDialog.reject(self)  # the person chose that record over what is typed

    def _on_identity_edited(self, *_args) -> None:
        self._similar_confirmed = False
        self._confirmed_distinct = []
        self.ui.similar_banner.hide()

    def _likely_same(self, identity: PatientIdentity) -> list[Match]:
        if self._duplicates is not None:
            return self._duplicates.candidates(identity, exclude_id=self._own_id())
        return [Match(PatientSide(r.id, r.identity.national_code, r.identity.first_name,
                                  r.identity.last_name, r.identity.father_name,
                                  r.identity.birth_date), ())
                for r in self._patients.similar(identity, exclude_id=self._own_id())]

    def _ask_if_same(self, matches: list[Match]) -> None:
        """«Is this not …?» — the first match named, with why; the others counted."""
        other = matches[0]
        self._similar_id = other.patient.id
        why = (f" ({other.reasons_fa})" if other.reasons
               else " (نام، نام پدر و تاریخ تولد یکسان)")
        more = (f" و {fa(len(matches) - 1)} پرونده دیگر نیز به این بیمار شبیه است"
                if len(matches) > 1 else "")
        self.ui.similar_label.setText(
            f"این بیمار همان «{other.patient.full_name}» با کد ملی "
            f"{fa(other.patient.national_code)} نیست؟{why}{more}. اگر همان بیمار است "
            "«باز کردن پرونده موجود» را بزنید؛ اگر بیمار دیگری است، «"
            f"{self.new_anyway_button.text()}» (یا دوباره «ذخیره») را بزنید.")
        self.ui.similar_banner.show()
        self._similar_confirmed = True
        self._confirmed_distinct = [m.patient.id for m in matches]

    def _remember_distinct(self, saved_id: int) -> None:
        """The person answered «another patient»: the pairs are not listed again."""
        if self._duplicates is None:
            return
        for other_id in self._confirmed_distinct:
            try:
                self._duplicates.mark_not_duplicate(
                    saved_id, other_id, "هنگام ثبت، بیمار دیگری دانسته شد")
            except (AccessDeniedError, NotFoundError):
                return  # a person who may not mark pairs: the list will show them

    # --- hints ------------------------------------------------------------------------

    def _on_icd10_changed(self, text: str) -> None:
        label = self.ui.icd10_hint_label
        try:
            code = icd10.normalize(text)
        except InputError:
            code = ""
        if not code:
            label.hide()
            return
        label.setText(self._icd10_hint(code))
        label.show()

    def _icd10_hint(self, code: str) -> str:
        """What the code says of the group, choosing it when the code decides and none
        is chosen yet."""
        allowed = icd10.allowed_groups(code, self._reference)
        if allowed is None:
            return f"کد {code} گروه را معلوم نمی‌کند؛ «نوع سرطان» را خودتان انتخاب کنید."
        combo = self.ui.cancer_group_id_combo
        if len(allowed) > 1:
            names = " یا ".join(f"«{g.short_label}»" for g in self._reference.all_groups
                                if g.id in allowed)
            return (f"کد {code} در گروه {names} است؛ نوع سرطان را انتخاب کنید (کارسینوم "
                    "سلول سنگفرشی در گروه پوست است، کارسینوم سلول پایه خارج از گروه‌ها).")
        (group_id,) = allowed
        if combo.currentIndex() < 0:
            combo.setCurrentIndex(combo.findData(group_id))
        mismatch = icd10.group_mismatch(code, combo.currentData(), self._reference)
        if mismatch:
            return mismatch
        group = self._reference.cancer_group(group_id)
        return f"کد {code} در گروه «{group.short_label if group else group_id}» است."

    def _on_residence_changed(self, province: str) -> None:
        label = self.ui.residence_label
        if not self._hub_province or not province:
            label.setText("")
            label.hide()
            return
        verdict = residence_verdict(province, self._hub_province, self._reference)
        label.setText(("⚠ " if verdict.notice else "") + verdict.message)
        label.setProperty("role", "notice" if verdict.notice else "hint")
        label.style().polish(label)
        label.show()

    # --- saving ----------------------------------------------------------------------

    def _on_save(self) -> None:
        group_ids = frozenset(g.id for g in self._reference.all_groups)
        try:
            identity = clean_identity(self.raw_values(), cancer_group_ids=group_ids,
                                      reference=self._reference)
        except ValidationErrors as exc:
            self._show_errors(exc.errors)
            return
        self._show_errors({})
        if not self._similar_confirmed:
            matches = self._likely_same(identity)
            if matches:
                self._ask_if_same(matches)
                return
        try:
            if self._record is None:
                self.saved_record = self._patients.create(identity)
            else:
                self.saved_record = self._patients.update(self._record.id, identity,
                                                          self._record.version)
        except DuplicateNationalCodeError as exc:
            self._offer_existing(exc.existing_id, exc.existing_name, exc.national_code)
            return
        except StaleRecordError:
            self._show_general("این پرونده پس از باز شدن، در جای دیگری تغییر کرده است؛ "
                               "چیزی ذخیره نشد." + self._changed_elsewhere() +
                               "\nپنجره را ببندید و پرونده را دوباره باز کنید.")
            return
        except (SealedRecordError, AccessDeniedError) as exc:
            self._show_general(f"{exc.message_fa} چیزی ذخیره نشد.")
            return
        self._remember_distinct(self.saved_record.id)
        self.accept()

