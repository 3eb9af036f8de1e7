"""Statistics from the counters equal a brute-force recomputation straight from the dossier and
event tables, for random catalogues, random dossier histories (channels, actions, supplements,
holidays, back-dated clocks) and random queries — on SQLite and PostgreSQL."""

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, select
from sqlmodel import Session, SQLModel

from app.config import Settings
from app.models import Agency, Dossier, DossierEvent
from app.models.catalogue import Procedure
from app.models.dossier import FINISHED_STATUSES, DossierStatus
from app.models.officer import Principal, Role
from app.models.types import VN_TZ
from app.services.calendar import load_calendar
from app.services.catalogue.scope import ProcedureScope
from app.services.dossiers import workflow
from app.services.dossiers.submission import Intake, Received, submit_dossier
from app.services.dossiers.timeliness import timeliness
from app.services.dossiers.uploads import ReceivedFile
from app.services.stats import counters
from app.services.stats.queries import EVERYTHING, GroupBy, StatsQuery, compute, period_key
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
]  # levels 4, 3 (province), 2 (district)
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
    make_procedure(
        session, province, datdai, code=PROCEDURES[1], level=3, processing_days=0, **docs
    )
    make_procedure(session, district, hotich, code=PROCEDURES[2], level=2, processing_days=5)


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

steps = st.lists(
    st.tuples(st.sampled_from(OFFICER_ACTIONS + APPLICANT_ACTIONS), st.integers(0, 9 * 24)),
    max_size=7,
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
        request = workflow.Request(action, None, "lý do", "lý do", new_due)
        try:
            workflow.apply_action(engine, code, actor, request, now)
        except Exception as exc:  # an illegal move from the drawn status: skipped
            assert getattr(exc, "status", None) == 409, exc


# -- the brute force ---------------------------------------------------------------------------


def brute_force(session: Session, query: StatsQuery, now: datetime) -> dict[str, dict[str, Any]]:
    calendar = load_calendar(session)
    procedures = {p.code: p for p in session.scalars(select(Procedure))}
    paths = {a.code: a.path for a in session.scalars(select(Agency))}
    events = defaultdict(list)
    for event in session.scalars(select(DossierEvent).order_by(DossierEvent.at, DossierEvent.id)):  # type: ignore[arg-type]
        events[event.dossier_id].append(event)
    groups: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    for dossier in session.scalars(select(Dossier)):
        day = dossier.submitted_at.astimezone(VN_TZ).date()
        procedure = procedures[dossier.procedure_code]
        if not (query.date_from <= day <= query.date_to) or not in_scope(query, procedure, paths):
            continue
        assert dossier.id is not None
        history = events[dossier.id]
        finished = [e.at for e in history if DossierStatus(e.to_status) in FINISHED_STATUSES]
        assert history[-1].to_status == dossier.status
        assert (finished[0] if finished else None) == dossier.finished_at
        group = groups[key_of(query.group_by, day, procedure)]
        group[f"received_{dossier.channel}"] += 1
        group[f"status_{dossier.status}"] += 1
        group["with_files"] += int(dossier.file_count > 0)
        on_time, overdue = timeliness(dossier, now)
        if finished:
            group["finished"] += 1
            group["on_time"] += int(dossier.due_at is None or bool(on_time))
            start = dossier.received_at or dossier.submitted_at
            assert dossier.finished_at is not None
            group["days"] += max(0, calendar.working_days_between(start, dossier.finished_at))
        group["overdue"] += int(overdue)
    return groups


def in_scope(query: StatsQuery, procedure: Procedure, paths: dict[str, str]) -> bool:
    scope = query.scope
    if scope.agency and not paths[procedure.agency_code].startswith(paths[scope.agency]):
        return False
    return not (
        (scope.tier and procedure.tier != scope.tier)
        or (scope.field and procedure.field_code != scope.field)
        or (scope.level and procedure.level != scope.level)
        or (scope.procedure and procedure.code != scope.procedure)
    )


def key_of(group_by: GroupBy, day: date, procedure: Procedure) -> str:
    if group_by == GroupBy.none:
        return "total"
    if group_by in (GroupBy.day, GroupBy.month, GroupBy.quarter, GroupBy.year):
        return period_key(group_by, day)
    return {
        GroupBy.agency: procedure.agency_code,
        GroupBy.field: procedure.field_code,
        GroupBy.level: str(procedure.level),
        GroupBy.procedure: procedure.code,
    }[group_by]


def expected_rows(brute: dict[str, Any]) -> dict[str, Any]:
    online, counter, postal = (
        brute.get(f"received_{c}", 0) for c in ("online", "counter", "postal")
    )
    total = online + counter + postal
    finished, on_time, overdue = (
        brute.get("finished", 0),
        brute.get("on_time", 0),
        brute.get("overdue", 0),
    )
    in_progress = total - finished
    return {
        "online-ratio": {
            "online": online,
            "counter": counter,
            "postal": postal,
            "total": total,
            "online_ratio": online / total if total else None,
        },
        "on-time": {
            "received": total,
            "finished": finished,
            "on_time": on_time,
            "late": finished - on_time,
            "in_progress": in_progress,
            "overdue_in_progress": overdue,
            "on_time_ratio": (on_time + in_progress - overdue) / total if total else None,
            "avg_processing_days": brute.get("days", 0) / finished if finished else None,
        },
        "status": {
            **{s.value: brute.get(f"status_{s.value}", 0) for s in DossierStatus},
            "total": total,
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
def test_counters_match_a_brute_force_recount(
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
            now = START + timedelta(hours=hours)
            brute = brute_force(session, query, now)
            everything: dict[str, int] = defaultdict(int)
            for values in brute.values():
                for name, value in values.items():
                    everything[name] += value
            want_total = expected_rows(everything)
            # Each endpoint sums only what its rows need; everything at once must agree too.
            kinds = [(kind, row, measures) for kind, (row, measures) in ROW_BUILDERS.items()]
            kinds += [(kind, row, EVERYTHING) for kind, (row, _m) in ROW_BUILDERS.items()]
            for kind, row, measures in kinds:
                groups, total = compute(session, query, now, measures)
                got = {g.key: g for g in groups}
                assert set(brute) <= set(got), (set(brute), set(got))
                for key, group in got.items():
                    assert row(group.totals) == expected_rows(brute.get(key, {}))[kind], key
                assert row(total) == want_total[kind], kind
        report = counters.rebuild(threaded_engine, dry_run=True)
        assert report.drifted == []
