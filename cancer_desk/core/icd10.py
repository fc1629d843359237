"""ICD-10 topography codes: normalising what is typed, and the cancer group it suggests."""

from __future__ import annotations

import re

from cancer_desk.core.errors import InputError
from cancer_desk.core.persian import normalize_identifier
from cancer_desk.core.reference import OUTSIDE_GROUP_ID, ReferenceData

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
    return next((r.group_id or None for r in reference.icd10_ranges if r.holds(code)), None)


def allowed_groups(code: str, reference: ReferenceData) -> frozenset[int] | None:
    """The groups a patient with this (normalised) code can be in; ``None`` when the
    table does not decide (no code, a D code, a secondary or unknown primary site).

    A C code in no range of the table is a cancer outside the nine groups; C44 allows
    the skin group or outside (icd10_groups.toml says why)."""
    if not code.startswith("C"):
        return None
    entry = next((r for r in reference.icd10_ranges if r.holds(code)), None)
    if entry is None:
        return frozenset({OUTSIDE_GROUP_ID})
    if not entry.group_id:
        return None
    return frozenset({entry.group_id, OUTSIDE_GROUP_ID} if entry.or_outside
                     else {entry.group_id})


def group_mismatch(code: str, group_id: int, reference: ReferenceData) -> str | None:
    """The Persian refusal when ``group_id`` is not what the code's group is, naming both;
    ``None`` when they agree (or the table does not decide)."""
    allowed = allowed_groups(code, reference)
    if allowed is None or group_id in allowed:
        return None
    chosen = reference.cancer_group(group_id)
    names = " یا ".join(f"«{g.short_label}»" for g in reference.all_groups if g.id in allowed)
    chosen_name = f"«{chosen.short_label}»" if chosen else str(group_id)
    return (f"کد {code} در گروه {names} است، ولی «نوع سرطان» {chosen_name} انتخاب "
            "شده است؛ یکی را درست کنید.")
