"""A small queue for the officers' queue tests (tests/routers/test_queue_filters.py, the API;
tests/web/test_officer_queue.py, the page): two agencies, every channel, dossiers new and
waiting too long, accepted, due soon, overdue and finished, made through the real submission
and workflow services."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.config import Settings
from app.models import Agency, ProcedureField
from app.models.officer import Principal, Role
from app.models.types import VN_TZ, utcnow
from app.services.dossiers.submission import Intake, Received, submit_dossier
from tests.factories import (
    PROVINCE,
    engine_of,
    make_agency,
    make_dossier,
    make_officer,
    make_online_procedure,
    make_procedure,
    move,
)
from tests.memory_storage import MemoryStorage

DISTRICT = "000.00.11.H20"
SOON = "2.000002.H20"  # the province's, in 4 working hours: due soon once accepted
COPY = "2.000001.H20"  # the district's, in 2 working days
PASSWORD = "mat-khau-cua-can-bo-2026"
# Officers: lan (the province, so the whole tree), mai (the district only), root (an admin
# of the district, who still sees every dossier).
OFFICERS = {
    "lan": (PROVINCE, "officer"),
    "mai": (DISTRICT, "officer"),
    "root": (DISTRICT, "admin"),
}


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


@dataclass(frozen=True)
class World:
    """The codes of the dossiers the queue holds, by what they are."""

    fresh: str  # online, new, submitted a moment ago
    waiting: str  # online, new for two weeks: intake overdue
    accepted: str  # online, accepted now, due in 5 working days
    overdue: str  # online, accepted 30 days ago
    returned: str  # online, finished
    soon: str  # at the counter, due within 4 working hours
    postal: str  # by post, at the district

    @property
    def province(self) -> list[str]:
        """Every dossier but the district's."""
        return [self.fresh, self.waiting, self.accepted, self.overdue, self.returned, self.soon]


def build_world(session: Session) -> World:
    make_online_procedure(session, processing_days=5)
    province = session.get_one(Agency, PROVINCE)
    district = make_agency(session, DISTRICT, "UBND thành phố Hà Giang", "district", province)
    field = session.get_one(ProcedureField, "G01")
    make_procedure(
        session,
        province,
        field,
        code=SOON,
        name="Cấp bản sao trích lục hộ tịch",
        level=2,
        processing_amount=4.0,
        processing_unit="working_hours",
        processing_days=1,
    )
    make_procedure(session, district, field, code=COPY, name="Chứng thực bản sao", level=2)
    for username, (agency, role) in OFFICERS.items():
        make_officer(session, username, agency, role, password=PASSWORD)
    now = utcnow()
    returned = make_dossier(session, "returned", now=now - timedelta(days=10)).code
    return World(
        fresh=make_dossier(session, now=now).code,
        waiting=make_dossier(session, now=now - timedelta(days=14)).code,
        accepted=make_dossier(session, "accepted", now=now).code,
        overdue=make_dossier(session, "accepted", now=now - timedelta(days=30)).code,
        returned=returned,
        soon=register(session, SOON, "counter", "lan", "Lò Thị Mỷ"),
        postal=register(session, COPY, "postal", "mai", "Vàng Seo Páo"),
    )


def register(
    session: Session,
    procedure: str,
    channel: str,
    officer: str,
    name: str,
    now: datetime | None = None,
) -> str:
    """A dossier of a procedure without form or documents, handed in at the counter or by
    post to `officer`'s desk (it starts accepted, with its deadline)."""
    agency, role = OFFICERS[officer]
    principal = Principal(username=officer, role=Role(role), agency_code=agency, issuer="tests")
    applicant: dict[str, Any] = {
        "full_name": name,
        "id_number": "002190001234",
        "phone": "0987654321",
    }
    fields = {"procedure_code": procedure, "channel": channel, "applicant": json.dumps(applicant)}
    storage = MemoryStorage()
    result = submit_dossier(
        engine_of(session),
        storage,
        Settings(_env_file=None),
        Received(fields=fields, files=[]),
        None,
        now or utcnow(),
        Intake(officer=principal),
    )
    return result.created.code


def accepted_at(session: Session, when: datetime) -> str:
    """An online dossier submitted and accepted at `when`."""
    made = make_dossier(session, now=when)
    move(session, made.code, "accept", now=when)
    return made.code
