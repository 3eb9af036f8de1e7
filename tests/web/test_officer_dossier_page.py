"""The officers' page of one dossier, `/can-bo/ho-so/{code}` (docs/API.md, Web pages): the API's
full view as a page, one form per action the workflow allows now, each form the API's action
on the same services, and the API's refusals (409 on a stale version, 403 for another agency,
the 422s next to their fields) as pages."""

import io
import re
import zipfile
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.models import Agency, Procedure
from app.models.dossier import DossierStatus
from app.models.types import VN_TZ, utcnow
from app.services import officer_sessions
from app.services.dossiers import workflow
from app.web.csrf import COOKIE as CSRF_COOKIE
from app.web.csrf import csrf_secret, sign
from app.web.officer_auth import COOKIE as SESSION_COOKIE
from app.web.officer_auth import scope_of
from tests.dossier_helpers import everything, submit
from tests.factories import (
    APPLICANT,
    FORM,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    PROVINCE,
    AuthAs,
    MadeDossier,
    make_agency,
    make_dossier,
    make_officer,
    make_online_procedure,
    small_pdf,
)
from tests.web.html import elements

PASSWORD = "mat-khau-cua-lan-2026"
DISTRICT = "000.00.11.H20"  # under the province: its officers do not act on the province's
NOTE = "Hồ sơ đã được kiểm tra đầy đủ."
INTERNAL = "Đã gọi điện cho người nộp lúc 9 giờ."
RESULT = small_pdf("GIAY KHAI SINH DIEN TU")
# What a browser sends for a file input left empty: a part with no filename and no bytes.
NO_FILE = ("result", ("", b"", "application/octet-stream"))
CONFLICT = "Hồ sơ vừa được người khác cập nhật"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session)
    province = session.get_one(Agency, PROVINCE)
    make_agency(session, DISTRICT, "UBND thành phố Hà Giang", "district", province)
    make_officer(session, "lan", PROVINCE, password=PASSWORD)
    make_officer(session, "mai", DISTRICT, password=PASSWORD)


def made(client: TestClient, engine: Engine, settings: Settings, status: str) -> MadeDossier:
    """A dossier whose files are in the client's own storage (so that they are served)."""
    storage = client.app.state.storage  # type: ignore[attr-defined]
    return make_dossier(engine, status, storage=storage, settings=settings)


