"""hub_settings.backup_folder (where the automatic backups go) and generation (changed
by every restore)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 21:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_settings") as batch:
        batch.add_column(sa.Column("backup_folder", sa.String(length=500), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("generation", sa.String(length=32), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("hub_settings") as batch:
        batch.drop_column("generation")
        batch.drop_column("backup_folder")
