"""Statistics from the counters equal the Decision 766 definitions (DOMAIN.md §6) applied to
each dossier's own event history, as of the end of each period (or now), for random dossier
histories (channels, actions, supplements, holidays, back-dated clocks) and random queries — on
SQLite and PostgreSQL. The oracle replays the events; it never reads `late_at` or the counters."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest import approx
from sqlalchemy import Engine, delete, func, select
from sqlmodel import Session, SQLModel

from app.config import Settings
from app.errors import DocumentsRequired
from app.models import Agency, Dossier, DossierEvent
from app.models.catalogue import Procedure, ProcessingUnit
from app.models.dossier import FINISHED_STATUSES, DossierStatus
from app.models.officer import Principal, Role
from app.models.types import VN_TZ
from app.services.calendar import load_calendar
from app.services.catalogue.scope import ProcedureScope
from app.services.dossiers import workflow
from app.services.dossiers.deadlines import due_after_pause
from app.services.dossiers.submission import Intake, Received, submit_dossier
from app.services.dossiers.uploads import ReceivedFile
from app.services.stats import counters
from app.services.stats.queries import (
    EVERYTHING,
    TEMPORAL,
    GroupBy,
    StatsQuery,
    compute,
    period_key,
)
from app.services.stats.reports import ROW_BUILDERS
from app.services.storage import LocalStorage
from tests.factories import (
    APPLICANT,
    FORM,
    ONLINE_DOCUMENTS,
    ONLINE_FORM_SCHEMA,
    PDF_BYTES,
    make_agency,
    make_field,
    make_procedure,
)

ADMIN = Principal(username="root", role=Role.admin, agency_code="000.00.00.H20", issuer="t")
PROCEDURES = [
    "1.000010.H20",
    "1.000011.H20",
    "2.000012.H20",
]  # levels 4, 3 (province), 2 (district); in 3 working days, 4 working hours, 5 calendar days
OFFICER_ACTIONS = [a for a, m in workflow.MOVES.items() if m.by_officer]
APPLICANT_ACTIONS = [workflow.Action.supplement, workflow.Action.withdraw]


def build_catalogue(session: Session) -> None:
    province = make_agency(session)
    district = make_agency(session, "000.00.11.H20", "UBND huyện", "district", province)
    hotich, datdai = make_field(session, "G01", "Hộ tịch"), make_field(session, "G02", "Đất đai")
    docs: dict[str, Any] = {
        "form_schema": ONLINE_FORM_SCHEMA,
        "required_documents": ONLINE_DOCUMENTS,
    }
    make_procedure(
        session, province, hotich, code=PROCEDURES[0], level=4, processing_days=3, **docs
    )
    hours: dict[str, Any] = {"processing_amount": 4.0, "processing_unit": "working_hours"}
    make_procedure(
        session, province, datdai, code=PROCEDURES[1], level=3, processing_days=1, **hours, **docs
    )
    days: dict[str, Any] = {"processing_amount": 5.0, "processing_unit": "calendar_days"}
    make_procedure(
        session, district, hotich, code=PROCEDURES[2], level=2, processing_days=5, **days
    )


def wipe(engine: Engine) -> None:
    with Session(engine) as session:
        for table in reversed(SQLModel.metadata.sorted_tables):
            session.execute(delete(table))
        session.commit()


def received(storage: LocalStorage, procedure: str, with_file: bool) -> Received:
    files = []
    if with_file:
        pending = storage.begin()
        pending.write(PDF_BYTES)
        pending.close()
        files.append(
            ReceivedFile("to_khai", "a.pdf", "application/pdf", pending, "application/pdf")
        )
    fields = {"procedure_code": procedure, "applicant": json.dumps(APPLICANT)}
    if procedure != PROCEDURES[2]:
        fields["form"] = json.dumps(FORM)
    return Received(fields=fields, files=files)


# -- a dossier's life, drawn by hypothesis -----------------------------------------------------

A = workflow.Action


def paused_road(drawn: tuple[bool, list[int]]) -> list[tuple[workflow.Action, int]]:
    """The official road with its pauses, which random steps rarely walk to the end:
    accepted (a counter dossier skips it), asked for a supplement once or twice, answered,
    processed and returned (2.2 subtracts the pauses; a second request makes it late)."""
    twice, hours = drawn
    again = [A.request_supplement, A.supplement] if twice else []
    road = [A.accept, A.request_supplement, A.supplement, A.start_processing, *again]
    return list(zip([*road, A.complete, A.return_result], hours, strict=False))


hours_apart = st.integers(0, 9 * 24)
random_steps = st.sampled_from(OFFICER_ACTIONS + APPLICANT_ACTIONS)
steps = st.one_of(
    st.lists(st.tuples(random_steps, hours_apart), max_size=7),
    st.tuples(st.booleans(), st.lists(hours_apart, min_size=8, max_size=8)).map(paused_road),
)
lives = st.lists(
    st.tuples(
        st.sampled_from(["online", "counter", "postal"]),
        st.sampled_from(PROCEDURES),
        st.integers(0, 120 * 24),  # hours after 1 Jan 2025 (Tết 2025 included)
        st.booleans(),  # with a file
        steps,
    ),
    min_size=1,
    max_size=10,
)
START = datetime(2025, 1, 20, 1, 0, tzinfo=UTC)


def live(engine: Engine, storage: LocalStorage, life: Any) -> None:
    channel, procedure, offset, with_file, moves = life
    if channel == "online" and procedure == PROCEDURES[2]:
        channel = "counter"  # level 2: counter only
    # Levels 3-4 require the document; the level-2 procedure has none to attach.
    with_file = procedure != PROCEDURES[2]
    now = START + timedelta(hours=offset)
    intake = Intake() if channel == "online" else Intake(officer=ADMIN)
    data = received(storage, procedure, with_file)
    if channel != "online":
        data.fields["channel"] = channel
    code = submit_dossier(
        engine, storage, Settings(_env_file=None), data, None, now, intake
    ).created.code
    for action, hours in moves:
        now += timedelta(hours=hours)
        by_officer = workflow.MOVES[action].by_officer
        actor = workflow.Actor.of(ADMIN) if by_officer else workflow.Actor.applicant()
        # a reschedule's new appointment: later than any earlier one (or a 409 once passed)
        new_due = now + timedelta(days=365) if action is workflow.Action.reschedule else None
        fee = 8_000 if action is workflow.Action.request_fee else None
        request = workflow.Request(
            action, None, "lý do", "lý do", new_due, asked(procedure), amount_vnd=fee
        )
        try:
            workflow.apply_action(engine, code, actor, request, now)
        except DocumentsRequired:  # the level-2 procedure has no document to ask for
            assert procedure == PROCEDURES[2] and action is workflow.Action.request_supplement
        except Exception as exc:  # an illegal move from the drawn status: skipped
            assert getattr(exc, "status", None) == 409, exc


def asked(procedure: str) -> tuple[str, ...]:
    """What a supplement request asks for: every document of the procedure."""
    return () if procedure == PROCEDURES[2] else tuple(d["key"] for d in ONLINE_DOCUMENTS)


# -- the oracle: DOMAIN.md §6 read straight off each dossier's history -----------------------

PAUSING = {DossierStatus.supplement_requested, DossierStatus.withdrawal_requested}


@dataclass
class Judged:
    """One dossier as of a moment t, from its events alone."""

    received: datetime | None = None
    finished: datetime | None = None
    late: bool = False
    early: bool = False
    pauses: list[tuple[datetime, datetime]] = field(default_factory=list)  # once received


def judge(dossier: Dossier, history: list[DossierEvent], t: datetime, calendar: Any) -> Judged:
    """The dossier as of `t`: received when accepted (counter and postal: registered); its due
    moment the first appointment, moved by each supplement pause; late once the clock ran past
    it, once a supplement was asked after it, or at a second supplement request; judged when
    paused at the moment the pause began; finished at its first refused / stopped / processed
    / returned (DOMAIN.md §5–6)."""
    seen = Judged()
    due: datetime | None = None
    paused_since: datetime | None = None
    requests = 0
    for event in history:
        if event.at > t:
            break
        if event.action in ("accept", "register"):
            seen.received, due = event.at, dossier.original_due_at
            assert due is not None
        if due is not None and paused_since is None and event.at > due:
            seen.late = True  # the clock ran past the due moment before this event
        if event.action == "request_supplement":
            requests += 1
            seen.late = seen.late or (requests > 1 and seen.received is not None)
            paused_since = paused_since or event.at
        elif paused_since is not None and DossierStatus(event.to_status) not in PAUSING:
            if due is not None:
                due = due_after_pause(calendar, due, paused_since, event.at)
            if seen.received is not None:
                seen.pauses.append((paused_since, event.at))
            paused_since = None
        if DossierStatus(event.to_status) in FINISHED_STATUSES:
            seen.finished = event.at
            if due is not None:
                seen.early = not seen.late and vn_day(event.at) < vn_day(due)
            return seen
    if due is not None and paused_since is None and t > due:
        seen.late = True
    return seen


def vn_day(moment: datetime) -> date:
    return moment.astimezone(VN_TZ).date()


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=VN_TZ)


def oracle(session: Session, query: StatsQuery, now: datetime) -> dict[str, dict[str, Any]]:
    """Each group's rows (online ratio, on time, status) computed dossier by dossier."""
    calendar = load_calendar(session)
    procedures = {p.code: p for p in session.scalars(select(Procedure))}
    paths = {a.code: a.path for a in session.scalars(select(Agency))}
    events = defaultdict(list)
    for event in session.scalars(select(DossierEvent).order_by(DossierEvent.at, DossierEvent.id)):  # type: ignore[arg-type]
        events[event.dossier_id].append(event)
    dossiers = list(session.scalars(select(Dossier)))
    rows: dict[str, dict[str, Any]] = {}
    for key, first, last in buckets(query):
        t = min(end_of(last), now)
        group: dict[str, int] = defaultdict(int)
        for dossier in dossiers:
            procedure = procedures[dossier.procedure_code]
            if not in_scope(query, dossier, procedure, paths):
                continue
            if query.group_by not in TEMPORAL and key_of(query.group_by, dossier, procedure) != key:
                continue
            assert dossier.id is not None
            count(group, dossier, events[dossier.id], first, last, t, calendar)
        rows[key] = expected_rows(group)
    return rows


