"""What a form does when it closes.

Escape, «انصراف» or the window's close button on a form with changes first asks
whether to put them aside; keeping on editing is the default, since Escape is easy to
hit by mistake (it also closes a calendar or a list that has popped up). Only when the
person says so does the work go, and with it its crash draft. Closed by a sign-out (by
hand, or from the idle lock by someone else at the PC), the work stays as a draft for
the person's next sign-in, as after a power cut."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer

    from cancer_desk.services.drafts import DraftStore

DISCARD_QUESTION = "تغییرهای ذخیره‌نشده کنار گذاشته شود؟"
_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u200f")


def same_as_opened(now: object, opened: object) -> bool:
    """The fields as they are against as they were opened, ignoring the direction marks
    the input guard puts in front of a Persian text that starts with a Latin letter
    (once the window is shown: no change of the person's)."""

    def plain(value: object) -> object:
        if isinstance(value, str):
            return value.translate(_DIRECTION_MARKS)
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        return value

    return plain(now) == plain(opened)


def confirm_discard(parent: QWidget) -> bool:
    """Ask before putting unsaved work aside; ``True`` only if the person chooses to."""
    box = QMessageBox(QMessageBox.Icon.Question, "تغییرهای ذخیره‌نشده",
                      DISCARD_QUESTION, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("discard_question")
    box.setInformativeText("آنچه در این فرم وارد کرده‌اید هنوز ذخیره نشده است.")
    discard = box.addButton("کنار گذاشتن تغییرها", QMessageBox.ButtonRole.DestructiveRole)
    discard.setObjectName("discard_button")
    keep = box.addButton("ادامه ویرایش", QMessageBox.ButtonRole.RejectRole)
    keep.setObjectName("keep_editing_button")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


class AsksBeforeDiscarding:
    """Mixed into a QDialog (before it) that has ``has_unsaved_changes()``."""

    def has_unsaved_changes(self) -> bool:
        return False

    def reject(self) -> None:
        # (A mixin: the dialog it is mixed into is the QWidget the question goes over.)
        if self.has_unsaved_changes() and not confirm_discard(self):  # type: ignore[arg-type]
            return
        self.discard_work()
        super().reject()  # type: ignore[misc]  # QDialog's, after the mixin in the bases

    def discard_work(self) -> None:
        """What goes with the work once the person has said so (nothing here)."""


class DraftKeeping(AsksBeforeDiscarding):
    """Mixed into a QDialog (before it) that sets ``draft_kind``, ``_drafts``,
    ``_patient_id``, ``_draft_owner``, ``draft_timer`` and has ``save_draft()`` and
    ``has_unsaved_changes()``."""

    draft_kind: str
    _drafts: DraftStore | None
    _patient_id: int | None  # None: a form only read, which keeps no draft
    _draft_owner: str
    draft_timer: QTimer
    _keep_draft_on_close = False

    def save_draft(self) -> None:
        raise NotImplementedError  # each form keeps its own fields

    def _forget_draft(self) -> None:
        if self._drafts is not None and self._patient_id is not None:
            self.draft_timer.stop()
            self._drafts.discard(self.draft_kind, self._patient_id, self._draft_owner)

    def close_keeping_draft(self) -> None:
        """Closed by a sign-out: nothing is asked, and the work waits as a draft."""
        if self._drafts is not None:
            self.save_draft()
            self.draft_timer.stop()
        self._keep_draft_on_close = True
        self.reject()

    def reject(self) -> None:
        if self._keep_draft_on_close:
            # Past the question: QDialog's own, after the mixins in the bases.
            super(AsksBeforeDiscarding, self).reject()  # type: ignore[misc]
            return
        super().reject()

    def discard_work(self) -> None:
        self._forget_draft()
