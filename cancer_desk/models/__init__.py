"""SQLAlchemy 2 models. Importing this package registers every table on Base.metadata."""

from cancer_desk.models.account import Account, AuditEntry, FormSeal
from cancer_desk.models.assessment import Assessment
from cancer_desk.models.base import Base
from cancer_desk.models.case import CaseRecordRow, FamilyCancerRow
from cancer_desk.models.cost import CostItem, FormularyDrug, FormularyPeriod, Referral
from cancer_desk.models.duplicate import NotDuplicate
from cancer_desk.models.patient import CancerGroup, Patient
from cancer_desk.models.quarter import Allocation, QuarterClosure, RollupPackage, RollupRow
from cancer_desk.models.settings import HubSettings

__all__ = [
    "Account",
    "Allocation",
    "Assessment",
    "AuditEntry",
    "Base",
    "CancerGroup",
    "CaseRecordRow",
    "CostItem",
    "FamilyCancerRow",
    "FormSeal",
    "FormularyDrug",
    "FormularyPeriod",
    "HubSettings",
    "NotDuplicate",
    "Patient",
    "QuarterClosure",
    "Referral",
    "RollupPackage",
    "RollupRow",
]