def count(
    group: dict[str, int],
    dossier: Dossier,
    history: list[DossierEvent],
    first: date,
    last: date,
    t: datetime,
    calendar: Any,
) -> None:
    final = judge(dossier, history, end_of(date(2100, 1, 1)), calendar)
    assert final.received == dossier.received_at and final.finished == dossier.finished_at
    if first <= vn_day(dossier.submitted_at) <= last:
        group["submitted_" + dossier.channel] += 1
        group[f"status_{dossier.status}"] += 1
    if final.received is None:
        refused = dossier.status == DossierStatus.refused and final.finished is not None
        if refused and first <= vn_day(final.finished) <= last:  # type: ignore[arg-type]
            group["refused_" + dossier.channel] += 1
        return
    received_day = vn_day(final.received)
    if received_day > last or (final.finished and vn_day(final.finished) < first):
        return  # not yet received, or finished before the period began
    if received_day >= first:
        group[f"received_{dossier.channel}"] += 1
        if dossier.status in (DossierStatus.processed, DossierStatus.returned):
            assert final.finished is not None
            group["processed"] += 1
            unit = ProcessingUnit(procedures_unit(dossier))
            group[f"processed_{unit.value}"] += 1
            group[f"time_{unit.value}"] += round(time_taken(final, unit, calendar) * 1000)
    else:
        group["carried_over"] += 1
    at_t = judge(dossier, history, t, calendar)
    if at_t.finished is not None and vn_day(at_t.finished) <= last:
        group["finished"] += 1
        group["late" if at_t.late else "on_time"] += 1
        group["early"] += int(at_t.early)
    else:
        group["in_progress"] += 1
        group["overdue"] += int(at_t.late)


