"""fee request amount: a fee request names the amount to pay

`dossier_event.amount_vnd` holds the amount, in đồng, that a `request_fee` asked the applicant
to pay (DOMAIN.md §4: the move needs "amount and reason"). Every other event, and every fee
request made before this migration, keeps null. One ADD COLUMN without a default: no table is
rewritten, on SQLite or on PostgreSQL.

Revision ID: e4a81c5f7b20
Revises: b3e7c1d9a5f2
Create Date: 2026-12-06 22:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e4a81c5f7b20'
down_revision: str | None = 'b3e7c1d9a5f2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dossier_event', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('amount_vnd', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), never a recreated table.
    with op.batch_alter_table('dossier_event', recreate='never') as batch_op:
        batch_op.drop_column('amount_vnd')
