"""The hub rule of the directive (§3): a hub province also covers patients from
adjacent provinces that have no hub of their own."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from cancer_desk.core.reference import ReferenceData


class Residence(Enum):
    SAME_PROVINCE = "same_province"
    ADJACENT_WITHOUT_HUB = "adjacent_without_hub"
    HAS_OWN_HUB = "has_own_hub"
    FAR_WITHOUT_HUB = "far_without_hub"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ResidenceVerdict:
    residence: Residence
    message: str  # Persian, for the form
    notice: bool  # show as a notice (not a block): the patient is outside the rule


def residence_verdict(patient_province: str, hub_province: str,
                      reference: ReferenceData) -> ResidenceVerdict:
    patient = reference.province(patient_province)
    hub = reference.province(hub_province)
    if patient is None or hub is None:
        return ResidenceVerdict(Residence.UNKNOWN, "استان محل سکونت بیمار مشخص نیست.", False)
    if patient.id == hub.id:
        return ResidenceVerdict(Residence.SAME_PROVINCE,
                                f"بیمار ساکن استان همین قطب ({hub.name}) است.", False)
    if patient.name in reference.provinces_with_hubs():
        return ResidenceVerdict(
            Residence.HAS_OWN_HUB,
            f"استان {patient.name} خود قطب درمانی دارد؛ بیمار معمولاً باید به قطب استان خود "
            "مراجعه کند (این فقط یادآوری است).", True)
    if patient.id in hub.neighbours:
        return ResidenceVerdict(
            Residence.ADJACENT_WITHOUT_HUB,
            f"استان {patient.name} قطب ندارد و همسایه {hub.name} است؛ طبق دستورالعمل "
            "تحت پوشش این قطب است.", False)
    return ResidenceVerdict(
        Residence.FAR_WITHOUT_HUB,
        f"استان {patient.name} قطب ندارد ولی همسایه {hub.name} هم نیست (این فقط یادآوری است).",
        True)
