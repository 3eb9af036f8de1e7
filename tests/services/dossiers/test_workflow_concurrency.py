"""Two officers acting on the same version at the same moment: exactly one wins, on SQLite (a
file) and on PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.errors import AppError
from app.models import Dossier, DossierEvent
from app.models.officer import Principal, Role
from app.models.types import utcnow
from app.services.dossiers import workflow
from tests.factories import make_dossier


def test_of_two_officers_on_one_version_exactly_one_succeeds(threaded_engine: Engine) -> None:
    codes = [make_dossier(threaded_engine).code for _ in range(5)]
    officers = [
        workflow.Actor.of(
            Principal(username=n, role=Role.officer, agency_code="000.00.00.H20", issuer="t")
        )
        for n in ("lan", "mai")
    ]
    moves = [
        workflow.Request(workflow.Action.accept, 1),
        workflow.Request(workflow.Action.refuse, 1, public_note="Không đủ điều kiện."),
    ]
    for code in codes:
        barrier = Barrier(2)
        jobs = [(threaded_engine, code, officers[i], moves[i], barrier) for i in range(2)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = sorted(pool.map(lambda job: attempt(*job), jobs))
        assert outcomes == ["ok", "stale_version"]
    with Session(threaded_engine) as session:
        versions = session.scalars(select(Dossier.version)).all()  # type: ignore[call-overload]
        assert versions == [2] * 5
        events = session.scalar(select(func.count()).select_from(DossierEvent))
        assert events == 5 * 2  # submit + the one move that won


def attempt(
    engine: Engine,
    code: str,
    actor: workflow.Actor,
    move: workflow.Request,
    barrier: Barrier,
) -> str:
    barrier.wait()  # both read the dossier at version 1 as nearly together as threads can
    try:
        workflow.apply_action(engine, code, actor, move, utcnow())
    except AppError as exc:
        return exc.code
    return "ok"
