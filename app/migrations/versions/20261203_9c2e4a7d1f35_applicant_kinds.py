"""applicant kinds: who may apply for each procedure

Procedures say who may apply (`applicant_kinds`: individual, organisation, foreigner). Every
existing procedure takes individuals and organisations, which is what each took in effect
until now (a person with an identity number, a business's representative among them);
foreigners could not apply, as there was no passport field, and may apply once the catalogue
says so. One ADD COLUMN with a default: no table is rewritten, on SQLite or on PostgreSQL.

Dossiers are not touched: the applicants stored before have no `kind` and are read as
individuals (app/models/applicant.py, `applicant_public`).

Revision ID: 9c2e4a7d1f35
Revises: 4a307082c97f
Create Date: 2026-12-03 02:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9c2e4a7d1f35'
down_revision: str | None = '4a307082c97f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# A plain ADD COLUMN, never a batch alteration: on SQLite that copies the table, which the
# dossiers' foreign keys to it forbid once it holds rows.
def upgrade() -> None:
    op.add_column(
        'procedure',
        sa.Column(
            'applicant_kinds',
            sa.JSON(),
            server_default='["individual", "organisation"]',
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column('procedure', 'applicant_kinds')
