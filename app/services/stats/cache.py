"""Answers to statistics queries, kept per worker and revalidated cheaply.

The data revision is (the last dossier event's id, the last late moment already passed, the
catalogue's revision, the counters' repair revision): every counter change comes with an event
or a repair (`stats rebuild`), "late" changes only when a late moment passes, and names and
scopes change only with the catalogue. It is read from the database, in one statement, at most
every `check_s` seconds, so a dashboard's `If-None-Match` is answered from memory. The ETag is a
hash of the answer itself: it changes when, and only when, the numbers (or their format) change.

Answers are kept by the parsed parameters and the Vietnam date, in a bounded LRU
(`cachetools`), inside the statistics routes: every dependency of the route runs for a cached
answer too.
"""

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cachetools import LRUCache
from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from app.db import unit_of_work
from app.models.catalogue_revision import CatalogueRevision
from app.models.dossier import DossierEvent
from app.models.stats import stat_due, stat_revision
from app.services.stats.queries import Names

Revision = tuple[Any, ...]


@dataclass(frozen=True)
class Answer:
    revision: Revision
    etag: str
    body: bytes
    media_type: str
    filename: str | None


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class StatsCache:
    def __init__(self, engine: Engine, check_s: float, max_entries: int = 1024) -> None:
        self.engine = engine
        self.check_s = check_s
        self._revision: Revision | None = None
        self._checked_at = 0.0
        self._answers: LRUCache[Any, Answer] = LRUCache(maxsize=max_entries)
        self._lock = threading.Lock()
        self._names: tuple[Any, Names] | None = None

    def revision_is_fresh(self) -> bool:
        return self._revision is not None and time.monotonic() - self._checked_at < self.check_s

    @property
    def revision(self) -> Revision:
        assert self._revision is not None
        return self._revision

    def refresh(self, now: datetime) -> Revision:
        """Read the data revision from the database (sync: call it from a worker thread)."""
        last_event = select(func.max(col(DossierEvent.id))).scalar_subquery()
        last_due = (
            select(func.max(stat_due.c.late_at))
            .where(stat_due.c.late_at < now, stat_due.c.n > 0)
            .scalar_subquery()
        )
        catalogue = (
            select(col(CatalogueRevision.revision))
            .where(col(CatalogueRevision.id) == 1)
            .scalar_subquery()
        )
        repairs = select(stat_revision.c.revision).where(stat_revision.c.id == 1).scalar_subquery()
        with unit_of_work(self.engine) as session:
            row = session.execute(select(last_event, last_due, catalogue, repairs)).one()
        self._revision = tuple(row)
        self._checked_at = time.monotonic()
        return self._revision

    def names(self, session: Session) -> Names:
        """The catalogue as statistics read it, read again only when the catalogue's revision
        (as of the last `refresh`) changes. Names read after the revision was read are at
        least that recent; an answer computed with newer ones is dropped at the next refresh
        anyway, its revision being older."""
        if self._revision is None:
            return Names(session)
        catalogue_revision = self._revision[2] or 0  # no row yet: revision 0
        kept = self._names
        if kept is not None and kept[0] == catalogue_revision:
            return kept[1]
        names = Names(session)
        self._names = (catalogue_revision, names)
        return names

    def get(self, key: Any) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
        return answer if answer is not None and answer.revision == self._revision else None

    def put(self, key: Any, answer: Answer) -> None:
        with self._lock:
            self._answers[key] = answer
