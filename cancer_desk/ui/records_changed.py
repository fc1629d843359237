"""One place that says which records changed, for every window that shows them.

A flow that saved something announces it here once (``announce("costs", patient_id)``);
the windows that show such records listen to ``changed`` and refresh what they show. No
flow needs to know which windows are open, and a new window only has to listen."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

# What changed. A patient's own kinds carry the patient's id; ``MANY_PATIENTS`` (an import)
# and ``SETTINGS`` carry ``ALL``.
PATIENT = "patient"  # identity, contact, anything on the patient form
ASSESSMENT = "assessment"
CASE = "case"  # Form 1
COSTS = "costs"  # cost items, referrals
SEAL = "seal"  # Form 1 approved and sealed, or its seal lifted
MANY_PATIENTS = "patients"
SETTINGS = "settings"  # the hospital's settings, accounts' idle time
KINDS = frozenset({PATIENT, ASSESSMENT, CASE, COSTS, SEAL, MANY_PATIENTS, SETTINGS})
ALL = 0


class RecordsChanged(QObject):
    """``changed(kind, id)``: records of ``kind`` changed, for the patient ``id`` (or
    ``ALL``)."""

    changed = Signal(str, int)

    def announce(self, kind: str, record_id: int = ALL) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown kind of record: {kind!r}")
        self.changed.emit(kind, record_id)
