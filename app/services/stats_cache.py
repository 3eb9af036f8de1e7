"""Answers to statistics queries, kept per worker and revalidated cheaply.

The data revision is (the last dossier event's id, the last due moment already passed): every
counter change comes with an event, and "overdue" changes only when a due moment passes. It is
read from the database at most every `check_s` seconds, so a dashboard's `If-None-Match` is
answered from memory. The ETag is a hash of the answer itself: it changes when, and only when,
the numbers (or their format) change.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from app.models.dossier import DossierEvent
from app.models.stats import stat_due

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
        self.max_entries = max_entries
        self._revision: Revision | None = None
        self._checked_at = 0.0
        self._answers: OrderedDict[Any, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def revision_is_fresh(self) -> bool:
        return self._revision is not None and time.monotonic() - self._checked_at < self.check_s

    @property
    def revision(self) -> Revision:
        assert self._revision is not None
        return self._revision

    def refresh(self, now: datetime) -> Revision:
        """Read the data revision from the database (sync: call it from a worker thread)."""
        with Session(self.engine) as session:
            last_event = session.scalar(select(func.max(col(DossierEvent.id))))
            last_due = session.scalar(
                select(func.max(stat_due.c.due_at)).where(stat_due.c.due_at < now, stat_due.c.n > 0)
            )
        self._revision = (last_event, last_due)
        self._checked_at = time.monotonic()
        return self._revision

    def get(self, key: Any) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None or answer.revision != self._revision:
                return None
            self._answers.move_to_end(key)
            return answer

    def put(self, key: Any, answer: Answer) -> None:
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.max_entries:
                self._answers.popitem(last=False)
