"""Right-to-left Persian look: locale, layout direction and the bundled Vazirmatn font."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from cancer_desk.paths import resources_dir

FONT_FAMILY = "Vazirmatn"
FONT_POINT_SIZE = 10
PERSIAN_LOCALE = QLocale(QLocale.Language.Persian, QLocale.Country.Iran)

STYLESHEET = """
QGroupBox { font-weight: bold; margin-top: 10px; padding-top: 6px; }
QGroupBox::title { subcontrol-origin: margin; subcontrol-position: top left; padding: 0 6px; }
QLabel[role="error"] { color: #b3261e; }
QLabel[role="hint"] { color: #5f6368; }
QLabel[role="title"] { font-size: 15pt; font-weight: bold; }
QLabel[role="notice"] { color: #8a5a00; }
QLabel[role="score"] { font-size: 26pt; font-weight: bold; }
QLabel[role="coverage"] { font-size: 16pt; font-weight: bold; color: #1a5f3a; }
QFrame[role="banner"] { background: #fff4e5; border: 1px solid #f0b35a; border-radius: 4px; }
"""


def load_fonts() -> str:
    """Register the bundled fonts with Qt; returns the family name to use."""
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))
    return FONT_FAMILY


def install_qt_translation(app: QGuiApplication) -> bool:
    """Qt's own words in Persian: the buttons of every message box and dialog («بله»,
    «نه», «انصراف» …), the context menu of text fields. From the translations PySide6
    ships (qtbase_fa)."""
    if app.property("cancer_desk_translator") is not None:
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(PERSIAN_LOCALE, "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    # Kept alive as long as the application: Qt does not own an installed translator.
    app.setProperty("cancer_desk_translator", translator)
    return True


def apply_theme(app: QGuiApplication) -> None:
    QLocale.setDefault(PERSIAN_LOCALE)
    install_qt_translation(app)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    family = load_fonts()
    font = QFont(family, FONT_POINT_SIZE)
    app.setFont(font)
    if hasattr(app, "setStyleSheet"):
        app.setStyleSheet(STYLESHEET)
