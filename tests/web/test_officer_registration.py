"""The officers' counter and postal registration, `/can-bo/tiep-nhan` (docs/API.md, Web pages):
`POST /api/v1/officer/dossiers` behind a page, on the same services and form as the public
submission page, with the API's rules and messages, nothing stored on a refusal, and a desk
receipt that only the officer who registered the dossier sees."""

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from app.config import Settings
from app.models import Agency, Dossier, DossierEvent, DossierFile
from app.models.officer import OfficerCreate
from app.models.types import utcnow
from app.services.officers import create_officer
from tests.factories import (
    APPLICANT,
    FORM,
    ONLINE_DOCUMENTS,
    ONLINE_PROCEDURE,
    PDF_BYTES,
    PNG_BYTES,
    PROVINCE,
    AuthAs,
    engine_of,
    make_agency,
    make_online_procedure,
)
from tests.web.html import elements
from tests.web.test_officer_sign_in import PASSWORD, sign_in

CHOOSE = "/can-bo/tiep-nhan"
PATH = f"{CHOOSE}/{ONLINE_PROCEDURE}"
PDF = ("to_khai", ("to-khai.pdf", PDF_BYTES, "application/pdf"))
NO_FILE = ("to_khai", ("", b"", "application/octet-stream"))  # a file input left empty
COMMUNE = "000.31.00.H20"
DEPARTMENT = "000.00.05.H20"
OFFICER_NAME = "Phạm Thị Lan"


def make_account(session: Session, username: str, agency: str, full_name: str = "") -> None:
    data = OfficerCreate(
        username=username, full_name=full_name, password=PASSWORD, agency_code=agency
    )
    create_officer(engine_of(session), data)


@pytest.fixture
def province(session: Session) -> Agency:
    """The province, a commune under it and a department beside the commune; the online
    procedure, offered by the province and the commune; `lan`, an officer of the province."""
    province = make_agency(session)
    make_agency(session, COMMUNE, "Ủy ban nhân dân xã Minh Tân", "commune", province)
    make_agency(session, DEPARTMENT, "Sở Nông nghiệp và Môi trường", "province", province)
    commune = session.get(Agency, COMMUNE)
    assert commune is not None
    make_online_procedure(session, also_offered_by=[commune])
    make_account(session, "lan", PROVINCE, OFFICER_NAME)
    return province


@pytest.fixture
def signed_in(client: TestClient, province: Agency) -> TestClient:
    assert sign_in(client).status_code == 303
    return client


def hidden(page: httpx.Response, name: str) -> str:
    found = elements(page.text).all("input", name=name)
    assert found, f"no {name} field"
    return found[0]["value"]


def page_fields(form: dict[str, Any] | None = None, **changes: str) -> dict[str, str]:
    """What the officer types from the papers handed in."""
    values = {"applicant_kind": "individual", "channel": "counter", "agency_code": PROVINCE}
    values |= {f"applicant.individual.{k}": v for k, v in APPLICANT.items()}
    values |= {f"form.{k}": str(v) for k, v in (form or FORM).items()}
    return values | changes


def post(
    client: TestClient,
    page: httpx.Response,
    fields: dict[str, str],
    files: list[Any] | None = None,
    path: str = PATH,
) -> httpx.Response:
    data = {
        "csrf_token": hidden(page, "csrf_token"),
        "idempotency_key": hidden(page, "idempotency_key"),
    }
    answer: httpx.Response = client.post(
        path,
        data=data | fields,
        files=files if files is not None else [PDF],
        follow_redirects=False,
    )
    return answer


def count(session: Session, table: Any) -> int:
    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(table)) or 0)


def stored_files(settings: Settings) -> list[Path]:
    root = Path(settings.storage_url)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def nothing_stored(session: Session, settings: Settings) -> bool:
    tables = (Dossier, DossierFile, DossierEvent)
    return all(count(session, t) == 0 for t in tables) and stored_files(settings) == []


