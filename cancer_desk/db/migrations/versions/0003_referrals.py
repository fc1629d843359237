"""referrals: numbered referrals to accounting; cost_items.referral_id

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:31:20.027437
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("total_amount", sa.BigInteger(), nullable=False),
        sa.Column("total_support", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_referrals_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_referrals_patient_id_patients"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_patient_id"), ["patient_id"], unique=False)

    with op.batch_alter_table("cost_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("referral_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_cost_items_referral_id"), ["referral_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_cost_items_referral_id_referrals"), "referrals", ["referral_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("cost_items", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_cost_items_referral_id_referrals"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_cost_items_referral_id"))
        batch_op.drop_column("referral_id")

    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_patient_id"))

    op.drop_table("referrals")
