"""Importing into a roll-up as its signed-in person, in tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Packages made before signing (format 1-3, or written by hand in a test) are taken only
# with a roll-up administrator's reason; the tests' roll-up person holds every role.
UNSIGNED_REASON = "بسته آزمون، پیش از امضا"


def rollup_import(context: Any, paths: list[Path], **options: Any) -> list[Any]:
    options.setdefault("unsigned_reason", UNSIGNED_REASON)
    return context.rollup.import_files(list(paths), **options)
