"""queue indexes

Revision ID: e122fed39b03
Revises: cba119e822f2
Create Date: 2026-11-26 10:19:34.204853
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate may render sqlmodel types)
from alembic import op

import app.models.types

revision: str = 'e122fed39b03'
down_revision: str | None = 'cba119e822f2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The queue's order within an agency (app/models/dossier.py, QUEUE_ORDER_SQL).
ORDER = [sa.text("(due_at IS NULL)"), "due_at", "submitted_at", "id"]
OPEN = sa.text("finished_at IS NULL AND paused_at IS NULL")


def upgrade() -> None:
    op.drop_index("ix_dossier_agency_code_status", table_name="dossier")
    op.create_index("ix_dossier_queue", "dossier", ["agency_code", *ORDER])
    op.create_index("ix_dossier_queue_status", "dossier", ["agency_code", "status", *ORDER])
    op.create_index(
        "ix_dossier_queue_open",
        "dossier",
        ["agency_code", "due_at", "submitted_at", "id"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_dossier_queue_open", table_name="dossier")
    op.drop_index("ix_dossier_queue_status", table_name="dossier")
    op.drop_index("ix_dossier_queue", table_name="dossier")
    op.create_index("ix_dossier_agency_code_status", "dossier", ["agency_code", "status"])
