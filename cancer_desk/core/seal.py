"""Sealing Form 1: the canonical content a director approves, its hash, and the short
code and QR payload printed on the form so the printout can be checked later.

The content is what Form 1 says about the patient (identity, the case record, the totals
of costs and support), not how it is laid out or what the hub's settings print around
it: renaming the director does not void the forms they signed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from typing import Any

from cancer_desk.core.audit_chain import hashed_json
from cancer_desk.core.persian import to_ascii_digits

# What a seal covers, frozen per version: a field added to Form 1 later must not change
# the hash of forms sealed before it (they would all read as changed behind the seal).
# A new field joins the sealed content with a new version; each seal keeps its own.
IDENTITY_FIELDS_V1 = (
    "national_code", "first_name", "last_name", "father_name", "sex", "birth_date",
    "cancer_group_id", "birth_province", "birth_city", "birth_certificate_no", "nationality",
    "insurance_type", "insurance_number", "address_province", "address_city",
    "address_street", "address_alley", "address_plaque", "postal_code", "phone",
    "relative_phone", "icd10_code")
CASE_FIELDS_V1 = (
    "diagnosis_method", "diagnosis_date", "stage_t", "stage_n", "stage_m", "grade",
    "treatment_intent", "surgery", "surgery_date", "radiotherapy", "radiotherapy_date",
    "chemotherapy", "chemotherapy_date", "chemotherapy_regimen", "hormone_therapy",
    "received_item", "admissions_count", "hospital_stay_days", "hospital_stay_months",
    "recurrence", "first_recurrence_date", "recurrence_site", "recurrence_count",
    "metastasis", "metastasis_date", "metastasis_site", "remission", "vital_status",
    "death_date", "death_cause", "death_place", "family_history", "family_cancers",
    "completed_on", "completed_by")
CONTENT_FIELDS = {1: (IDENTITY_FIELDS_V1, CASE_FIELDS_V1)}
CONTENT_VERSION = max(CONTENT_FIELDS)
QR_PREFIX = "CANCER-DESK-FORM1:"
CODE_LENGTH = 12  # 60 bits of the hash, in Crockford base 32: short enough to read aloud
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TO_CROCKFORD = str.maketrans(_B32, _CROCKFORD)
# Letters people misread as digits on paper, and the digit they must have meant.
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_FULL_HASH = re.compile(r"[0-9a-f]{64}")


def form1_content(patient_id: int, identity: Mapping[str, Any], case: Mapping[str, Any],
                  total_amount: int, total_support: int, *,
                  version: int = CONTENT_VERSION) -> dict[str, Any]:
    """``identity`` and ``case`` hold at least the fields of ``version``; others are
    left out."""
    identity_fields, case_fields = CONTENT_FIELDS[version]
    return {
        "version": version,
        "patient_id": patient_id,
        "identity": {name: identity.get(name) for name in identity_fields},
        "case": {name: case.get(name) for name in case_fields} if case else {},
        "total_amount": total_amount,
        "total_support": total_support,
    }


def content_sha256(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(hashed_json(content).encode("utf-8")).hexdigest()


def short_code(sha256_hex: str) -> str:
    """``XXXX-XXXX-XXXX``: the first 60 bits of the hash."""
    letters = base64.b32encode(bytes.fromhex(sha256_hex)[:8]).decode("ascii")
    code = letters.translate(_TO_CROCKFORD)[:CODE_LENGTH]
    return "-".join(code[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def qr_payload(sha256_hex: str) -> str:
    return f"{QR_PREFIX}{sha256_hex}"


def parse_check_input(text: str) -> tuple[str | None, str | None]:
    """What a person typed or a scanner read: ``(code, full hash)``, either may be None.

    Accepts the short code with or without dashes, in Persian digits, in lower case and
    with O/I/L typed for 0/1/1; or the QR payload / the full hash.
    """
    cleaned = to_ascii_digits(text).strip()
    if cleaned.upper().startswith(QR_PREFIX):
        cleaned = cleaned[len(QR_PREFIX):]
    if _FULL_HASH.fullmatch(cleaned.lower()):
        sha = cleaned.lower()
        return short_code(sha), sha
    letters = re.sub(r"[\s\-_]", "", cleaned).upper().translate(_MISREAD)
    if len(letters) != CODE_LENGTH or any(ch not in _CROCKFORD for ch in letters):
        return None, None
    return "-".join(letters[i:i + 4] for i in range(0, CODE_LENGTH, 4)), None
