"""Removing what a crash can leave in storage: temporary objects of interrupted uploads and
promoted objects whose transaction never committed."""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import Engine, select
from sqlmodel import col

from app.db import unit_of_work
from app.models.dossier import DossierFile
from app.services.storage import Storage

BATCH = 500


@dataclass(frozen=True)
class SweepReport:
    temporary: int
    orphans: list[str]


def sweep_orphans(
    engine: Engine, storage: Storage, older_than_s: float, *, dry_run: bool = False
) -> SweepReport:
    """Delete stored objects that no committed DossierFile row references.

    Only objects older than `older_than_s` are considered: a submission promotes its files just
    before it commits, so a young unreferenced object may be about to become referenced."""
    orphans: list[str] = []
    keys = storage.keys(older_than_s)
    with unit_of_work(engine) as session:
        for batch in _batches(keys):
            statement = select(col(DossierFile.storage_key)).where(
                col(DossierFile.storage_key).in_(batch)
            )
            referenced = set(session.scalars(statement))
            orphans += [key for key in batch if key not in referenced]
    temporary = 0
    if not dry_run:
        for key in orphans:
            storage.delete(key)
        temporary = storage.sweep_temporary(older_than_s)
    return SweepReport(temporary=temporary, orphans=orphans)


def _batches(keys: Iterator[str]) -> Iterator[list[str]]:
    while batch := list(islice(keys, BATCH)):
        yield batch
