"""What a form with drafts does when it closes: closed on purpose, its draft goes with it;
closed by a sign-out (by hand, or from the idle lock by someone else at the PC), the
work stays as a draft for the person's next sign-in, as after a power cut."""

from __future__ import annotations


class DraftKeeping:
    """Mixed into a QDialog (before it) that sets ``draft_kind``, ``_drafts``,
    ``_patient_id``, ``_draft_owner``, ``draft_timer`` and has ``save_draft()``."""

    draft_kind: str
    _keep_draft_on_close = False

    def _forget_draft(self) -> None:
        if self._drafts is not None:
            self.draft_timer.stop()
            self._drafts.discard(self.draft_kind, self._patient_id, self._draft_owner)

    def close_keeping_draft(self) -> None:
        if self._drafts is not None:
            self.save_draft()
            self.draft_timer.stop()
        self._keep_draft_on_close = True
        self.reject()

    def reject(self) -> None:
        if not self._keep_draft_on_close:
            self._forget_draft()
        super().reject()
