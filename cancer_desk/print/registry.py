"""The printable documents by name, for the command line and the window alike."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DocumentKind:
    name: str  # «form1», on the command line
    title: str  # Persian, for buttons and file names people see
    build: str  # DocumentService method that gathers the data (from a patient's id, or
    #             for a referral from its number)
    module: str  # renderer, imported on first use (reportlab is slow to load)
    function: str


DOCUMENTS: dict[str, DocumentKind] = {
    kind.name: kind for kind in (
        DocumentKind("form1", "فرم شماره یک", "form1", "cancer_desk.print.form1",
                     "render_form1"),
        DocumentKind("assessment", "برگه ارزیابی", "assessment_sheet",
                     "cancer_desk.print.assessment_sheet", "render_assessment_sheet"),
        DocumentKind("referral", "معرفی به حسابداری", "referral", "cancer_desk.print.referral",
                     "render_referral"),
    )
}


def render_document(kind: str, documents: object, subject: int, target: Path) -> Path:
    """Gather, render to a temporary name, then move into place: no half-written PDF
    is ever left under the real name. DocumentUnavailableError passes through.
    ``subject`` is the patient's id, or the referral's number for a referral.
    ``documents``: the DocumentService (not imported: printing knows no services)."""
    spec = DOCUMENTS[kind]
    document = getattr(documents, spec.build)(subject)
    renderer = getattr(importlib.import_module(spec.module), spec.function)
    partial = target.with_name(target.name + ".partial")
    try:
        renderer(document, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
