"""initial schema: hub settings, cancer groups, patients, assessments

Revision ID: 0001
Revises:
Create Date: 2026-11-25 17:28:38.276628
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cancer_groups",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cancer_groups")),
        sa.UniqueConstraint("key", name=op.f("uq_cancer_groups_key")),
    )
    op.create_table(
        "hub_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_number", sa.Integer(), nullable=True),
        sa.Column("university", sa.String(length=120), nullable=False),
        sa.Column("province", sa.String(length=60), nullable=False),
        sa.Column("hospital", sa.String(length=120), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=False),
        sa.Column("programme_year", sa.Integer(), nullable=False),
        sa.Column("budget_line", sa.String(length=20), nullable=False),
        sa.Column("director_name", sa.String(length=120), nullable=False),
        sa.Column("social_worker_name", sa.String(length=120), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_hub_settings_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_settings")),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("national_code", sa.String(length=10), nullable=False),
        sa.Column("first_name", sa.String(length=60), nullable=False),
        sa.Column("last_name", sa.String(length=60), nullable=False),
        sa.Column("father_name", sa.String(length=60), nullable=False),
        sa.Column("sex", sa.SmallInteger(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("birth_province", sa.String(length=120), nullable=False),
        sa.Column("birth_city", sa.String(length=120), nullable=False),
        sa.Column("birth_certificate_no", sa.String(length=10), nullable=False),
        sa.Column("nationality", sa.SmallInteger(), nullable=False),
        sa.Column("insurance_type", sa.String(length=120), nullable=False),
        sa.Column("insurance_number", sa.String(length=120), nullable=False),
        sa.Column("address_province", sa.String(length=120), nullable=False),
        sa.Column("address_city", sa.String(length=120), nullable=False),
        sa.Column("address_street", sa.String(length=120), nullable=False),
        sa.Column("address_alley", sa.String(length=120), nullable=False),
        sa.Column("address_plaque", sa.String(length=120), nullable=False),
        sa.Column("postal_code", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.String(length=11), nullable=False),
        sa.Column("relative_phone", sa.String(length=11), nullable=False),
        sa.Column("cancer_group_id", sa.Integer(), nullable=False),
        sa.Column("search_key", sa.String(length=200), nullable=False),
        sa.Column("sort_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "length(national_code) = 10", name=op.f("ck_patients_national_code_length")
        ),
        sa.CheckConstraint("nationality IN (1, 2, 3)", name=op.f("ck_patients_nationality")),
        sa.CheckConstraint("sex IN (1, 2)", name=op.f("ck_patients_sex")),
        sa.ForeignKeyConstraint(
            ["cancer_group_id"],
            ["cancer_groups.id"],
            name=op.f("fk_patients_cancer_group_id_cancer_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("national_code", name=op.f("uq_patients_national_code")),
    )
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patients_search_key"), ["search_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_patients_sort_key"), ["sort_key"], unique=False)

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("ruleset_id", sa.String(length=40), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("coverage_percent", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessor", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "coverage_percent BETWEEN 0 AND 100", name=op.f("ck_assessments_coverage_percent_range")
        ),
        sa.CheckConstraint("score >= 0", name=op.f("ck_assessments_score_not_negative")),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_assessments_patient_id_patients"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessments_assessed_on"), ["assessed_on"], unique=False
        )
        batch_op.create_index(
            "ix_assessments_patient_date", ["patient_id", "assessed_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_patient_date")
        batch_op.drop_index(batch_op.f("ix_assessments_assessed_on"))

    op.drop_table("assessments")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_sort_key"))
        batch_op.drop_index(batch_op.f("ix_patients_search_key"))

    op.drop_table("patients")
    op.drop_table("hub_settings")
    op.drop_table("cancer_groups")
