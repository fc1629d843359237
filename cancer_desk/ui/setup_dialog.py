"""First-run setup (and later, the hospital settings): which hub this PC serves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.errors import ValidationErrors
from cancer_desk.core.jalali import current_jalali_year
from cancer_desk.core.records import HubSettingsRecord
from cancer_desk.core.reference import Hub, ReferenceData
from cancer_desk.core.settings import LABELS, LAST_PROGRAMME_YEAR, clean_hub_settings
from cancer_desk.services.settings import SettingsService
from cancer_desk.ui.field_form import clear_when_edited
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa
from cancer_desk.ui.widgets.number_spin import PersianSpinBox
from cancer_desk.ui.widgets.persian_input import show_persian_digits_while_typing

_HUB_ROLE = Qt.ItemDataRole.UserRole


class SetupDialog(QDialog):
    def __init__(self, settings: SettingsService, reference: ReferenceData,
                 current: HubSettingsRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._reference = reference
        self.saved: HubSettingsRecord | None = None
        first_run = current is None
        self.setWindowTitle("راه‌اندازی میز حمایت بیماران سرطانی" if first_run
                            else "تنظیمات بیمارستان")
        fit_to_screen(self, 760, 760)

        intro = QLabel(
            "به میز حمایت بیماران سرطانی خوش آمدید. بیمارستان خود را از فهرست ۴۴ قطب درمانی "
            "دستورالعمل پیدا کنید (با نام شهر، دانشگاه یا بیمارستان)، یا اگر در فهرست نیست، "
            "مشخصات آن را خودتان بنویسید." if first_run else
            "مشخصاتی که روی فرم‌های چاپی می‌آید.")
        intro.setWordWrap(True)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("hub_search_edit")
        self.search_edit.setAccessibleName("جستجوی قطب درمانی")
        self.search_edit.setPlaceholderText("جستجو: شهر، دانشگاه یا بیمارستان…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search)
        self.hub_list = QListWidget()
        self.hub_list.setObjectName("hub_list")
        self.hub_list.setAccessibleName("قطب درمانی")
        for hub in reference.hubs:
            item = QListWidgetItem(f"{fa(hub.number)}. {hub.title}")
            item.setData(_HUB_ROLE, hub.number)
            if hub.uncertain:
                item.setToolTip(hub.uncertain)
            self.hub_list.addItem(item)
        self.hub_list.currentItemChanged.connect(self._on_hub_chosen)
        self.manual_check = QCheckBox("بیمارستان من در این فهرست نیست؛ مشخصات را خودم می‌نویسم")
        self.manual_check.setObjectName("manual_check")
        self.manual_check.toggled.connect(self._on_manual_toggled)
        hub_box = QGroupBox("قطب درمانی")
        hub_layout = QVBoxLayout(hub_box)
        hub_layout.addWidget(self.search_edit)
        hub_layout.addWidget(self.hub_list, 1)
        hub_layout.addWidget(self.manual_check)

        self.university_edit = QLineEdit()
        self.university_edit.setObjectName("university_edit")
        self.province_combo = QComboBox()
        self.province_combo.setObjectName("province_combo")
        self.province_combo.addItems([p.name for p in reference.provinces])
        self.province_combo.setPlaceholderText("انتخاب کنید")
        self.province_combo.setCurrentIndex(-1)
        self.hospital_edit = QLineEdit()
        self.hospital_edit.setObjectName("hospital_edit")
        self.city_edit = QLineEdit()
        self.city_edit.setObjectName("city_edit")
        self.year_spin = PersianSpinBox()
        self.year_spin.setObjectName("year_spin")
        self.year_spin.setRange(reference.programme.first_programme_year, LAST_PROGRAMME_YEAR)
        self.year_spin.setValue(current_jalali_year())
        self.budget_edit = QLineEdit(fa(reference.programme.default_budget_line))
        self.budget_edit.setObjectName("budget_edit")
        self.budget_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # ۱۱-۵۲۰۰۰۰
        self.budget_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        show_persian_digits_while_typing(self.budget_edit)
        self.director_edit = QLineEdit()
        self.director_edit.setObjectName("director_edit")
        self.social_worker_edit = QLineEdit()
        self.social_worker_edit.setObjectName("social_worker_edit")

        self._fields = {
            "university": self.university_edit,
            "province": self.province_combo,
            "hospital": self.hospital_edit,
            "city": self.city_edit,
            "programme_year": self.year_spin,
            "budget_line": self.budget_edit,
            "director_name": self.director_edit,
            "social_worker_name": self.social_worker_edit,
        }
        self._errors: dict[str, QLabel] = {}
        details = QGroupBox("مشخصات بیمارستان و برنامه")
        form = QFormLayout(details)
        for name, widget in self._fields.items():
            form.addRow(f"{LABELS[name]}:", widget)
            error = QLabel()
            error.setProperty("role", "error")
            error.setObjectName(f"{name}_error")
            error.hide()
            self._errors[name] = error
            form.addRow("", error)
            clear_when_edited(widget, error)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            "ذخیره و شروع" if first_run else "ذخیره")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        for button in buttons.buttons():
            if isinstance(button, QPushButton):  # (a dialog button box's are)
                button.setAutoDefault(False)  # Enter moves to the next field, never saves
                button.setDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(hub_box, 1)
        layout.addWidget(details)
        layout.addWidget(buttons)

        self._hub_number: int | None = None
        if current is not None:
            self._load(current)
        else:
            self._on_manual_toggled(False)

    # --- hub choice ----------------------------------------------------------------------

    def visible_hub_numbers(self) -> list[int]:
        return [self.hub_list.item(i).data(_HUB_ROLE) for i in range(self.hub_list.count())
                if not self.hub_list.item(i).isHidden()]

    def _on_search(self, text: str) -> None:
        matching = {h.number for h in self._reference.find_hubs(text)}
        for i in range(self.hub_list.count()):
            item = self.hub_list.item(i)
            item.setHidden(item.data(_HUB_ROLE) not in matching)
        visible = self.visible_hub_numbers()
        if len(visible) == 1:
            self.select_hub(visible[0])

    def select_hub(self, number: int) -> None:
        for i in range(self.hub_list.count()):
            if self.hub_list.item(i).data(_HUB_ROLE) == number:
                self.hub_list.setCurrentRow(i)
                return

    def _on_hub_chosen(self, item: QListWidgetItem | None, _previous) -> None:
        if item is None or self.manual_check.isChecked():
            return
        hub = self._reference.hub(item.data(_HUB_ROLE))
        if hub is not None:
            self._fill_from_hub(hub)

    def _fill_from_hub(self, hub: Hub) -> None:
        self._hub_number = hub.number
        self.university_edit.setText(hub.university)
        self.province_combo.setCurrentText(hub.province)
        self.hospital_edit.setText(hub.hospital)
        self.city_edit.setText(hub.city)

    def _on_manual_toggled(self, manual: bool) -> None:
        self.hub_list.setEnabled(not manual)
        self.search_edit.setEnabled(not manual)
        for widget in (self.university_edit, self.province_combo, self.hospital_edit,
                       self.city_edit):
            widget.setEnabled(manual)
        if manual:
            self._hub_number = None
            self.hub_list.clearSelection()
            self.university_edit.setFocus()
        elif self.hub_list.currentItem() is not None:
            self._on_hub_chosen(self.hub_list.currentItem(), None)

    def _load(self, current: HubSettingsRecord) -> None:
        if current.hub_number is not None:
            self.select_hub(current.hub_number)
        else:
            self.manual_check.setChecked(True)
        self._hub_number = current.hub_number
        self.university_edit.setText(current.university)
        self.province_combo.setCurrentText(current.province)
        self.hospital_edit.setText(current.hospital)
        self.city_edit.setText(current.city)
        self.year_spin.setValue(current.programme_year)
        self.budget_edit.setText(fa(current.budget_line))
        self.director_edit.setText(current.director_name)
        self.social_worker_edit.setText(current.social_worker_name)
        self._on_manual_toggled(self.manual_check.isChecked())

    # --- saving --------------------------------------------------------------------------

    def _on_save(self) -> None:
        raw = {
            "university": self.university_edit.text(),
            "province": self.province_combo.currentText(),
            "hospital": self.hospital_edit.text(),
            "city": self.city_edit.text(),
            "programme_year": self.year_spin.value(),
            "budget_line": self.budget_edit.text(),
            "director_name": self.director_edit.text(),
            "social_worker_name": self.social_worker_edit.text(),
            "hub_number": None if self.manual_check.isChecked() else self._hub_number,
        }
        errors: dict[str, str] = {}
        if not self.manual_check.isChecked() and self._hub_number is None:
            errors["university"] = ("بیمارستان را از فهرست انتخاب کنید یا گزینه «در فهرست "
                                    "نیست» را بزنید.")
        try:
            values = clean_hub_settings(raw, self._reference.programme)
        except ValidationErrors as exc:
            errors = {**exc.errors, **errors}
        for name, label in self._errors.items():
            label.setText(errors.get(name, ""))
            label.setVisible(name in errors)
        if errors:
            return
        self.saved = self._settings.save(values)
        self.accept()
