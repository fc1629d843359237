"""Signing keys per account and for the hub, their endorsements, the hub key's slots,
signed checkpoints of the audit trail; seals carry a signature; the roll-up pins each
hub's key and says who imported, accepted or removed a package

Existing accounts get their keys at their next sign-in (a password is needed to wrap
one); existing seals stay unsigned and are said to be so when checked.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


# Checkpoints and endorsements are evidence: the database refuses to change or delete
# them, as it does the audit trail; a key is never deleted (what it signed must stay
# checkable), only retired.
APPEND_ONLY = ("audit_checkpoints", "key_endorsements")
SQLITE_TRIGGERS = [
    *(
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
        for table in APPEND_ONLY
    ),
    *(
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
        for table in (*APPEND_ONLY, "signing_keys")
    ),
]
POSTGRESQL_TRIGGERS = [
    """CREATE FUNCTION evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$""",
    *(
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
       FOR EACH ROW EXECUTE FUNCTION evidence_append_only()"""
        for table in APPEND_ONLY
    ),
    """CREATE TRIGGER signing_keys_no_delete BEFORE DELETE ON signing_keys
       FOR EACH ROW EXECUTE FUNCTION evidence_append_only()""",
    *(
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
       FOR EACH STATEMENT EXECUTE FUNCTION evidence_append_only()"""
        for table in (*APPEND_ONLY, "signing_keys")
    ),
]


def upgrade() -> None:
    op.create_table(
        "rollup_hub_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_key", sa.String(length=300), nullable=False),
        sa.Column("hospital", sa.String(length=120), nullable=False),
        sa.Column("public_key", sa.String(length=60), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("pinned_at", sa.DateTime(), nullable=False),
        sa.Column("pinned_by", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_hub_keys")),
    )
    with op.batch_alter_table("rollup_hub_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rollup_hub_keys_hub_key"), ["hub_key"], unique=False)
        batch_op.create_index(
            "uq_rollup_hub_keys_in_force",
            ["hub_key"],
            unique=True,
            sqlite_where=sa.text("replaced_at IS NULL"),
            postgresql_where=sa.text("replaced_at IS NULL"),
        )

    op.create_table(
        "signing_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("public_key", sa.String(length=60), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("wrapped", sa.JSON(), nullable=True),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("retired_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_signing_keys_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_keys")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_signing_keys_fingerprint")),
    )
    with op.batch_alter_table("signing_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signing_keys_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("signer", sa.String(length=120), nullable=False, server_default=""),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"], ["signing_keys.id"], name=op.f("fk_audit_checkpoints_key_id_signing_keys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_checkpoints_seq"), ["seq"], unique=False)

    op.create_table(
        "hub_key_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_key_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("wrapped", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_hub_key_slots_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["hub_key_id"],
            ["signing_keys.id"],
            name=op.f("fk_hub_key_slots_hub_key_id_signing_keys"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_key_slots")),
        sa.UniqueConstraint("account_id", name=op.f("uq_hub_key_slots_account_id")),
    )
    op.create_table(
        "key_endorsements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("endorser_key_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["endorser_key_id"],
            ["signing_keys.id"],
            name=op.f("fk_key_endorsements_endorser_key_id_signing_keys"),
        ),
        sa.ForeignKeyConstraint(
            ["key_id"], ["signing_keys.id"], name=op.f("fk_key_endorsements_key_id_signing_keys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_endorsements")),
    )
    with op.batch_alter_table("key_endorsements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_key_endorsements_key_id"), ["key_id"], unique=False)

    with op.batch_alter_table("form_seals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("signature", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("key_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_form_seals_key_id_signing_keys"), "signing_keys", ["key_id"], ["id"]
        )

    with op.batch_alter_table("rollup_packages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("imported_by", sa.String(length=120), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("signed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("signer", sa.String(length=120), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("signer_fingerprint", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("hub_fingerprint", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("unsigned_reason", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("removed_by", sa.String(length=120), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("remove_reason", sa.Text(), nullable=False, server_default="")
        )

    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(
        dialect, []
    ):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in (*APPEND_ONLY, "signing_keys"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION evidence_append_only()")
    with op.batch_alter_table("rollup_packages", schema=None) as batch_op:
        batch_op.drop_column("remove_reason")
        batch_op.drop_column("removed_by")
        batch_op.drop_column("removed_at")
        batch_op.drop_column("unsigned_reason")
        batch_op.drop_column("hub_fingerprint")
        batch_op.drop_column("signer_fingerprint")
        batch_op.drop_column("signer")
        batch_op.drop_column("signed")
        batch_op.drop_column("imported_by")

    with op.batch_alter_table("form_seals", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_form_seals_key_id_signing_keys"), type_="foreignkey"
        )
        batch_op.drop_column("key_id")
        batch_op.drop_column("signature")
        batch_op.drop_column("signed")

    with op.batch_alter_table("key_endorsements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_endorsements_key_id"))

    op.drop_table("key_endorsements")
    op.drop_table("hub_key_slots")
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_checkpoints_seq"))

    op.drop_table("audit_checkpoints")
    with op.batch_alter_table("signing_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signing_keys_account_id"))

    op.drop_table("signing_keys")
    with op.batch_alter_table("rollup_hub_keys", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_rollup_hub_keys_in_force",
            sqlite_where=sa.text("replaced_at IS NULL"),
            postgresql_where=sa.text("replaced_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_rollup_hub_keys_hub_key"))

    op.drop_table("rollup_hub_keys")
