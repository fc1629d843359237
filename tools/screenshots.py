"""Regenerate docs/screenshots/ from the real widgets, on a throw-away demo database.

    python tools/screenshots.py [OUTPUT_DIR]

Runs offscreen (no display needed). The demo data is seeded, so the pictures change
only when the program does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2
import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

from cancer_desk.app import demo_settings, fill_demo
from cancer_desk.core import national_code
from cancer_desk.core.access import Role
from cancer_desk.core.case import CaseRecord, FamilyCancer
from cancer_desk.core.costs import CostItemInput
from cancer_desk.core.jalali import JalaliQuarter
from cancer_desk.core.reference import hospital_title
from cancer_desk.paths import sqlite_url
from cancer_desk.print.registry import DOCUMENTS, render_document
from cancer_desk.services.demo import demo_formulary
from cancer_desk.services.formulary import DrugInput
from cancer_desk.ui.accounts import AccountsDialog
from cancer_desk.ui.background import tasks
from cancer_desk.ui.backups import BackupsDialog
from cancer_desk.ui.formulary import FormularyDialog
from cancer_desk.ui.help_window import show_help
from cancer_desk.ui.history import HistoryDialog
from cancer_desk.ui.main import make_application, prepare_context
from cancer_desk.ui.main_window import MainWindow
from cancer_desk.ui.printing import page_image
from cancer_desk.ui.seals import VerifyPrintDialog
from cancer_desk.ui.setup_dialog import SetupDialog
from cancer_desk.ui.sign_in import FirstAdministratorDialog, LockDialog, SignInDialog
from cancer_desk.ui.text import ltr

ROOT = Path(__file__).resolve().parents[1]
# Where a ward PC keeps things (the real ones here are a throw-away folder's).
WARD_DATA_FOLDER = r"%LOCALAPPDATA%\Cancer Desk"
WARD_DATABASE = WARD_DATA_FOLDER + r"\cancer-desk.sqlite3"
WARD_RESOURCES = r"C:\Program Files\Cancer Desk\_internal\resources"
PASSWORD = "screens-2026"
SAMPLE_CASE = CaseRecord(
    diagnosis_method=1, diagnosis_date=dt.date(2025, 12, 28), stage_t="T2", stage_n="N1",
    stage_m="M0", grade="G2", treatment_intent=1, surgery=1, surgery_date=dt.date(2026, 1, 20),
    radiotherapy=2, chemotherapy=1, chemotherapy_date=dt.date(2026, 2, 15),
    chemotherapy_regimen="AC-T (دوکسوروبیسین، سیکلوفسفامید، سپس پاکلی‌تاکسل)، چهار دوره",
    hormone_therapy=3, received_item=2, admissions_count=4, hospital_stay_days=12,
    hospital_stay_months=0, recurrence=2, metastasis=2, remission=3, vital_status=1,
    family_history=1, family_cancers=(FamilyCancer("پستان", "خاله"),),
    completed_on=dt.date(2026, 10, 10), completed_by="مریم احمدی")


def grab(widget: QWidget, path: Path) -> None:
    widget.show()
    for _ in range(3):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def counted() -> None:
    """Until the counts the windows asked for have ended and been shown."""
    while tasks().jobs_running():
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(3):
        QApplication.processEvents()


def put_aside(dialog: QDialog) -> None:
    """Close a form pictured with changes in it without the question a person gets
    («تغییرهای ذخیره‌نشده کنار گذاشته شود؟»), which nobody is here to answer."""
    QDialog.done(dialog, QDialog.DialogCode.Rejected)


def _help_and_about(window: MainWindow, out_dir: Path) -> None:
    """The guide as F1 opens it, and «درباره» with a ward PC's folders, not this one's."""
    guide = show_help(window)
    grab(guide, out_dir / "help.png")
    guide.close()
    about = window.make_about_dialog()
    values = about.values
    values["database"].setText(ltr(WARD_DATABASE))
    values["data_folder"].setText(ltr(WARD_DATA_FOLDER))
    values["reference"].setText(values["reference"].text().splitlines()[0] + "\n"
                                + ltr(WARD_RESOURCES + r"\reference"))
    values["platform"].setText(ltr(f"Python {platform.python_version()} · Qt {qVersion()} "
                                   f"(PySide6 {PySide6.__version__}) · Windows 10"))
    grab(about, out_dir / "about.png")
    about.close()


def _case_and_costs(window: MainWindow, context, patient_id: int, out_dir: Path) -> None:
    """Form 1's case record, the costs, the formulary and the three printed documents."""
    listed = {d.name: d for d in context.formulary.list()}  # the demo's formulary
    drug = listed.get("تراستوزوماب") or context.formulary.save(
        DrugInput("تراستوزوماب", "Trastuzumab", "ویال ۴۴۰ میلی‌گرم"))
    context.cases.save(patient_id, SAMPLE_CASE, context.cases.get(patient_id).version)
    context.costs.add(patient_id, CostItemInput(dt.date(2026, 10, 2), "drug", 12_500_000, 2,
                                                drug_id=drug.id, pharmacy="داروخانه هلال احمر"))
    context.costs.add(patient_id, CostItemInput(dt.date(2026, 10, 3), "hospital_stay",
                                                3_400_000, insured_part=2_000_000,
                                                description="بخش انکولوژی، ۴ روز"))
    context.costs.add(patient_id, CostItemInput(dt.date(2026, 10, 9), "drug", 800_000,
                                                description="داروی خارج از فهرست"))
    window.open_patient(patient_id)
    grab(window, out_dir / "patient-panel.png")
    case = window.patient_room.make_case_dialog(patient_id)
    case.resize(1000, 1180)
    grab(case, out_dir / "case-form.png")
    put_aside(case)
    costs = window.patient_room.make_costs_dialog(patient_id)
    grab(costs, out_dir / "costs.png")
    item = costs.make_item_dialog(None)
    item.drug_combo.setCurrentIndex(item.drug_combo.findData(drug.id))
    item.amount_edit.set_amount(4_200_000)
    item.amount_edit.amountChanged.emit(4_200_000)
    item.insurance.part_radio.setChecked(True)  # the insurer paid part, up to its ceiling
    item.insurance.part_edit.set_amount(2_500_000)
    item.insurance.part_edit.amountChanged.emit(2_500_000)
    grab(item, out_dir / "cost-item.png")
    item.close()
    costs.close()
    formulary = FormularyDialog(context.formulary, window)
    grab(formulary, out_dir / "formulary.png")
    formulary.close()
    referral = context.referrals.create(patient_id).number
    for kind in DOCUMENTS:
        pdf = out_dir / f"_{kind}.pdf"
        render_document(kind, context.documents,
                        referral if kind == "referral" else patient_id, pdf)
        pdf_to_png(pdf, out_dir / f"{kind}-pdf.png")
        pdf.unlink()


