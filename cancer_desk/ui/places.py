"""Where the program's file dialogs start: the person's Documents folder (from which the
dialog's side bar reaches a USB disk), never the program's own folder, which is where a
file dialog starts when given a bare name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def documents_dir() -> Path:
    folder = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(folder) if folder else Path.home()
    return path if path.is_dir() else Path.home()
