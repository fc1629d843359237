"""Keeping reference tables in the database in step with the reference files."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from cancer_desk.core.reference import ReferenceData
from cancer_desk.models import CancerGroup


def sync_cancer_groups(session_factory: sessionmaker[Session], reference: ReferenceData) -> None:
    """Insert or relabel the nine groups and «outside the groups»; rows are never deleted
    (patients point at them)."""
    with session_factory.begin() as session:
        existing = {g.id: g for g in session.query(CancerGroup)}
        for group in reference.all_groups:
            row = existing.get(group.id)
            if row is None:
                session.add(CancerGroup(id=group.id, key=group.key, label=group.label))
            elif (row.key, row.label) != (group.key, group.label):
                row.key, row.label = group.key, group.label