def _duplicates(window: MainWindow, context, patient_id: int, out_dir: Path) -> None:
    """The list of likely duplicates, with one planted: the same person registered again
    under another code (the same names and birth date)."""
    identity = context.patients.get(patient_id).identity
    rng = random.Random(1405)
    code = national_code.generate(rng)
    while context.patients.find_by_national_code(code) is not None:
        code = national_code.generate(rng)
    context.patients.create(dataclasses.replace(identity, national_code=code))
    dialog = window.hospital_room.make_duplicates_dialog()
    dialog.show()
    dialog.refresh()
    grab(dialog, out_dir / "duplicates.png")
    dialog.close()


def _quarter(window: MainWindow, context, out_dir: Path, tmp: Path) -> None:
    """Form 2 of the last quarter, its PDF, the dashboard, and a university's roll-up of
    four hubs' packages."""
    from cancer_desk.app import open_context
    from cancer_desk.core.settings import HubSettingsInput
    from cancer_desk.print.form2 import render_form2
    from cancer_desk.services.exports import export_quarter
    from cancer_desk.ui.dashboard import DashboardWindow
    from cancer_desk.ui.rollup_window import RollupWindow

    current = JalaliQuarter.containing(dt.date.today())
    last = (JalaliQuarter(current.year, current.quarter - 1) if current.quarter > 1
            else JalaliQuarter(current.year - 1, 4))
    form2 = window.hospital_room.make_form2_window()
    form2.year_spin.setValue(last.year)
    form2.quarter_combo.setCurrentIndex(last.quarter - 1)
    counted()  # it counts the period off the window's thread
    grab(form2, out_dir / "form2-window.png")
    pdf = out_dir / "_form2.pdf"
    render_form2(context.documents.form2(form2.report.form2, period_name=last.label,
                                         prepared_by="مریم احمدی",
                                         closed=form2.status.closed), pdf)
    pdf_to_png(pdf, out_dir / "form2-pdf.png")
    pdf.unlink()
    form2.close()

    year = current.year
    dashboard = DashboardWindow(context, window)
    counted()  # it counts the year off the window's thread, too
    grab(dashboard, out_dir / "dashboard.png")
    dashboard.close()

    packages = [export_quarter(context, last, tmp / "hub.zip").path]
    for number in (3, 4, 5):  # the other hubs of one university, each its own database
        hub_context = open_context(sqlite_url(tmp / f"hub{number}.sqlite3"))
        hub = context.reference.hub(number)
        hub_context.accounts.create_first_administrator("admin", "مدیر", PASSWORD)
        _demo_hub(hub_context, HubSettingsInput(
            university=hub.university, province=hub.province, hospital=hub.hospital,
            city=hub.city, programme_year=year, hub_number=number,
            social_worker_name="مددکار"), 250, seed=number)
        director = hub_context.accounts.create("director", "رئیس", {Role.DIRECTOR}, PASSWORD)
        hub_context.accounts.clear_password_change(director.id)
        hub_context.accounts.sign_in("director", PASSWORD)
        packages.append(export_quarter(hub_context, last, tmp / f"hub{number}.zip").path)
        hub_context.close()
    rollup_context = open_context(sqlite_url(tmp / "rollup.sqlite3"))
    rollup = RollupWindow(rollup_context, window)
    rollup.import_paths(packages)
    location = rollup.findChild(QLabel, "rollup_location")  # not the throw-away folder
    location.setText(ltr(r"%LOCALAPPDATA%\Cancer Desk\cancer-desk-rollup.sqlite3"))
    grab(rollup, out_dir / "rollup.png")
    rollup.close()
    rollup_context.close()


