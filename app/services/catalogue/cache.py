"""The catalogue in memory: every procedure in an immutable snapshot, searched without the database.

The catalogue changes only through imports and the admin API, and each of those bumps the one-row
`catalogue_revision` in its own transaction. Each process keeps a snapshot built from the
database, rechecks the revision at most once per `CATALOGUE_CACHE_CHECK_S` seconds and swaps in a
new snapshot when it changed. Measured reason (docs/PERFORMANCE.md, catalogue): SQL search read
the whole table twice per request, over 20 ms at 10,000 procedures, and a synchronous endpoint
with a session is capped near 0.1 × what the server can do.

Search here must give exactly what `catalogue.search_procedures` gives: that SQL stays the
reference, and tests/services/test_catalogue_cache.py compares the two on random catalogues.
"""

import hashlib
import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from app.db import bump_revision_row, unit_of_work
from app.errors import AgencyNotFound, ProcedureNotFound
from app.models import Agency, CatalogueRevision, Procedure, ProcedureField
from app.models.catalogue import (
    AgencyPublic,
    AgencyRef,
    FieldPublic,
    ProcedureDetail,
    ProcedurePublic,
    online_mode_for,
)
from app.services.catalogue.procedures import offering_agencies, procedure_detail, search_terms
from app.services.catalogue.scope import ProcedureScope, in_subtree

_ITEM = TypeAdapter(ProcedurePublic)
_BY_LENGTH_THEN_CODE = attrgetter("text_length", "code")
_DETAIL = TypeAdapter(ProcedureDetail)


# ---------------------------------------------------------------------------------------------
# The revision


def read_revision(session: Session) -> int:
    """The catalogue's revision; a missing row counts as 0."""
    query = select(col(CatalogueRevision.revision)).where(col(CatalogueRevision.id) == 1)
    return session.scalar(query) or 0


def bump_revision(session: Session) -> None:
    """Add one to the catalogue's revision in the caller's transaction (the caller commits)."""
    bump_revision_row(session, CatalogueRevision.__table__)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# The snapshot


@dataclass(frozen=True, slots=True)
class ProcedureEntry:
    """What lists, filters and ranking need of one procedure; the detail is read on demand."""

    code: str
    search_text: str
    text_length: int  # SQL: length(search_text)
    code_lower: str  # SQL: lower(code)
    agency_code: str
    agency_paths: tuple[str, ...]  # of every offering agency
    field_code: str
    level: int
    tier: str
    retired: bool
    item_json: bytes  # the ProcedurePublic, serialized once


@dataclass(frozen=True)
class SnapshotPage:
    items: Sequence[ProcedureEntry]
    total: int