def test_without_a_session_every_page_sends_the_browser_to_sign_in(
    client: TestClient, province: Agency, session: Session, settings: Settings
) -> None:
    for path in (CHOOSE, PATH, f"{PATH}/bien-nhan/000.00.00.H20-250101-0001"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/can-bo/?next=%2Fcan-bo%2Ftiep-nhan")
    posted = client.post(PATH, data=page_fields(), files=[PDF], follow_redirects=False)
    assert posted.status_code == 303 and nothing_stored(session, settings)


def test_the_choice_lists_the_subtrees_procedures_of_every_level(
    client: TestClient, session: Session, province: Agency
) -> None:
    # A paper-only procedure of the commune: at the desk, any level is taken (API.md).
    make_online_procedure(
        session, code="1.000222.H20", name="Chứng thực bản sao", level=2, agency_code=COMMUNE
    )
    make_online_procedure(
        session, code="1.000333.H20", name="Cấp phép khai thác", agency_code=DEPARTMENT
    )
    make_online_procedure(session, code="1.000444.H20", agency_code=COMMUNE, retired_at=utcnow())
    make_account(session, "xa", COMMUNE)
    assert sign_in(client, "xa").status_code == 303
    page = client.get(CHOOSE)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    links = elements(page.text).all("a", data_procedure_code="")
    assert {a["data-procedure-code"]: a["href"] for a in links} == {
        ONLINE_PROCEDURE: PATH,
        "1.000222.H20": f"{CHOOSE}/1.000222.H20",
    }  # not the department's procedure (outside the commune's subtree), nor a retired one
    assert 'data-level="2"' in page.text
    searched = client.get(CHOOSE, params={"q": "chung thuc"})
    codes = [
        a["data-procedure-code"] for a in elements(searched.text).all("a", data_procedure_code="")
    ]
    assert codes == ["1.000222.H20"]
    refused = client.get(CHOOSE, params={"q": "?!"})
    control = elements(refused.text).all("input", name="q")[0]
    assert control["aria-invalid"] == "true" and "q-error" in control["aria-describedby"]


def test_the_form_is_the_public_forms_with_the_channel_and_the_documents_rule(
    signed_in: TestClient,
) -> None:
    page = signed_in.get(PATH)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    shown = elements(page.text)
    inputs = [a for tag in ("input", "select", "textarea") for a in shown.all(tag)]
    # The page's form, after the navigation's sign-out form: the CSRF field first, the key
    # second.
    names = [a.get("name") for a in inputs]
    assert names[:3] == ["csrf_token", "csrf_token", "idempotency_key"]
    assert inputs[0]["value"] == inputs[1]["value"] and len(inputs[2]["value"]) == 36
    labels = {a["for"] for a in shown.all("label", **{"for": ""})}
    channels = shown.all("input", name="channel")
    assert [c["value"] for c in channels] == ["counter", "postal"]
    assert all(c["id"] in labels and c["type"] == "radio" for c in channels)
    assert "checked" in channels[0]
    agency = shown.all("select", name="agency_code")[0]
    assert agency["id"] in labels
    options = [o["value"] for o in shown.all("option") if o.get("value", "").startswith("000.")]
    assert options == [PROVINCE, COMMUNE]
    assert "selected" in shown.all("option", value=PROVINCE)[0]  # the officer's own agency
    files = {a["name"]: a for a in shown.all("input", type="file")}
    assert set(files) == {"to_khai", "anh"} and "required" in files["to_khai"]
    assert "phải có bản điện tử" in shown.plain_text()  # the API's rule for desk dossiers
    assert shown.all("button", data_action="register")
    english = signed_in.get(PATH, params={"lang": "en"})
    assert "Register the dossier" in english.text and "register_" not in english.text


@pytest.mark.parametrize("channel", ["counter", "postal"])
def test_a_registration_makes_one_accepted_dossier_with_its_channel_and_officer(
    signed_in: TestClient, session: Session, channel: str
) -> None:
    before = utcnow()
    page = signed_in.get(PATH)
    answer = post(signed_in, page, page_fields(channel=channel))
    assert answer.status_code == 303, answer.text
    target = answer.headers["location"]
    assert "token" not in target and target.startswith(PATH + "/bien-nhan/")
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=3600" in cookie
    assert f"path={target.lower()}" in cookie
    assert count(session, Dossier) == 1 and count(session, DossierFile) == 1
    dossier = session.scalars(select(Dossier)).one()
    assert (dossier.channel, dossier.status, dossier.agency_code) == (channel, "accepted", PROVINCE)
    # Received at once, as the API does for desk dossiers: received, with its deadline.
    assert dossier.received_at == dossier.submitted_at and dossier.submitted_at >= before
    assert dossier.due_at is not None and dossier.due_at > dossier.received_at
    assert dossier.form == FORM and dossier.applicant["full_name"] == APPLICANT["full_name"]
    (event,) = session.scalars(select(DossierEvent)).all()
    assert (event.action, event.actor, event.to_status) == ("register", "officer:lan", "accepted")
    assert target.endswith("/" + dossier.code)


def test_the_desk_receipt_has_mau_01s_items_and_signatures(
    signed_in: TestClient, session: Session
) -> None:
    page = signed_in.get(PATH)
    receipt = signed_in.get(post(signed_in, page, page_fields()).headers["location"])
    assert receipt.status_code == 200 and receipt.headers["cache-control"] == "no-store"
    dossier = session.scalars(select(Dossier)).one()
    shown = elements(receipt.text)
    assert shown.all("strong", data_dossier_code=dossier.code)
    (due,) = re.findall(r'data-due-at="([^"]*)"', receipt.text)
    assert datetime.fromisoformat(due) == dossier.due_at
    assert shown.all("svg") and "data-qr" in receipt.text
    (link,) = shown.all("a", data_private_link="")
    assert re.fullmatch(
        rf"http://testserver/ho-so/{re.escape(dossier.code)}\?token=\S+", link["href"]
    )
    assert shown.all("span", data_officer="lan")  # the officers' layout
    text = shown.plain_text()
    items = [
        f"Tiếp nhận hồ sơ của: {APPLICANT['full_name']}",
        f"Địa chỉ: {APPLICANT['address']}",
        "Nội dung yêu cầu giải quyết:",
        "1. Thành phần hồ sơ nộp gồm:",
        "Tờ khai đăng ký khai sinh Bản điện tử (số hoá) 1",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 5 ngày làm việc",
        "4. Thời gian nhận hồ sơ:",
        "5. Thời gian trả kết quả giải quyết hồ sơ:",
        "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên)",
        f"NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) {OFFICER_NAME}",
        "Đường dẫn riêng",
    ]
    at = [text.find(item) for item in items]
    assert -1 not in at and at == sorted(at), list(zip(items, at, strict=True))
    assert "dự kiến" not in text  # the appointment is set at registration, not expected
    # The private link opens the applicant's page, as on the public receipt.
    opened = TestClient(signed_in.app).get(link["href"])
    assert opened.status_code == 200 and dossier.code in opened.text


def test_a_procedure_without_a_form_is_registered_at_any_level(
    signed_in: TestClient, session: Session
) -> None:
    code = "1.000222.H20"
    documents = [{**ONLINE_DOCUMENTS[0], "name": "Đơn đề nghị chứng thực"}]
    make_online_procedure(
        session, code=code, level=2, form_schema=None, required_documents=documents
    )
    page = signed_in.get(f"{CHOOSE}/{code}")
    assert page.status_code == 200
    assert not elements(page.text).all("input", name="form.ho_ten")  # no form schema, no form
    fields = {k: v for k, v in page_fields().items() if not k.startswith("form.")}
    answer = post(signed_in, page, fields, path=f"{CHOOSE}/{code}")
    assert answer.status_code == 303, answer.text
    dossier = session.scalars(select(Dossier)).one()
    assert (dossier.procedure_code, dossier.level_at_receipt, dossier.form) == (code, 2, {})
    assert dossier.status == "accepted"


def test_a_refusal_is_the_apis_with_the_same_messages_next_to_their_fields(
    signed_in: TestClient, session: Session, settings: Settings, auth_as: AuthAs
) -> None:
    bad_form = {"ho_ten": "Trần Minh Khôi", "ngay_sinh": "20/11/2026", "so_con": 0}
    api = signed_in.post(
        "/api/v1/officer/dossiers",
        data={
            "procedure_code": ONLINE_PROCEDURE,
            "channel": "counter",
            "agency_code": PROVINCE,
            "applicant": json.dumps({**APPLICANT, "phone": "12345", "id_number": "012345678"}),
            "form": json.dumps(bad_form),
        },
        files=[PDF],
        headers=auth_as("lan"),
    )
    assert api.status_code == 422
    expected = api.json()["error"]
    assert len(expected["details"]) >= 2, "nothing to compare"
    page = signed_in.get(PATH)
    wrong = {"applicant.individual.phone": "12345", "applicant.individual.id_number": "012345678"}
    fields = page_fields(bad_form, **wrong)
    answer = post(signed_in, page, fields)
    assert answer.status_code == 422
    shown = elements(answer.text)
    assert expected["message"] in shown.plain_text()
    for item in expected["details"]:
        loc = item["loc"]
        name = ".".join(["applicant.individual", *loc[1:]] if loc[0] == "applicant" else loc)
        control = shown.all("input", name=name)[0]
        assert control["aria-invalid"] == "true"
        error_id = control["id"] + "-error"
        assert item["msg"] in answer.text.split(f'id="{error_id}"', 1)[1][:400]
        assert len(shown.all("a", href="#" + control["id"])) == 1  # in the summary, once
    # The values are kept, the files are not; nothing is stored.
    assert shown.all("input", name="form.ho_ten")[0]["value"] == bad_form["ho_ten"]
    assert shown.all("input", name="channel", value="counter")[0].get("checked") is not None
    assert shown.all("p", data_files_again="") and "chọn lại tệp" in shown.plain_text()
    assert nothing_stored(session, settings)


def test_a_file_of_the_wrong_type_and_a_missing_document_are_refused_next_to_their_input(
    signed_in: TestClient, session: Session, settings: Settings
) -> None:
    page = signed_in.get(PATH)
    wrong = ("to_khai", ("to-khai.pdf", PNG_BYTES, "application/pdf"))
    typed = post(signed_in, page, page_fields(), files=[wrong])
    assert typed.status_code == 415
    bad = elements(typed.text).all("input", name="to_khai")[0]
    assert bad["aria-invalid"] == "true"
    assert "chỉ nhận tệp PDF" in typed.text.split(f'id="{bad["id"]}-error"', 1)[1][:200]
    # Required documents are not taken on paper alone (the API's missing_document).
    missing = post(signed_in, page, page_fields(), files=[NO_FILE])
    assert missing.status_code == 422
    control = elements(missing.text).all("input", name="to_khai")[0]
    assert control["aria-invalid"] == "true"
    after = missing.text.split(f'id="{control["id"]}-error"', 1)[1][:200]
    assert "thiếu: Tờ khai đăng ký khai sinh" in after
    assert nothing_stored(session, settings)


def test_a_channel_the_api_refuses_is_shown_next_to_the_channel(
    signed_in: TestClient, session: Session, settings: Settings
) -> None:
    page = signed_in.get(PATH)
    answer = post(signed_in, page, page_fields(channel="online"))
    assert answer.status_code == 422
    shown = elements(answer.text)
    radio = shown.all("input", name="channel")[0]
    assert radio["aria-invalid"] == "true" and radio["aria-describedby"] == "channel-error"
    assert "phải là counter" in answer.text.split('id="channel-error"', 1)[1][:300]
    assert shown.all("a", href="#channel-0")
    assert nothing_stored(session, settings)


def test_an_agency_outside_the_officers_subtree_is_the_apis_refusal(
    client: TestClient, session: Session, settings: Settings, province: Agency
) -> None:
    make_account(session, "xa", COMMUNE)
    assert sign_in(client, "xa").status_code == 303
    page = client.get(PATH)
    # Only the agencies in reach are offered: the commune's own.
    options = [o["value"] for o in elements(page.text).all("option") if o.get("value")]
    assert options == [COMMUNE]
    api = client.post(
        "/api/v1/officer/dossiers",
        data={
            "procedure_code": ONLINE_PROCEDURE,
            "channel": "counter",
            "agency_code": PROVINCE,
            "applicant": json.dumps(APPLICANT),
            "form": json.dumps(FORM),
        },
        files=[PDF],
        headers={"Authorization": _token(client, "xa")},
    )
    assert api.status_code == 403 and api.json()["error"]["code"] == "other_agency"
    answer = post(client, page, page_fields(agency_code=PROVINCE))  # a forged choice
    assert answer.status_code == 403
    assert api.json()["error"]["message"] in elements(answer.text).plain_text()
    assert elements(answer.text).all("input", name="form.ho_ten")[0]["value"] == FORM["ho_ten"]
    assert nothing_stored(session, settings)
    # A procedure the subtree does not offer at all: the API's 403, as a page.
    make_online_procedure(session, code="1.000444.H20", agency_code=DEPARTMENT)
    assert client.get(f"{CHOOSE}/1.000444.H20").status_code == 403


def _token(client: TestClient, username: str) -> str:
    answer = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return f"Bearer {answer.json()['access_token']}"


def test_a_retired_or_unknown_procedure_is_the_apis_answer(
    signed_in: TestClient, session: Session
) -> None:
    make_online_procedure(session, code="1.000555.H20", retired_at=utcnow())
    assert signed_in.get(f"{CHOOSE}/1.000555.H20").status_code == 409
    assert signed_in.get(f"{CHOOSE}/khong-co").status_code == 404


def test_the_same_idempotency_key_replays_the_first_dossier(
    signed_in: TestClient, session: Session
) -> None:
    page = signed_in.get(PATH)
    first = post(signed_in, page, page_fields())
    again = post(signed_in, page, page_fields())
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert count(session, Dossier) == 1 and count(session, DossierFile) == 1
    # The same key with other content: the API's 409, shown on the form with a new key.
    other = post(signed_in, page, page_fields(channel="postal"))
    assert other.status_code == 409
    assert "đã được dùng cho một hồ sơ khác" in elements(other.text).plain_text()
    assert hidden(other, "idempotency_key") != hidden(page, "idempotency_key")
    assert count(session, Dossier) == 1


def test_without_the_csrf_field_nothing_is_stored(
    signed_in: TestClient, session: Session, settings: Settings
) -> None:
    signed_in.get(PATH)
    answer = signed_in.post(PATH, data=page_fields(), files=[PDF], follow_redirects=False)
    assert answer.status_code == 403
    assert nothing_stored(session, settings)
    forged = signed_in.post(
        PATH, data={"csrf_token": "0" * 64, **page_fields()}, files=[PDF], follow_redirects=False
    )
    assert forged.status_code == 403 and nothing_stored(session, settings)


def test_only_the_officer_who_registered_sees_the_receipt(
    signed_in: TestClient, session: Session
) -> None:
    page = signed_in.get(PATH)
    target = post(signed_in, page, page_fields()).headers["location"]
    assert signed_in.get(target).status_code == 200
    # Another officer of the same agency, in the same browser (the receipt cookie still
    # there): refused.
    make_account(session, "mai", PROVINCE)
    field = hidden(signed_in.get(CHOOSE), "csrf_token")
    signed_out = signed_in.post("/can-bo/dang-xuat", data={"csrf_token": field})
    assert signed_out.status_code == 200  # the sign-in form again
    assert sign_in(signed_in, "mai").status_code == 303
    refused = signed_in.get(target)
    assert refused.status_code == 403 and "cán bộ đã tiếp nhận" in refused.text
    assert "data-private-link" not in refused.text
    # The officer who registered it, in another browser (no receipt cookie): refused too.
    elsewhere = TestClient(signed_in.app)
    assert sign_in(elsewhere).status_code == 303
    gone = elsewhere.get(target)
    assert gone.status_code == 401 and "data-private-link" not in gone.text
    # An online dossier has no desk receipt.
    assert signed_in.get(target.rsplit("/", 1)[0] + "/khong-co").status_code == 404
