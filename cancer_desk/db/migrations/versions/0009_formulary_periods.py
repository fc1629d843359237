"""A dated formulary: each drug's periods of coverage replace its "active" flag

Support of a drug cost asks whether its drug was covered on the item's date, so the
flag (covered now or not) becomes periods. What the flag said is kept:

- An active drug gets one open period from the earliest of its creation day and its
  items' dates: every item of it is covered, as the flag said.
- A withdrawn drug: when it was withdrawn was never recorded. Its items say when their
  support was last computed whether the drug was listed then: an item with support, or
  one waiting only for an assessment, was computed while the drug was listed. The
  period therefore ends on the latest date of such an item, so each of them keeps its
  support when it is recomputed later (a new assessment): reading "withdrawn before
  every item" would cut what was already paid, which is the fault this revision mends.
  A withdrawn drug none of whose items shows it listed gets a one-day period on the
  day before its first item (or its creation): it was listed once, but covers no item.
  Items of such a drug saved after the withdrawal but dated before that end would gain
  support if recomputed; that is what the formulary in force on their date says.

Stored support (cost_items.support_amount) is not touched by this revision.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 17:30:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

RECORDED_BY = "ارتقای پایگاه داده"
ACTIVE_REASON = "در فهرست پیش از تاریخ‌دار شدن فهرست"
WITHDRAWN_REASON = ("کنار گذاشته پیش از تاریخ‌دار شدن فهرست؛ پایان دوره آخرین هزینهٔ "
                    "حمایت‌شدهٔ این دارو است")
WITHDRAWN_UNUSED_REASON = ("کنار گذاشته پیش از تاریخ‌دار شدن فهرست؛ هیچ هزینه‌ای از دوره "
                           "پوشش آن نشانی ندارد")
# Reasons computed while the drug was listed (support_for checks the formulary before
# the assessment, and after the group and insurance, which say nothing about it).
LISTED_REASONS = (None, "no_assessment")


def _day(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _period(drug_id: int, active: bool, created: dt.date,
            items: list[tuple[dt.date, str | None]]) -> dict[str, object]:
    start = min([created, *(day for day, _ in items)])
    if active:
        return {"covered_from": start, "covered_until": None, "reason": ACTIVE_REASON}
    listed = [day for day, reason in items if reason in LISTED_REASONS]
    if listed:
        return {"covered_from": start, "covered_until": max(listed), "reason": WITHDRAWN_REASON}
    before = start - dt.timedelta(days=1)
    return {"covered_from": before, "covered_until": before,
            "reason": WITHDRAWN_UNUSED_REASON}


def upgrade() -> None:
    periods = op.create_table(
        "formulary_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drug_id", sa.Integer(), nullable=False),
        sa.Column("covered_from", sa.Date(), nullable=False),
        sa.Column("covered_until", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.CheckConstraint("covered_until IS NULL OR covered_until >= covered_from",
                           name=op.f("ck_formulary_periods_period_order")),
        sa.ForeignKeyConstraint(["drug_id"], ["formulary_drugs.id"],
                                name=op.f("fk_formulary_periods_drug_id_formulary_drugs"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_formulary_periods")),
    )
    assert periods is not None
    with op.batch_alter_table("formulary_periods") as batch:
        batch.create_index(batch.f("ix_formulary_periods_drug_id"), ["drug_id"], unique=False)

    connection = op.get_bind()
    items: dict[int, list[tuple[dt.date, str | None]]] = {}
    for drug_id, item_date, reason in connection.execute(sa.text(
            "SELECT drug_id, item_date, no_support_reason FROM cost_items "
            "WHERE drug_id IS NOT NULL AND kind = 'drug'")):
        items.setdefault(drug_id, []).append((_day(item_date), reason))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [{"drug_id": drug_id, "recorded_by": RECORDED_BY, "recorded_at": now,
             **_period(drug_id, bool(active), _day(created), items.get(drug_id, []))}
            for drug_id, active, created in connection.execute(sa.text(
                "SELECT id, active, created_at FROM formulary_drugs ORDER BY id"))]
    if rows:
        op.bulk_insert(periods, rows)
    # SQLite 3.35+ drops a plain column in place: no copy of the table its cost items
    # point at.
    op.drop_column("formulary_drugs", "active")


def downgrade() -> None:
    op.add_column("formulary_drugs", sa.Column("active", sa.Boolean(), nullable=False,
                                               server_default=sa.false()))
    op.execute("UPDATE formulary_drugs SET active = EXISTS (SELECT 1 FROM formulary_periods p "
               "WHERE p.drug_id = formulary_drugs.id AND p.covered_until IS NULL)")
    with op.batch_alter_table("formulary_periods") as batch:
        batch.drop_index(batch.f("ix_formulary_periods_drug_id"))
    op.drop_table("formulary_periods")
