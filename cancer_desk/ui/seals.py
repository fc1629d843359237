"""The director's seal on Form 1: approving it, lifting it with a reason, and checking a
printout's code against the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from cancer_desk.core.costs import money
from cancer_desk.core.jalali import local_date
from cancer_desk.services.seals import (
    MIN_REASON_LENGTH,
    SealCheck,
    SealRecord,
    SealRefusedError,
    SealService,
    SealStatus,
)
from cancer_desk.ui.reason_dialog import ReasonDialog
from cancer_desk.ui.screen_fit import fit_to_screen
from cancer_desk.ui.text import fa, jdate, ltr


def approve_form1(parent: QWidget, seals: SealService, patient_id: int, patient_name: str,
                  on_sealed: Callable[[], None] = lambda: None) -> SealRecord | None:
    """The director approves Form 1: a form that would be refused (incomplete, say) is
    refused at once, naming what it lacks, before any question; otherwise he confirms,
    it is sealed (``on_sealed`` then runs) and the code is told."""
    refusal = seals.refusal(patient_id)
    if refusal is not None:
        QMessageBox.warning(parent, "تأیید نشد", refusal.message_fa)
        return None
    if QMessageBox.question(
            parent, "تأیید فرم ۱",
            f"فرم ۱ «{patient_name}» همان‌گونه که هست تأیید و مهر شود؟ از این پس تا "
            "برداشتن مهر، مشخصات، ارزیابی‌ها و هزینه‌های این بیمار تغییر نمی‌کند و برگه "
            "چاپی کد و QR تأیید را دارد.") != QMessageBox.StandardButton.Yes:
        return None
    try:
        seal = seals.approve(patient_id)
    except SealRefusedError as exc:  # changed meanwhile, from another computer
        QMessageBox.warning(parent, "تأیید نشد", exc.message_fa)
        return None
    on_sealed()
    QMessageBox.information(parent, "فرم ۱ تأیید شد",
                            f"فرم ۱ تأیید و مهر شد؛ کد برگه: {ltr(seal.code)}\nاکنون آن "
                            "را چاپ کنید تا برای مهر و امضا برود.")
    return seal


def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def describe_check(check: SealCheck) -> str:
    """The answer, and what the sealed printout said: a genuine code on a paper whose
    figures were changed by hand is caught only by comparing them."""
    lines = [check.message_fa]
    seal = check.seal
    if seal is not None:
        lines.append(f"فرم ۱ «{check.patient_name}» (کد ملی {fa(check.national_code)})، "
                     f"تأییدشده به دست {seal.sealed_by} در {jdate(local_date(seal.sealed_at))}.")
        summary = seal.summary
        if summary:
            lines.append("آنچه بر آن برگه نوشته شده بود (با برگه در دست بسنجید): " + "، ".join(
                part for part in (
                    f"جمع کل هزینه {money(summary['total_amount'])}",
                    f"میزان حمایت {money(summary['total_support'])}",
                    f"تاریخ تشخیص {jdate(_day(summary['diagnosis_date']))}"
                    if summary.get("diagnosis_date") else "",
                    f"تکمیل‌کننده {summary['completed_by']}"
                    if summary.get("completed_by") else "") if part) + ".")
        if seal.unsealed_at is not None:
            lines.append(f"مهر آن به دست {seal.unsealed_by} در "
                         f"{jdate(local_date(seal.unsealed_at))} برداشته شد: "
                         f"{seal.unseal_reason}")
        if check.current_code and check.current_code != check.code:
            lines.append(f"برگه معتبر کنونی این بیمار کد {ltr(check.current_code)} دارد.")
    return "\n".join(lines)


class VerifyPrintDialog(QDialog):
    def __init__(self, seals: SealService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._seals = seals
        self.check: SealCheck | None = None
        self.setWindowTitle("بررسی برگه چاپی فرم ۱")
        intro = QLabel("کد دوازده‌نویسه‌ای زیر کد QR برگه را وارد کنید (یا کد QR را با "
                       "اسکنر بخوانید) تا ببینید برگه با پرونده کنونی یکی است یا نه.")
        intro.setWordWrap(True)
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("code_edit")
        self.code_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.code_edit.setPlaceholderText("XXXX-XXXX-XXXX")
        self.code_edit.returnPressed.connect(self._on_check)
        form = QFormLayout()
        form.addRow("کد برگه:", self.code_edit)
        self.result_label = QLabel()
        self.result_label.setObjectName("result_label")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("بررسی")
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        buttons.accepted.connect(self._on_check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result_label, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, 300)

    def _on_check(self) -> None:
        self.check = self._seals.check(self.code_edit.text())
        good = self.check.status == SealStatus.CURRENT
        self.result_label.setProperty("role", "" if good else "error")
        self.result_label.setText(("✓ " if good else "✗ ") + describe_check(self.check))
        self.result_label.style().unpolish(self.result_label)
        self.result_label.style().polish(self.result_label)


class UnsealDialog(ReasonDialog):
    """Why the director lifts the seal: recorded, and shown when the old code is checked."""

    def __init__(self, patient_name: str, code: str, parent: QWidget | None = None) -> None:
        super().__init__(
            name="unseal", title="برداشتن مهر فرم ۱", reason_label="دلیل برداشتن مهر",
            placeholder="مثلاً: تاریخ تشخیص اشتباه ثبت شده بود.", ok_text="برداشتن مهر",
            min_length=MIN_REASON_LENGTH, parent=parent,
            intro=f"با برداشتن مهر، برگه چاپی «{patient_name}» با کد {ltr(code)} باطل می‌شود "
                  "و پرونده دوباره ویرایش‌پذیر است. پس از اصلاح، فرم را دوباره تأیید کنید "
                  "تا برگه تازه با کد تازه چاپ شود.")
