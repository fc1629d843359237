"""The chosen patient's papers: Form 1, the support sheet and the referral to the
accounts office, on screen, to the printer, or signed with the hospital's certificate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from cancer_desk.core.access import Action
from cancer_desk.core.costs import money
from cancer_desk.services.documents import DocumentUnavailableError
from cancer_desk.services.referrals import NothingToReferError
from cancer_desk.ui import records_changed
from cancer_desk.ui.printing import print_failure_fa, print_pdf, show_pdf, write_pdf
from cancer_desk.ui.text import fa, jdate

if TYPE_CHECKING:
    from cancer_desk.ui.main_window import MainWindow


class PrintRoom:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.context = window.context

    def referral_to_print(self, patient_id: int, action: str) -> int | None:
        """A new referral of the costs not referred yet (after a confirmation), or an
        earlier one chosen from the list (all that a director, who does not refer costs,
        is offered)."""
        window = self.window
        if action == "reprint" or Action.EDIT_COSTS not in window.allowed:
            earlier = self.context.referrals.list(patient_id)
            if not earlier:
                QMessageBox.information(window, "معرفی‌نامه", "برای این بیمار هنوز "
                                                          "معرفی‌نامه‌ای صادر نشده است.")
                return None
            labels = [f"شماره {fa(r.number)} — {jdate(r.created_on)} — {fa(r.items)} قلم، "
                      f"حمایت {money(r.total_support)}" for r in reversed(earlier)]
            choice, ok = QInputDialog.getItem(window, "چاپ دوباره معرفی‌نامه", "معرفی‌نامه:",
                                              labels, 0, False)
            return list(reversed(earlier))[labels.index(choice)].number if ok else None
        waiting = [c for c in self.context.costs.list(patient_id) if c.referral is None]
        if not waiting:
            QMessageBox.information(window, "معرفی‌نامه",
                                    NothingToReferError(patient_id).message_fa)
            return None
        if not self.context.assessments.history(patient_id, limit=1):
            QMessageBox.warning(window, "معرفی‌نامه", "این بیمار هنوز ارزیابی نشده است.")
            return None
        support = sum(c.support.amount for c in waiting)
        answer = QMessageBox.question(
            window, "معرفی به حسابداری",
            f"{fa(len(waiting))} قلم هزینه با جمع حمایت {money(support)} به حسابداری معرفی "
            "می‌شود و پس از آن دیگر قابل ویرایش نیست. معرفی‌نامه صادر شود؟")
        if answer != QMessageBox.StandardButton.Yes:
            return None
        number = self.context.referrals.create(patient_id).number
        window.records.announce(records_changed.COSTS, patient_id)  # now referred
        return number

    def print_paper(self, kind: str, action: str) -> None:
        """``kind``: form1, support or referral; ``action``: show, printer, signed or
        reprint (as the panel's print menu names them)."""
        window = self.window
        patient_id = window.current_patient_id()
        if patient_id is None:
            return
        subject = patient_id  # or, for a referral, the referral's number
        if kind == "referral":
            number = self.referral_to_print(patient_id, action)
            if number is None:
                return
            subject = number
        passphrase = None
        if action == "signed":
            if not window.shown_sealed:
                QMessageBox.information(window, "امضای دیجیتال",
                                        "فرم ۱ این بیمار هنوز تأیید نشده است؛ تنها فرم "
                                        "تأییدشده امضا می‌شود.")
                return
            passphrase = self.ask_signing_passphrase()
            if passphrase is None:
                return
        from cancer_desk.print.signing import SigningError  # cryptography, when printing

        try:
            path = write_pdf(kind, self.context.documents, subject)
            if passphrase is not None:
                self._sign_in_place(patient_id, path, passphrase)
        except SigningError as exc:
            QMessageBox.warning(window, "امضا نشد", exc.message_fa)
            return
        except (DocumentUnavailableError, OSError) as exc:
            QMessageBox.warning(window, "چاپ نشد", print_failure_fa(exc))
            return
        window.statusBar().showMessage(f"نوشته شد: {path.name}", 8000)
        if action == "printer":
            print_pdf(path, window)
        else:
            show_pdf(window, path)

    def ask_signing_passphrase(self) -> str | None:
        passphrase, ok = QInputDialog.getText(
            self.window, "امضای دیجیتال", "رمز گواهی امضای بیمارستان:",
            QLineEdit.EchoMode.Password)
        return passphrase if ok else None

    def _sign_in_place(self, patient_id: int, path: Path, passphrase: str) -> None:
        """Replace the PDF just written by its signed copy, or remove it: an unsigned
        file is never left where a signed one was asked for."""
        try:
            signed = self.context.signing.sign_form1(patient_id, path.read_bytes(),
                                                     passphrase)
            path.write_bytes(signed)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
