"""Proposed changes to the statistics code, measured here without editing the app (issue 5,
docs/PERFORMANCE.md): the app's own functions and `create_app()`, with one piece replaced.

- `bulk_apply_deltas`: `stat_counters.apply_deltas` with one upsert statement per table, built
  once and run with executemany, instead of a new statement per key (building a statement, and
  its `excluded` alias, costs more than running it), and each monthly row written once;
- `bulk_rebuild`: `stat_counters.rebuild` writing through `bulk_apply_deltas`;
- `create_fast_app`: the app with a pure-ASGI fast path in front of the statistics endpoints,
  which answers a request the app has already answered, for the same data revision, from the
  answer it gave (304 when `If-None-Match` matches, else the same body), keyed by the raw
  path and query string: FastAPI's query-parameter validation, dependency solving, thread-pool
  hop and routing are skipped; a miss goes through the app unchanged.
"""

from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Table, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session
from starlette.middleware import Middleware

from app.main import create_app
from app.models.stats import COUNTER_COLUMNS, stat_daily, stat_due, stat_monthly
from app.models.types import VN_TZ
from app.services import stat_counters
from app.services.calendar import load_calendar

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]


@cache
def _upsert_statement(dialect: str, table: Table, key: tuple[str, ...], values: tuple[str, ...]):
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in key],
        set_={name: table.c[name] + statement.excluded[name] for name in values},
    )


def bulk_apply_deltas(
    session: Session,
    deltas: dict[stat_counters.Key, dict[str, int]],
    due: dict[tuple[stat_counters.Key, datetime], int],
) -> None:
    """The same counters as `apply_deltas`, in key order, with one statement per table; the
    monthly deltas are summed first, so each monthly row is written once (apply_deltas
    upserts it once per day: on PostgreSQL every upsert of an existing row leaves a dead
    tuple, and a rebuild leaves `stat_monthly` mostly dead space)."""
    dialect = session.get_bind().dialect.name
    daily = []
    monthly: dict[tuple[Any, str, str, str], dict[str, int]] = {}
    for key in sorted(deltas):
        values = {name: deltas[key].get(name, 0) for name in COUNTER_COLUMNS}
        if not any(values.values()):
            continue
        day, agency, procedure, channel = key
        base = {"agency_code": agency, "procedure_code": procedure, "channel": channel}
        daily.append({"day": day, **base, **values})
        month = monthly.setdefault((day.replace(day=1), agency, procedure, channel), {})
        for name, value in values.items():
            month[name] = month.get(name, 0) + value
    keys = ("agency_code", "procedure_code", "channel")
    if daily:
        session.execute(
            _upsert_statement(dialect, stat_daily, ("day", *keys), COUNTER_COLUMNS), daily
        )
        session.execute(
            _upsert_statement(dialect, stat_monthly, ("month", *keys), COUNTER_COLUMNS),
            [
                {"month": m, "agency_code": a, "procedure_code": p, "channel": c, **values}
                for (m, a, p, c), values in sorted(monthly.items())
            ],
        )
    rows = [
        {
            "day": day,
            "agency_code": agency,
            "procedure_code": procedure,
            "channel": channel,
            "due_at": due_at,
            "n": n,
        }
        for ((day, agency, procedure, channel), due_at), n in sorted(due.items())
        if n
    ]
    if rows:
        session.execute(
            _upsert_statement(dialect, stat_due, ("day", *keys, "due_at"), ("n",)), rows
        )


def bulk_rebuild(session: Session) -> int:
    """`rebuild` without the drift report, writing with `bulk_apply_deltas`."""
    expected, expected_due = stat_counters.expected_counters(session, load_calendar(session))
    for table in (stat_daily, stat_monthly, stat_due):
        session.execute(delete(table))
    bulk_apply_deltas(session, expected, expected_due)
    session.commit()
    return len(expected)


# ---------------------------------------------------------------------------------------------
# The answered-request fast path

STATS_PATHS = frozenset(
    {"/api/v1/stats/online-ratio", "/api/v1/stats/on-time", "/api/v1/stats/status"}
)
MAX_ENTRIES = 1024


class AnsweredStats:
    def __init__(self, app: Any) -> None:
        self.app = app
        # (path, raw query, Vietnam date) → (revision, ETag, headers, body)
        self.answers: dict[tuple[str, bytes, Any], tuple[Any, bytes, list, bytes]] = {}

    async def __call__(self, scope: Scope, receive: Any, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in STATS_PATHS:
            await self.app(scope, receive, send)
            return
        cache = scope["app"].state.stats_cache
        key = (scope["path"], scope["query_string"], datetime.now(VN_TZ).date())
        found = self.answers.get(key)
        if found is not None and cache.revision_is_fresh() and found[0] == cache.revision:
            _, etag, headers, body = found
            if dict(scope["headers"]).get(b"if-none-match") == etag:
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
            start = [
                *headers,
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({"type": "http.response.start", "status": 200, "headers": start})
            await send({"type": "http.response.body", "body": body})
            return
        seen: dict[str, Any] = {"body": []}

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"], seen["headers"] = message["status"], message["headers"]
            elif message["type"] == "http.response.body":
                seen["body"].append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        headers = dict(seen.get("headers", []))
        if (
            seen.get("status") == 200
            and headers.get(b"content-type", b"").startswith(b"application/json")
            and b"etag" in headers
            and cache.revision_is_fresh()
        ):
            kept = [(k, v) for k, v in seen["headers"] if k in (b"etag", b"cache-control")]
            self.answers[key] = (cache.revision, headers[b"etag"], kept, b"".join(seen["body"]))
            while len(self.answers) > MAX_ENTRIES:
                self.answers.pop(next(iter(self.answers)))


def create_fast_app() -> Any:
    """For `uvicorn stats_fixes:create_fast_app --factory`."""
    app = create_app()
    # Innermost of the app's own middleware: metrics and error handling still see every request.
    app.user_middleware.append(Middleware(AnsweredStats))
    return app
