"""Each print gets a file of its own, named by what and when, never by whom."""

from __future__ import annotations

import datetime as dt

from cancer_desk.ui.printing import print_target

NOW = dt.datetime(2025, 3, 1, 10, 30, 5)


def test_two_prints_in_the_same_second_get_two_names() -> None:
    first = print_target("form2-1403-4", NOW)
    assert first.name == "form2-1403-4-20250301-103005.pdf"
    first.write_bytes(b"%PDF open in a viewer")
    second = print_target("form2-1403-4", NOW)
    assert second.name == "form2-1403-4-20250301-103005-2.pdf"
    second.with_name(second.name + ".partial").write_bytes(b"")  # being written
    third = print_target("form2-1403-4", NOW)
    assert third.name == "form2-1403-4-20250301-103005-3.pdf"
    assert first.read_bytes() == b"%PDF open in a viewer"
    assert first.parent.name == "prints"
