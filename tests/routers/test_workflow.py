"""The officers' workflow over HTTP: the moves of DOMAIN.md §4, versions, scope, deadlines,
supplements, withdrawals, counter dossiers and the queue."""

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlmodel import Session

from app.models import Agency, Dossier, DossierEvent, ProcedureField
from app.models.types import VN_TZ, utcnow
from app.services.calendar import load_calendar
from app.services.dossiers.deadlines import due_after_pause
from tests.dossier_helpers import submit
from tests.factories import (
    PDF_BYTES,
    make_agency,
    make_dossier,
    make_officer,
    make_online_procedure,
    make_procedure,
    officer_headers,
)

ACTIONS = "/api/v1/officer/dossiers/{code}/actions"


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session, processing_days=5)
    province = session.get_one(Agency, "000.00.00.H20")
    district = make_agency(
        session, "000.00.11.H20", "UBND thành phố Hà Giang", "district", province
    )
    field = session.get_one(ProcedureField, "G01")
    make_procedure(
        session, district, field, code="2.000001.H20", name="Chứng thực bản sao", level=2
    )
    make_officer(session, "lan")  # province: the whole tree
    make_officer(session, "mai", agency_code="000.00.11.H20")  # district only
    make_officer(session, "root", role="admin", agency_code="000.00.11.H20")


def act(
    client: TestClient, code: str, action: str, version: int, who: str = "lan", **fields: Any
) -> Any:
    """An officer's action; a supplement request asks for the form (`to_khai`) unless the
    test names its own `documents` (None leaves them out)."""
    if action == "request_supplement":
        fields.setdefault("documents", ["to_khai"])
    body = {"action": action, "version": version, **fields}
    if body.get("documents", []) is None:
        del body["documents"]
    return client.post(ACTIONS.format(code=code), json=body, headers=officer_headers(client, who))


def new_dossier(client: TestClient) -> dict[str, Any]:
    response = submit(client)
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


