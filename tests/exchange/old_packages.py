"""A package rewritten as an older version of the format would have written it, with
every checksum and the manifest's digest made to match (as an older program would)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from cancer_desk.exchange import format as fmt


def as_version_2(package: bytes) -> bytes:
    """Version 2: each cost item says only whether it is under insurance; the manifest's
    sums have no insured total. Only items insured wholly or not at all can be written."""
    archive = zipfile.ZipFile(io.BytesIO(package))
    files = {name: archive.read(name) for name in archive.namelist()}
    data = json.loads(files[fmt.DATA_JSON])
    for item in data["cost_items"]:
        insured = item.pop("insured_toman")
        if insured not in (0, item["amount_toman"]):
            raise ValueError(f"cost item {item['cost_item_id']} is partly insured")
        item["under_insurance"] = bool(insured)
    files[fmt.DATA_JSON] = fmt.package_json(data)
    # Every table as version 2 wrote it: text cells as they are (no formula quoting).
    for name, table in ((fmt.COST_ITEMS_CSV, "cost_items"), (fmt.PATIENTS_CSV, "patients")):
        files[name] = csv_as_version_2(data[table])
    manifest = json.loads(files[fmt.MANIFEST])
    del manifest["sums"]["insured_toman"]
    manifest["format_version"] = 2
    manifest["files"] = {name: {"sha256": fmt.sha256(content), "bytes": len(content)}
                         for name, content in sorted(files.items()) if name != fmt.MANIFEST}
    manifest[fmt.DIGEST_FIELD] = fmt.manifest_digest(manifest)
    files[fmt.MANIFEST] = fmt.package_json(manifest)
    return fmt.deterministic_zip(files)


def csv_as_version_2(rows: list[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = fmt.csv_columns(rows)
    writer.writerow(columns)
    writer.writerows([fmt._cell(row.get(c), 2) for c in columns] for row in rows)
    return buffer.getvalue().encode("utf-8")
