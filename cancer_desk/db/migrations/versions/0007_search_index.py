"""Search as you type over a hundred thousand patients: the name search reads a narrow
index (search key, sort key, id) instead of the whole table

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 23:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        # The new index starts with the search key: it serves what the old one did.
        batch.drop_index("ix_patients_search_key")
        batch.create_index("ix_patients_search", ["search_key", "sort_key", "id"])


def downgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.drop_index("ix_patients_search")
        batch.create_index("ix_patients_search_key", ["search_key"])
