"""SQLAlchemy 2 models. Importing this package registers every table on Base.metadata."""

from cancer_desk.models.account import Account, AuditEntry, FormSeal
from cancer_desk.models.assessment import Assessment
from cancer_desk.models.base import Base
from cancer_desk.models.case import CaseRecordRow, FamilyCancerRow
from cancer_desk.models.cost import CostItem, FormularyDrug, FormularyPeriod, Referral
from cancer_desk.models.duplicate import NotDuplicate
from cancer_desk.models.keys import AuditCheckpoint, HubKeySlot, KeyEndorsement, SigningKey
from cancer_desk.models.patient import CancerGroup, Patient
from cancer_desk.models.quarter import (
    Allocation,
    QuarterClosure,
    RollupHubKey,
    RollupPackage,
    RollupRow,
)
from cancer_desk.models.settings import HubSettings

__all__ = [
    "Account",
    "Allocation",
    "Assessment",
    "AuditCheckpoint",
    "AuditEntry",
    "Base",
    "CancerGroup",
    "CaseRecordRow",
    "CostItem",
    "FamilyCancerRow",
    "FormSeal",
    "FormularyDrug",
    "FormularyPeriod",
    "HubKeySlot",
    "HubSettings",
    "KeyEndorsement",
    "NotDuplicate",
    "Patient",
    "QuarterClosure",
    "Referral",
    "RollupHubKey",
    "RollupPackage",
    "RollupRow",
    "SigningKey",
]
