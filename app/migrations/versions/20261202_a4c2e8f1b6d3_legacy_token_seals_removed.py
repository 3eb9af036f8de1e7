"""legacy token seals removed: what the old scheme kept of applicants' tokens is deleted

Until now a dossier submitted with an Idempotency-Key kept its access token XORed with a
keystream derived from the Idempotency-Key alone, and the key as an unsalted SHA-256: a copy of
the database plus a guessable key gave the token. The service now seals tokens with AES-GCM
under a server key and keeps an HMAC of the key (app/services/dossiers/tokens.py). The old
seals and key hashes cannot be converted (a migration has no server key, and must not need
one), so they are deleted. Their only use was to answer a retry of the same submission within
moments of it; a retry of a submission made before this upgrade is treated as a new one.

Revision ID: a4c2e8f1b6d3
Revises: 7b3e9c41d2a8
Create Date: 2026-12-02 02:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a4c2e8f1b6d3'
down_revision: str | None = '7b3e9c41d2a8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    dossier = sa.table(
        "dossier",
        sa.column("idempotency_key_hash", sa.String),
        sa.column("request_fingerprint", sa.String),
        sa.column("sealed_access_token", sa.String),
    )
    op.execute(
        dossier.update()
        .where(dossier.c.sealed_access_token.is_not(None))
        .values(idempotency_key_hash=None, request_fingerprint=None, sealed_access_token=None)
    )


def downgrade() -> None:
    pass  # deleted secrets are not restored
