"""officer page sessions: officers sign in on the pages (/can-bo/) with a server-side session

The browser keeps a random token in an HttpOnly cookie; this table keeps its SHA-256, the
officer, the issuer (local or the OpenID Connect provider, with the provider's role and agency
claims) and the session's times, so that a session ends on the server at sign-out, when idle
and at its fixed end.

Revision ID: b3e7c1d9a5f2
Revises: df698e0df59b
Create Date: 2026-12-04 02:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b3e7c1d9a5f2'
down_revision: str | None = 'df698e0df59b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'officer_session',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('issuer', sa.String(length=300), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=True),
        sa.Column('agency_code', sa.String(length=16), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['officer_id'], ['officer.id'], name=op.f('fk_officer_session_officer_id_officer')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_officer_session')),
    )
    op.create_index(
        op.f('ix_officer_session_officer_id'), 'officer_session', ['officer_id'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_officer_session_officer_id'), table_name='officer_session')
    op.drop_table('officer_session')