def procedures_unit(dossier: Dossier) -> str:
    """The unit of the procedure's processing time; the catalogue here never changes it."""
    return {
        PROCEDURES[0]: "working_days",
        PROCEDURES[1]: "working_hours",
        PROCEDURES[2]: "calendar_days",
    }[dossier.procedure_code]


def time_taken(seen: Judged, unit: ProcessingUnit, calendar: Any) -> float:
    """DOMAIN.md §6, 2.2: from the received moment to the finish, less the pauses, in the
    procedure's unit (desk time for working days of 8 hours and working hours; every hour for
    calendar days), fractions kept to a thousandth."""
    assert seen.received is not None and seen.finished is not None

    def measure(a: datetime, b: datetime) -> float:
        if unit is ProcessingUnit.calendar_days:
            return (b - a).total_seconds() / 86400
        hours = float(calendar.working_time_between(a, b).total_seconds()) / 3600
        return hours / 8 if unit is ProcessingUnit.working_days else hours

    used = measure(seen.received, seen.finished) - sum(measure(a, b) for a, b in seen.pauses)
    return round(max(0.0, used), 3)


def buckets(query: StatsQuery) -> list[tuple[str, date, date]]:
    """The groups' keys with their periods: each temporal group its own part of the query's
    period; any other group the whole of it."""
    if query.group_by not in TEMPORAL:
        return [(k, query.date_from, query.date_to) for k in ALL_KEYS[query.group_by]]
    spans: dict[str, list[date]] = {}
    day = query.date_from
    while day <= query.date_to:
        spans.setdefault(period_key(query.group_by, day), []).append(day)
        day += timedelta(days=1)
    return [(k, days[0], days[-1]) for k, days in spans.items()]


