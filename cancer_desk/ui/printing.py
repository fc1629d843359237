"""Printing from the window: write the PDF, then open it or send it to a printer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QRectF, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from cancer_desk.paths import user_data_dir
from cancer_desk.print.registry import DOCUMENTS, render_document


def prints_dir() -> Path:
    folder = user_data_dir() / "prints"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_pdf(kind: str, documents, patient_id: int, national_code: str) -> Path:
    """Render to the prints folder under a name that says what and when."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = prints_dir() / f"{DOCUMENTS[kind].name}-{national_code}-{stamp}.pdf"
    return render_document(kind, documents, patient_id, target)


def open_pdf(path: Path) -> bool:
    """Hand the file to the system's PDF viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


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
    painter = QPainter()
    try:
        if not painter.begin(printer):
            return False
        for index in range(len(pdf)):
            if index:
                printer.newPage()
            bitmap = pdf[index].render(scale=printer.resolution() / 72, rev_byteorder=True)
            qimage = page_image(bitmap)
            target = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
            target.moveTo(0, 0)
            painter.drawImage(target, qimage)
    finally:
        painter.end()
        pdf.close()
    return True
