"""Errors the core raises when input is wrong.

Each carries the machine name of what was wrong (a field or criterion id) and a
Persian message for the person at the screen; ``str()`` gives an English message
for logs and the command line.
"""

from __future__ import annotations


class InputError(ValueError):
    """A value a person or a file supplied is not acceptable."""

    def __init__(self, field: str, message: str, message_fa: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.message_fa = message_fa


class ValidationErrors(ValueError):
    """Several fields are wrong at once; ``errors`` maps field → Persian message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)
