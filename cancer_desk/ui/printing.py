"""Printing from the window: write the PDF, then open it or send it to a printer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QRectF, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QMessageBox, QWidget

from cancer_desk.paths import keep_private, user_data_dir
from cancer_desk.print.registry import DOCUMENTS, render_document
from cancer_desk.ui.text import ltr

PRINT_DPI = 300


def prints_dir() -> Path:
    """Printed forms carry patients' data: the folder is its owner's alone."""
    folder = user_data_dir() / "prints"
    keep_private(folder, folder=True)
    return folder


KEEP_PRINTS_DAYS = 30


def print_target(stem: str, now: dt.datetime | None = None) -> Path:
    """A new file in the prints folder for each print: ``stem``, the time, and a counter
    if that name is taken, so a copy still open in a viewer is never written over (on
    Windows the viewer's lock would make the print fail). The name says what and when —
    not whose: the folder is on a shared ward PC, so no national code or name goes in a
    file name. Copies older than a month are removed on the way."""
    folder = prints_dir()
    prune(folder, dt.timedelta(days=KEEP_PRINTS_DAYS))
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{stem}-{stamp}.pdf"
    count = 1
    while target.exists() or target.with_name(target.name + ".partial").exists():
        count += 1
        target = folder / f"{stem}-{stamp}-{count}.pdf"
    return target


def write_pdf(kind: str, documents, subject: int) -> Path:
    """Render a patient's (or a referral's) document to a new file of the prints folder."""
    target = print_target(f"{DOCUMENTS[kind].name}-{subject}")
    return render_document(kind, documents, subject, target)


def prune(folder: Path, older_than: dt.timedelta) -> int:
    cutoff = dt.datetime.now().timestamp() - older_than.total_seconds()
    removed = 0
    for path in folder.glob("*.pdf"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            continue  # open in a viewer, or already gone: try again next time
    return removed


def open_pdf(path: Path) -> bool:
    """Hand the file to the system's PDF viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


NO_VIEWER_FA = "نمایشگر PDF باز نشد. پرونده اینجاست:"


def show_pdf(parent: QWidget | None, path: Path, *, title: str = "PDF",
             done: str = "") -> bool:
    """Open the file in the viewer, or — none opened — tell where it is, by its full
    path: a print is never silent. ``done`` goes first (what was written)."""
    if open_pdf(path):
        return True
    lead = f"{done}\n" if done else ""
    QMessageBox.information(parent, title, f"{lead}{NO_VIEWER_FA}\n{ltr(str(path.resolve()))}")
    return False


def page_image(bitmap) -> QImage:
    """A PDFium bitmap (RGB byte order) as a QImage that owns its pixels."""
    image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                   QImage.Format.Format_RGB888)
    return image.copy()


def print_pdf(path: Path, parent: QWidget | None = None) -> bool:
    """Ask for a printer, then draw each page on it.

    Qt cannot print a PDF by itself, so each page is rasterised with PDFium at the
    printer's resolution (pypdfium2) and painted onto the page.
    """
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("چاپ")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    # 300 dpi is sharp on paper; a 1200 dpi printer would need ~400 MB a page.
    dpi = min(printer.resolution(), PRINT_DPI)
    painter = QPainter()
    try:
        if not painter.begin(printer):
            return False
        for index in range(len(pdf)):
            if index:
                printer.newPage()
            bitmap = pdf[index].render(scale=dpi / 72, rev_byteorder=True)
            image = page_image(bitmap)
            bitmap.close()
            area = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
            area.moveTo(0, 0)
            painter.drawImage(fit_keeping_aspect(area, image.width(), image.height()), image)
    finally:
        painter.end()
        pdf.close()
    return True


def fit_keeping_aspect(area: QRectF, width: int, height: int) -> QRectF:
    """The largest rectangle of the image's proportions inside ``area``, centred."""
    scale = min(area.width() / width, area.height() / height)
    fitted = QRectF(0, 0, width * scale, height * scale)
    fitted.moveCenter(area.center())
    return fitted


def print_failure_fa(error: BaseException) -> str:
    """Why a print was not written, in Persian: the document's own reason (a form that
    cannot be printed yet) or the disk's."""
    return getattr(error, "message_fa", None) or f"پرونده چاپی نوشته نشد: {error}"
