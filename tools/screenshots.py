"""Regenerate docs/screenshots/ from the real widgets, on a throw-away demo database.

    python tools/screenshots.py [OUTPUT_DIR]

Runs offscreen (no display needed). The demo data is seeded, so the pictures change
only when the program does.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from cancer_desk.app import fill_demo
from cancer_desk.paths import sqlite_url
from cancer_desk.ui.main import make_application, prepare_context
from cancer_desk.ui.main_window import MainWindow
from cancer_desk.ui.setup_dialog import SetupDialog
from cancer_desk.ui.text import ltr

ROOT = Path(__file__).resolve().parents[1]


def grab(widget: QWidget, path: Path) -> None:
    widget.show()
    for _ in range(3):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    make_application()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CANCER_DESK_DATA_DIR"] = tmp
        context = prepare_context(sqlite_url(Path(tmp) / "screens.sqlite3"))

        setup = SetupDialog(context.settings, context.reference)
        setup.search_edit.setText("ساری")
        setup.select_hub(40)
        setup.director_edit.setText("دکتر رضا نوری")
        setup.social_worker_edit.setText("مریم احمدی")
        grab(setup, out_dir / "setup.png")
        setup.close()

        fill_demo(context, 400, seed=1388)
        window = MainWindow(context)
        window.resize(1280, 760)
        # The real location is a throw-away folder; show where a ward PC keeps it.
        window.location_label.setText(ltr(r"%LOCALAPPDATA%\Cancer Desk\cancer-desk.sqlite3"))
        window.show()
        window.patient_list.search_edit.setText("احمد")
        QApplication.processEvents()
        window.patient_list.table.setCurrentIndex(window.patient_list.model.index(1, 0))
        grab(window, out_dir / "patient-list.png")
        patient_id = window.current_patient_id()
        assert patient_id is not None

        form = window.make_patient_dialog(patient_id)
        form.resize(920, 700)
        grab(form, out_dir / "patient-form.png")
        form.close()

        new_form = window.make_patient_dialog(None)
        new_form.resize(920, 700)
        new_form.ui.national_code_edit.setText("۱۲۳۴۵۶۷۸۹۰")
        new_form.ui.first_name_edit.setText("سارا")
        new_form.ui.birth_date_edit.line_edit.setText("۱۴۰۲/۱۲/۳۰")
        new_form._on_save()  # show the inline messages as a person would see them
        grab(new_form, out_dir / "patient-form-errors.png")
        new_form.close()

        questionnaire = window.make_questionnaire(patient_id)
        answers = {"head_of_household": "disabled_worker", "income": "k300_400",
                   "housing": "rent_over_half", "family_size": 5, "sick_children": 1}
        for criterion_id, value in answers.items():
            questionnaire.inputs[criterion_id].set_answer(value)
        grab(questionnaire, out_dir / "questionnaire.png")
        questionnaire.close()
        window.close()
        context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
