"""offering agencies, channels and fee lines: the complete procedure record

One national procedure is offered by many agencies (DOMAIN.md §3): `procedure_agency` links a
procedure to each agency that offers it, `position` 0 being the procedure's `agency_code`
(kept for older clients). Every existing procedure becomes offered by its current agency alone.

A procedure also says how dossiers are handed in (`channels`) and lists its fees in lines
(`fees`). What existing procedures get is what they did until now: every procedure took
dossiers at the counter and by post, levels 3–4 online too; their one fee (`fee_vnd`) becomes
one line "Lệ phí" of that amount, as a write with `fee_vnd` alone does.

Columns are only added, never altered, and the new table is created: on SQLite an alteration
copies `procedure`, which the foreign keys of `dossier` forbid once it holds rows. Templates
of dossier components are a key inside the `required_documents` JSON: no column.

Revision ID: 4f6d4224d7a7
Revises: 9c2e4a7d1f35
Create Date: 2026-12-03 08:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '4f6d4224d7a7'
down_revision: str | None = '9c2e4a7d1f35'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'procedure_agency',
        sa.Column('procedure_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('agency_code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['agency_code'], ['agency.code'], name=op.f('fk_procedure_agency_agency_code_agency')
        ),
        sa.ForeignKeyConstraint(
            ['procedure_code'],
            ['procedure.code'],
            name=op.f('fk_procedure_agency_procedure_code_procedure'),
        ),
        sa.PrimaryKeyConstraint('procedure_code', 'agency_code', name=op.f('pk_procedure_agency')),
    )
    with op.batch_alter_table('procedure_agency', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_procedure_agency_agency_code'), ['agency_code'], unique=False
        )
    op.execute(
        "INSERT INTO procedure_agency (procedure_code, agency_code, position) "
        "SELECT code, agency_code, 0 FROM procedure"
    )
    op.add_column(
        'procedure',
        sa.Column('channels', sa.JSON(), server_default='["counter", "postal"]', nullable=False),
    )
    op.add_column('procedure', sa.Column('fees', sa.JSON(), server_default='[]', nullable=False))
    postgresql = op.get_bind().dialect.name == 'postgresql'
    online = '\'["counter", "postal", "online"]\''
    op.execute(
        f"UPDATE procedure SET channels = {f'CAST({online} AS JSON)' if postgresql else online} "
        "WHERE level IN (3, 4)"
    )
    line = (
        "'[{\"label\": \"Lệ phí\", \"amount_vnd\": ' || CAST(fee_vnd AS VARCHAR(20)) || "
        "', \"per\": null, \"online_discount_vnd\": 0}]'"
    )
    op.execute(f"UPDATE procedure SET fees = {f'CAST({line} AS JSON)' if postgresql else line}")


def downgrade() -> None:
    op.drop_column('procedure', 'fees')
    op.drop_column('procedure', 'channels')
    with op.batch_alter_table('procedure_agency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procedure_agency_agency_code'))
    op.drop_table('procedure_agency')
