"""A search text longer than anyone types (a paste gone wrong) is refused, in Persian, by
the service and the patient list; the database is never asked."""

from __future__ import annotations

import pytest

from cancer_desk.core.errors import InputError
from cancer_desk.services.patients import MAX_SEARCH_CHARS
from cancer_desk.ui.patient_list import PatientListView
from tests.builders import identity


def test_the_service_refuses_a_long_search(context) -> None:
    context.patients.create(identity())
    assert context.patients.search("ک" * MAX_SEARCH_CHARS) == []
    for query in ("ع" * 100_000, "ab " * 34, "1" * (MAX_SEARCH_CHARS + 1)):
        with pytest.raises(InputError) as caught:
            context.patients.search_page(query)
        assert "۱۰۰ نویسه" in caught.value.message_fa


def test_the_list_says_so_and_shows_no_one(qtbot, configured_context) -> None:
    configured_context.patients.create(identity())
    view = PatientListView(configured_context.patients, configured_context.reference)
    qtbot.addWidget(view)
    view.search_edit.setText("ع" * 100_000)
    assert view.model.rowCount() == 0 and not view.model.canFetchMore()
    assert "۱۰۰ نویسه" in view.count_label.text()
    view.search_edit.setText("کریمی")
    assert view.model.rowCount() == 1 and view.count_label.text() == "۱ بیمار"
