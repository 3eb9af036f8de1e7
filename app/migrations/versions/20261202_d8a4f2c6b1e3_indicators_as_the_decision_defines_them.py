"""indicators as Decision 766 defines them: late moments, level at receipt, counters by event day

Each dossier gets `late_at` (the moment it is or will be late), and the level and online mode
of its procedure at receipt. The counter tables are re-keyed (level at receipt) and count each
event on its own day (received on the receipt day, not the submission day; finished, late on
theirs): they are emptied here and `rebuild_needed` is set, so that `dvc-gateway migrate` (and
`serve`, which migrates first) recomputes them from the dossiers right after this migration,
with the app's own `stats rebuild` (app/migrate.py). Migrations never import the app.

`late_at` of existing dossiers, from what they hold: finished after the due moment → late from
it; paused after the due moment → late from it; in progress → due at it; a second supplement
request → late from that request at the latest. (Before this revision a supplement asked after
the due moment moved the due moment on resumption: such dossiers read as on time, as they did.)

Revision ID: d8a4f2c6b1e3
Revises: c5d1f7a3e9b2
Create Date: 2026-12-02 05:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd8a4f2c6b1e3'
down_revision: str | None = 'c5d1f7a3e9b2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = (
    "new", "accepted", "refused", "processing", "supplement_requested", "fee_requested",
    "withdrawal_requested", "stopped", "processed", "returned",
)
COUNTERS = (
    "submitted", "refused_at_intake", "received", "with_files", "with_result", "digitised",
    "finished", "finished_early",
    "finished_on_time", "finished_late", "became_late", "processed", "processing_days",
    *(f"st_{status}" for status in STATUSES),
)
OLD_COUNTERS = (
    "received", "with_files", "finished", "finished_on_time", "processing_days",
    *(f"st_{status}" for status in STATUSES), "running",
)
GROUP = ("agency_code", "procedure_code", "channel", "level")


def _group_columns() -> list[sa.Column]:
    return [
        sa.Column("agency_code", sa.String(length=16), nullable=False),
        sa.Column("procedure_code", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
    ]


def _counters(names: Sequence[str]) -> list[sa.Column]:
    return [sa.Column(n, sa.BigInteger(), server_default="0", nullable=False) for n in names]


def upgrade() -> None:
    # Plain ALTER TABLE, never SQLite's batch copy of `dossier`: dropping the old table would
    # break the foreign keys of its events and files (PRAGMA foreign_keys is on).
    op.add_column("dossier", sa.Column("late_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "dossier", sa.Column("level_at_receipt", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "dossier",
        sa.Column("online_mode_at_receipt", sa.String(length=16), nullable=False, server_default=""),
    )
    op.drop_index("ix_dossier_queue_open", table_name="dossier")
    op.create_index(
        "ix_dossier_queue_late",
        "dossier",
        ["agency_code", "late_at"],
        sqlite_where=sa.text("finished_at IS NULL AND late_at IS NOT NULL"),
        postgresql_where=sa.text("finished_at IS NULL AND late_at IS NOT NULL"),
    )
    _backfill_dossiers()
    for table in ("stat_daily", "stat_monthly", "stat_due"):
        op.drop_table(table)
    op.create_table(
        "stat_daily",
        sa.Column("day", sa.Date(), nullable=False),
        *_group_columns(),
        *_counters(COUNTERS),
        sa.PrimaryKeyConstraint("day", *GROUP, name=op.f("pk_stat_daily")),
    )
    op.create_table(
        "stat_monthly",
        sa.Column("month", sa.Date(), nullable=False),
        *_group_columns(),
        *_counters(COUNTERS),
        sa.PrimaryKeyConstraint("month", *GROUP, name=op.f("pk_stat_monthly")),
    )
    op.create_table(
        "stat_due",
        sa.Column("late_at", sa.DateTime(timezone=True), nullable=False),
        *_group_columns(),
        sa.Column("n", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("late_at", *GROUP, name=op.f("pk_stat_due")),
    )
    op.create_index("ix_stat_due_late_at", "stat_due", ["late_at"])
    with op.batch_alter_table("stat_revision") as batch:
        batch.add_column(
            sa.Column("rebuild_needed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # The row may not exist yet on a database that never repaired counters.
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM stat_revision WHERE id = 1")).scalar():
        conn.execute(sa.text("UPDATE stat_revision SET rebuild_needed = :t WHERE id = 1"), {"t": True})
    else:
        conn.execute(
            sa.text("INSERT INTO stat_revision (id, revision, rebuild_needed) VALUES (1, 0, :t)"),
            {"t": True},
        )


def _backfill_dossiers() -> None:
    conn = op.get_bind()
    # Online mode from the level (Decree 42/2022: 3 partial, 4 full; app.models.catalogue).
    conn.execute(
        sa.text(
            "UPDATE dossier SET level_at_receipt = "
            "(SELECT level FROM procedure WHERE procedure.code = dossier.procedure_code)"
        )
    )
    conn.execute(
        sa.text(
            "UPDATE dossier SET online_mode_at_receipt = CASE level_at_receipt "
            "WHEN 4 THEN 'full' WHEN 3 THEN 'partial' ELSE 'none' END"
        )
    )
    conn.execute(
        sa.text(
            "UPDATE dossier SET late_at = CASE "
            "WHEN finished_at IS NOT NULL THEN "
            "  CASE WHEN finished_at > due_at THEN due_at ELSE NULL END "
            "WHEN paused_at IS NOT NULL THEN "
            "  CASE WHEN paused_at > due_at THEN due_at ELSE NULL END "
            "ELSE due_at END "
            "WHERE due_at IS NOT NULL"
        )
    )
    second = (
        "(SELECT e.at FROM dossier_event e WHERE e.dossier_id = dossier.id "
        "AND e.action = 'request_supplement' ORDER BY e.at, e.id LIMIT 1 OFFSET 1)"
    )
    conn.execute(
        sa.text(
            f"UPDATE dossier SET late_at = CASE "
            f"WHEN late_at IS NULL OR {second} < late_at THEN {second} ELSE late_at END "
            f"WHERE due_at IS NOT NULL AND supplement_requests > 1 AND {second} IS NOT NULL"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("stat_revision") as batch:
        batch.drop_column("rebuild_needed")
    op.drop_index("ix_stat_due_late_at", table_name="stat_due")
    for table in ("stat_daily", "stat_monthly", "stat_due"):
        op.drop_table(table)
    # The old tables come back empty: `dvc-gateway stats rebuild` of the older release fills them.
    for table, period in (("stat_daily", "day"), ("stat_monthly", "month")):
        op.create_table(
            table,
            sa.Column(period, sa.Date(), nullable=False),
            *_group_columns()[:3],
            *_counters(OLD_COUNTERS),
            sa.PrimaryKeyConstraint(period, *GROUP[:3], name=op.f(f"pk_{table}")),
        )
    op.create_table(
        "stat_due",
        sa.Column("day", sa.Date(), nullable=False),
        *_group_columns()[:3],
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("n", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("day", *GROUP[:3], "due_at", name=op.f("pk_stat_due")),
    )
    op.create_index("ix_stat_due_due_at_day", "stat_due", ["due_at", "day"])
    op.drop_index("ix_dossier_queue_late", table_name="dossier")
    op.create_index(
        "ix_dossier_queue_open",
        "dossier",
        ["agency_code", "due_at", "submitted_at", "id"],
        sqlite_where=sa.text("finished_at IS NULL AND paused_at IS NULL"),
        postgresql_where=sa.text("finished_at IS NULL AND paused_at IS NULL"),
    )
    # SQLite 3.35+ and PostgreSQL drop a column in place (no batch copy: see upgrade).
    for column in ("online_mode_at_receipt", "level_at_receipt", "late_at"):
        op.execute(f"ALTER TABLE dossier DROP COLUMN {column}")
