"""supplement documents asked for: a supplement request names the documents it asks for

`dossier_event.documents` holds the document keys (of the dossier's procedure) that a
`request_supplement` asked for; only those may then be sent in the supplement. Every other
event, and every request made before this migration, keeps null: such a request accepts any of
the procedure's documents, as before. One ADD COLUMN without a default: no table is rewritten,
on SQLite or on PostgreSQL.

Revision ID: df698e0df59b
Revises: 4f6d4224d7a7
Create Date: 2026-12-03 08:15:37
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'df698e0df59b'
down_revision: str | None = '4f6d4224d7a7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dossier_event', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('documents', sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), never a recreated table.
    with op.batch_alter_table('dossier_event', recreate='never') as batch_op:
        batch_op.drop_column('documents')
