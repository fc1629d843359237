"""Referring a patient's costs to the hospital's accounting office, once each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.access import Action
from cancer_desk.models import Assessment, CostItem, Patient, Referral
from cancer_desk.services.access import Access
from cancer_desk.services.errors import NotFoundError


class NothingToReferError(LookupError):
    def __init__(self, patient_id: int) -> None:
        super().__init__(f"patient {patient_id} has no cost item that is not yet referred")
        self.message_fa = ("همه هزینه‌های این بیمار پیش‌تر به حسابداری معرفی شده‌اند (یا "
                           "هزینه‌ای ثبت نشده است). معرفی‌نامه‌های قبلی را می‌توان دوباره "
                           "چاپ کرد.")


@dataclass(frozen=True)
class ReferralRecord:
    number: int
    patient_id: int
    created_on: dt.date
    created_by: str
    items: int
    total_amount: int
    total_support: int


class ReferralService:
    def __init__(self, session_factory: sessionmaker[Session], access: Access) -> None:
        self._sessions = session_factory
        self._access = access

    def create(self, patient_id: int) -> ReferralRecord:
        """Refer every cost item not referred yet, in one transaction; from then on
        those items cannot change (a second referral will not list them). Signed by the
        signed-in person."""
        actor = self._access.require(Action.EDIT_COSTS)
        with self._sessions.begin() as session:
            if session.get(Patient, patient_id) is None:
                raise NotFoundError(f"patient {patient_id} does not exist")
            items = list(session.scalars(
                select(CostItem).where(CostItem.patient_id == patient_id,
                                       CostItem.referral_id.is_(None))
                .order_by(CostItem.item_date, CostItem.id)))
            if not items:
                raise NothingToReferError(patient_id)
            latest = session.scalar(
                select(Assessment.id).where(Assessment.patient_id == patient_id)
                .order_by(Assessment.assessed_on.desc(), Assessment.id.desc()).limit(1))
            referral = Referral(
                patient_id=patient_id, created_on=dt.date.today(),
                created_by=actor.display_name, assessment_id=latest,
                total_amount=sum(i.amount for i in items),
                total_support=sum(i.support_amount for i in items))
            session.add(referral)
            session.flush()
            for item in items:
                item.referral_id = referral.id
            return _record(referral, len(items))

    def list(self, patient_id: int) -> list[ReferralRecord]:
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            referrals = session.scalars(select(Referral).where(Referral.patient_id == patient_id)
                                        .order_by(Referral.id))
            return [_record(r, len(session.scalars(select(CostItem.id).where(
                CostItem.referral_id == r.id)).all())) for r in referrals]

    def get(self, number: int) -> ReferralRecord:
        self._access.require(Action.VIEW_PATIENTS)
        with self._sessions() as session:
            referral = session.get(Referral, number)
            if referral is None:
                raise NotFoundError(f"referral {number} does not exist")
            count = len(session.scalars(select(CostItem.id).where(
                CostItem.referral_id == number)).all())
            return _record(referral, count)


def _record(row: Referral, items: int) -> ReferralRecord:
    return ReferralRecord(row.id, row.patient_id, row.created_on, row.created_by, items,
                          row.total_amount, row.total_support)
