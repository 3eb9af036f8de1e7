"""deadlines in the procedure's unit: processing time and unit, fee pauses, reschedules

A procedure's processing time becomes an amount (halves allowed) with its unit; every existing
procedure keeps its `processing_days` as that many working days (the only unit there was), and
no procedure pauses the clock for fees until its record says so. Dossiers get the appointment of
an apology (`rescheduled_due_at`) and events the appointment a reschedule set; both are empty
for existing rows. Each statement touches the procedure table (a few thousand rows) or adds a
nullable column, so the migration takes well under a second whatever the number of dossiers.

Revision ID: 72edff9966d6
Revises: 0f7aa23c7c2d
Create Date: 2026-12-02 04:45:23.722041
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '72edff9966d6'
down_revision: str | None = '0f7aa23c7c2d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Columns are only added and dropped, never altered: on SQLite an alteration copies the table,
# which its foreign keys (dossiers → procedure, events → dossier) forbid once it holds rows.
def upgrade() -> None:
    op.add_column('dossier', sa.Column('rescheduled_due_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('dossier_event', sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('procedure', sa.Column('processing_amount', sa.Float(), server_default='0', nullable=False))
    op.add_column('procedure', sa.Column('processing_unit', sa.String(length=16), server_default='working_days', nullable=False))
    op.add_column('procedure', sa.Column('fee_pauses_clock', sa.Boolean(), server_default=sa.false(), nullable=False))
    procedure = sa.table(
        'procedure', sa.column('processing_days', sa.Integer), sa.column('processing_amount', sa.Float)
    )
    op.execute(procedure.update().values(processing_amount=procedure.c.processing_days))


def downgrade() -> None:
    # `processing_days` was kept in step (whole days, rounded up), so it stays meaningful.
    op.drop_column('procedure', 'fee_pauses_clock')
    op.drop_column('procedure', 'processing_unit')
    op.drop_column('procedure', 'processing_amount')
    op.drop_column('dossier_event', 'due_at')
    op.drop_column('dossier', 'rescheduled_due_at')
