"""Pairs of patients marked as two people, so the duplicate finder does not list them
again

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 17:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "not_duplicates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_patient_id", sa.Integer(), nullable=False),
        sa.Column("second_patient_id", sa.Integer(), nullable=False),
        sa.Column("marked_by", sa.String(length=120), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint("first_patient_id < second_patient_id",
                           name=op.f("ck_not_duplicates_ordered_pair")),
        sa.ForeignKeyConstraint(["first_patient_id"], ["patients.id"], ondelete="CASCADE",
                                name=op.f("fk_not_duplicates_first_patient_id_patients")),
        sa.ForeignKeyConstraint(["second_patient_id"], ["patients.id"], ondelete="CASCADE",
                                name=op.f("fk_not_duplicates_second_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_not_duplicates")),
        sa.UniqueConstraint("first_patient_id", "second_patient_id",
                            name=op.f("uq_not_duplicates_first_patient_id")),
    )
    op.create_index(op.f("ix_not_duplicates_second_patient_id"), "not_duplicates",
                    ["second_patient_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_not_duplicates_second_patient_id"), table_name="not_duplicates")
    op.drop_table("not_duplicates")
