"""The python-bidi that printing runs on is the series its internals were checked with."""

from __future__ import annotations

from importlib.metadata import version

from cancer_desk.print import bidi_order


def test_python_bidi_is_the_series_bidi_order_was_checked_with() -> None:
    """print/bidi_order.py calls python-bidi's internal stages and reads the storage they
    share; another series may change either without an error, only wrong lines."""
    installed = version("python-bidi")
    series = bidi_order.CHECKED_PYTHON_BIDI_SERIES
    assert installed == series or installed.startswith(series + "."), (
        f"python-bidi {installed} is installed; print/bidi_order.py was checked with "
        f"{series}.x. Re-check bidi_order.py against it: that bidi.algorithm still has "
        "get_empty_storage, get_embedding_levels, explicit_embed_and_overrides, "
        "resolve_weak_types, resolve_neutral_types, resolve_implicit_levels, "
        "reorder_resolved_levels, apply_mirroring and PARAGRAPH_LEVELS with the same "
        "arguments, that the storage still holds «chars» (ch, type, level) and «runs» "
        "(start, length, sor), and that tests/print/test_bidi_order.py passes; then set "
        "CHECKED_PYTHON_BIDI_SERIES and the pin in pyproject.toml to the new series.")
