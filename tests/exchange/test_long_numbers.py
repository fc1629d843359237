"""A package holding a number of thousands of digits (past what Python turns into an
integer) is reported as damaged, not raised, and does not stop a folder's import."""

from __future__ import annotations

import io
import zipfile

from cancer_desk.exchange import format as fmt
from cancer_desk.exchange.verify import verify_bytes
from tests.exchange.rollup_helpers import rollup_import

LONG_NUMBER = "9" * 5000


def package_with_long_number() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(fmt.MANIFEST, '{"format": ' + LONG_NUMBER + "}")
    return buf.getvalue()


def test_a_manifest_with_a_5000_digit_number_is_reported() -> None:
    report = verify_bytes(package_with_long_number())
    assert not report.ok
    assert [p.part for p in report.problems] == [fmt.MANIFEST]
    assert "JSON" in report.problems[0].message


def test_a_folder_import_goes_on_past_a_package_with_a_5000_digit_number(tmp_path,
                                                                       context) -> None:
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    first.write_bytes(package_with_long_number())
    second.write_bytes(b"not a zip")
    outcomes = rollup_import(context, [first, second])
    assert [o.status for o in outcomes] == ["refused", "refused"]
    assert outcomes[0].message_fa
