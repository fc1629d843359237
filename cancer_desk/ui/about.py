"""«درباره میز حمایت»: what a person tells support — the program and its version, the
rule set and reference data in force, where the database is, the Python and Qt under
it — and the licences: the program's and the Vazirmatn font's (SIL OFL 1.1, whose
text must travel with the font)."""

from __future__ import annotations

import importlib.metadata
import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cancer_desk import APP_NAME, APP_NAME_FA, __version__, paths
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa, jdate, ltr

DISTRIBUTION = "cancer-desk"
FONT_LICENCE_FILE = "OFL.txt"
FONT_LICENCE_NAME = "SIL Open Font License 1.1"
# The licence pyproject.toml declares, in words a person reads; any other is shown as is.
LICENCE_WORDS_FA = {"proprietary": "اختصاصی؛ همه حقوق برای سازنده محفوظ است"}
# A line that starts with a path or a version is a left-to-right paragraph, which Qt
# would put on the left, away from its label: every value keeps to the right.
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignTop


def program_licence() -> str:
    """The licence the package declares (pyproject.toml's ``license``), or "" where the
    package's metadata is not at hand (a frozen build may leave it out)."""
    try:
        metadata = importlib.metadata.metadata(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return ""
    # PackageMetadata is an email.message.Message: a missing field reads None.
    return (metadata["License-Expression"] or metadata["License"] or "").strip()


def font_licence_text() -> str:
    path = paths.resources_dir() / "fonts" / FONT_LICENCE_FILE
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return f"{FONT_LICENCE_NAME}: https://openfontlicense.org"


class AboutDialog(QDialog):
    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle("درباره برنامه")  # Qt adds the program's name
        self.context = context

        title = QLabel(APP_NAME_FA)
        title.setObjectName("about_title")
        title.setProperty("role", "title")
        english = QLabel(ltr(APP_NAME))
        english.setObjectName("about_english_name")
        english.setProperty("role", "hint")
        english.setAlignment(RIGHT)

        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for name, label, text in self._rows():
            value = QLabel(text)
            value.setObjectName(f"about_{name}")
            value.setWordWrap(True)
            value.setAlignment(RIGHT)
            # Copied into a message to support, whole: a path or a version by hand is
            # easily mistyped.
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[name] = value
            form.addRow(f"{label}:", value)

        self.font_licence_button = QToolButton()
        self.font_licence_button.setObjectName("font_licence_button")
        self.font_licence_button.setText("متن کامل پروانه قلم")
        self.font_licence_button.setCheckable(True)
        self.font_licence_button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.font_licence_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.font_licence_button.toggled.connect(self._on_font_licence_toggled)
        self.font_licence = QPlainTextEdit(font_licence_text())
        self.font_licence.setObjectName("font_licence_text")
        self.font_licence.setAccessibleName("متن کامل پروانه قلم")
        self.font_licence.setReadOnly(True)
        self.font_licence.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # English
        self.font_licence.setMinimumHeight(220)
        self.font_licence.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(english)
        layout.addLayout(form)
        layout.addWidget(self.font_licence_button, 0,
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        layout.addWidget(self.font_licence, 1)
        # Takes the spare height while the licence is folded away, so that the rows above
        # keep their places instead of spreading over the window.
        self._filler_index = layout.count()
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)
        fit_to_screen(self, 620, layout.heightForWidth(620) if layout.hasHeightForWidth()
                      else self.sizeHint().height())

    def _rows(self) -> list[tuple[str, str, str]]:
        context = self.context
        ruleset = context.rulebook.active()
        others = [r for r in context.rulebook if r.id != ruleset.id]
        rules = (f"{ruleset.name} ({ltr(ruleset.id)})، از {jdate(ruleset.effective_from)}\n"
                 f"{ruleset.title}")
        if others:
            rules += "\nدیگر قواعد شناخته‌شده: " + "، ".join(
                f"{r.name} ({ltr(r.id)})" for r in others)
        reference = context.reference
        reference_text = (f"{fa(len(reference.hubs))} قطب درمانی، "
                          f"{fa(len(reference.cancer_groups))} گروه سرطان، "
                          f"{fa(len(reference.provinces))} استان\n"
                          + ltr(str(paths.resources_dir() / "reference")))
        rows = [
            ("version", "نسخه", ltr(__version__)),
            ("ruleset", "شاخص در حال اجرا", rules),
            ("reference", "داده‌های پایه", reference_text),
            # The location, never the URL: a server's URL may carry its password.
            ("database", "پایگاه داده", ltr(context.database.location)),
            ("data_folder", "پوشه داده‌ها", ltr(str(_data_folder()))),
            ("platform", "پایتون، Qt و سیستم",
             ltr(f"Python {platform.python_version()} · Qt {qVersion()} "
                 f"(PySide6 {PySide6.__version__}) · {platform.system()} "
                 f"{platform.release()}")),
            ("font", "قلم", f"وزیرمتن (Vazirmatn) — {ltr(FONT_LICENCE_NAME)}"),
        ]
        licence = program_licence()
        if licence:
            words = LICENCE_WORDS_FA.get(licence.lower())
            rows.append(("licence", "پروانه برنامه",
                         f"{words} ({ltr(licence)})" if words else ltr(licence)))
        return rows

    def _on_font_licence_toggled(self, shown: bool) -> None:
        self.font_licence.setVisible(shown)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.setStretch(self._filler_index, 0 if shown else 1)
        self.font_licence_button.setArrowType(Qt.ArrowType.DownArrow if shown
                                              else Qt.ArrowType.LeftArrow)
        self.adjustSize()


def _data_folder() -> Path:
    try:
        return paths.user_data_dir()
    except OSError:  # a data folder that cannot be made is said elsewhere
        return Path("?")
