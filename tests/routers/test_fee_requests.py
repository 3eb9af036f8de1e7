"""A fee request names the amount to pay (API.md, Officers; DOMAIN.md §4: `request_fee` needs
"amount and reason"): kept on its event, shown in the officer's view, the public history and
the applicant's details; refused without it, with a bad one, or with another action."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from app.config import Settings
from app.models import DossierEvent
from tests.dossier_helpers import everything
from tests.factories import MadeDossier, make_dossier, make_officer, officer_headers

ACTIONS = "/api/v1/officer/dossiers/{code}/actions"
REASON = "Lệ phí đăng ký khai sinh; nộp tại quầy hoặc chuyển khoản."


@pytest.fixture
def processing(session: Session) -> MadeDossier:
    made = make_dossier(session, "processing")
    make_officer(session, "lan")
    return made


def ask_fee(client: TestClient, made: MadeDossier, **fields: Any) -> Any:
    body = {
        "action": "request_fee",
        "version": made.dossier.version,
        "public_note": REASON,
        **fields,
    }
    return client.post(ACTIONS.format(code=made.code), json=body, headers=officer_headers(client))


def test_the_amount_is_kept_and_shown_to_the_officer_the_public_and_the_applicant(
    client: TestClient, processing: MadeDossier, session: Session
) -> None:
    answer = ask_fee(client, processing, amount_vnd=50_000)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "fee_requested"
    assert answer.json()["events"][-1]["amount_vnd"] == 50_000
    kept = session.scalars(
        select(col(DossierEvent.amount_vnd)).where(
            col(DossierEvent.dossier_id) == processing.dossier.id
        )
    ).all()
    assert [a for a in kept if a is not None] == [50_000]  # on the fee request's event only
    public = client.get(f"/api/v1/dossiers/{processing.code}").json()["history"]
    assert public[-1]["amount_vnd"] == 50_000 and public[-1]["note"] == REASON
    assert all(h["amount_vnd"] is None for h in public[:-1])
    mine = client.get(
        f"/api/v1/dossiers/{processing.code}/details",
        headers={"Authorization": f"Bearer {processing.access_token}"},
    ).json()
    assert mine["history"][-1]["amount_vnd"] == 50_000


@pytest.mark.parametrize(
    ("fields", "code", "loc"),
    [
        pytest.param({}, "amount_required", ["body", "amount_vnd"], id="absent"),
        pytest.param({"amount_vnd": None}, "amount_required", ["body", "amount_vnd"], id="null"),
        pytest.param({"amount_vnd": 0}, "validation_error", ["body", "amount_vnd"], id="zero"),
        pytest.param({"amount_vnd": -8000}, "validation_error", ["body", "amount_vnd"], id="neg"),
        pytest.param({"amount_vnd": 10**13}, "validation_error", ["body", "amount_vnd"], id="big"),
        pytest.param({"amount_vnd": 8000.5}, "validation_error", ["body", "amount_vnd"], id="frac"),
        pytest.param({"amount_vnd": "tám nghìn"}, "validation_error", ["body", "amount_vnd"]),
        pytest.param(
            {"public_note": " ", "amount_vnd": 8000}, "note_required", ["public_note"], id="reason"
        ),
    ],
)
def test_a_fee_request_without_a_good_amount_is_refused_and_changes_nothing(
    client: TestClient,
    processing: MadeDossier,
    engine: Engine,
    settings: Settings,
    fields: dict[str, Any],
    code: str,
    loc: list[str],
) -> None:
    before = everything(engine, settings)
    answer = ask_fee(client, processing, **fields)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == code
    assert [d["loc"] for d in error["details"]] == [loc]
    assert everything(engine, settings) == before


def test_the_amount_goes_with_a_fee_request_only(
    client: TestClient, processing: MadeDossier, engine: Engine, settings: Settings
) -> None:
    before = everything(engine, settings)
    body = {"action": "complete", "version": processing.dossier.version, "public_note": REASON}
    answer = client.post(
        ACTIONS.format(code=processing.code),
        json={**body, "amount_vnd": 8000},
        headers=officer_headers(client),
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "invalid_amount"
    assert "nghĩa vụ tài chính" in answer.json()["error"]["message"]
    assert everything(engine, settings) == before
