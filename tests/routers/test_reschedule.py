"""The apology and new appointment over HTTP (Phiếu xin lỗi và hẹn lại ngày trả kết quả):
`reschedule` with `due_at`, what the public and officer views show, and every refusal leaving
the dossier as it was."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlmodel import Session

from app.models import Dossier, DossierEvent
from app.models.types import utcnow
from tests.dossier_helpers import submit
from tests.factories import make_officer, make_online_procedure, officer_headers

ACTIONS = "/api/v1/officer/dossiers/{code}/actions"
APOLOGY = "Xin lỗi ông/bà: hồ sơ cần xác minh thêm tại xã nên trễ hẹn."


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session, processing_days=5)
    make_officer(session, "lan")


def act(client: TestClient, code: str, body: dict[str, Any]) -> Any:
    return client.post(ACTIONS.format(code=code), json=body, headers=officer_headers(client, "lan"))


def accepted(client: TestClient) -> dict[str, Any]:
    code = submit(client).json()["code"]
    view: dict[str, Any] = act(client, code, {"action": "accept", "version": 1}).json()
    return view


def later(moment: str, **delta: float) -> str:
    return (datetime.fromisoformat(moment) + timedelta(**delta)).isoformat()


def events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DossierEvent)) or 0


def test_reschedule_sets_the_new_appointment_and_keeps_the_legal_one(
    client: TestClient,
) -> None:
    view = accepted(client)
    code, due = view["code"], view["due_at"]
    new_due = later(due, days=3)
    body = {"action": "reschedule", "version": 2, "public_note": APOLOGY, "due_at": new_due}
    response = act(client, code, body)
    assert response.status_code == 200, response.text
    officer = response.json()
    assert officer["status"] == "accepted" and officer["version"] == 3
    assert officer["due_at"] == due and officer["original_due_at"] == due
    assert datetime.fromisoformat(officer["rescheduled_due_at"]) == datetime.fromisoformat(new_due)
    assert officer["events"][-1]["action"] == "reschedule"
    assert officer["events"][-1]["public_note"] == APOLOGY
    public = client.get(f"/api/v1/dossiers/{code}").json()
    assert public["due_at"] == due
    assert datetime.fromisoformat(public["rescheduled_due_at"]) == datetime.fromisoformat(new_due)
    assert public["history"][-1]["note"] == APOLOGY
    assert public["history"][-1]["status"] == "accepted"
    assert datetime.fromisoformat(public["history"][-1]["due_at"]) == datetime.fromisoformat(
        new_due
    )
    assert public["history"][0]["due_at"] is None


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"due_at": None}, 422, "invalid_due_at"),
        ({"public_note": ""}, 422, "note_required"),
        ({"due_at": "2030-01-01T10:00:00"}, 422, "validation_error"),  # no offset
        ({"due_at": "ngày mai"}, 422, "validation_error"),
        ({"due_at": "2020-01-01T10:00:00+07:00"}, 422, "invalid_due_at"),  # earlier
        ({"due_at": "2999-01-01T10:00:00+07:00"}, 422, "invalid_due_at"),  # absurd
        ({"action": "start_processing"}, 422, "invalid_due_at"),  # due_at with another action
        ({"version": 1}, 409, "stale_version"),
    ],
)
def test_a_bad_reschedule_changes_nothing(
    client: TestClient, session: Session, changes: dict[str, Any], status: int, code: str
) -> None:
    view = accepted(client)
    before = events(session)
    body = {
        "action": "reschedule",
        "version": 2,
        "public_note": APOLOGY,
        "due_at": later(view["due_at"], days=2),
        **changes,
    }
    response = act(client, view["code"], body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]  # a Vietnamese sentence, never a trace
    assert events(session) == before
    again = client.get(f"/api/v1/dossiers/{view['code']}").json()
    assert again["status"] == "accepted" and again["rescheduled_due_at"] is None


def test_a_reschedule_once_the_appointment_passed_is_409(
    client: TestClient, session: Session
) -> None:
    view = accepted(client)
    past = utcnow() - timedelta(hours=1)
    session.execute(update(Dossier).values(due_at=past))
    session.commit()
    body = {
        "action": "reschedule",
        "version": 2,
        "public_note": APOLOGY,
        "due_at": (utcnow() + timedelta(days=2)).isoformat(),
    }
    response = act(client, view["code"], body)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "appointment_passed"
    assert "trước khi hết hạn" in error["message"]


def test_reschedule_is_only_for_dossiers_in_progress(client: TestClient) -> None:
    code = submit(client).json()["code"]
    body = {
        "action": "reschedule",
        "version": 1,
        "public_note": APOLOGY,
        "due_at": (utcnow() + timedelta(days=30)).isoformat(),
    }
    response = act(client, code, body)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert "accept" in error["details"][0]["allowed_actions"]


def test_the_action_is_listed_in_the_documentation(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    body = paths["/api/v1/officer/dossiers/{code}/actions"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["properties"]["due_at"]["anyOf"][0]["format"] == "date-time"