ALL_KEYS: dict[GroupBy, list[str]] = {
    GroupBy.none: ["total"],
    GroupBy.agency: ["000.00.00.H20", "000.00.11.H20"],
    GroupBy.field: ["G01", "G02"],
    GroupBy.level: ["1", "2", "3", "4"],
    GroupBy.procedure: PROCEDURES,
}


def in_scope(
    query: StatsQuery, dossier: Dossier, procedure: Procedure, paths: dict[str, str]
) -> bool:
    scope = query.scope
    if scope.agency and not paths[dossier.agency_code].startswith(paths[scope.agency]):
        return False
    return not (
        (scope.tier and procedure.tier != scope.tier)
        or (scope.field and procedure.field_code != scope.field)
        or (scope.level and dossier.level_at_receipt != scope.level)
        or (scope.procedure and procedure.code != scope.procedure)
    )


def key_of(group_by: GroupBy, dossier: Dossier, procedure: Procedure) -> str:
    return {
        GroupBy.none: "total",
        GroupBy.agency: dossier.agency_code,
        GroupBy.field: procedure.field_code,
        GroupBy.level: str(dossier.level_at_receipt),
        GroupBy.procedure: procedure.code,
    }[group_by]


def expected_rows(c: dict[str, int]) -> dict[str, Any]:
    online, counter, postal = (c.get(f"received_{ch}", 0) for ch in ("online", "counter", "postal"))
    received = online + counter + postal
    to_process = c.get("carried_over", 0) + received
    finished, in_progress, overdue = (
        c.get("finished", 0),
        c.get("in_progress", 0),
        c.get("overdue", 0),
    )
    processed = c.get("processed", 0)
    units = {
        u: (c.get(f"processed_{u.value}", 0), c.get(f"time_{u.value}", 0) / 1000)
        for u in ProcessingUnit
    }

    in_days = {"working_days": 1, "working_hours": 1 / 8, "calendar_days": 1, "months": 30}
    days = sum(time * in_days[u.value] for u, (_n, time) in units.items())
    return {
        "online-ratio": {
            "online": online,
            "counter": counter,
            "postal": postal,
            "total": received,
            "online_ratio": online / received if received else None,
            "counter_ratio": counter / received if received else None,
            "postal_ratio": postal / received if received else None,
            "submitted": c.get("submitted_online", 0),
            "refused_at_intake": c.get("refused_online", 0),
        },
        "on-time": {
            "carried_over": c.get("carried_over", 0),
            "received": received,
            "to_process": to_process,
            "finished": finished,
            "early": c.get("early", 0),
            "on_time": c.get("on_time", 0),
            "late": c.get("late", 0),
            "in_progress": in_progress,
            "overdue_in_progress": overdue,
            "on_time_ratio": (
                (c.get("on_time", 0) + in_progress - overdue) / to_process if to_process else None
            ),
            "processed": processed,
            "avg_processing_days": days / processed if processed else None,
            **{f"processed_{u.value}": n for u, (n, _t) in units.items()},
            **{f"avg_{u.value}": t / n if n else None for u, (n, t) in units.items()},
        },
        "status": {
            **{s.value: c.get(f"status_{s.value}", 0) for s in DossierStatus},
            "total": sum(c.get(f"submitted_{ch}", 0) for ch in ("online", "counter", "postal")),
        },
    }


