"""How long work says how far it has got, and is stopped when the person asks.

Services that loop over many records take a :class:`Progress` and call it as they go.
The window hands them one that moves a progress bar on its own thread and raises
:class:`Cancelled` once «لغو» is pressed; the command line and the tests hand them
:data:`NO_PROGRESS`, which says nothing and never stops anything. The work decides where
stopping is safe: it calls :meth:`Progress.step` or :meth:`Progress.check` only where
raising leaves nothing half done (before a transaction commits, before a file is put
in place), and :meth:`Progress.uncancellable` where that is no longer so.
"""

from __future__ import annotations


class Cancelled(Exception):
    """The person cancelled the work, and it stopped where nothing was left half done."""

    message_fa = "کار لغو شد و چیزی تغییر نکرد."

    def __init__(self, message: str = "cancelled") -> None:
        super().__init__(message)


class Progress:
    """Says nothing and stops nothing; the window's own kind does both."""

    def step(self, done: int, total: int, text: str = "") -> None:
        """``done`` of ``total`` (0 when the total is unknown), with ``text`` saying what
        is being done now if it changed. Raises :class:`Cancelled` if asked to stop."""
        self.check()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the person asked the work to stop."""

    def uncancellable(self, text: str) -> None:
        """From here on the work cannot stop safely; ``text`` tells the person why. Later
        calls to :meth:`step` and :meth:`check` no longer raise."""


NO_PROGRESS = Progress()
