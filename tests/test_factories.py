"""`make_dossier` reaches every status through the real workflow: its events are the moves."""

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from app.models import DossierEvent
from app.models.dossier import DossierStatus
from app.services.dossiers.workflow import Action
from tests.factories import make_dossier

# Each status's history as `action: from -> to`, written out by hand from DOMAIN.md §4.
HISTORIES: dict[str, list[str]] = {
    "new": ["submit: None -> new"],
    "accepted": ["submit: None -> new", "accept: new -> accepted"],
    "refused": ["submit: None -> new", "refuse: new -> refused"],
    "processing": [
        "submit: None -> new",
        "accept: new -> accepted",
        "start_processing: accepted -> processing",
    ],
    "supplement_requested": [
        "submit: None -> new",
        "accept: new -> accepted",
        "request_supplement: accepted -> supplement_requested",
    ],
    "fee_requested": [
        "submit: None -> new",
        "accept: new -> accepted",
        "request_fee: accepted -> fee_requested",
    ],
    "withdrawal_requested": [
        "submit: None -> new",
        "accept: new -> accepted",
        "withdraw: accepted -> withdrawal_requested",
    ],
    "stopped": ["submit: None -> new", "accept: new -> accepted", "stop: accepted -> stopped"],
    "processed": [
        "submit: None -> new",
        "accept: new -> accepted",
        "start_processing: accepted -> processing",
        "complete: processing -> processed",
    ],
    "returned": [
        "submit: None -> new",
        "accept: new -> accepted",
        "start_processing: accepted -> processing",
        "complete: processing -> processed",
        "return_result: processed -> returned",
    ],
}


def history(session: Session, dossier_id: int | None) -> list[str]:
    statement = (
        select(DossierEvent)
        .where(col(DossierEvent.dossier_id) == dossier_id)
        .order_by(col(DossierEvent.id))
    )
    return [f"{e.action}: {e.from_status} -> {e.to_status}" for e in session.scalars(statement)]


def test_every_status_has_a_history() -> None:
    assert set(HISTORIES) == {s.value for s in DossierStatus}


@pytest.mark.parametrize("status", list(DossierStatus))
def test_make_dossier_reaches_every_status_through_the_workflow(
    session: Session, status: DossierStatus
) -> None:
    made = make_dossier(session, status)
    assert made.dossier.status == status
    assert history(session, made.dossier.id) == HISTORIES[status]
    assert made.dossier.version == len(HISTORIES[status])  # each move bumped it once
    if status not in (DossierStatus.new, DossierStatus.refused):
        assert made.dossier.received_at is not None and made.dossier.due_at is not None


def test_a_road_may_pass_through_the_applicants_requests(session: Session) -> None:
    road = [
        Action.accept,
        Action.request_supplement,
        Action.withdraw,
        Action.deny_withdrawal,
        Action.supplement,
        Action.start_processing,
    ]
    made = make_dossier(session, "processing", road=road)
    assert history(session, made.dossier.id)[1:] == [
        "accept: new -> accepted",
        "request_supplement: accepted -> supplement_requested",
        "withdraw: supplement_requested -> withdrawal_requested",
        "deny_withdrawal: withdrawal_requested -> supplement_requested",
        "supplement: supplement_requested -> accepted",
        "start_processing: accepted -> processing",
    ]
    assert (made.dossier.file_count, made.dossier.supplement_requests) == (2, 1)
    assert made.dossier.paused_at is None
