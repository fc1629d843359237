"""cost_items: insured_part (tomans within insurance obligations) replaces under_insurance

The directive supports only the part of a cost outside insurance obligations; a yes/no
could not say that half of a hospital stay was beyond the insurer's ceiling. Existing items
keep their meaning: one marked as under insurance is wholly within obligations
(insured_part = amount), any other has none (0); no support amount changes. The
conversion is written to the audit trail, chained like every other entry.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 17:20:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

from cancer_desk.core.audit_chain import GENESIS, AuditEntryData, entry_hash

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

AUDIT_LOCK_KEY = 1388005  # the audit trail's writers take turns (services/audit.py)
MIGRATION_ACTOR = "ارتقای پایگاه داده"

_audit_log = sa.table(
    "audit_log",
    sa.column("seq", sa.Integer()), sa.column("at", sa.DateTime()),
    sa.column("account_id", sa.Integer()), sa.column("actor", sa.String()),
    sa.column("action", sa.String()), sa.column("table_name", sa.String()),
    sa.column("record_id", sa.String()), sa.column("patient_id", sa.Integer()),
    sa.column("changes", sa.JSON()), sa.column("reason", sa.Text()),
    sa.column("prev_hash", sa.String()), sa.column("entry_hash", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("cost_items") as batch:
        batch.add_column(sa.Column("insured_part", sa.BigInteger(), nullable=False,
                                   server_default="0"))
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE cost_items SET insured_part = CASE WHEN under_insurance THEN amount ELSE 0 END"))
    with op.batch_alter_table("cost_items") as batch:
        batch.alter_column("insured_part", server_default=None, existing_type=sa.BigInteger(),
                           existing_nullable=False)
        batch.drop_constraint(op.f("ck_cost_items_support_within_amount"), type_="check")
        batch.drop_column("under_insurance")
        batch.create_check_constraint(op.f("ck_cost_items_insured_part_within_amount"),
                                      "insured_part >= 0 AND insured_part <= amount")
        batch.create_check_constraint(
            op.f("ck_cost_items_support_within_outside_part"),
            "support_amount >= 0 AND support_amount <= amount - insured_part")
    _record_conversion(connection)


def _record_conversion(connection: sa.Connection) -> None:
    """One audit entry naming how many items were converted, at the end of the chain.
    A database with no cost items (a new one) has nothing to record."""
    items, insured = connection.execute(sa.text(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN insured_part = amount THEN 1 ELSE 0 END), 0) "
        "FROM cost_items")).one()
    if not items:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": AUDIT_LOCK_KEY})
    last = connection.execute(sa.select(_audit_log.c.seq, _audit_log.c.entry_hash)
                              .order_by(_audit_log.c.seq.desc()).limit(1)).first()
    seq, previous = (last[0], last[1]) if last is not None else (0, GENESIS)
    data = AuditEntryData(
        seq=seq + 1, at=dt.datetime.now(dt.UTC).replace(tzinfo=None), account_id=None,
        actor=MIGRATION_ACTOR, action="migration", table_name="database",
        record_id=revision, patient_id=None,
        changes={"converted_cost_items": [None, int(items)],
                 "wholly_insured_items": [None, int(insured)],
                 "uninsured_items": [None, int(items) - int(insured)]},
        reason="«در تعهد بیمه» (بلی/خیر) به «سهم در تعهد بیمه» (تومان) تبدیل شد: "
               "بلی = همه مبلغ، خیر = صفر؛ مبلغ حمایت هیچ قلمی تغییر نکرد.",
        prev_hash=previous)
    connection.execute(sa.insert(_audit_log).values({**vars(data),
                                                     "entry_hash": entry_hash(data)}))


def downgrade() -> None:
    # A partly insured item becomes "not under insurance" with its support unchanged.
    with op.batch_alter_table("cost_items") as batch:
        batch.add_column(sa.Column("under_insurance", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.get_bind().execute(sa.text(
        "UPDATE cost_items SET under_insurance = (insured_part = amount)"))
    with op.batch_alter_table("cost_items") as batch:
        batch.alter_column("under_insurance", server_default=None, existing_type=sa.Boolean(),
                           existing_nullable=False)
        batch.drop_constraint(op.f("ck_cost_items_support_within_outside_part"), type_="check")
        batch.drop_constraint(op.f("ck_cost_items_insured_part_within_amount"), type_="check")
        batch.drop_column("insured_part")
        batch.create_check_constraint(op.f("ck_cost_items_support_within_amount"),
                                      "support_amount >= 0 AND support_amount <= amount")
