"""electronic results: result files on the dossier, and what each procedure issues

Dossier files get a kind: `document` (what the applicant handed in; every existing file) or
`result` (an electronic result the agency attached to `complete`). Each dossier counts its
result files (`result_file_count`, 0 for every existing dossier: none had one), kept in the
same transaction as the move, so that indicators 4.1 and 4.2 count dossiers without reading
files. Procedures say whether they issue a result (`issues_result`, true for the existing ones:
most procedures end in a document) and whether the result must also be on paper
(`requires_paper_result`, false until the catalogue says so). Each is one ADD COLUMN with a
default: no table is rewritten, on SQLite or on PostgreSQL (11 and later).

Revision ID: 0f7aa23c7c2d
Revises: d8a4f2c6b1e3
Create Date: 2026-12-02 04:44:40
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0f7aa23c7c2d'
down_revision: str | None = 'd8a4f2c6b1e3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('result_file_count', sa.Integer(), server_default='0', nullable=False)
        )

    with op.batch_alter_table('dossier_file', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('kind', sa.String(length=16), server_default='document', nullable=False)
        )

    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('issues_result', sa.Boolean(), server_default='1', nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                'requires_paper_result', sa.Boolean(), server_default='0', nullable=False
            )
        )


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): recreating `dossier` in batch mode would
    # drop a table that other tables' rows still reference.
    with op.batch_alter_table('procedure', recreate='never') as batch_op:
        batch_op.drop_column('requires_paper_result')
        batch_op.drop_column('issues_result')

    with op.batch_alter_table('dossier_file', recreate='never') as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('dossier', recreate='never') as batch_op:
        batch_op.drop_column('result_file_count')
