"""The hospital's certificate for signing printed PDFs: what is installed, and loading a
new one (an administrator's)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.jalali import format_jalali
from cancer_desk.services.access import AccessDeniedError
from cancer_desk.ui.field_form import FieldForm, form_buttons, latin_edit
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import ltr


def describe_certificate(info) -> str:
    if info is None:
        return "هنوز گواهی امضایی بارگذاری نشده است؛ PDFها بدون امضای دیجیتال چاپ می‌شوند."
    state = " — تاریخ آن گذشته است" if info.expired() else ""
    return (f"گواهی «{info.subject_name}» از «{info.issuer}»، معتبر از "
            f"{format_jalali(info.valid_from.date())} تا {format_jalali(info.valid_to.date())}"
            f"{state}\nاثر انگشت: {ltr(info.fingerprint_sha256[:32])}…")


class SigningCertificateDialog(FieldForm):
    def __init__(self, signing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._signing = signing
        self.installed = signing.installed()
        self.setWindowTitle("گواهی امضای دیجیتال")
        intro = QLabel("با گواهی بیمارستان (پرونده PKCS#12 با پسوند p12 یا pfx)، فرم ۱ "
                       "تأییدشده را می‌توان با امضای دیجیتال چاپ کرد؛ نمایشگر PDF نشان می‌دهد "
                       "چه کسی امضا کرده و برگه پس از امضا تغییر نکرده است. رمز گواهی هیچ‌جا "
                       "نگه داشته نمی‌شود و هنگام هر امضا پرسیده می‌شود.")
        intro.setWordWrap(True)
        self.current_label = QLabel(describe_certificate(self.installed))
        self.current_label.setObjectName("certificate_label")
        self.current_label.setWordWrap(True)
        self.current_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("certificate_file_edit")
        self.file_edit.setAccessibleName("پرونده گواهی")
        self.file_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        browse = QPushButton("انتخاب…")
        browse.clicked.connect(self._on_browse)
        file_row = QWidget()
        row = QHBoxLayout(file_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        self.passphrase_edit = latin_edit("passphrase_edit", secret=True)
        self.add_field("certificate_file", "پرونده گواهی:", file_row)
        self.add_field("passphrase", "رمز گواهی:", self.passphrase_edit)
        buttons = form_buttons("بارگذاری گواهی", self, cancel_text="بستن")
        buttons.accepted.connect(self._on_install)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.current_label)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, 360)

    def _on_browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "پرونده گواهی", "",
                                              "PKCS#12 (*.p12 *.pfx);;همه پرونده‌ها (*)")
        if path:
            self.file_edit.setText(path)

    def _on_install(self) -> None:
        from cancer_desk.print.signing import SigningError

        self.clear_errors()
        if not self.file_edit.text().strip():
            self.show_error("certificate_file", "«پرونده گواهی» را برگزینید.")
            return
        try:
            self.installed = self._signing.install(Path(self.file_edit.text().strip()),
                                                   self.passphrase_edit.text())
        except SigningError as exc:
            self.show_error(exc.field or None, exc.message_fa)
            return
        except AccessDeniedError as exc:
            self.show_error(None, exc.message_fa)
            return
        except OSError as exc:
            self.show_error("certificate_file", f"«پرونده گواهی» خوانده نشد: {exc}")
            return
        self.passphrase_edit.clear()
        self.current_label.setText(describe_certificate(self.installed))
        self.accept()
