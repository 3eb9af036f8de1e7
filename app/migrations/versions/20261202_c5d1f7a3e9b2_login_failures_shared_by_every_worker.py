"""login failures shared by every worker: the sign-in throttle's counts in the database

Until now each worker process counted failed sign-ins in its own memory (so N workers allowed
N times the failures) and blocked a username from anywhere. The counts now live here, per
(username, address) and per address, keyed by a SHA-256 (app/services/throttle.py).

Revision ID: c5d1f7a3e9b2
Revises: a4c2e8f1b6d3
Create Date: 2026-12-02 02:34:17
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c5d1f7a3e9b2'
down_revision: str | None = 'a4c2e8f1b6d3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'login_failure',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_login_failure')),
    )


def downgrade() -> None:
    op.drop_table('login_failure')