def sign_in(client: TestClient, username: str = "lan") -> None:
    """Through the sign-in form, as a browser does."""
    form = elements(client.get("/can-bo/").text).all("input", name="csrf_token")[0]["value"]
    data = {"csrf_token": form, "username": username, "password": PASSWORD}
    answer = client.post("/can-bo/dang-nhap", data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text


@pytest.fixture
def officer(client: TestClient) -> TestClient:
    """The client, signed in as `lan` of the province (the dossiers' own agency)."""
    sign_in(client)
    return client


def page_of(client: TestClient, code: str, **query: str) -> httpx.Response:
    page: httpx.Response = client.get(f"/can-bo/ho-so/{code}", params=query)
    assert page.status_code == 200, page.text
    return page


def forms_of(page: httpx.Response) -> dict[str, dict[str, Any]]:
    """Each action's form on the page: where it posts, how, and its hidden fields."""
    found: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    for tag, attrs in elements(page.text).tags:
        if tag == "form":
            current = {"url": attrs.get("action", ""), "enctype": attrs.get("enctype", "")}
            current["fields"] = {}
        elif current is not None and tag == "input" and attrs.get("type") == "hidden":
            current["fields"][attrs["name"]] = attrs["value"]
            if attrs["name"] == "action":
                found[attrs["value"]] = current
    return found


def buttons(page: httpx.Response) -> list[str]:
    """The action buttons of the page (the navigation's sign-out aside)."""
    shown = elements(page.text).all("button", data_action="")
    return [b["data-action"] for b in shown if b["data-action"] != "sign_out"]


def by_page(
    client: TestClient,
    code: str,
    action: str,
    *,
    files: list[Any] | None = None,
    **fields: Any,
) -> httpx.Response:
    """The action's form on the page, filled in and posted as a browser posts it."""
    form = forms_of(page_of(client, code))[action]
    data = {**form["fields"], **fields}
    answer: httpx.Response
    if form["enctype"] == "multipart/form-data":
        files = files or [NO_FILE]
        answer = client.post(form["url"], data=data, files=files, follow_redirects=False)
    else:
        answer = client.post(form["url"], data=data, follow_redirects=False)
    return answer


def by_api(
    client: TestClient,
    headers: dict[str, str],
    code: str,
    action: str,
    files: list[Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    url = f"/api/v1/officer/dossiers/{code}"
    version = client.get(url, headers=headers).json()["version"]
    body = {"action": action, "version": version, **fields}
    if files:
        data = {k: ",".join(v) if isinstance(v, list) else str(v) for k, v in body.items()}
        answer = client.post(f"{url}/actions", data=data, files=files, headers=headers)
    else:
        answer = client.post(f"{url}/actions", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


def full_view(client: TestClient, headers: dict[str, str], code: str) -> dict[str, Any]:
    answer = client.get(f"/api/v1/officer/dossiers/{code}", headers=headers)
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


def essentials(view: dict[str, Any]) -> dict[str, Any]:
    """What an action changes, without the moments (the twins act milliseconds apart)."""
    return {
        "status": view["status"],
        "version": view["version"],
        "paused": view["paused"],
        "supplement_requests": view["supplement_requests"],
        "requested": view["requested_documents"],
        "results": [(r["filename"], r["content_type"], r["size"]) for r in view["results"]],
        "documents": [(d["key"], d["filename"], d["size"]) for d in view["documents"]],
        "events": [{k: v for k, v in e.items() if k != "at"} for e in view["events"]],
        "history": [
            (h["status"], h["note"], h["due_at"], h["amount_vnd"]) for h in view["history"]
        ],
        "rescheduled_due_at": view["rescheduled_due_at"],
        "received": view["received_at"] is not None,
        "finished": view["finished_at"] is not None,
        "on_time": view["on_time"],
    }


def supplement_by_applicant(client: TestClient, dossier: MadeDossier) -> None:
    answer = client.post(
        f"/api/v1/dossiers/{dossier.code}/supplement",
        files=[("anh", ("anh-moi.jpg", JPEG_BYTES, "image/jpeg"))],
        headers={"Authorization": f"Bearer {dossier.access_token}"},
    )
    assert answer.status_code == 200, answer.text


def withdraw_by_applicant(client: TestClient, dossier: MadeDossier) -> None:
    answer = client.post(
        f"/api/v1/dossiers/{dossier.code}/withdraw",
        json={"reason": "Tôi đã nộp nhầm thủ tục."},
        headers={"Authorization": f"Bearer {dossier.access_token}"},
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("status", [s.value for s in DossierStatus])
def test_the_buttons_are_the_actions_the_workflow_allows_now(
    officer: TestClient, engine: Engine, settings: Settings, status: str
) -> None:
    dossier = made(officer, engine, settings, status)
    page = page_of(officer, dossier.code)
    allowed = workflow.allowed_actions(DossierStatus(status), by_officer=True)
    assert buttons(page) == allowed
    forms = forms_of(page)
    assert list(forms) == allowed
    csrf = {form["fields"]["csrf_token"] for form in forms.values()}
    assert len(csrf) <= 1  # the session's one field, on every form
    for name, form in forms.items():
        assert form["fields"]["version"] == str(dossier.dossier.version)
        assert form["url"].startswith(f"/can-bo/ho-so/{dossier.code}/")
        # complete carries result files: multipart, the CSRF field its first part
        assert (form["enctype"] == "multipart/form-data") == (name == "complete")
    if not allowed:
        assert "Không còn thao tác nào" in page.text


def test_the_page_shows_the_full_view_of_the_api(
    officer: TestClient, engine: Engine, settings: Settings, auth_as: AuthAs
) -> None:
    dossier = made(officer, engine, settings, "accepted")
    by_page(officer, dossier.code, "request_supplement", documents=["anh"], public_note=NOTE)
    view = full_view(officer, auth_as("lan"), dossier.code)
    page = page_of(officer, dossier.code)
    shown = elements(page.text)
    assert page.headers["cache-control"] == "no-store"
    assert shown.all("span", data_dossier_code=dossier.code)
    assert shown.all("strong", data_status="supplement_requested")
    assert shown.all("time", data_due_at=view["due_at"].replace("+00:00", "Z"))
    assert shown.all("dd", data_paused="true")
    text = shown.plain_text()
    for value in (APPLICANT["full_name"], APPLICANT["id_number"], APPLICANT["email"]):
        assert value in text
    assert "0912 345 678" in text  # the phone as people write it
    assert "Họ và tên người được khai sinh" in text and FORM["ho_ten"] in text
    assert "20/11/2026" in text  # the form's date read back
    events = shown.all("li", data_event_action="")
    assert [e["data-event-action"] for e in events] == [e["action"] for e in view["events"]]
    assert "officer:lan" not in text and "lan" in text  # who acted
    assert [r["key"] for r in view["requested_documents"]] == ["anh"]
    assert shown.all("li", data_requested="anh")
    # Every document, the PDF previewed in a frame of the page's own document route.
    (frame,) = shown.all("iframe", data_preview="pdf")
    (document,) = view["documents"]
    assert frame["src"] == f"/can-bo/ho-so/{dossier.code}/tai-lieu/{document['id']}"
    assert frame["title"]  # a frame is named for screen readers
    assert "frame-src 'self'" in page.headers["content-security-policy"]


def test_internal_notes_and_the_reschedule_show_in_the_history(
    officer: TestClient, engine: Engine, settings: Settings, auth_as: AuthAs
) -> None:
    dossier = made(officer, engine, settings, "processing")
    due = datetime.fromisoformat(full_view(officer, auth_as("lan"), dossier.code)["due_at"])
    new = (
        (due + timedelta(days=7))
        .astimezone(VN_TZ)
        .replace(hour=16, minute=30, second=0, microsecond=0)
    )
    sent = by_page(
        officer,
        dossier.code,
        "reschedule",
        due_at=new.strftime("%Y-%m-%dT%H:%M"),
        public_note="Xin lỗi ông/bà: cần xác minh thêm.",
        note=INTERNAL,
    )
    assert sent.status_code == 303, sent.text
    view = full_view(officer, auth_as("lan"), dossier.code)
    assert datetime.fromisoformat(view["rescheduled_due_at"]) == new
    assert view["status"] == "processing"
    page = page_of(officer, dossier.code)
    shown = elements(page.text)
    assert shown.all("time", data_rescheduled_due_at="")
    text = shown.plain_text()
    assert INTERNAL in text and "16:30" in text
    # The internal note is for officers: the public never reads it.
    assert INTERNAL not in officer.get(f"/tra-cuu/{dossier.code}").text


def test_each_action_through_the_page_moves_the_dossier_as_the_api(
    officer: TestClient, engine: Engine, settings: Settings, auth_as: AuthAs
) -> None:
    """Twins: one moved through the page's forms, the other through the API, the same way."""
    api = auth_as("lan")
    roads: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = [
        (
            "new",
            [
                ("accept", {"note": INTERNAL}),
                ("request_supplement", {"public_note": NOTE, "documents": ["anh"]}),
                ("supplement", {}),
                ("start_processing", {}),
                ("request_fee", {"public_note": "Lệ phí cấp bản sao.", "amount_vnd": 8_000}),
                ("confirm_fee", {}),
                ("reschedule", {"public_note": "Xin lỗi: cần xác minh."}),
                ("complete", {"public_note": NOTE}),
                ("return_result", {"public_note": "Đã trả tại quầy."}),
            ],
        ),
        ("new", [("refuse", {"public_note": "Sai thủ tục."})]),
        ("accepted", [("stop", {"public_note": "Người nộp đề nghị dừng."})]),
        ("accepted", [("withdraw", {}), ("confirm_withdrawal", {})]),
        ("accepted", [("withdraw", {}), ("deny_withdrawal", {"public_note": "Đã xử lý xong."})]),
    ]
    covered: set[str] = set()
    for status, road in roads:
        page_twin = made(officer, engine, settings, status)
        api_twin = made(officer, engine, settings, status)
        for action, fields in road:
            if action == "supplement":
                supplement_by_applicant(officer, page_twin)
                supplement_by_applicant(officer, api_twin)
                continue
            if action == "withdraw":
                withdraw_by_applicant(officer, page_twin)
                withdraw_by_applicant(officer, api_twin)
                continue
            covered.add(action)
            page_fields, api_fields = dict(fields), dict(fields)
            files = None
            if action == "reschedule":
                due = max(
                    datetime.fromisoformat(full_view(officer, api, t.code)["due_at"])
                    for t in (page_twin, api_twin)
                )
                new = (
                    (due + timedelta(days=3))
                    .astimezone(VN_TZ)
                    .replace(hour=16, minute=0, second=0, microsecond=0)
                )
                page_fields["due_at"] = new.strftime("%Y-%m-%dT%H:%M")
                api_fields["due_at"] = new.isoformat()
            if action == "request_fee":
                page_fields["amount_vnd"] = "8.000"  # as an officer types it
            if action == "complete":
                files = [("result", ("giay-khai-sinh.pdf", RESULT, "application/pdf"))]
            sent = by_page(officer, page_twin.code, action, files=files, **page_fields)
            assert sent.status_code == 303, (action, sent.text)
            assert sent.headers["location"] == f"/can-bo/ho-so/{page_twin.code}?done={action}"
            by_api(officer, api, api_twin.code, action, files=files, **api_fields)
            view = full_view(officer, api, page_twin.code)
            twin = full_view(officer, api, api_twin.code)
            assert essentials(view) == essentials(twin), action
            # The due moments agree (the twins resume a few milliseconds apart).
            for moment in ("due_at", "original_due_at"):
                if twin[moment] is None:
                    assert view[moment] is None
                    continue
                apart = datetime.fromisoformat(view[moment]) - datetime.fromisoformat(twin[moment])
                assert abs(apart) < timedelta(seconds=5), (action, moment)
            done = officer.get(sent.headers["location"])
            notice = elements(done.text).all("p", data_done=action)
            assert notice, action
    officer_actions = {a.value for a, m in workflow.MOVES.items() if m.by_officer}
    assert covered == officer_actions


def test_a_supplement_request_names_the_checked_documents(
    officer: TestClient, engine: Engine, settings: Settings, auth_as: AuthAs
) -> None:
    dossier = made(officer, engine, settings, "processing")
    before = everything(engine, settings)
    none = by_page(officer, dossier.code, "request_supplement", public_note=NOTE)
    assert none.status_code == 422  # documents_required: nothing checked
    assert everything(engine, settings) == before
    shown = elements(none.text)
    boxes = shown.all("input", type="checkbox", name="documents")
    assert [b["value"] for b in boxes] == ["to_khai", "anh"]
    assert all(b["aria-invalid"] == "true" for b in boxes)
    (message,) = shown.all("p", id="request_supplement-documents-error")
    assert all(b["aria-describedby"] == message["id"] for b in boxes)
    assert "Cần nêu rõ giấy tờ" in none.text
    assert shown.all("details", data_action_form="request_supplement", open="")
    kept = shown.all("textarea", name="public_note", id="request_supplement-public_note")
    assert kept and NOTE in none.text  # what the officer typed is kept

    sent = by_page(officer, dossier.code, "request_supplement", public_note=NOTE, documents=["anh"])
    assert sent.status_code == 303
    view = full_view(officer, auth_as("lan"), dossier.code)
    assert view["events"][-1]["documents"] == ["anh"]
    assert [d["key"] for d in view["requested_documents"]] == ["anh"]
    # The applicant is asked for that one alone.
    details = officer.get(
        f"/api/v1/dossiers/{dossier.code}/details",
        headers={"Authorization": f"Bearer {dossier.access_token}"},
    ).json()
    assert [d["key"] for d in details["requested_documents"]] == ["anh"]


def test_a_fee_request_names_its_amount_with_the_procedures_fees_as_the_hint(
    officer: TestClient, engine: Engine, settings: Settings, auth_as: AuthAs
) -> None:
    dossier = made(officer, engine, settings, "processing")
    with Session(engine) as session:
        procedure = session.get_one(Procedure, dossier.dossier.procedure_code)
        procedure.fees = [
            {"label": "Lệ phí cấp bản sao", "amount_vnd": 8_000, "per": "copy"},
            {"label": "Phí không thu", "amount_vnd": 0, "per": None},
        ]
        session.add(procedure)
        session.commit()
    page = elements(page_of(officer, dossier.code).text)
    (field,) = page.all("input", id="request_fee-amount_vnd")
    assert field["name"] == "amount_vnd" and field["inputmode"] == "numeric"
    assert field["aria-describedby"] == "request_fee-amount_vnd-hint"
    assert page.all("ul", data_procedure_fees="")
    (fees,) = re.findall(r"data-procedure-fees>(.*?)</ul>", page_of(officer, dossier.code).text)
    assert text_of(fees) == "Lệ phí cấp bản sao: 8.000 ₫ mỗi bản"  # the paid lines only

    before = everything(engine, settings)
    for typed, says in (
        ("", "Cần ghi rõ số tiền"),
        ("tám nghìn", "phải là số nguyên"),
        ("0", "từ 1"),
    ):
        bad = by_page(officer, dossier.code, "request_fee", public_note=NOTE, amount_vnd=typed)
        assert bad.status_code == 422, typed
        shown = elements(bad.text)
        (field,) = shown.all("input", id="request_fee-amount_vnd")
        assert field["aria-invalid"] == "true" and field["value"] == typed
        assert field["aria-describedby"].split()[0] == "request_fee-amount_vnd-error"
        (message,) = re.findall(r'id="request_fee-amount_vnd-error">(.*?)</p>', bad.text)
        assert says in message, (typed, message)
        assert shown.all("a", href="#request_fee-amount_vnd")
        assert everything(engine, settings) == before

    sent = by_page(officer, dossier.code, "request_fee", public_note=NOTE, amount_vnd="16.000")
    assert sent.status_code == 303
    assert full_view(officer, auth_as("lan"), dossier.code)["events"][-1]["amount_vnd"] == 16_000
    for url in (sent.headers["location"], f"/tra-cuu/{dossier.code}"):  # officer, public
        shown_amount = re.findall(r'data-amount="16000">(.*?)</span>', officer.get(url).text)
        assert shown_amount == ["16.000 ₫"], url


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" :", ":")


def test_complete_stores_the_result_files_and_refuses_a_wrong_type_storing_nothing(
    officer: TestClient, engine: Engine, settings: Settings, auth_as: AuthAs
) -> None:
    dossier = made(officer, engine, settings, "processing")
    before = everything(engine, settings)
    photo = [("result", ("ket-qua.pdf", PNG_BYTES, "application/pdf"))]  # a PNG named .pdf
    refused = by_page(officer, dossier.code, "complete", files=photo, public_note=NOTE)
    assert refused.status_code == 415  # the service's own status for the type
    assert refused.headers["content-type"].startswith("text/html")
    assert everything(engine, settings) == before
    shown = elements(refused.text)
    (box,) = shown.all("input", type="file", name="result")
    assert box["aria-invalid"] == "true"
    assert "complete-result-error" in box["aria-describedby"].split()
    assert "Tệp kết quả phải là văn bản điện tử PDF" in refused.text

    results = [
        ("result", ("giay-khai-sinh.pdf", RESULT, "application/pdf")),
        ("result", ("trich-luc.pdf", small_pdf("TRICH LUC"), "application/pdf")),
    ]
    sent = by_page(officer, dossier.code, "complete", files=results, public_note=NOTE)
    assert sent.status_code == 303, sent.text
    view = full_view(officer, auth_as("lan"), dossier.code)
    assert view["status"] == "processed"
    assert [r["filename"] for r in view["results"]] == ["giay-khai-sinh.pdf", "trich-luc.pdf"]
    page = page_of(officer, dossier.code)
    frames = [f["src"] for f in elements(page.text).all("iframe", data_preview="pdf")]
    first = next(src for src in frames if src.endswith(view["results"][0]["id"]))
    assert officer.get(first).content == RESULT


def test_a_stale_version_shows_the_conflict_over_the_current_state_and_changes_nothing(
    officer: TestClient, engine: Engine, settings: Settings, auth_as: AuthAs
) -> None:
    dossier = made(officer, engine, settings, "new")
    seen = forms_of(page_of(officer, dossier.code))["refuse"]  # the page as it was
    # Another officer acts first, through the API.
    asked: dict[str, Any] = {"public_note": NOTE, "documents": ["anh"]}
    by_api(officer, auth_as("lan"), dossier.code, "request_supplement", **asked)
    before = everything(engine, settings)
    fields = {**seen["fields"], "public_note": "Sai thủ tục."}
    stale = officer.post(seen["url"], data=fields)
    assert stale.status_code == 409
    assert everything(engine, settings) == before  # no lost update
    shown = elements(stale.text)
    (summary,) = shown.all("div", data_conflict="")
    assert summary["role"] == "alert"
    assert CONFLICT in stale.text
    assert shown.all("a", data_reload="", href=f"/can-bo/ho-so/{dossier.code}")
    # The page is the dossier as it stands now, its forms on the current version.
    assert shown.all("strong", data_status="supplement_requested")
    forms = forms_of(stale)
    assert list(forms) == workflow.allowed_actions(DossierStatus.supplement_requested, True)
    version = int(seen["fields"]["version"])
    assert {f["fields"]["version"] for f in forms.values()} == {str(version + 1)}


def test_a_refusal_shows_the_services_message_next_to_its_field(
    officer: TestClient, engine: Engine, settings: Settings
) -> None:
    dossier = made(officer, engine, settings, "processing")
    before = everything(engine, settings)
    no_reason = by_page(officer, dossier.code, "stop", note=INTERNAL)
    assert no_reason.status_code == 422  # note_required
    shown = elements(no_reason.text)
    (box,) = shown.all("textarea", id="stop-public_note")
    assert box["aria-invalid"] == "true"
    assert box["aria-describedby"].split() == ["stop-public_note-error", "stop-public_note-hint"]
    assert shown.all("p", id="stop-public_note-error")
    assert "Cần ghi rõ lý do" in no_reason.text
    assert shown.all("a", href="#stop-public_note")  # the summary links to the field
    assert INTERNAL in no_reason.text  # kept
    for typed, status in (("ngày mai", 422), ("2020-01-01T17:00", 422)):
        bad = by_page(officer, dossier.code, "reschedule", due_at=typed, public_note=NOTE)
        assert bad.status_code == status, typed
        (field,) = elements(bad.text).all("input", id="reschedule-due_at")
        assert field["aria-invalid"] == "true"
        assert field["value"] == typed
    too_long = by_page(officer, dossier.code, "stop", public_note=NOTE, note="x" * 4001)
    assert too_long.status_code == 422
    assert elements(too_long.text).all("p", id="stop-note-error")
    assert "Dữ liệu không hợp lệ: tối đa 4000 ký tự." in too_long.text
    assert everything(engine, settings) == before


def test_without_the_csrf_field_an_action_is_refused_and_changes_nothing(
    officer: TestClient, client: TestClient, engine: Engine, settings: Settings
) -> None:
    dossier = made(officer, engine, settings, "processing")
    forms = forms_of(page_of(officer, dossier.code))
    before = everything(engine, settings)
    for action in ("start_processing", "stop", "complete"):
        if action not in forms:
            continue
        form = forms[action]
        for token in ("", "sai", "0" * 64):
            fields = {**form["fields"], "csrf_token": token, "public_note": NOTE}
            files = [("result", ("kq.pdf", RESULT, "application/pdf"))]
            if form["enctype"]:
                answer = officer.post(form["url"], data=fields, files=files)
            else:
                answer = officer.post(form["url"], data=fields)
            assert answer.status_code == 403, answer.text
            assert "Biểu mẫu không hợp lệ" in answer.text
    # The field after a file is no better: the check comes before any file byte.
    form = forms["complete"]
    late = officer.post(
        form["url"],
        files=[
            ("result", ("kq.pdf", RESULT, "application/pdf")),
            ("csrf_token", (None, form["fields"]["csrf_token"])),
        ],
    )
    assert late.status_code == 403
    assert everything(engine, settings) == before


def test_documents_are_previewed_inline_only_for_pdf_and_images(
    officer: TestClient, engine: Engine, settings: Settings, session: Session
) -> None:
    bare = made(officer, engine, settings, "new")
    supplement_kinds = make_online_procedure(
        session,
        code="1.009998.H20",
        required_documents=[
            {"key": "to_khai", "name": "Tờ khai", "required": True, "originals": 1,
             "copies": 0, "accepted_types": ["application/pdf"], "max_size_mb": None,
             "template_url": None},
            {"key": "anh", "name": "Ảnh", "required": False, "originals": 1, "copies": 0,
             "accepted_types": ["image/jpeg", "image/png"], "max_size_mb": None,
             "template_url": None},
            {"key": "bang_ke", "name": "Bảng kê", "required": False, "originals": 1,
             "copies": 0, "accepted_types": [DOCX], "max_size_mb": None,
             "template_url": None},
        ],
    )  # fmt: skip
    answer = submit(
        officer,
        procedure_code=supplement_kinds.code,
        files=[
            ("to_khai", ("to-khai.pdf", PDF_BYTES, "application/pdf")),
            ("anh", ("anh.png", PNG_BYTES, "image/png")),
            ("bang_ke", ("bang-ke.docx", a_docx(), DOCX)),
        ],
    )
    assert answer.status_code == 201, answer.text
    code = answer.json()["code"]
    page = page_of(officer, code)
    shown = elements(page.text)
    (frame,) = shown.all("iframe", data_preview="pdf")
    (image,) = shown.all("img", data_preview="image")
    assert image["alt"]
    links = {a["href"] for a in shown.all("a", download="")}
    assert len(links) == 3  # each file downloads too
    (docx,) = links - {frame["src"], image["src"]}
    for src, kind in ((frame["src"], "application/pdf"), (image["src"], "image/png")):
        inline = officer.get(src)
        assert inline.status_code == 200
        assert inline.headers["content-type"] == kind
        assert inline.headers["content-disposition"].startswith("inline;")
        assert inline.headers["x-frame-options"] == "SAMEORIGIN"  # this site's pages only
        assert (
            inline.headers["content-security-policy"]
            == "default-src 'none'; frame-ancestors 'self'"
        )
        assert inline.headers["cache-control"] == "no-store"
        assert inline.headers["x-content-type-options"] == "nosniff"
    download = officer.get(docx)
    assert download.status_code == 200 and download.headers["content-type"] == DOCX
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-frame-options"] == "DENY"
    assert download.content == a_docx()
    # A file of another dossier is not one of this one's.
    other = bare.code
    assert (
        officer.get(f"/can-bo/ho-so/{other}/tai-lieu/{docx.rsplit('/', 1)[1]}").status_code == 404
    )


def a_docx() -> bytes:
    """The smallest ZIP that reads as a Word document by its content."""
    buffer = io.BytesIO()
    # Fixed times: the members' times are the ZIP's bytes, and two calls a second apart must
    # give the same file (the test compares a download with what it uploaded).
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w:document/>"),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def test_an_officer_of_another_agency_gets_the_apis_refusal_as_a_page(
    officer: TestClient, engine: Engine, settings: Settings, auth_as: AuthAs
) -> None:
    dossier = made(officer, engine, settings, "new")
    forms = forms_of(page_of(officer, dossier.code))
    document = full_view(officer, auth_as("lan"), dossier.code)["documents"][0]["id"]
    other = TestClient(officer.app)  # another browser
    sign_in(other, "mai")  # a district's officer: not the province's dossier
    api = other.get(f"/api/v1/officer/dossiers/{dossier.code}", headers=auth_as("mai"))
    assert api.status_code == 403 and api.json()["error"]["code"] == "other_agency"
    refusal = api.json()["error"]["message"]
    page = other.get(f"/can-bo/ho-so/{dossier.code}")
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert refusal in page.text
    assert APPLICANT["full_name"] not in page.text and "data-status" not in page.text
    assert other.get(f"/can-bo/ho-so/{dossier.code}/tai-lieu/{document}").status_code == 403
    before = everything(engine, settings)
    fields = {**forms["accept"]["fields"], "csrf_token": session_field(other)}  # mai's own
    refused = other.post(forms["accept"]["url"], data=fields)
    assert refused.status_code == 403 and refusal in refused.text
    assert everything(engine, settings) == before
    unknown = other.get("/can-bo/ho-so/000.00.00.H20-250101-9999")
    assert unknown.status_code == 404


def session_field(client: TestClient) -> str:
    """The CSRF field of the client's officer session, as its pages' forms carry it."""
    app_settings = client.app.state.settings  # type: ignore[attr-defined]
    signed = officer_sessions.read(
        client.app.state.engine,  # type: ignore[attr-defined]
        app_settings,
        client.cookies[SESSION_COOKIE],
        utcnow(),
    )
    assert signed is not None
    return sign(csrf_secret(app_settings), scope_of(signed), client.cookies[CSRF_COOKIE])


def test_without_a_session_the_page_sends_the_browser_to_sign_in(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    dossier = made(client, engine, settings, "new")
    answer = client.get(f"/can-bo/ho-so/{dossier.code}", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/can-bo/?next=%2Fcan-bo%2Fho-so%2F")
    posted = client.post(
        f"/can-bo/ho-so/{dossier.code}/thao-tac",
        data={"action": "accept", "version": "2"},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert "data-status" not in answer.text


def test_english_keeps_the_language_through_the_forms(
    officer: TestClient, engine: Engine, settings: Settings
) -> None:
    dossier = made(officer, engine, settings, "new")
    page = page_of(officer, dossier.code, lang="en")
    assert "Accept the dossier" in page.text
    forms = forms_of(page)
    assert forms["accept"]["url"] == f"/can-bo/ho-so/{dossier.code}/thao-tac?lang=en"
    sent = officer.post(
        forms["accept"]["url"], data=forms["accept"]["fields"], follow_redirects=False
    )
    assert sent.headers["location"] == f"/can-bo/ho-so/{dossier.code}?done=accept&lang=en"