class CatalogueSnapshot:
    """The catalogue at one revision, with an inverted index (word → procedures) for search.

    Immutable once built, except `_details`: serialized detail bodies, filled on first read.
    """

    def __init__(
        self,
        revision: int,
        entries: list[ProcedureEntry],
        agencies: list[tuple[AgencyPublic, str]],
        fields: list[FieldPublic],
    ) -> None:
        self.revision = revision
        self.entries = tuple(sorted(entries, key=lambda e: e.code))  # binary order, as SQL
        self.agencies = {agency.code: agency for agency, _path in agencies}
        self.fields = tuple(fields)
        self._paths = {agency.code: path for agency, path in agencies}
        self._codes = {entry.code: i for i, entry in enumerate(self.entries)}
        self._active = tuple(entry for entry in self.entries if not entry.retired)
        postings: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            # A word is what follows a space: SQL matches `% term%`, never the text's first word
            # unless the text starts with a space (search_text always does).
            for word in set(entry.search_text.split(" ")[1:]):
                if word:
                    postings.setdefault(word, []).append(i)
        self._words = sorted(postings)
        self._postings = [postings[word] for word in self._words]
        self._reach = list(accumulate((len(p) for p in self._postings), initial=0))
        self._details: dict[str, bytes] = {}

    def search(
        self, q: str | None, scope: ProcedureScope, page: int, page_size: int
    ) -> SnapshotPage:
        """`catalogue.search_procedures` without the database: the same items, order and total."""
        keep = self._filter(scope)
        terms = search_terms(q)
        start = (page - 1) * page_size
        if terms:
            found = [e for e in map(self.entries.__getitem__, self._matching(terms)) if keep(e)]
            items = _ranked(found, " ".join(terms), start, start + page_size)
            return SnapshotPage(items=items, total=len(found))
        listed: Sequence[ProcedureEntry]
        if _narrows(scope):
            listed = [entry for entry in self.entries if keep(entry)]
        else:
            listed = self.entries if scope.include_retired else self._active
        return SnapshotPage(items=listed[start : start + page_size], total=len(listed))

    def _filter(self, scope: ProcedureScope) -> Callable[[ProcedureEntry], bool]:
        """ProcedureScope.where() as a predicate; 404 for an unknown agency, as there."""
        path = self.agency_path(scope.agency) if scope.agency else None
        with_retired = scope.include_retired
        tier, field, level = scope.tier or None, scope.field or None, scope.level
        code = scope.procedure or None

        def keep(e: ProcedureEntry) -> bool:
            return (
                (with_retired or not e.retired)
                and (path is None or any(in_subtree(p, path) for p in e.agency_paths))
                and (tier is None or e.tier == tier)
                and (field is None or e.field_code == field)
                and (level is None or e.level == level)
                and (code is None or e.code == code)
            )

        return keep

    def agency_path(self, code: str) -> str:
        if code not in self._paths:
            raise AgencyNotFound(code)
        return self._paths[code]

    def _matching(self, terms: list[str]) -> set[int]:
        """Procedures in which every term starts a word (SQL: `search_text LIKE '% term%'`).
        The rarest term, by the size of its postings, gives the candidates from the index; they
        are then intersected with each other term by testing their own text, which costs less
        than the other terms' postings, never fewer than the candidates."""
        spans = [(self._span(term), term) for term in terms]
        (lo, hi), rarest = min(
            spans, key=lambda span: self._reach[span[0][1]] - self._reach[span[0][0]]
        )
        ids: set[int] = set().union(*self._postings[lo:hi])
        for needle in {" " + term for term in terms if term != rarest}:
            ids = {i for i in ids if needle in self.entries[i].search_text}
        return ids

    def _span(self, term: str) -> tuple[int, int]:
        """The range of the sorted vocabulary holding the words that start with `term`."""
        lo = bisect_left(self._words, term)
        after = term[:-1] + chr(ord(term[-1]) + 1)  # folded terms are ASCII: no overflow
        return lo, bisect_left(self._words, after, lo)

    def entries_of(self, codes: Iterable[str]) -> list[ProcedureEntry]:
        """The entries of the `codes` that exist, in their order (unknown codes left out)."""
        return [self.entries[self._codes[code]] for code in codes if code in self._codes]

    def require(self, code: str) -> None:
        """404 unless the procedure exists (retired ones too: their detail stays readable)."""
        if code not in self._codes:
            raise ProcedureNotFound(code)

    def detail_json(self, code: str) -> bytes | None:
        return self._details.get(code)

    def keep_detail(self, code: str, body: bytes) -> None:
        self._details[code] = body

    def etag(self, *key: object) -> str:
        """An entity tag for one read at this revision: the same on every process."""
        digest = hashlib.blake2b("\x1f".join(map(str, key)).encode(), digest_size=8).hexdigest()
        return f'"{self.revision}-{digest}"'


def _ranked(
    found: list[ProcedureEntry], phrase: str, start: int, stop: int
) -> list[ProcedureEntry]:
    """Items start..stop in SQL's order: rank (exact code 0, text starting with the phrase 1,
    containing it 2, scattered words 3), then length(search_text), then code. Each rank is a
    bucket, and only the buckets that reach into the page get sorted."""
    lead = " " + phrase
    buckets: tuple[list[ProcedureEntry], ...] = ([], [], [], [])
    for entry in found:
        if entry.code_lower == phrase:
            buckets[0].append(entry)
        elif entry.search_text.startswith(lead):
            buckets[1].append(entry)
        elif lead in entry.search_text:
            buckets[2].append(entry)
        else:
            buckets[3].append(entry)
    items: list[ProcedureEntry] = []
    offset = 0
    for bucket in buckets:
        if offset < stop and start < offset + len(bucket):
            bucket.sort(key=_BY_LENGTH_THEN_CODE)
            items += bucket[max(0, start - offset) : stop - offset]
        offset += len(bucket)
    return items


def _narrows(scope: ProcedureScope) -> bool:
    return bool(
        scope.agency or scope.tier or scope.field or scope.procedure or scope.level is not None
    )


def public_item(entry: ProcedureEntry) -> ProcedurePublic:
    """The entry's list item, as the search serves it (for the web pages)."""
    return _ITEM.validate_json(entry.item_json)


