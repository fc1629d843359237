"""quarters: closures and amendments, allocations, roll-up; patients.registered_on

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:18:55.546570
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "allocations",
        sa.Column("programme_year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("programme_year", name=op.f("pk_allocations")),
    )
    op.create_table(
        "quarter_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("quarter", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("closed_by", sa.String(length=120), nullable=False),
        sa.Column("package_sha256", sa.String(length=64), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("package", sa.LargeBinary(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("reopened_at", sa.DateTime(), nullable=True),
        sa.Column("reopened_on", sa.Date(), nullable=True),
        sa.Column("reopened_by", sa.String(length=120), nullable=False),
        sa.Column("reopen_reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_closures")),
        sa.UniqueConstraint("year", "quarter", "version", name=op.f("uq_quarter_closures_year")),
    )
    op.create_table(
        "rollup_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_key", sa.String(length=300), nullable=False),
        sa.Column("hub_number", sa.Integer(), nullable=True),
        sa.Column("university", sa.String(length=120), nullable=False),
        sa.Column("province", sa.String(length=60), nullable=False),
        sa.Column("hospital", sa.String(length=120), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("quarter", sa.SmallInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_packages")),
        sa.UniqueConstraint("sha256", name=op.f("uq_rollup_packages_sha256")),
    )
    with op.batch_alter_table("rollup_packages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rollup_packages_hub_key"), ["hub_key"], unique=False)
        batch_op.create_index("ix_rollup_packages_period", ["year", "quarter"], unique=False)
        batch_op.create_index("uq_rollup_packages_current", ["hub_key", "year", "quarter"],
                              unique=True, sqlite_where=sa.text("current = 1"),
                              postgresql_where=sa.text("current"))

    op.create_table(
        "rollup_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.SmallInteger(), nullable=False),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("covered", sa.Integer(), nullable=False),
        sa.Column("spent", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["rollup_packages.id"],
            name=op.f("fk_rollup_rows_package_id_rollup_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_rows")),
    )
    with op.batch_alter_table("rollup_rows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rollup_rows_package_id"), ["package_id"], unique=False)

    # Existing patients were registered on the day their row was created: that day on
    # this computer's calendar (created_at is stored in UTC), as for new patients.
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registered_on", sa.Date(), nullable=True))
    patients = sa.table("patients", sa.column("id", sa.Integer()),
                        sa.column("created_at", sa.DateTime()),
                        sa.column("registered_on", sa.Date()))
    connection = op.get_bind()
    for patient_id, created_at in connection.execute(
            sa.select(patients.c.id, patients.c.created_at)).all():
        connection.execute(patients.update().where(patients.c.id == patient_id)
                           .values(registered_on=created_at.replace(tzinfo=dt.UTC)
                                   .astimezone().date()))
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.alter_column("registered_on", existing_type=sa.Date(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_patients_registered_on"), ["registered_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_registered_on"))
        batch_op.drop_column("registered_on")

    with op.batch_alter_table("rollup_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rollup_rows_package_id"))

    op.drop_table("rollup_rows")
    with op.batch_alter_table("rollup_packages", schema=None) as batch_op:
        batch_op.drop_index("uq_rollup_packages_current")
        batch_op.drop_index("ix_rollup_packages_period")
        batch_op.drop_index(batch_op.f("ix_rollup_packages_hub_key"))

    op.drop_table("rollup_packages")
    op.drop_table("quarter_closures")
    op.drop_table("allocations")
