"""processing time in the procedure's unit for indicator 2.2, pauses subtracted

Each dossier keeps the unit of its procedure's processing time at receipt (`processing_unit`),
the time its clock was paused (`paused_seconds`) and, once finished, the time it took in that
unit (`time_used`, fractions kept). The counters sum 2.2 per unit (`processed_<unit>`,
`time_<unit>` in thousandths) instead of whole working days (`processing_days`).

Here, in SQL: the unit of every received dossier is its procedure's (until now every dossier
was received in working days unless its procedure was changed since revision 72edff9966d6);
`rebuild_needed` is set. What needs the working calendar is left to the app, which a migration
does not import: right after the migrations, `app.migrate.upgrade` measures `paused_seconds`
and `time_used` of the finished dossiers (`app.services.stats.backfill`) and then rebuilds the
counters, as revision d8a4f2c6b1e3 does.

Columns are only added and dropped, never altered: on SQLite an alteration copies the table,
which the foreign keys of `dossier` forbid once it holds rows.

Revision ID: 4a307082c97f
Revises: 72edff9966d6
Create Date: 2026-12-02 18:03:02.759822
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '4a307082c97f'
down_revision: str | None = '72edff9966d6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNITS = ("working_days", "working_hours", "calendar_days", "months")
COUNTERS = (*(f"processed_{u}" for u in UNITS), *(f"time_{u}" for u in UNITS))
TABLES = ("stat_daily", "stat_monthly")


def _rebuild_needed() -> None:
    op.execute(sa.text("UPDATE stat_revision SET rebuild_needed = :t WHERE id = 1").bindparams(t=True))
    op.execute(
        sa.text(
            "INSERT INTO stat_revision (id, revision, rebuild_needed) "
            "SELECT 1, 0, :t WHERE NOT EXISTS (SELECT 1 FROM stat_revision WHERE id = 1)"
        ).bindparams(t=True)
    )


def upgrade() -> None:
    op.add_column('dossier', sa.Column('paused_seconds', sa.Integer(), server_default='0', nullable=False))
    op.add_column('dossier', sa.Column('processing_unit', sa.String(length=16), nullable=True))
    op.add_column('dossier', sa.Column('time_used', sa.Float(), nullable=True))
    op.execute(
        "UPDATE dossier SET processing_unit = (SELECT processing_unit FROM procedure "
        "WHERE procedure.code = dossier.procedure_code) WHERE received_at IS NOT NULL"
    )
    for table in TABLES:
        for name in COUNTERS:
            op.add_column(table, sa.Column(name, sa.BigInteger(), server_default='0', nullable=False))
        op.drop_column(table, 'processing_days')
    _rebuild_needed()


def downgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('processing_days', sa.BigInteger(), server_default='0', nullable=False))
        for name in COUNTERS:
            op.drop_column(table, name)
    op.drop_column('dossier', 'time_used')
    op.drop_column('dossier', 'processing_unit')
    op.drop_column('dossier', 'paused_seconds')
    # The older app recomputes its `processing_days` from the dossiers.
    _rebuild_needed()
