"""applicant words off the public history: withdrawal reasons become internal notes

Until now an applicant's withdrawal reason was stored as the event's public note and shown to
anyone who tracks the dossier. It moves to the event's internal note (officers see it), and the
public note of every applicant request becomes the fixed text the service now writes
(app.services.dossiers.workflow.APPLICANT_NOTES). Nothing is lost: a reason that was public
is kept, as the internal note.

Revision ID: 7b3e9c41d2a8
Revises: 5d1f0c2a9e47
Create Date: 2026-12-02 02:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7b3e9c41d2a8'
down_revision: str | None = '5d1f0c2a9e47'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in workflow.APPLICANT_NOTES on the day of this migration (a migration does not import the
# app: its texts must not change when the app's do).
APPLICANT_NOTES = {
    "supplement": "Người nộp hồ sơ đã bổ sung hồ sơ.",
    "withdraw": "Người nộp hồ sơ đề nghị rút hồ sơ.",
}


def upgrade() -> None:
    event = sa.table(
        "dossier_event",
        sa.column("action", sa.String),
        sa.column("actor", sa.String),
        sa.column("note", sa.String),
        sa.column("public_note", sa.String),
    )
    for action, text in APPLICANT_NOTES.items():
        mine = (event.c.actor == "applicant") & (event.c.action == action)
        # The applicant's words become the internal note, unless one is there already.
        op.execute(
            event.update()
            .where(mine, event.c.note == "", event.c.public_note != "")
            .values(note=event.c.public_note)
        )
        op.execute(event.update().where(mine).values(public_note=text))


def downgrade() -> None:
    # The fixed texts say nothing the status does not; the reasons stay where they are now.
    pass
