"""Form 1's seal: the director approves and seals it, or lifts the seal with a reason;
anyone may check a printed sheet's code; and a patient's changes, as the trail holds them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox

from cancer_desk.services.seals import SealRefusedError
from cancer_desk.ui import records_changed
from cancer_desk.ui.history import HistoryDialog
from cancer_desk.ui.seals import UnsealDialog, VerifyPrintDialog, approve_form1

if TYPE_CHECKING:
    from cancer_desk.ui.main_window import MainWindow


class SealRoom:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.context = window.context

    def approve(self) -> None:
        """The director approves and seals the Form 1 shown: one that would be refused
        (incomplete, say) is refused at once, naming what it lacks, before the question."""
        window = self.window
        patient_id = window.current_patient_id()
        if patient_id is None:
            return
        approve_form1(window, self.context.seals, patient_id,
                      self.context.patients.get(patient_id).full_name,
                      on_sealed=lambda: window.records.announce(records_changed.SEAL,
                                                                patient_id))

    def unseal(self) -> None:
        window = self.window
        patient_id = window.current_patient_id()
        if patient_id is None:
            return
        seal = self.context.seals.current(patient_id)
        if seal is None:  # lifted meanwhile on another PC
            window.records.announce(records_changed.SEAL, patient_id)
            return
        record = self.context.patients.get(patient_id)
        dialog = UnsealDialog(record.full_name, seal.code, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.context.seals.unseal(patient_id, dialog.reason)
        except SealRefusedError as exc:
            QMessageBox.warning(window, "مهر برداشته نشد", exc.message_fa)
        window.records.announce(records_changed.SEAL, patient_id)

    def patient_changes(self) -> None:
        patient_id = self.window.current_patient_id()
        if patient_id is None:
            return
        record = self.context.patients.get(patient_id)
        HistoryDialog(f"سابقه تغییرات — {record.full_name}",
                      lambda: self.context.audit.patient_history(patient_id),
                      parent=self.window).exec()

    def verify_print(self) -> None:
        VerifyPrintDialog(self.context.seals, self.window).exec()
