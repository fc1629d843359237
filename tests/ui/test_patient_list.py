from __future__ import annotations

import pytest

from cancer_desk.app import fill_demo
from cancer_desk.ui.patient_list import PAGE_SIZE, PatientListView
from tests.builders import identity
from tests.ui.helpers import type_text


@pytest.fixture
def listed(qtbot, configured_context):
    fill_demo(configured_context, PAGE_SIZE + 50, seed=11, force=True)
    view = PatientListView(configured_context.patients, configured_context.reference)
    qtbot.addWidget(view)
    view.show()
    return view


def test_model_passes_qt_model_checks(listed, qtmodeltester) -> None:
    qtmodeltester.check(listed.model, force_py=True)


def test_rows_are_fetched_a_page_at_a_time(listed) -> None:
    model = listed.model
    assert model.total == PAGE_SIZE + 50
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE_SIZE + 50
    assert not model.canFetchMore()
    assert listed.count_label.text() == "۲۵۰ بیمار"


def test_search_as_you_type(listed, configured_context) -> None:
    configured_context.patients.create(identity("0499370899", "كيوان", "ژاله‌وند"))
    listed.refresh()
    type_text(listed.search_edit, "کیو")
    assert listed.model.rowCount() == 1
    assert listed.model.index(0, 2).data() == "کیوان"  # stored with Persian letters
    listed.search_edit.clear()
    type_text(listed.search_edit, "کیوان ژاله وند")  # a space where the name has a ZWNJ
    assert listed.model.rowCount() == 1
    assert listed.model.index(0, 1).data() == "ژاله‌وند"
    listed.search_edit.clear()
    type_text(listed.search_edit, "۰۴۹۹۳")
    assert listed.model.index(0, 0).data() == "۰۴۹۹۳۷۰۸۹۹"
    listed.search_edit.clear()
    assert listed.model.total == PAGE_SIZE + 51


def test_cells_show_persian_digits(listed) -> None:
    cell = listed.model.index(0, 0).data()
    assert cell and all("۰" <= ch <= "۹" for ch in cell)
