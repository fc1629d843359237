"""The main window's work, one room per feature: each takes the window it serves (for
the context, the patient shown, the roles and a parent for its dialogs), runs its flows,
and announces what it changed on ``window.records``. The window itself only lays out the
list, the panel, the toolbar and the session (lock, sign-out)."""
