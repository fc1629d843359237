"""Whatever is typed or imported: a value, or a message naming the field — never an
unhandled exception. Hypothesis writes the input."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cancer_desk.core.case import CASE_FIELDS, clean_case
from cancer_desk.core.costs import LABELS as COST_FIELDS
from cancer_desk.core.costs import clean_cost_item
from cancer_desk.core.errors import InputError, ValidationErrors
from cancer_desk.core.patient import FIELDS as IDENTITY_FIELDS
from cancer_desk.core.patient import clean_identity
from cancer_desk.core.settings import LABELS as SETTINGS_FIELDS
from cancer_desk.core.settings import clean_hub_settings
from cancer_desk.exchange.verify import verify_bytes

# Text as people and files bring it: Persian and Arabic letters, digits of three
# scripts, joiners, controls, surrogates-free odd code points, very long runs.
TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكة‌‍ ۰۱۲۳۴۵۶۷۸۹٠١٢0123456789/-.,",
            max_size=60),
    st.sampled_from(["", " ", "\u200c", "\x00", "۱۴۰۲/۱۲/۳۰", "1402-13-40", "٠٩١٢", "-1",
                     "9" * 40, "NaN", "inf", "1e9999"]),
)
VALUE = st.one_of(TEXT, st.none(), st.integers(), st.floats(allow_nan=True), st.booleans())
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _record(fields) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({}, optional={name: VALUE for name in fields})


@FAST
@given(_record(IDENTITY_FIELDS))
def test_patient_identity(raw) -> None:
    try:
        clean_identity(raw)
    except ValidationErrors as exc:
        assert set(exc.errors) <= set(IDENTITY_FIELDS)
        assert all(message for message in exc.errors.values())


@FAST
@given(_record([f for f in CASE_FIELDS if f != "family_cancers"]))
def test_form1_case_record(reference, raw) -> None:
    try:
        clean_case(raw, lists=reference.form1)
    except ValidationErrors as exc:
        assert set(exc.errors) <= set(CASE_FIELDS)


@FAST
@given(_record([*COST_FIELDS]))
def test_cost_item(raw) -> None:
    try:
        clean_cost_item(raw)
    except ValidationErrors as exc:
        assert set(exc.errors) <= {*COST_FIELDS, "item_date"}


@FAST
@given(_record([*SETTINGS_FIELDS, "hub_number"]))
def test_hub_settings(raw) -> None:
    with contextlib.suppress(ValidationErrors, InputError):
        clean_hub_settings(raw)


@FAST
@given(st.binary(max_size=2_000))
def test_any_bytes_as_a_quarterly_package(data) -> None:
    report = verify_bytes(data)
    assert not report.ok and report.describe()


HEADERS = ("national_code,first_name,last_name,father_name,sex,birth_date,cancer_group,"
           "phone,address_province")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(TEXT, min_size=0, max_size=10), min_size=1, max_size=5),
       st.sampled_from([HEADERS, "", "نام,کد ملی", HEADERS + ",extra"]))
def test_any_patient_list_gives_a_report(context, tmp_path_factory, cells, header) -> None:
    """An imported file of any content: a report (rows, problems by row and column),
    nothing saved unless every row is right (here: dry run, nothing saved at all)."""
    import csv
    import io

    from cancer_desk.services.patient_import import import_patients

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in cells:
        writer.writerow([cell.replace("\x00", "") for cell in row])
    path = tmp_path_factory.mktemp("import") / "list.csv"
    path.write_text(header + "\n" + buffer.getvalue(), encoding="utf-8")
    report = import_patients(context.database.session_factory, context.access, path,
                             dry_run=True)
    assert report.imported == 0
    assert report.summary()
