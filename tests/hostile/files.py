"""Hostile files made by hand, small on disk, for the hostile-file tests: each is what an
attacker (or a badly broken tool) could hand the program."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from cancer_desk.exchange import format as fmt

MB = 1024 * 1024
HEADER = "national_code,first_name,last_name,father_name,sex,birth_date,cancer_group\n"
ROW = "0499370899,علی,کریمی,حسن,1,1365/02/30,1\n"

_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
               'openxmlformats.org/spreadsheetml/2006/main">')
_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                  'openxmlformats.org/package/2006/content-types"/>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
         'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
             'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" '
             'sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                  'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                  'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                  'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def inline_row(number: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def xlsx(path: Path, sheet_body: str | bytes, *, chunks: int = 1) -> Path:
    """A workbook whose one sheet is ``sheet_body`` repeated ``chunks`` times inside
    <sheetData> (streamed into the zip, so a sheet of gigabytes costs no memory here)."""
    body = sheet_body.encode() if isinstance(sheet_body, str) else sheet_body
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.encode())
            for _ in range(chunks):
                sheet.write(body)
            sheet.write(b"</worksheet>")
    return path


def good_rows_xml() -> str:
    return ("<sheetData>" + inline_row(1, HEADER.strip().split(","))
            + inline_row(2, ROW.strip().split(",")) + "</sheetData>")


def lie_about_sizes(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s declared inflated size set to ``size`` in its local
    header and the central directory (the bytes themselves unchanged)."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := out.find(signature, start)) != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at:name_at + len(name)] == name:
                out[at + offset:at + offset + 4] = struct.pack("<I", size)
            start = at + 4
    return bytes(out)


def sealed_package(files: dict[str, bytes], *, manifest_change=None) -> bytes:
    """A package whose manifest is well formed and vouches for ``files`` (their checksums
    and sizes right): what a forger who knows the format can make."""
    listed = {name: files.get(name, b"") for name in fmt.DATA_FILES}
    manifest = {
        "format": fmt.FORMAT_NAME, "format_version": fmt.FORMAT_VERSION,
        "hub": {"number": 1, "university": "تهران", "province": "تهران",
                "hospital": "امام"},
        "period": {"year": 1403, "quarter": 4, "start": "2024-12-21", "end": "2025-03-20"},
        "version": 1, "counts": {}, "sums": {},
        "files": {name: {"sha256": fmt.sha256(content), "bytes": len(content)}
                  for name, content in listed.items()},
    }
    if manifest_change is not None:
        manifest_change(manifest)
    manifest[fmt.DIGEST_FIELD] = fmt.manifest_digest(manifest)
    return fmt.deterministic_zip({**files, **listed, fmt.MANIFEST: fmt.package_json(manifest)})


def with_extra_members(package: bytes, count: int, size: int) -> bytes:
    """``count`` unlisted members of zeros that inflate to ``size`` bytes each."""
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        block = b"\0" * MB
        for index in range(count):
            with archive.open(f"extra{index}.bin", "w", force_zip64=True) as member:
                for _ in range(size // MB):
                    member.write(block)
    return buffer.getvalue()


_MAIN_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_PART_RELATIONSHIP = ('<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/'
                      'officeDocument/2006/relationships/{kind}" Target="{target}"/>')


def xlsx_with_parts(path: Path, *, shared: str, rows: int, cells: int,
                    styles: str | None = None) -> Path:
    """A workbook of ``rows`` rows of ``cells`` cells, every one showing the one shared
    string ``shared``; ``styles`` is the styles part, if any, without its root."""
    row = '<c t="s"><v>0</v></c>' * cells
    sheet = "".join(f'<row r="{i + 1}">{row}</row>' for i in range(rows))
    relationships = [_PART_RELATIONSHIP.format(id="rId1", kind="worksheet",
                                               target="worksheets/sheet1.xml"),
                     _PART_RELATIONSHIP.format(id="rId2", kind="sharedStrings",
                                               target="sharedStrings.xml")]
    if styles is not None:
        relationships.append(_PART_RELATIONSHIP.format(id="rId3", kind="styles",
                                                       target="styles.xml"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        head = _WORKBOOK_RELS[:_WORKBOOK_RELS.index("<Relationship ")]
        archive.writestr("xl/_rels/workbook.xml.rels",
                         head + "".join(relationships) + "</Relationships>")
        archive.writestr("xl/sharedStrings.xml", f'<sst {_MAIN_NS}><si><t xml:space='
                         f'"preserve">{shared}</t></si></sst>')
        archive.writestr("xl/worksheets/sheet1.xml",
                         f"<worksheet {_MAIN_NS}><sheetData>{sheet}</sheetData></worksheet>")
        if styles is not None:
            archive.writestr("xl/styles.xml", f"<styleSheet {_MAIN_NS}>{styles}</styleSheet>")
    return path