def page_json(found: SnapshotPage, page: int, page_size: int) -> bytes:
    """The `Page[ProcedurePublic]` body, joined from the items serialized at build time."""
    items = b",".join(entry.item_json for entry in found.items)
    tail = f'],"total":{found.total},"page":{page},"page_size":{page_size}}}'
    return b'{"items":[' + items + tail.encode()


def build_snapshot(session: Session, revision: int) -> CatalogueSnapshot:
    """Read agencies, fields and the list columns of every procedure (not the heavy ones)."""
    agencies = [(AgencyPublic.model_validate(a), a.path) for a in session.scalars(select(Agency))]
    fields = [FieldPublic.model_validate(f) for f in session.scalars(select(ProcedureField))]
    paths = {agency.code: path for agency, path in agencies}
    query = select(
        col(Procedure.code),
        col(Procedure.name),
        col(Procedure.level),
        col(Procedure.agency_code),
        col(Procedure.field_code),
        col(Procedure.tier),
        col(Procedure.processing_days),
        col(Procedure.processing_amount),
        col(Procedure.processing_unit),
        col(Procedure.fee_vnd),
        col(Procedure.search_text),
        col(Procedure.retired_at),
    )
    offered = offering_agencies(session)
    entries = [_entry(row, paths, offered.get(row.code, [])) for row in session.execute(query)]
    return CatalogueSnapshot(revision, entries, agencies, fields)


def _entry(row: Any, paths: dict[str, str], offered: list[AgencyRef]) -> ProcedureEntry:
    item = _ITEM.validate_python(
        {
            "code": row.code,
            "name": row.name,
            "level": row.level,
            "online_mode": online_mode_for(row.level),
            "agency_code": row.agency_code,
            "field_code": row.field_code,
            "tier": row.tier,
            "processing_days": row.processing_days,
            "processing_time": {"value": row.processing_amount, "unit": row.processing_unit},
            "fee_vnd": row.fee_vnd,
            "agencies": offered,
        }
    )
    return ProcedureEntry(
        code=row.code,
        search_text=row.search_text,
        text_length=len(row.search_text),
        code_lower=row.code.lower(),
        agency_code=row.agency_code,
        agency_paths=tuple(paths[a.code] for a in offered if a.code in paths),
        field_code=row.field_code,
        level=row.level,
        tier=row.tier,
        retired=row.retired_at is not None,
        item_json=_ITEM.dump_json(item),
    )


# ---------------------------------------------------------------------------------------------
# The process's cache


class CatalogueCache:
    """The current snapshot, checked against the database's revision at most once per
    `check_interval_s` (0: on every request). Held on `app.state.catalogue_cache`."""

    def __init__(
        self,
        engine: Engine,
        check_interval_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._interval = check_interval_s
        self._clock = clock
        self._snapshot: CatalogueSnapshot | None = None
        self._next_check = 0.0
        self._lock = threading.Lock()

    def current(self) -> CatalogueSnapshot | None:
        """The snapshot when it may be used without a check; else None, and the caller runs
        `refresh()` in a worker thread (it reads the database). Claims the due check, so that
        concurrent requests keep answering from memory while one request checks."""
        snapshot = self._snapshot
        if snapshot is None or self._interval <= 0:
            return None
        now = self._clock()
        if now < self._next_check:
            return snapshot
        self._next_check = now + self._interval
        return None

    def refresh(self) -> CatalogueSnapshot:
        """Read the revision; build a new snapshot and swap it in when the revision changed.
        One thread at a time: the others wait for its snapshot rather than build their own."""
        with self._lock:
            with unit_of_work(self._engine, snapshot=True) as session:
                revision = read_revision(session)
                snapshot = self._snapshot
                if snapshot is None or snapshot.revision != revision:
                    snapshot = build_snapshot(session, revision)
                    self._snapshot = snapshot
            self._next_check = self._clock() + self._interval
            return snapshot

    def load_detail(self, snapshot: CatalogueSnapshot, code: str) -> bytes:
        """The serialized `ProcedureDetail` of `code`, read from the database; kept in
        `snapshot` only if the database is still at the snapshot's revision."""
        with unit_of_work(self._engine, snapshot=True) as session:
            revision = read_revision(session)
            procedure = session.get(Procedure, code)
            if procedure is None:
                raise ProcedureNotFound(code)
            body = _DETAIL.dump_json(procedure_detail(session, procedure))
        if revision == snapshot.revision:
            snapshot.keep_detail(code, body)
        else:
            self._next_check = 0.0  # the catalogue moved on: check on the next request
        return body
