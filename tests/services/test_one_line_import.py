"""A line break inside a name is refused at import, on its row and naming its column, and
in an account's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from cancer_desk.core.access import Role
from cancer_desk.core.errors import ValidationErrors
from cancer_desk.services.patient_import import import_patients
from tests.builders import GOOD_ROWS, HEADER


def test_a_quoted_line_break_in_a_name_is_refused_on_its_row(context, tmp_path: Path) -> None:
    rows = [list(GOOD_ROWS[0]), list(GOOD_ROWS[1])]
    rows[1][1] = '"مریم\nاحمدی"'  # a quoted CSV cell: the break is inside the name
    path = tmp_path / "list.csv"
    path.write_text("\r\n".join(",".join(r) for r in [HEADER, *rows]) + "\r\n",
                    encoding="utf-8")
    report = import_patients(context.database.session_factory, context.access, path)
    assert [(p.row, p.column) for p in report.problems] == [(3, "first_name")]
    assert "یک سطر" in report.problems[0].message
    assert context.patients.count() == 0


def test_an_account_s_name_is_one_line(context) -> None:
    with pytest.raises(ValidationErrors) as caught:
        context.accounts.create("clerk", "مریم\u2028احمدی", {Role.SOCIAL_WORKER}, "pass-word-1403")
    assert "یک سطر" in caught.value.errors["display_name"]
