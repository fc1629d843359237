"""The help window: the Persian user guide, ``docs/user-guide-fa.md`` — the same file the
repository shows, so there is one guide, not two copies — with its screenshots.

A section is named in the guide by an anchor at the end of its heading,
``## فرم شماره دو و بستن فصل <a id="close-quarter"></a>``: GitHub links to it, Qt's
Markdown reader drops the tag (at the start of a heading it drops the heading's look
with it), and this window puts the name back on the heading so that :func:`show_help`
can open the guide there.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QImageReader,
    QPixmap,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
    QTextTable,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cancer_desk import paths
from cancer_desk.ui import theme
from cancer_desk.ui.screen_fit import fit_to_screen

GUIDE_FILENAME = "user-guide-fa.md"
# The sections other windows open the guide at (their ids in the guide's headings).
SECTION_START = "start"
SECTION_PATIENTS = "patients"
SECTION_QUESTIONNAIRE = "questionnaire"
SECTION_FORM1 = "form1"
SECTION_COSTS = "costs"
SECTION_CLOSE_QUARTER = "close-quarter"
SECTION_BACKUPS = "backups"
SECTION_TROUBLE = "trouble"

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ANCHOR = re.compile(r"""<a\s+(?:id|name)\s*=\s*["']([^"']+)["']\s*>\s*</a>""")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMAGE_MARGIN = 24  # the document's margin and a scroll bar's room


def guide_path() -> Path:
    return paths.docs_dir() / GUIDE_FILENAME


def guide_sections(markdown: str) -> list[tuple[int, str]]:
    """The guide's headings in order: (level, section id or "")."""
    sections = []
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            anchor = _ANCHOR.search(match.group(2))
            sections.append((len(match.group(1)), anchor.group(1) if anchor else ""))
    return sections


def image_paths(markdown: str) -> list[str]:
    """Every image the guide shows, as written (relative to the guide's folder)."""
    return _IMAGE.findall(markdown)