queries = st.tuples(
    st.sampled_from(list(GroupBy)),
    st.integers(0, 130),  # the dossiers are received from 20 Jan to about 25 May 2025
    st.integers(0, 400),
    st.sampled_from([None, "000.00.00.H20", "000.00.11.H20"]),
    st.sampled_from([None, "G01", "G02"]),
    st.sampled_from([None, 2, 3, 4]),
    st.integers(0, 150 * 24),
)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(lives=lives, asks=st.lists(queries, min_size=1, max_size=4))
def test_counters_match_the_decision_read_off_each_history(
    threaded_engine: Engine, tmp_path: Path, lives: list[Any], asks: list[Any]
) -> None:
    wipe(threaded_engine)
    with Session(threaded_engine) as session:
        build_catalogue(session)
    storage = LocalStorage(tmp_path / "files")
    for life in lives:
        live(threaded_engine, storage, life)
    with Session(threaded_engine) as session:
        for group_by, start, length, agency, field, level, hours in asks:
            date_from = date(2025, 1, 1) + timedelta(days=start)
            query = StatsQuery(
                date_from,
                date_from + timedelta(days=length),
                group_by,
                ProcedureScope(agency=agency, field=field, level=level, include_retired=True),
            )
            # Now is after every event (a period not ended is judged now, with what has
            # happened); it may be before, inside or after the period.
            last = session.scalar(select(func.max(DossierEvent.at)))
            assert last is not None
            now = max(START + timedelta(hours=hours), last + timedelta(seconds=1))
            want = oracle(session, query, now)
            whole = StatsQuery(query.date_from, query.date_to, GroupBy.none, query.scope)
            want_total = oracle(session, whole, now)["total"]
            # Each endpoint sums only what its rows need; everything at once must agree too.
            kinds = [(kind, row, measures) for kind, (row, measures) in ROW_BUILDERS.items()]
            kinds += [(kind, row, EVERYTHING) for kind, (row, _m) in ROW_BUILDERS.items()]
            for kind, row, measures in kinds:
                groups, total = compute(session, query, now, measures)
                got = {g.key: g for g in groups}
                for key in set(want) - set(got):  # a group out of the scope: nothing in it
                    assert want[key] == expected_rows({}), key
                for key, group in got.items():
                    expected = want.get(key, expected_rows({}))[kind]
                    assert row(group.totals) == approx(expected), (kind, key)
                assert row(total) == approx(want_total[kind]), kind
        report = counters.rebuild(threaded_engine, dry_run=True)
        assert report.drifted == []
