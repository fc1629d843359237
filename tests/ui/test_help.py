"""Help inside the program: what each question and field wants, the Persian guide in its
window (opened from the menu, by F1, and at a named section), and «درباره»."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QImageReader, QTextCursor, QTextDocument, QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QRadioButton, QWhatsThis

from cancer_desk import __version__, paths
from cancer_desk.core.case import CASE_FIELDS
from cancer_desk.core.patient import FIELDS
from cancer_desk.core.reference import load_reference
from cancer_desk.ui import help_window
from cancer_desk.ui.about import AboutDialog
from cancer_desk.ui.case_form import CaseFormDialog
from cancer_desk.ui.help_window import HelpWindow, guide_path, image_paths, show_help
from cancer_desk.ui.patient_form import PatientFormDialog
from cancer_desk.ui.questionnaire import QuestionnaireDialog
from tests.builders import identity
from tests.conftest import RESOURCES
from tests.ui.helpers import activate, run_modal, type_text

# A ward PC's 1366×768 screen, less the taskbar and the window's title bar.
WARD_SCREEN_WIDTH, WARD_SCREEN_HEIGHT = 1366, 700


def plain(rich: str) -> str:
    """A tooltip as a person reads it."""
    return QTextDocumentFragment.fromHtml(rich).toPlainText().replace("\u2029", "\n")


def help_windows(owner) -> list[HelpWindow]:
    return [w for w in owner.findChildren(HelpWindow) if w.isVisible()]


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
    dialog = window.patient_room.make_patient_dialog(None)
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


def test_the_open_cases_are_told_in_their_questions_help(qtbot, ruleset) -> None:
    """The child patient and the rent of exactly half the income, as the rule file
    decided them, in the help of the question they belong to."""
    dialog = QuestionnaireDialog(ruleset, "علی کریمی")
    qtbot.addWidget(dialog)
    for criterion_id in ("sick_children", "housing"):
        (decision,) = ruleset.criterion(criterion_id).decisions
        box = dialog.inputs[criterion_id]
        assert decision in plain(box.toolTip())
        assert decision in plain(box.help_button.property("help_text"))
    assert "خود بیمار" in plain(dialog.inputs["sick_children"].toolTip())
    assert "نصف درآمد" not in plain(dialog.inputs["debt"].toolTip())


def test_a_typed_million_of_debt_is_not_more_than_a_million(qtbot, ruleset) -> None:
    dialog = QuestionnaireDialog(ruleset, "علی کریمی")
    qtbot.addWidget(dialog)
    dialog.show()
    debt = dialog.inputs["debt"]
    type_text(debt.amount_edit, "1000")
    assert debt.answer() == "k500_1m" and debt.points_label.text() == "امتیاز: ۴"
    debt.amount_edit.clear()
    type_text(debt.amount_edit, "1001")
    assert debt.answer() == "over_1m" and debt.points_label.text() == "امتیاز: ۵"


def test_the_reading_of_41_is_shown_under_the_band_scale(qtbot, ruleset) -> None:
    dialog = QuestionnaireDialog(ruleset, "علی کریمی")
    qtbot.addWidget(dialog)
    dialog.show()
    label = dialog.findChild(QLabel, "band_rule_label")
    assert label is not None and label.isVisible() and label.text() == ruleset.band_rule
    assert label.text().startswith("امتیاز ۴۱ در ردیف ۴۰٪ است")
    assert not any(ch.isascii() and ch.isdigit() for ch in label.text())
    scale = dialog.panel.scale
    assert scale.geometry().bottom() < label.geometry().top()


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



# --- the guide -------------------------------------------------------------------------


def test_the_guide_is_the_repository_file_with_every_image(qtbot, window) -> None:
    guide = guide_path()
    assert guide == paths.docs_dir() / "user-guide-fa.md"
    markdown = guide.read_text(encoding="utf-8")
    written = image_paths(markdown)
    assert written, "the guide shows screenshots"
    for name in written:
        assert QImageReader(str(guide.parent / name)).canRead(), name

    help_ = show_help(window)
    shown = help_.image_names()
    assert sorted(shown) == sorted(written)
    room = help_.browser.viewport().width()
    for name in shown:  # found through the search path, as the document draws them
        image = help_.browser.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert image is not None and not image.isNull(), name
    document = help_.browser.document()
    # As the page settles (the scroll bar coming up narrows it once more).
    qtbot.waitUntil(lambda: document.idealWidth() <= help_.browser.viewport().width() + 1,
                    timeout=2000)
    assert help_.browser.viewport().width() <= room
    assert "پرسشنامه" in document.toPlainText()


def test_the_guide_tells_the_index_edges_where_the_questionnaire_is(ruleset) -> None:
    """The two open cases, the «more than» edge and the 41 reading, in the guide's
    questionnaire section, as the rule file decided them."""
    text = guide_path().read_text(encoding="utf-8")
    section = text[text.index('<a id="questionnaire"></a>'):text.index('<a id="form1"></a>')]
    flat = re.sub(r"\s+", " ", section)
    for criterion_id in ("sick_children", "housing"):
        (decision,) = ruleset.criterion(criterion_id).decisions
        first_sentence = decision.split(":")[0]
        assert first_sentence in flat, criterion_id
    assert "بدهی درست یک میلیون تومان (۱۰۰۰ هزار تومان) «۵۰۰ هزار تا یک میلیون» است" in flat
    assert "امتیاز ۴۱ در ردیف ۴۰ درصد است" in flat
    table = flat[flat.index("| امتیاز |"):]
    assert "| ۰ تا ۴۰ | ۳۰ درصد |" in table and "| ۴۱ تا ۵۰ | ۴۰ درصد |" in table


def test_every_paragraph_of_the_guide_is_laid_out_after_the_screenshots_fit(
        qtbot) -> None:
    """A refitted screenshot leaves none of the text after it without room: the list
    under the questionnaire's screenshot (the index's edges among it) is drawn."""
    help_ = HelpWindow()
    qtbot.addWidget(help_)
    help_.resize(1100, 700)  # the page narrower than the questionnaire's screenshot
    help_.show()
    QApplication.processEvents()
    assert help_.browser.viewport().width() < 1100
    document = help_.browser.document()
    layout = document.documentLayout()
    page = help_.browser.viewport().width()
    block, unlaid = document.begin(), []
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        if block.text().strip() and not (0 < rect.width() <= page and rect.height() > 0):
            unlaid.append(block.text()[:40])
        block = block.next()
    assert unlaid == []


def test_the_guide_opens_at_the_close_quarter_section(qtbot, window) -> None:
    help_ = show_help(window, section=help_window.SECTION_CLOSE_QUARTER)
    assert help_window.SECTION_CLOSE_QUARTER == "close-quarter"
    block = help_.browser.document().findBlockByNumber(help_.sections["close-quarter"])
    assert block.text().strip() == "فرم شماره دو و بستن فصل"
    top = help_.browser.document().documentLayout().blockBoundingRect(block).top()
    bar = help_.browser.verticalScrollBar()
    assert bar.value() > 0 and (abs(bar.value() - top) <= 2 or bar.value() == bar.maximum())
    at_top = help_.browser.cursorForPosition(QPoint(help_.browser.viewport().width() // 2, 4))
    assert at_top.block().blockNumber() >= block.blockNumber() - 1
    assert help_.contents.currentItem().text().strip() == block.text().strip()
    section = help_.browser.document().toPlainText().split(block.text(), 1)[1]
    for words in ("رئیس بیمارستان", "بازگشایی", "بسته", "بررسی‌ها پیش از بستن فصل"):
        assert words in section

    assert help_.show_section("no-such-section") is False
    # Every section the program names is in the guide.
    named = [value for name, value in vars(help_window).items() if name.startswith("SECTION_")]
    assert named and all(section_id in help_.sections for section_id in named)


def test_the_contents_and_links_move_about_the_guide(qtbot, window) -> None:
    help_ = show_help(window)
    bar = help_.browser.verticalScrollBar()
    assert bar.value() == 0
    titles = [help_.contents.item(row).text() for row in range(help_.contents.count())]
    assert "هزینه‌ها و حمایت" in titles and len(titles) == len(help_.sections)
    item = help_.contents.item(titles.index("هزینه‌ها و حمایت"))
    help_.contents.itemClicked.emit(item)
    costs_at = bar.value()
    assert costs_at > 0
    help_.browser.anchorClicked.emit(QUrl("#backups"))  # a link inside the guide
    assert bar.value() > costs_at


def test_the_guide_is_found_in_a_frozen_build(tmp_path, monkeypatch) -> None:
    bundle = tmp_path / "bundle"  # what PyInstaller unpacks: resources/ and docs/ side by side
    shutil.copytree(RESOURCES, bundle / "resources")
    (bundle / "docs").mkdir(parents=True)
    (bundle / "docs" / "user-guide-fa.md").write_text("# راهنما\n", encoding="utf-8")
    monkeypatch.setattr("sys._MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr("sys.frozen", True, raising=False)
    assert paths.docs_dir() == bundle.resolve() / "docs"


def test_the_guide_file_is_where_the_build_bundles_it() -> None:
    """The frozen build bundles docs/user-guide-fa.md and docs/screenshots beside
    resources/; the guide must not point outside those."""
    root = Path(paths.docs_dir())
    for name in image_paths(guide_path().read_text(encoding="utf-8")):
        assert (root / name).resolve().is_relative_to(root / "screenshots"), name


def test_a_missing_guide_is_said_in_persian(qtbot, monkeypatch) -> None:
    def missing():
        raise FileNotFoundError("docs/user-guide-fa.md")

    monkeypatch.setattr(paths, "docs_dir", missing)
    help_ = HelpWindow()
    qtbot.addWidget(help_)
    assert "راهنمای برنامه پیدا نشد" in help_.browser.toPlainText()



# --- the Help menu and «درباره» --------------------------------------------------------


def test_the_help_menu_holds_the_guide_whats_this_and_about(window) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "راهنما")
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["راهنمای برنامه", "این چیست؟", "درباره میز حمایت…"]
    assert window.help_action.shortcut().toString() == "F1"
    assert window.whats_this_action.shortcut().toString() == "Shift+F1"


def test_the_guide_opens_from_the_menu_and_from_f1(qtbot, window) -> None:
    window.help_action.trigger()
    shown = help_windows(window)
    assert len(shown) == 1 and "راهنمای" in shown[0].windowTitle()
    shown[0].close()
    qtbot.waitUntil(lambda: not help_windows(window))

    activate(window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert len(help_windows(window)) == 1
    window.help_action.trigger()  # again: the same window, brought to the front
    assert len(help_windows(window)) == 1


def test_about_names_the_version_the_rules_and_the_database(qtbot, window) -> None:
    seen: dict[str, str] = {}

    def read(dialog) -> None:
        assert isinstance(dialog, AboutDialog)
        seen.update({name: label.text() for name, label in dialog.values.items()})
        dialog.font_licence_button.click()
        assert dialog.font_licence.isVisible()
        seen["font_licence"] = dialog.font_licence.toPlainText()
        dialog.reject()

    run_modal(window.about_action.trigger, read)
    context = window.context
    assert __version__ in seen["version"]
    ruleset = context.rulebook.active()
    assert ruleset.id in seen["ruleset"] and ruleset.name in seen["ruleset"]
    assert "۱۳۸۸/۰۵/۲۵" in seen["ruleset"]  # the date it took effect, Jalali
    assert "۴۴ قطب" in seen["reference"]
    assert context.database.location in seen["database"]
    assert "Qt" in seen["platform"] and "Python" in seen["platform"]
    assert "Vazirmatn" in seen["font"] and "SIL Open Font License 1.1" in seen["font"]
    assert "SIL OPEN FONT LICENSE Version 1.1" in seen["font_licence"]
    assert "Proprietary" in seen.get("licence", "Proprietary")  # as pyproject.toml says


def test_about_shows_a_server_database_without_its_password(qtbot, window, monkeypatch) -> None:
    from sqlalchemy import create_engine

    url = "postgresql+psycopg://clerk:s3cret-pass@db.hospital.example/cancer_desk"
    engine = create_engine(url)  # not connected: only named
    server = dataclasses.replace(window.context.database, url=url, engine=engine,
                                 sqlite_file=None)
    monkeypatch.setattr(window.context, "database", server)
    dialog = AboutDialog(window.context, window)
    qtbot.addWidget(dialog)
    shown = dialog.values["database"].text()
    assert "db.hospital.example" in shown and "clerk" in shown
    assert "s3cret-pass" not in shown
    everything = " ".join(label.text() for label in dialog.values.values())
    assert "s3cret-pass" not in everything
    engine.dispose()


def test_a_screenshot_fitted_to_the_page_opens_at_its_own_size(qtbot, window) -> None:
    """The guide's pictures are made smaller to fit the page; a click on one shows it as
    large as it was taken (the words in it readable)."""
    help_ = show_help(window)
    help_.resize(700, 600)  # a small window: every screenshot is shrunk
    document = help_.browser.document()
    qtbot.waitUntil(lambda: document.idealWidth() <= help_.browser.viewport().width() + 1,
                    timeout=2000)
    name = "screenshots/questionnaire.png"
    block = document.begin()
    target = None
    while block.isValid() and target is None:
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            image = fragment.charFormat().toImageFormat()
            if image.isValid() and image.name() == name:
                target = fragment.position()
            iterator += 1
        block = block.next()
    assert target is not None, "the guide shows the questionnaire"
    cursor = QTextCursor(document)
    cursor.setPosition(target)
    help_.browser.setTextCursor(cursor)
    help_.browser.ensureCursorVisible()
    QApplication.processEvents()
    spot = help_.browser.cursorRect(cursor).center()
    spot.setX(spot.x() - 5 if help_.browser.layoutDirection() == Qt.LayoutDirection.RightToLeft
              else spot.x() + 5)
    assert help_.image_at(QPointF(spot)) == name
    natural = QImageReader(str(paths.docs_dir() / name)).size()
    qtbot.mouseClick(help_.browser.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    viewer = help_.findChild(QDialog, "help_image")
    assert viewer is not None and viewer.isVisible()
    picture = viewer.findChild(QLabel, "help_image_picture")
    assert picture.pixmap().size() == natural
    viewer.close()