def public(client: TestClient, code: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/api/v1/dossiers/{code}").json()
    return body


def test_the_whole_road_from_new_to_returned(client: TestClient, session: Session) -> None:
    code = new_dossier(client)["code"]
    accepted = act(client, code, "accept", 1, note="đủ giấy tờ")
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert (body["status"], body["version"]) == ("accepted", 2)
    received = datetime.fromisoformat(body["received_at"])
    expected_due = load_calendar(session).add_working_days(received, 5)
    assert datetime.fromisoformat(body["due_at"]) == expected_due
    assert body["original_due_at"] == body["due_at"]
    assert act(client, code, "start_processing", 2).json()["status"] == "processing"
    done = act(
        client, code, "complete", 3, public_note="Đã có kết quả, mời nhận tại bộ phận một cửa."
    )
    assert done.json()["status"] == "processed" and done.json()["finished_at"]
    finished_at = done.json()["finished_at"]
    returned = act(client, code, "return_result", 4).json()
    assert returned["status"] == "returned" and returned["finished_at"] == finished_at
    assert [e["action"] for e in returned["events"]] == [
        "submit",
        "accept",
        "start_processing",
        "complete",
        "return_result",
    ]
    assert returned["events"][1]["note"] == "đủ giấy tờ"
    view = public(client, code)
    assert view["on_time"] is True and view["overdue"] is False
    assert "đủ giấy tờ" not in str(view)  # internal notes stay internal
    assert "Đã có kết quả" in str(view["history"])


def test_an_illegal_move_names_the_status_and_the_allowed_actions(client: TestClient) -> None:
    code = new_dossier(client)["code"]
    response = act(client, code, "complete", 1, public_note="x")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert error["details"] == [
        {"status": "new", "allowed_actions": ["accept", "refuse", "request_supplement"]}
    ]


def test_a_stale_version_is_refused(client: TestClient) -> None:
    code = new_dossier(client)["code"]
    assert act(client, code, "accept", 1).status_code == 200
    stale = act(client, code, "start_processing", 1)
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"


@pytest.mark.parametrize("action", ["refuse", "request_supplement"])
def test_reasons_are_required_and_a_refusal_changes_nothing(
    client: TestClient, action: str
) -> None:
    code = new_dossier(client)["code"]
    response = act(client, code, action, 1, note="internal only")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "note_required"
    assert public(client, code)["status"] == "new"
    assert len(public(client, code)["history"]) == 1


def test_unknown_and_applicant_actions_are_not_officer_actions(client: TestClient) -> None:
    code = new_dossier(client)["code"]
    for action in ("teleport", "supplement", "withdraw"):
        response = act(client, code, action, 1, public_note="x")
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "unknown_action"


def test_officers_act_only_within_their_agency_subtree(client: TestClient) -> None:
    code = new_dossier(client)["code"]  # received by the province
    forbidden = act(client, code, "accept", 1, who="mai")
    assert forbidden.status_code == 403
    assert (
        client.get(
            f"/api/v1/officer/dossiers/{code}", headers=officer_headers(client, "mai")
        ).status_code
        == 403
    )
    assert act(client, code, "accept", 1, who="root").status_code == 200  # admins everywhere


def test_refuse_finishes_the_dossier(client: TestClient) -> None:
    code = new_dossier(client)["code"]
    body = act(client, code, "refuse", 1, public_note="Hồ sơ không thuộc thẩm quyền.").json()
    assert body["status"] == "refused" and body["finished_at"]
    assert act(client, code, "accept", 2).json()["error"]["details"][0]["allowed_actions"] == []


# ---------------------------------------------------------------------------------------------
# Supplements and the deadline clock


def multipart(fields: dict[str, str], files: list[Any]) -> list[Any]:
    """Text parts as (None, value) file tuples: httpx then always sends multipart."""
    return [(name, (None, value)) for name, value in fields.items()] + files


def supplement(client: TestClient, code: str, token: str, **kwargs: Any) -> Any:
    files = kwargs.pop("files", [("to_khai", ("bo-sung.pdf", PDF_BYTES + b"2", "application/pdf"))])
    return client.post(
        f"/api/v1/dossiers/{code}/supplement",
        files=multipart(kwargs.pop("data", {}), files),
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_supplement_pauses_the_clock_and_moves_the_deadline(
    client: TestClient, session: Session
) -> None:
    created = new_dossier(client)
    code, token = created["code"], created["access_token"]
    accepted = act(client, code, "accept", 1).json()
    original_due = datetime.fromisoformat(accepted["due_at"])
    asked = act(client, code, "request_supplement", 2, public_note="Thiếu bản sao giấy chứng sinh.")
    assert asked.json()["status"] == "supplement_requested" and asked.json()["paused"] is True
    # The request was made three weeks ago and the deadline has passed: paused, not overdue.
    paused_at = utcnow() - timedelta(days=21)
    session.execute(
        update(Dossier).values(paused_at=paused_at, due_at=original_due - timedelta(days=30))
    )
    session.commit()
    assert public(client, code)["overdue"] is False
    session.execute(update(Dossier).values(due_at=original_due))
    session.commit()

    before = utcnow()
    response = supplement(client, code, token)
    after = utcnow()
    assert response.status_code == 200, response.text
    view = client.get(
        f"/api/v1/officer/dossiers/{code}", headers=officer_headers(client, "lan")
    ).json()
    assert view["status"] == "accepted" and view["paused"] is False
    calendar = load_calendar(session)
    assert calendar.working_time_between(paused_at, before) >= timedelta(hours=14 * 8)
    # moved by the working time paused, up to the moment of the supplement
    moved = datetime.fromisoformat(view["due_at"])
    assert due_after_pause(calendar, original_due, paused_at, before) <= moved
    assert moved <= due_after_pause(calendar, original_due, paused_at, after)
    assert datetime.fromisoformat(view["original_due_at"]) == original_due
    assert view["supplement_requests"] == 1
    assert sorted(d["filename"] for d in view["documents"]) == [
        "Tờ khai khai sinh.pdf",
        "bo-sung.pdf",
    ]


def test_a_second_supplement_request_makes_the_dossier_late(client: TestClient) -> None:
    created = new_dossier(client)
    code, token = created["code"], created["access_token"]
    act(client, code, "accept", 1)
    for version in (2, 4):
        act(client, code, "request_supplement", version, public_note="Thiếu giấy tờ.")
        assert supplement(client, code, token).status_code == 200
    act(client, code, "start_processing", 6)
    act(client, code, "complete", 7, public_note="Xong.")
    assert public(client, code)["on_time"] is False


def test_a_supplement_is_refused_when_none_was_asked_or_the_token_is_wrong(
    client: TestClient,
) -> None:
    created = new_dossier(client)
    code = created["code"]
    assert supplement(client, code, created["access_token"]).status_code == 409
    act(client, code, "request_supplement", 1, public_note="Thiếu giấy tờ.")
    assert supplement(client, code, "wrong").status_code == 401
    other = new_dossier(client)
    assert supplement(client, code, other["access_token"]).status_code == 403
    bad_type = [("to_khai", ("x.pdf", b"GIF89a" + b"0" * 64, "application/pdf"))]
    assert supplement(client, code, created["access_token"], files=bad_type).status_code == 415
    assert public(client, code)["status"] == "supplement_requested"


def test_a_supplement_may_correct_the_form(client: TestClient, session: Session) -> None:
    made = make_dossier(session, "supplement_requested", road=["request_supplement"])
    code, token = made.code, made.access_token
    bad = supplement(client, code, token, files=[], data={"form": '{"ho_ten": "A"}'})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_form"
    form = '{"ho_ten": "Trần Minh Khôi", "ngay_sinh": "2026-11-21"}'
    assert supplement(client, code, token, files=[], data={"form": form}).status_code == 200
    details = client.get(
        f"/api/v1/dossiers/{code}/details", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert details["form"]["ngay_sinh"] == "2026-11-21" and details["status"] == "new"


# ---------------------------------------------------------------------------------------------
# Withdrawal


def withdraw(client: TestClient, code: str, token: str, reason: str = "Tôi không cần nữa.") -> Any:
    return client.post(
        f"/api/v1/dossiers/{code}/withdraw",
        json={"reason": reason},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_withdrawal_is_confirmed_or_denied_by_an_officer(
    client: TestClient, session: Session
) -> None:
    made = make_dossier(session, "accepted")
    code, token = made.code, made.access_token
    assert withdraw(client, code, token).json()["status"] == "withdrawal_requested"
    denied = act(client, code, "deny_withdrawal", 3, public_note="Hồ sơ đã được xử lý một phần.")
    assert denied.json()["status"] == "accepted"
    assert withdraw(client, code, token).status_code == 200
    stopped = act(client, code, "confirm_withdrawal", 5).json()
    assert stopped["status"] == "stopped" and stopped["finished_at"]
    assert withdraw(client, code, token).status_code == 409


def test_a_withdrawal_during_a_supplement_returns_to_the_supplement(
    client: TestClient, session: Session
) -> None:
    road = ["accept", "start_processing", "request_supplement"]
    made = make_dossier(session, "supplement_requested", road=road)
    code, token = made.code, made.access_token
    withdraw(client, code, token)
    act(client, code, "deny_withdrawal", 5, public_note="Vui lòng bổ sung.")
    assert public(client, code)["status"] == "supplement_requested"
    supplement(client, code, token)
    assert public(client, code)["status"] == "processing"


def test_the_applicants_words_never_reach_the_public_history(
    client: TestClient, session: Session
) -> None:
    # Codes are sequential: whatever the public history shows, anyone can harvest.
    road = ["accept", "start_processing", "request_supplement"]
    made = make_dossier(session, "supplement_requested", road=road)
    code, token = made.code, made.access_token
    assert supplement(client, code, token).status_code == 200
    reason = "Tôi chuyển đến số 12 ngõ 34 phố Huế, số điện thoại 0912345678."
    assert withdraw(client, code, token, reason=reason).status_code == 200
    tracked = client.get(f"/api/v1/dossiers/{code}")
    assert reason not in tracked.text
    notes = [(entry["status"], entry["note"]) for entry in tracked.json()["history"]][-2:]
    assert notes == [
        ("processing", "Người nộp hồ sơ đã bổ sung hồ sơ."),
        ("withdrawal_requested", "Người nộp hồ sơ đề nghị rút hồ sơ."),
    ]
    officer = client.get(f"/api/v1/officer/dossiers/{code}", headers=officer_headers(client))
    last = officer.json()["events"][-1]
    assert last["note"] == reason and last["public_note"] == "Người nộp hồ sơ đề nghị rút hồ sơ."


def test_withdraw_needs_a_reason_and_the_token(client: TestClient) -> None:
    created = new_dossier(client)
    code = created["code"]
    assert withdraw(client, code, created["access_token"], reason="  ").status_code == 422
    assert client.post(f"/api/v1/dossiers/{code}/withdraw", json={"reason": "x"}).status_code == 401


# ---------------------------------------------------------------------------------------------
# Counter and postal dossiers


def register(client: TestClient, who: str, **extra: Any) -> Any:
    data = {
        "procedure_code": "1.001193.H20",
        "channel": "counter",
        "applicant": json.dumps(
            {"full_name": "Lò Thị Mỷ", "id_number": "002190001234", "phone": "0987654321"}
        ),
        "form": '{"ho_ten": "Lò Văn A", "ngay_sinh": "2026-11-01"}',
    }
    data.update(extra.pop("data", {}))
    files = extra.pop("files", [("to_khai", ("to-khai.pdf", PDF_BYTES, "application/pdf"))])
    return client.post(
        "/api/v1/officer/dossiers",
        files=multipart(data, files),
        headers=officer_headers(client, who),
    )


def test_a_counter_dossier_starts_accepted_with_its_deadline(
    client: TestClient, session: Session
) -> None:
    response = register(client, "lan")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "accepted" and body["channel"] == "counter"
    assert body["access_token"]
    view = public(client, body["code"])
    received = datetime.fromisoformat(view["received_at"])
    assert datetime.fromisoformat(view["due_at"]) == load_calendar(session).add_working_days(
        received, 5
    )
    assert view["history"][0]["note"] == "Hồ sơ được tiếp nhận tại Bộ phận Một cửa."
    dossier = session.scalars(select(Dossier)).one()
    event = session.scalars(select(DossierEvent)).one()
    assert dossier.channel == "counter" and event.actor == "officer:lan"


def test_counter_dossiers_for_level_2_procedures_and_postal(client: TestClient) -> None:
    level2 = register(
        client, "mai", data={"procedure_code": "2.000001.H20", "channel": "postal"}, files=[]
    )
    assert level2.status_code == 201, level2.text
    assert level2.json()["channel"] == "postal"  # the factory's level-2 procedure has no documents


def test_counter_registration_is_validated_like_online(client: TestClient) -> None:
    assert register(client, "lan", data={"channel": "online"}).status_code == 422
    assert register(client, "lan", data={"form": "{}"}).json()["error"]["code"] == "invalid_form"
    assert register(client, "mai").status_code == 403  # province procedure, district officer
    assert client.post("/api/v1/officer/dossiers").status_code == 401


# ---------------------------------------------------------------------------------------------
# The queue


def test_the_queue_is_scoped_sorted_and_filtered(client: TestClient, session: Session) -> None:
    first = make_dossier(session).code
    second = make_dossier(session, "accepted").code
    third = make_dossier(session, "accepted", now=utcnow() - timedelta(days=30)).code  # overdue
    register(client, "mai", data={"procedure_code": "2.000001.H20"}, files=[])

    queue = client.get("/api/v1/officer/dossiers", headers=officer_headers(client, "lan")).json()
    codes = [item["code"] for item in queue["items"]]
    assert queue["total"] == 4
    assert codes[:2] == [third, second]  # earliest due first; not yet accepted last
    assert codes[-1] == first
    assert [i["overdue"] for i in queue["items"][:2]] == [True, False]

    def codes_for(who: str, **params: Any) -> list[str]:
        body = client.get(
            "/api/v1/officer/dossiers", params=params, headers=officer_headers(client, who)
        ).json()
        return [item["code"] for item in body["items"]]

    assert codes_for("lan", overdue=True) == [third]
    assert codes_for("lan", status="new") == [first]
    assert len(codes_for("lan", q="nguyen thi hoa")) == 3  # applicant name, no diacritics
    assert codes_for("lan", q=first) == [first]
    district = codes_for("mai")
    assert len(district) == 1 and district[0].startswith("000.00.11.H20-")
    response = client.get(
        "/api/v1/officer/dossiers",
        params={"page_size": 101},
        headers=officer_headers(client, "lan"),
    )
    assert response.status_code == 422


def test_the_submission_day_is_never_overdue(client: TestClient) -> None:
    code = new_dossier(client)["code"]
    assert public(client, code)["overdue"] is False
    assert act(client, code, "accept", 1).json()["overdue"] is False


def test_events_cannot_be_edited_or_deleted(session: Session, client: TestClient) -> None:
    new_dossier(client)
    event = session.scalars(select(DossierEvent)).one()
    event.public_note = "rewritten history"
    with pytest.raises(PermissionError):
        session.commit()
    session.rollback()
    session.delete(session.scalars(select(DossierEvent)).one())
    with pytest.raises(PermissionError):
        session.commit()
    session.rollback()
    assert datetime.now(VN_TZ)  # the event survived
    assert session.scalars(select(DossierEvent)).one().public_note == "Hồ sơ được nộp trực tuyến."


def test_officers_download_documents_of_their_subtree_only(client: TestClient) -> None:
    code = new_dossier(client)["code"]
    view = client.get(
        f"/api/v1/officer/dossiers/{code}", headers=officer_headers(client, "lan")
    ).json()
    document = view["documents"][0]
    url = f"/api/v1/officer/dossiers/{code}/documents/{document['id']}"
    response = client.get(url, headers=officer_headers(client, "lan"))
    assert response.status_code == 200 and response.content == PDF_BYTES
    assert response.headers["content-type"] == "application/pdf"
    assert client.get(url, headers=officer_headers(client, "mai")).status_code == 403
    assert client.get(url).status_code == 401
    missing = f"/api/v1/officer/dossiers/{code}/documents/0000"
    assert client.get(missing, headers=officer_headers(client, "lan")).status_code == 404


def test_new_online_dossiers_waiting_too_long_for_intake_are_flagged(
    client: TestClient, session: Session
) -> None:
    """INTAKE_CHECK_HOURS (8) working hours: two weeks ago is flagged, a moment ago is
    not, and neither counts in the on-time indicator until accepted."""
    old = make_dossier(session, now=utcnow() - timedelta(days=14)).code
    fresh = make_dossier(session).code
    accepted = make_dossier(session, "accepted", now=utcnow() - timedelta(days=4)).code
    queue = client.get("/api/v1/officer/dossiers", headers=officer_headers(client, "lan")).json()
    flags = {item["code"]: item["intake_overdue"] for item in queue["items"]}
    assert flags == {old: True, fresh: False, accepted: False}