def pdf_to_png(pdf: Path, png: Path) -> None:
    """First page at 100 dpi, with PDFium (the renderer printing uses)."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        bitmap = document[0].render(scale=100 / 72, rev_byteorder=True)
        page_image(bitmap).save(str(png))
        bitmap.close()
    finally:
        document.close()
    print(f"wrote {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}")


def _demo_hub(context, settings, patients: int, *, seed: int) -> None:
    """As the administrator signed in: the hub (marked a demo), the demo formulary and
    a social worker, who adds the synthetic patients; then the administrator again."""
    context.settings.save(settings, is_demo=True)
    demo_formulary(context.formulary)
    worker = context.accounts.create("maryam", "مریم احمدی", {Role.SOCIAL_WORKER}, PASSWORD)
    context.accounts.clear_password_change(worker.id)
    context.accounts.sign_out()
    context.accounts.sign_in("maryam", PASSWORD)
    fill_demo(context, patients, seed=seed)
    context.accounts.sign_out()
    context.accounts.sign_in("admin", PASSWORD)


def _accounts(context, out_dir: Path) -> None:
    """The first run's administrator, the hospital, the accounts, and the sign-in."""
    first = FirstAdministratorDialog(context.accounts)
    first.name_edit.setText("علی رضایی")
    first.username_edit.setText("admin")
    first.password_edit.setText(PASSWORD)
    first.repeat_edit.setText(PASSWORD)
    grab(first, out_dir / "first-admin.png")
    first.close()
    context.accounts.create_first_administrator("admin", "علی رضایی", PASSWORD)

    setup = SetupDialog(context.settings, context.reference)
    setup.search_edit.setText("ساری")
    setup.select_hub(40)
    setup.director_edit.setText("دکتر رضا نوری")
    setup.social_worker_edit.setText("مریم احمدی")
    grab(setup, out_dir / "setup.png")
    setup.close()

    _demo_hub(context, demo_settings(context.reference), 400, seed=1388)
    for username, name, roles in (("zahra", "زهرا کریمی", {Role.SOCIAL_WORKER}),
                                  ("director", "دکتر محمود صالحی", {Role.DIRECTOR})):
        record = context.accounts.create(username, name, roles, PASSWORD)
        if username != "zahra":  # she has yet to choose her own password
            context.accounts.clear_password_change(record.id)
    context.allocations.set(JalaliQuarter.containing(dt.date.today()).year, 9_000_000_000)
    accounts = AccountsDialog(context.accounts, context.settings)
    accounts.resize(900, 480)
    grab(accounts, out_dir / "accounts.png")
    accounts.close()
    context.backups.daily()
    context.backups.backup_now()
    backups = BackupsDialog(context.backups, context.settings)
    # The real folder is a throw-away one; show where a ward PC keeps it.
    backups.folder_label.setText(ltr(r"E:\Cancer Desk backups"))
    grab(backups, out_dir / "backups.png")
    backups.close()
    context.accounts.sign_out()

    settings = context.settings.get()
    sign_in = SignInDialog(context.accounts, place=hospital_title(settings.hospital))
    sign_in.username_edit.setText("maryam")
    sign_in.password_edit.setText("not her password")
    sign_in._on_accept()  # the message a wrong password gets
    sign_in.username_edit.setText("maryam")
    grab(sign_in, out_dir / "sign-in.png")
    sign_in.close()
    context.accounts.sign_in("maryam", PASSWORD)


