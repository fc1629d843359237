"""Form 1 case record, family history, formulary, cost items, ICD-10 code

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 17:50:36.563483
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "formulary_drugs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("generic_name", sa.String(length=200), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_formulary_drugs")),
        sa.UniqueConstraint("name_key", name=op.f("uq_formulary_drugs_name_key")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("diagnosis_method", sa.SmallInteger(), nullable=True),
        sa.Column("diagnosis_date", sa.Date(), nullable=True),
        sa.Column("stage_t", sa.String(length=8), nullable=False),
        sa.Column("stage_n", sa.String(length=8), nullable=False),
        sa.Column("stage_m", sa.String(length=8), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=False),
        sa.Column("treatment_intent", sa.SmallInteger(), nullable=True),
        sa.Column("surgery", sa.SmallInteger(), nullable=True),
        sa.Column("surgery_date", sa.Date(), nullable=True),
        sa.Column("radiotherapy", sa.SmallInteger(), nullable=True),
        sa.Column("radiotherapy_date", sa.Date(), nullable=True),
        sa.Column("chemotherapy", sa.SmallInteger(), nullable=True),
        sa.Column("chemotherapy_date", sa.Date(), nullable=True),
        sa.Column("chemotherapy_regimen", sa.String(length=200), nullable=False),
        sa.Column("hormone_therapy", sa.SmallInteger(), nullable=True),
        sa.Column("received_item", sa.SmallInteger(), nullable=True),
        sa.Column("admissions_count", sa.Integer(), nullable=True),
        sa.Column("hospital_stay_days", sa.Integer(), nullable=True),
        sa.Column("hospital_stay_months", sa.Integer(), nullable=True),
        sa.Column("recurrence", sa.SmallInteger(), nullable=True),
        sa.Column("first_recurrence_date", sa.Date(), nullable=True),
        sa.Column("recurrence_site", sa.String(length=200), nullable=False),
        sa.Column("recurrence_count", sa.Integer(), nullable=True),
        sa.Column("metastasis", sa.SmallInteger(), nullable=True),
        sa.Column("metastasis_date", sa.Date(), nullable=True),
        sa.Column("metastasis_site", sa.String(length=200), nullable=False),
        sa.Column("remission", sa.SmallInteger(), nullable=True),
        sa.Column("vital_status", sa.SmallInteger(), nullable=True),
        sa.Column("death_date", sa.Date(), nullable=True),
        sa.Column("death_cause", sa.SmallInteger(), nullable=True),
        sa.Column("death_place", sa.SmallInteger(), nullable=True),
        sa.Column("family_history", sa.SmallInteger(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completed_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "chemotherapy IS NULL OR chemotherapy IN (1, 2)", name=op.f("ck_cases_chemotherapy")
        ),
        sa.CheckConstraint(
            "death_cause IS NULL OR death_cause IN (1, 2, 3)", name=op.f("ck_cases_death_cause")
        ),
        sa.CheckConstraint(
            "death_place IS NULL OR death_place IN (1, 2, 3, 4)", name=op.f("ck_cases_death_place")
        ),
        sa.CheckConstraint(
            "diagnosis_method IS NULL OR diagnosis_method IN (1, 2)",
            name=op.f("ck_cases_diagnosis_method"),
        ),
        sa.CheckConstraint(
            "family_history IS NULL OR family_history IN (1, 2, 3)",
            name=op.f("ck_cases_family_history"),
        ),
        sa.CheckConstraint(
            "hormone_therapy IS NULL OR hormone_therapy IN (1, 2, 3)",
            name=op.f("ck_cases_hormone_therapy"),
        ),
        sa.CheckConstraint(
            "metastasis IS NULL OR metastasis IN (1, 2, 3)", name=op.f("ck_cases_metastasis")
        ),
        sa.CheckConstraint(
            "radiotherapy IS NULL OR radiotherapy IN (1, 2)", name=op.f("ck_cases_radiotherapy")
        ),
        sa.CheckConstraint(
            "received_item IS NULL OR received_item IN (1, 2, 3)",
            name=op.f("ck_cases_received_item"),
        ),
        sa.CheckConstraint(
            "recurrence IS NULL OR recurrence IN (1, 2, 3)", name=op.f("ck_cases_recurrence")
        ),
        sa.CheckConstraint(
            "remission IS NULL OR remission IN (1, 2, 3)", name=op.f("ck_cases_remission")
        ),
        sa.CheckConstraint("surgery IS NULL OR surgery IN (1, 2)", name=op.f("ck_cases_surgery")),
        sa.CheckConstraint(
            "treatment_intent IS NULL OR treatment_intent IN (1, 2)",
            name=op.f("ck_cases_treatment_intent"),
        ),
        sa.CheckConstraint(
            "vital_status IS NULL OR vital_status IN (1, 2, 3)", name=op.f("ck_cases_vital_status")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_cases_patient_id_patients"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_cases_patient_id")),
    )
    op.create_table(
        "cost_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("item_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("drug_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("under_insurance", sa.Boolean(), nullable=False),
        sa.Column("pharmacy", sa.String(length=200), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("coverage_percent", sa.SmallInteger(), nullable=True),
        sa.Column("support_amount", sa.BigInteger(), nullable=False),
        sa.Column("no_support_reason", sa.String(length=30), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('drug', 'hospital_stay', 'radiotherapy', 'other')",
            name=op.f("ck_cost_items_kind"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_cost_items_amount_positive")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_cost_items_quantity_positive")),
        sa.CheckConstraint(
            "support_amount >= 0 AND support_amount <= amount",
            name=op.f("ck_cost_items_support_within_amount"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_cost_items_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["drug_id"], ["formulary_drugs.id"], name=op.f("fk_cost_items_drug_id_formulary_drugs")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_cost_items_patient_id_patients"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_items")),
    )
    with op.batch_alter_table("cost_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cost_items_item_date"), ["item_date"], unique=False)
        batch_op.create_index(
            "ix_cost_items_patient_date", ["patient_id", "item_date"], unique=False
        )

    op.create_table(
        "family_cancers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cancer_type", sa.String(length=200), nullable=False),
        sa.Column("relation", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_family_cancers_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_cancers")),
    )
    with op.batch_alter_table("family_cancers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_cancers_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("icd10_code", sa.String(length=8), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_column("icd10_code")

    with op.batch_alter_table("family_cancers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_cancers_case_id"))

    op.drop_table("family_cancers")
    with op.batch_alter_table("cost_items", schema=None) as batch_op:
        batch_op.drop_index("ix_cost_items_patient_date")
        batch_op.drop_index(batch_op.f("ix_cost_items_item_date"))

    op.drop_table("cost_items")
    op.drop_table("cases")
    op.drop_table("formulary_drugs")
