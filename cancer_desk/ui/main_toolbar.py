"""The main window's toolbar as data: its groups of actions, what each does (a room's
method, see ``ui/rooms``) and which role's action it needs. A person sees only what
their roles allow; a group with nothing to show leaves no separator behind."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

from cancer_desk.core.access import Action


@dataclass(frozen=True)
class ToolbarAction:
    name: str  # the window's attribute holding the QAction
    text: str
    needs: Action | None  # None: whoever is signed in
    room: str  # the window's attribute holding the room that does it
    method: str
    shortcut: QKeySequence.StandardKey | None = None


MAIN_TOOLBAR: tuple[tuple[ToolbarAction, ...], ...] = (
    (ToolbarAction("new_patient_action", "بیمار جدید", Action.EDIT_PATIENTS,
                   "patient_room", "new_patient", QKeySequence.StandardKey.New),
     ToolbarAction("edit_patient_action", "ویرایش مشخصات", Action.EDIT_PATIENTS,
                   "patient_room", "edit_patient"),
     ToolbarAction("assess_action", "ارزیابی جدید", Action.ASSESS, "patient_room", "assess")),
    (ToolbarAction("form2_action", "فرم ۲ و بستن فصل", Action.VIEW_REPORTS,
                   "hospital_room", "form2"),
     ToolbarAction("dashboard_action", "پایش", Action.VIEW_REPORTS, "hospital_room", "dashboard")),
    (ToolbarAction("import_action", "ورود بیماران از اکسل", Action.EDIT_PATIENTS,
                   "hospital_room", "import_patients"),
     ToolbarAction("formulary_action", "داروهای تحت پوشش", Action.MANAGE_FORMULARY,
                   "hospital_room", "formulary"),
     ToolbarAction("settings_action", "تنظیمات بیمارستان", Action.MANAGE_SETTINGS,
                   "hospital_room", "settings"),
     ToolbarAction("signing_action", "گواهی امضا", Action.MANAGE_SETTINGS,
                   "hospital_room", "signing_certificate"),
     ToolbarAction("backups_action", "پشتیبان‌گیری", Action.BACKUP, "backup_room", "backups"),
     ToolbarAction("rollup_action", "تجمیع بسته‌ها", Action.VIEW_REPORTS,
                   "hospital_room", "rollup")),
    (ToolbarAction("accounts_action", "حساب‌های کاربری", Action.MANAGE_ACCOUNTS,
                   "hospital_room", "accounts"),
     ToolbarAction("audit_action", "سابقه تغییرات", Action.VIEW_AUDIT, "hospital_room", "audit"),
     # Anyone may check a printed sheet's code against the database.
     ToolbarAction("verify_print_action", "بررسی برگه چاپی", None, "seal_room", "verify_print")),
)