class HelpWindow(QDialog):
    """Not modal: it stays open beside the work it explains."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help_window")
        self.setWindowTitle("راهنمای برنامه")  # Qt adds the program's name
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        # Wide enough for the screenshots to be read on a 1366×768 ward screen (they are
        # made smaller only on a smaller one; a click shows one at its own size).
        fit_to_screen(self, 1340, 700)
        self.folder: Path | None = None
        self.sections: dict[str, int] = {}  # section id → heading's block number
        self._image_widths: dict[str, int] = {}  # image → its width in pixels
        self._fitting = False
        self._fit_again = False

        self.browser = QTextBrowser()
        self.browser.setObjectName("help_browser")
        self.browser.setAccessibleName("متن راهنما")
        self.browser.setOpenLinks(False)  # fragments and web addresses handled below
        self.browser.anchorClicked.connect(self._on_link)
        # The page's width changes with the window and with the contents list beside it:
        # the screenshots are fitted again whenever it does.
        self.browser.viewport().installEventFilter(self)
        # (The scroll bar coming up narrows the page without always telling the filter.)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_images)
        self.browser.verticalScrollBar().rangeChanged.connect(self._on_page_range_changed)
        self.browser.viewport().setMouseTracking(True)
        document = self.browser.document()
        document.setDefaultFont(QFont(theme.FONT_FAMILY, theme.FONT_POINT_SIZE + 1))
        option = QTextOption(document.defaultTextOption())
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        document.setDefaultTextOption(option)
        document.setDocumentMargin(12)

        self.contents = QListWidget()
        self.contents.setObjectName("help_contents")
        self.contents.setAccessibleName("فهرست راهنما")
        self.contents.setFixedWidth(210)
        self.contents.setWordWrap(True)
        self.contents.itemClicked.connect(self._on_contents_clicked)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        buttons.rejected.connect(self.close)
        middle = QHBoxLayout()
        middle.addWidget(self.contents)
        middle.addWidget(self.browser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(middle, 1)
        layout.addWidget(buttons)
        self.load()

    # --- the guide -------------------------------------------------------------------

    def load(self) -> None:
        try:
            path = guide_path()
            markdown = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:  # missing from a build, say
            self.browser.setPlainText("راهنمای برنامه پیدا نشد یا خوانده نشد؛ به پشتیبانی "
                                      f"خبر دهید.\n\n{exc}")
            return
        self.folder = path.parent
        # Images are written relative to the guide («screenshots/…»), as GitHub reads them.
        self.browser.setSearchPaths([str(self.folder)])
        self.browser.setMarkdown(markdown)
        self._name_sections(guide_sections(markdown))
        self._align_tables()
        self._measure_images()
        self._fit_images()

    def _heading_blocks(self):
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                yield block
            block = block.next()

    def _name_sections(self, sections: list[tuple[int, str]]) -> None:
        """Put each heading's id back on it (as an anchor name, so that links to
        ``#close-quarter`` and :meth:`show_section` find it), and list the chapters."""
        self.contents.clear()
        self.sections.clear()
        for block, (level, section_id) in zip(self._heading_blocks(), sections,
                                              strict=False):
            if section_id:
                cursor = QTextCursor(block)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                    QTextCursor.MoveMode.KeepAnchor)
                anchor = QTextCharFormat()
                anchor.setAnchor(True)
                anchor.setAnchorNames([section_id])
                cursor.mergeCharFormat(anchor)
                self.sections[section_id] = block.blockNumber()
            if level == 2:
                item = QListWidgetItem(block.text().strip())
                item.setData(Qt.ItemDataRole.UserRole, block.blockNumber())
                self.contents.addItem(item)

    def _align_tables(self) -> None:
        """Tables on the right, where the text starts (Qt lays their columns right to
        left already, but puts the table itself on the left)."""
        for frame in self.browser.document().rootFrame().childFrames():
            if isinstance(frame, QTextTable):
                table_format = frame.format()
                table_format.setAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignAbsolute)
                frame.setFormat(table_format)

    def image_names(self) -> list[str]:
        """The images the document shows, as named in the guide."""
        names = []
        block = self.browser.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.charFormat().isImageFormat():
                    names.append(fragment.charFormat().toImageFormat().name())
                iterator += 1
            block = block.next()
        return names

    def _measure_images(self) -> None:
        self._image_widths.clear()
        assert self.folder is not None
        for name in self.image_names():
            size = QImageReader(str(self.folder / name)).size()
            if size.isValid():
                self._image_widths[name] = size.width()

    def _fit_images(self) -> None:
        """A screenshot wider than the page is shown at the page's width (its height
        follows), so the text beside it never needs a sideways scroll."""
        # Fitting changes the page's height, which may bring up the scroll bar, which
        # narrows the page while the fitting runs: then it is done again, a few times at
        # most (the scroll bar stays once it is there).
        if self._fitting:
            self._fit_again = True
            return
        self._fitting = True
        try:
            for _ in range(3):
                self._fit_again = False
                self._fit_images_once()
                if not self._fit_again:
                    break
        finally:
            self._fitting = False

    def _fit_images_once(self) -> None:
        room = max(200, self.browser.viewport().width() - IMAGE_MARGIN)
        document = self.browser.document()
        changed = False
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                image = fragment.charFormat().toImageFormat()
                natural = self._image_widths.get(image.name()) if image.isValid() else None
                if natural:
                    width = min(natural, room)
                    if round(image.width()) != width:
                        image.setWidth(width)
                        cursor = QTextCursor(document)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(fragment.position() + fragment.length(),
                                           QTextCursor.MoveMode.KeepAnchor)
                        cursor.setCharFormat(image)
                        changed = True
                iterator += 1
            block = block.next()
        if changed:
            # Qt lays out again only the image's own paragraph: the list items after a
            # narrowed screenshot kept no width at all and were not drawn (the whole
            # questionnaire section's text after its screenshot, up to the next one).
            document.markContentsDirty(0, document.characterCount())

    def _on_page_range_changed(self, _minimum: int, _maximum: int) -> None:
        self._refit.start()  # once, after the changes of this moment

    def image_at(self, position) -> str:
        """The screenshot under ``position`` (in the page's own coordinates), or ""."""
        browser = self.browser
        point = QPointF(position.x() + browser.horizontalScrollBar().value(),
                        position.y() + browser.verticalScrollBar().value())
        return browser.document().documentLayout().imageAt(point)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.browser.viewport():
            kind = event.type()
            if kind == QEvent.Type.Resize:
                self._fit_images()
            elif kind == QEvent.Type.MouseMove:
                over = bool(self.image_at(event.position()))
                watched.setCursor(Qt.CursorShape.PointingHandCursor if over
                                  else Qt.CursorShape.IBeamCursor)
            elif (kind == QEvent.Type.MouseButtonRelease
                  and event.button() == Qt.MouseButton.LeftButton
                  and (name := self.image_at(event.position()))):
                self.show_image(name)
                return True
        return super().eventFilter(watched, event)

    def show_image(self, name: str) -> QDialog:
        """A screenshot at its own size, in a window of its own (scrolled where the screen
        is smaller)."""
        assert self.folder is not None
        viewer = QDialog(self)
        viewer.setObjectName("help_image")
        viewer.setWindowTitle("تصویر راهنما")
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picture = QLabel()
        picture.setObjectName("help_image_picture")
        picture.setPixmap(QPixmap(str(self.folder / name)))
        scroll = QScrollArea()
        scroll.setWidget(picture)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        buttons.rejected.connect(viewer.close)
        layout = QVBoxLayout(viewer)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        size = picture.sizeHint()
        fit_to_screen(viewer, size.width() + 40, size.height() + 80)
        viewer.show()
        return viewer

    # --- moving about ----------------------------------------------------------------

    def show_section(self, section_id: str) -> bool:
        """Scroll to a section of the guide; ``False`` if the guide has no such section."""
        if section_id not in self.sections:
            return False
        self.browser.scrollToAnchor(section_id)
        block_number = self.sections[section_id]
        for row in range(self.contents.count()):
            item = self.contents.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == block_number:
                self.contents.setCurrentItem(item)
        return True

    def _on_contents_clicked(self, item: QListWidgetItem) -> None:
        block = self.browser.document().findBlockByNumber(item.data(Qt.ItemDataRole.UserRole))
        section_id = next((s for s, n in self.sections.items() if n == block.blockNumber()), "")
        if section_id:
            self.browser.scrollToAnchor(section_id)
        else:
            top = self.browser.document().documentLayout().blockBoundingRect(block).top()
            self.browser.verticalScrollBar().setValue(round(top))

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.path():
            self.show_section(url.fragment())


def show_help(parent: QWidget | None = None, section: str | None = None) -> HelpWindow:
    """Open the guide (one window per top-level window, brought to the front if open
    already), at ``section`` if given — e.g. ``show_help(self, section="close-quarter")``
    from the Form 2 window. A modal dialog's own help is its child, so the dialog does
    not block it."""
    owner = parent.window() if parent is not None else None
    window = owner.findChild(HelpWindow, "help_window",
                             Qt.FindChildOption.FindDirectChildrenOnly) if owner else None
    if window is None:  # closing only hides it: the next F1 shows it again, as it was
        window = HelpWindow(owner)
    window.show()
    window.raise_()
    window.activateWindow()
    if section:
        window.show_section(section)
    return window
