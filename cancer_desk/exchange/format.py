"""The quarterly package format (docs/quarterly-package.md): names, versions and the
deterministic encodings both the writer and the verifier use."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

FORMAT_NAME = "cancer-desk-quarterly-package"
FORMAT_VERSION = 3
# Versions this program still reads: 1 had no line for a cancer outside the groups; 2
# said of a cost item only whether it was under insurance (`under_insurance`), not how
# much, and wrote a text cell that a spreadsheet would run as a formula as it was.
READABLE_VERSIONS = (1, 2, 3)
INSURED_PART_VERSION = 3  # the first version whose cost items carry `insured_toman`
MANIFEST = "manifest.json"
SIGNATURE_JSON = "signature.json"  # the detached signature (exchange.signature)
MAX_SIGNATURE_BYTES = 256 * 1024  # a chain of endorsements is a few KB
DIGEST_FIELD = "manifest_sha256"

FORM2_CSV = "form2.csv"
PATIENTS_CSV = "patients.csv"
ASSESSMENTS_CSV = "assessments.csv"
COST_ITEMS_CSV = "cost_items.csv"
DATA_JSON = "data.json"
REPORT_XLSX = "report.xlsx"
FORM2_PDF = "form2.pdf"
DATA_FILES = (FORM2_CSV, PATIENTS_CSV, ASSESSMENTS_CSV, COST_ITEMS_CSV, DATA_JSON,
              REPORT_XLSX, FORM2_PDF)

# Form 2's rows: the directive's nine cancer groups (§4), then the total as group 0;
# from version 2, then the line of cancers outside the groups (group 10, not in the total).
FORM2_GROUP_IDS = tuple(range(1, 10))
TOTAL_ROW_ID = 0
OUTSIDE_ROW_ID = 10


def form2_row_ids(format_version: int) -> list[int]:
    """The ``group_id`` of Form 2's rows, in order, in a package of that version."""
    outside = [OUTSIDE_ROW_ID] if format_version >= 2 else []
    return [*FORM2_GROUP_IDS, TOTAL_ROW_ID, *outside]

# A fixed time for every zip entry: the same data must give the same bytes.
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package_json(value: object) -> bytes:
    """The package's JSON encoding, of ``data.json``, ``manifest.json`` and each record
    whose hash an amendment compares: ``json.dumps(value, ensure_ascii=False,
    sort_keys=True, indent=1)`` and a newline, as UTF-8, byte for byte.

    Built here from pieces because ``json`` drops to its pure-Python encoder whenever
    ``indent`` is given, which was a third of a large quarter's export (a data.json of
    30,000 records and a hash of each record). The records are flat objects, and a flat
    object is exactly what the C encoder writes when its item separator carries the
    newline and the indent."""
    try:
        pieces: list[str] = []
        _encode_indented(value, 0, pieces)
    except _NotPlain:  # keys that are not strings: the library's own way, as ever
        return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
                + "\n").encode()
    pieces.append("\n")
    return "".join(pieces).encode()


class _NotPlain(Exception):
    """A value :func:`package_json`'s fast path leaves to ``json`` itself."""


_SCALARS = (str, int, float, bool, type(None))
_scalar_json = json.JSONEncoder(ensure_ascii=False).encode


@functools.lru_cache(maxsize=16)
def _flat_object_encoder(level: int) -> Callable[[object], str]:
    return json.JSONEncoder(ensure_ascii=False, sort_keys=True,
                            separators=(",\n" + " " * (level + 1), ": ")).encode


def _encode_indented(value: object, level: int, pieces: list[str]) -> None:
    inner = "\n" + " " * (level + 1)
    if isinstance(value, dict):
        if not value:
            pieces.append("{}")
        elif not all(type(key) is str for key in value):
            raise _NotPlain
        elif all(isinstance(item, _SCALARS) for item in value.values()):
            flat = _flat_object_encoder(level)(value)  # '{"a": 1,\n  "b": 2}'
            pieces.append("{" + inner + flat[1:-1] + "\n" + " " * level + "}")
        else:
            separator = "{" + inner
            for key, item in sorted(value.items()):
                pieces.append(separator + _scalar_json(key) + ": ")
                _encode_indented(item, level + 1, pieces)
                separator = "," + inner
            pieces.append("\n" + " " * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            pieces.append("[]")
            return
        separator = "[" + inner
        for item in value:
            pieces.append(separator)
            _encode_indented(item, level + 1, pieces)
            separator = "," + inner
        pieces.append("\n" + " " * level + "]")
    else:
        pieces.append(_scalar_json(value))


def manifest_digest(manifest: dict[str, Any]) -> str:
    """The manifest's own checksum: over its :func:`package_json` without this field."""
    body = {k: v for k, v in manifest.items() if k != DIGEST_FIELD}
    return sha256(package_json(body))


def csv_columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Every key of every row, in first-seen order (rule sets may differ in criteria)."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


# What makes Excel or LibreOffice take a cell for a formula and run it ("CSV injection"):
# a name typed as «=HYPERLINK(…)» must stay a name in the ministry's spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISED_FROM_VERSION = 3


def neutralised(value: object) -> object:
    """A text value a spreadsheet would run as a formula, with a leading ``'`` (which
    Excel shows as the text itself); anything else as it is. Only text: a number is
    never a formula, and -5 stays -5."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: object, format_version: int = FORMAT_VERSION) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if value is None:
        return ""
    if format_version >= NEUTRALISED_FROM_VERSION:
        value = neutralised(value)
    return str(value)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = list(columns or csv_columns(rows))
    writer.writerow(columns)
    # _cell's rule inline (the csv module writes None as "" and other values by str()):
    # a call per cell was a tenth of a large quarter's export.
    cells = [[("1" if value else "0") if value is True or value is False
              else ("'" + value if value.startswith(FORMULA_STARTS) else value)
              if value.__class__ is str else value
              for value in map(row.get, columns)] for row in rows]
    writer.writerows(cells)
    text = buffer.getvalue()
    if "\r" in text:
        # The csv module quotes a field holding "\n" (the line end) but not one holding
        # "\r", which every reader then takes for a line end: such rows are quoted here.
        text = "".join([text.partition("\n")[0] + "\n",
                        *(_quoted_row(row) for row in cells)])
    return text.encode("utf-8")


def _quoted_row(cells: list[object]) -> str:
    """One CSV line as ``csv.writer`` writes it, a field holding "\r" quoted too."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    fields = ["" if c is None else str(c) for c in cells]
    if not any("\r" in f for f in fields):
        writer.writerow(fields)
        return out.getvalue()
    return ",".join('"' + f.replace('"', '""') + '"' if any(ch in f for ch in ',"\n\r')
                    else f for f in fields) + "\n"


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def json_rows_as_csv_text(rows: Sequence[dict[str, Any]],
                          format_version: int = FORMAT_VERSION) -> list[dict[str, str]]:
    """JSON rows as their CSV cells in a package of that version (a key a row lacks is
    an empty cell), for comparing the two encodings."""
    columns = csv_columns(rows)
    return [{c: _cell(row.get(c), format_version) for c in columns} for row in rows]


def zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # the same bytes whether written on Windows or Linux
    info.external_attr = 0o644 << 16
    return info


def deterministic_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            archive.writestr(zip_entry(name), files[name])
    return buffer.getvalue()