def _director(context, patient_id: int, out_dir: Path, tmp: Path) -> None:
    """The director approves Form 1: the sealed panel, the sealed PDF, checking a code."""
    context.accounts.sign_out()
    context.accounts.sign_in("director", PASSWORD)
    window = MainWindow(context)
    window.resize(1280, 760)
    window.location_label.setText(ltr(WARD_DATABASE))
    seal = context.seals.approve(patient_id)
    window.open_patient(patient_id)
    grab(window, out_dir / "patient-panel-sealed.png")
    pdf = out_dir / "_form1.pdf"
    render_document("form1", context.documents, patient_id, pdf)
    pdf_to_png(pdf, out_dir / "form1-pdf.png")
    pdf.unlink()
    check = VerifyPrintDialog(context.seals, window)
    check.code_edit.setText(seal.code)
    check._on_check()
    grab(check, out_dir / "verify-print.png")
    check.close()
    _quarter(window, context, out_dir, tmp)
    window.close()


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # One screen the size of the commonest ward PC's, so that every window is
        # pictured at the size it opens at there (windows fit themselves to their screen).
        screen = Path(tmp) / "screen.json"
        screen.write_text('{"screens": [{"name": "ward", "x": 0, "y": 0, "width": 1366, '
                          '"height": 768, "logicalDpi": 96, "logicalBaseDpi": 96, '
                          '"dpr": 1}]}')
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
        make_application()
        os.environ["CANCER_DESK_DATA_DIR"] = tmp
        context = prepare_context(sqlite_url(Path(tmp) / "screens.sqlite3"))
        _accounts(context, out_dir)

        window = MainWindow(context)
        window.resize(1280, 760)
        # The real location is a throw-away folder; show where a ward PC keeps it.
        window.location_label.setText(ltr(WARD_DATABASE))
        window.show()
        window.patient_list.search_edit.setText("احمد")
        QApplication.processEvents()
        window.patient_list.table.setCurrentIndex(window.patient_list.model.index(1, 0))
        grab(window, out_dir / "patient-list.png")
        patient_id = window.current_patient_id()
        assert patient_id is not None

        form = window.patient_room.make_patient_dialog(patient_id)
        form.resize(920, 700)
        grab(form, out_dir / "patient-form.png")
        form.close()

        new_form = window.patient_room.make_patient_dialog(None)
        new_form.resize(920, 700)
        new_form.ui.national_code_edit.setText("۱۲۳۴۵۶۷۸۹۰")
        new_form.ui.first_name_edit.setText("سارا")
        new_form.ui.birth_date_edit.line_edit.setText("۱۴۰۲/۱۲/۳۰")
        new_form._on_save()  # show the inline messages as a person would see them
        grab(new_form, out_dir / "patient-form-errors.png")
        put_aside(new_form)

        questionnaire = window.patient_room.make_questionnaire(patient_id)
        answers = {"head_of_household": "disabled_worker", "income": "k300_400",
                   "housing": "rent_over_half", "family_size": 5, "sick_children": 1}
        for criterion_id, value in answers.items():
            questionnaire.inputs[criterion_id].set_answer(value)
        grab(questionnaire, out_dir / "questionnaire.png")
        put_aside(questionnaire)
        _help_and_about(window, out_dir)

        _case_and_costs(window, context, patient_id, out_dir)
        _duplicates(window, context, patient_id, out_dir)
        history = HistoryDialog("سابقه تغییرات — " + context.patients.get(patient_id).full_name,
                                lambda: context.audit.patient_history(patient_id),
                                parent=window)
        history.resize(1100, 560)
        grab(history, out_dir / "history.png")
        history.close()
        lock = LockDialog(context.accounts, window)
        grab(lock, out_dir / "lock.png")
        lock.close()
        window.close()
        _director(context, patient_id, out_dir, Path(tmp))
        context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
