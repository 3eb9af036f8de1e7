"""running counters: in progress with the clock running, per counter row; due index by day

Revision ID: 5d1f0c2a9e47
Revises: e122fed39b03
Create Date: 2026-12-01 12:00:00
"""
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = '5d1f0c2a9e47'
down_revision: str | None = 'e122fed39b03'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ("agency_code", "procedure_code", "channel")


def upgrade() -> None:
    # "Not yet due" (due moment ahead, receipt day in the period) is read from this index
    # alone; the last due moment passed (the statistics revision) too.
    op.drop_index("ix_stat_due_due_at", table_name="stat_due")
    op.create_index("ix_stat_due_due_at_day", "stat_due", ["due_at", "day"])
    for table in ("stat_daily", "stat_monthly"):
        op.add_column(
            table, sa.Column("running", sa.BigInteger(), server_default="0", nullable=False)
        )
    # `stat_due` holds exactly the dossiers in progress with their clock running, by receipt
    # day and key (services/stat_counters.py): their sums are the new column's values, so no
    # dossier needs reading.
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT day, agency_code, procedure_code, channel, SUM(n) FROM stat_due "
            "GROUP BY day, agency_code, procedure_code, channel"
        )
    ).all()
    daily = [
        {"period": _day(day), "agency_code": a, "procedure_code": p, "channel": c, "n": int(n)}
        for day, a, p, c, n in rows
        if n
    ]
    monthly: dict[tuple[date, str, str, str], int] = defaultdict(int)
    for row in daily:
        monthly[(row["period"].replace(day=1), *(row[k] for k in KEY))] += row["n"]
    where = " AND ".join(f"{k} = :{k}" for k in KEY)
    if daily:
        conn.execute(
            sa.text(f"UPDATE stat_daily SET running = :n WHERE day = :period AND {where}"), daily
        )
    if monthly:
        conn.execute(
            sa.text(f"UPDATE stat_monthly SET running = :n WHERE month = :period AND {where}"),
            [
                {"period": month, **dict(zip(KEY, rest, strict=True)), "n": n}
                for (month, *rest), n in monthly.items()
            ],
        )


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def downgrade() -> None:
    op.drop_index("ix_stat_due_due_at_day", table_name="stat_due")
    op.create_index("ix_stat_due_due_at", "stat_due", ["due_at"])
    for table in ("stat_monthly", "stat_daily"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("running")
