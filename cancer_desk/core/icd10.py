"""ICD-10 topography codes: normalising what is typed, and the cancer group it suggests."""

from __future__ import annotations

import re

from cancer_desk.core.errors import InputError
from cancer_desk.core.persian import normalize_identifier
from cancer_desk.core.reference import ReferenceData

FIELD = "icd10_code"
LABEL_FA = "کد ICD-10"
_CODE = re.compile(r"([CD])(\d{2})(?:\.?(\d{1,2}))?")


def normalize(text: object) -> str:
    """``c50.9``, ``C509``, ``C۵۰٫۹`` → ``C50.9``; empty stays empty."""
    raw = normalize_identifier(text or "").upper().replace("٫", ".")
    if not raw:
        return ""
    match = _CODE.fullmatch(raw)
    if not match:
        raise InputError(FIELD, f"{text!r} is not an ICD-10 code like C50.9",
                         f"«{LABEL_FA}» باید به شکل C50 یا C50.9 باشد.")
    letter, category, sub = match.groups()
    return f"{letter}{category}" + (f".{sub}" if sub else "")


def suggested_group(code: str, reference: ReferenceData) -> int | None:
    """The directive's cancer group for a (normalised) code, if it is one of the nine."""
    category = code[:3]
    return next((r.group_id for r in reference.icd10_ranges if r.holds(category)), None)
