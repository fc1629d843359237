"""Help inside the program: what each question and field wants, the Persian guide in its
window (opened from the menu, by F1, and at a named section), and «درباره»."""

from __future__ import annotations

import re
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QRadioButton, QWhatsThis

from cancer_desk.core.case import CASE_FIELDS
from cancer_desk.core.patient import FIELDS
from cancer_desk.core.reference import load_reference
from cancer_desk.ui.case_form import CaseFormDialog
from cancer_desk.ui.patient_form import PatientFormDialog
from cancer_desk.ui.questionnaire import QuestionnaireDialog
from tests.conftest import RESOURCES
from tests.services.test_patients import identity
from tests.ui.helpers import activate

pytestmark = pytest.mark.usefixtures("persian_app")

# A ward PC's 1366×768 screen, less the taskbar and the window's title bar.
WARD_SCREEN_WIDTH, WARD_SCREEN_HEIGHT = 1366, 700


def plain(rich: str) -> str:
    """A tooltip as a person reads it."""
    return QTextDocumentFragment.fromHtml(rich).toPlainText().replace("\u2029", "\n")


def whats_this_popups() -> list:
    return [w for w in QApplication.topLevelWidgets()
            if w.isVisible() and w.metaObject().className() == "QWhatsThat"]


# --- Form 1 ----------------------------------------------------------------------------


def test_every_form1_field_has_the_help_of_the_data_file(qtbot, window, tmp_path) -> None:
    """Every field of both windows shows its help, and the words are the data file's: a
    changed file changes what the window says."""
    folder = tmp_path / "reference"
    shutil.copytree(RESOURCES / "reference", folder)
    path = folder / "form1.toml"
    text = path.read_text(encoding="utf-8")
    for name in ("national_code", "stage_t"):
        text = re.sub(rf'^{name} = ".*"$', f'{name} = "نوشته تازه برای {name}"', text,
                      count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    reference = load_reference(folder)
    lists = reference.form1
    assert lists is not None
    patient = window.context.patients.create(identity())

    identity_form = PatientFormDialog(window.context.patients, reference, parent=window)
    qtbot.addWidget(identity_form)
    for field in FIELDS:
        widget = identity_form.field_widget(field)
        label = getattr(identity_form.ui, f"{field}_label")
        assert plain(widget.toolTip()) == lists.help_for(field) != "", field
        assert plain(widget.whatsThis()) == plain(label.toolTip()) == lists.help_for(field)
    assert plain(identity_form.ui.national_code_edit.toolTip()) == \
        "نوشته تازه برای national_code"

    case_form = CaseFormDialog(window.context.cases, lists, patient.id, "علی کریمی",
                               patient.identity.birth_date, parent=window)
    qtbot.addWidget(case_form)
    for field in CASE_FIELDS:
        widget = case_form.widgets.get(field) or case_form.family_table
        assert lists.help_for(field) in plain(widget.toolTip()), field
        assert plain(widget.whatsThis()) == plain(widget.toolTip())
    assert plain(case_form.widgets["stage_t"].toolTip()) == "نوشته تازه برای stage_t"


def test_shift_f1_in_a_field_tells_what_it_wants(qtbot, window) -> None:
    dialog = window.make_patient_dialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    typing_in = dialog.ui.birth_date_edit.line_edit  # inside the date field's own widget
    activate(typing_in)
    typing_in.setFocus()
    qtbot.keyClick(typing_in, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    assert whats_this_popups()
    QWhatsThis.hideText()



# --- the questionnaire -----------------------------------------------------------------


def test_every_criterion_has_its_help_beside_it(qtbot, ruleset) -> None:
    dialog = QuestionnaireDialog(ruleset, "علی کریمی")
    qtbot.addWidget(dialog)
    dialog.show()
    for criterion in ruleset.criteria:
        box = dialog.inputs[criterion.id]
        shown = plain(box.toolTip())
        assert criterion.help in shown and plain(box.whatsThis()) == shown
        if criterion.kind == "count":  # the points the form does not show beside a count
            assert all(t.label in shown for t in criterion.thresholds)
        if criterion.takes_amount:
            assert ruleset.amount_rule in shown
        button = box.help_button
        assert button.isVisible() and plain(button.property("help_text")) == shown
        # On the title's line, clear of the answers below it.
        answers = [w for w in box.findChildren(QRadioButton)] or [box.spin]
        assert button.geometry().bottom() < min(w.geometry().top() for w in answers)
        assert box.rect().contains(button.geometry())


def test_the_question_mark_shows_the_help(qtbot, ruleset) -> None:
    dialog = QuestionnaireDialog(ruleset, "علی کریمی")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.inputs["debt"].help_button, Qt.MouseButton.LeftButton)
    assert whats_this_popups()
    QWhatsThis.hideText()


def test_the_questionnaire_fits_a_ward_screen(qtbot, ruleset) -> None:
    dialog = QuestionnaireDialog(ruleset, "علی کریمی")
    qtbot.addWidget(dialog)
    needed = dialog.minimumSizeHint()
    assert needed.width() <= WARD_SCREEN_WIDTH and needed.height() <= WARD_SCREEN_HEIGHT
