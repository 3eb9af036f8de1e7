"""The submission form `/thu-tuc/{code}/nop-ho-so` and its receipt: the API's submission behind
a page (docs/API.md, Web pages), with the API's rules and messages and nothing stored on a
refusal."""

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import segno
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from app.config import Settings
from app.models import Dossier, DossierFile
from app.models.applicant import national_phone
from app.models.types import VN_TZ
from app.web.receipts import qr_svg
from tests.factories import (
    APPLICANT,
    FORM,
    ONLINE_PROCEDURE,
    PDF_BYTES,
    PNG_BYTES,
    make_agency,
    make_online_procedure,
)
from tests.web.html import elements

PATH = f"/thu-tuc/{ONLINE_PROCEDURE}/nop-ho-so"
PDF = ("to_khai", ("to-khai.pdf", PDF_BYTES, "application/pdf"))


@pytest.fixture
def procedure(session: Session) -> None:
    make_online_procedure(session)


def hidden(page: httpx.Response, name: str) -> str:
    found = elements(page.text).all("input", name=name)
    assert found, f"no {name} field"
    return found[0]["value"]


def page_fields(form: dict[str, Any] | None = None) -> dict[str, str]:
    """What a person types: the applicant's block and the generated form's fields."""
    values = {"applicant_kind": "individual"}
    values |= {f"applicant.individual.{k}": v for k, v in APPLICANT.items()}
    values |= {f"form.{k}": str(v) for k, v in (form or FORM).items()}
    return values


def post(
    client: TestClient,
    page: httpx.Response,
    fields: dict[str, str],
    files: list[Any] | None = None,
    **changes: str,
) -> httpx.Response:
    data = {
        "csrf_token": hidden(page, "csrf_token"),
        "idempotency_key": hidden(page, "idempotency_key"),
    }
    data |= fields | changes
    answer: httpx.Response = client.post(
        PATH, data=data, files=files if files is not None else [PDF], follow_redirects=False
    )
    return answer


def count(session: Session, table: Any) -> int:
    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(table)) or 0)


def stored_files(settings: Settings) -> list[Path]:
    root = Path(settings.storage_url)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_form_has_a_labelled_control_per_field_and_a_file_input_per_document(
    client: TestClient, procedure: None
) -> None:
    page = client.get(PATH)
    assert page.status_code == 200
    shown = elements(page.text)
    inputs = [a for tag in ("input", "select", "textarea") for a in shown.all(tag)]
    assert inputs[0]["name"] == "csrf_token"  # first: read before any file
    assert inputs[1]["name"] == "idempotency_key" and len(inputs[1]["value"]) == 36
    labels = {a["for"] for a in shown.all("label", **{"for": ""})}
    for name in ("form.ho_ten", "form.ngay_sinh", "form.so_con", "applicant.individual.phone"):
        control = [a for a in inputs if a.get("name") == name]
        assert control and control[0]["id"] in labels, name
    assert next(a for a in inputs if a["name"] == "form.ngay_sinh")["type"] == "date"
    files = {a["name"]: a for a in shown.all("input", type="file")}
    assert set(files) == {"to_khai", "anh"}
    assert "application/pdf" in files["to_khai"]["accept"]
    assert "image/png" in files["anh"]["accept"] and "required" in files["to_khai"]
    assert all(f["id"] in labels for f in files.values())
    # A new key each time the page is drawn.
    assert hidden(client.get(PATH), "idempotency_key") != inputs[1]["value"]


def test_unknown_and_paper_only_procedures(client: TestClient, session: Session) -> None:
    make_online_procedure(session, code="1.000222.H20", level=2, form_schema=None)
    assert client.get("/thu-tuc/khong-co/nop-ho-so").status_code == 404
    paper = client.get("/thu-tuc/1.000222.H20/nop-ho-so")
    assert paper.status_code == 409  # the API's procedure_not_online
    assert "không tiếp nhận hồ sơ trực tuyến" in paper.text


def test_a_valid_submission_makes_one_dossier_and_a_receipt_with_its_hooks(
    client: TestClient, session: Session, procedure: None
) -> None:
    page = client.get(PATH)
    answer = post(client, page, page_fields())
    assert answer.status_code == 303, answer.text
    target = answer.headers["location"]
    assert "token" not in target and target.startswith(PATH + "/bien-nhan/")
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=3600" in cookie
    assert count(session, Dossier) == 1 and count(session, DossierFile) == 1
    dossier = session.scalars(select(Dossier)).one()
    assert dossier.form == FORM and dossier.applicant["full_name"] == APPLICANT["full_name"]
    receipt = client.get(target)
    assert receipt.status_code == 200
    shown = elements(receipt.text)
    assert shown.all("strong", data_dossier_code=dossier.code)
    due = re.findall(r'data-due-at="([^"]*)"', receipt.text)
    assert len(due) == 1  # ISO 8601, written as mẫu số 01 writes times, in Vietnam time
    assert datetime.fromisoformat(due[0]).utcoffset() is not None
    at = datetime.fromisoformat(due[0]).astimezone(VN_TZ)
    written = at.strftime("%H giờ %M phút, ngày %d tháng %m năm %Y")
    assert f"5. Thời gian trả kết quả giải quyết hồ sơ: {written}" in shown.plain_text()
    tracking_url = f"http://testserver/tra-cuu/{dossier.code}"
    qr = receipt.text.split("data-qr>", 1)[1].split("<figcaption>", 1)[0].strip()
    assert qr.startswith("<svg") and qr == qr_svg(tracking_url)
    assert qr == segno.make(tracking_url, error="m").svg_inline(scale=4, title=tracking_url)
    links = shown.all("a", data_private_link="")
    assert len(links) == 1
    text = shown.plain_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Giữ bí mật".lower() in text.lower()
    assert "Tờ khai đăng ký khai sinh" in text
    # Mẫu số 01's items, in its order, with the applicant's own address and contacts.
    items = [
        f"Tiếp nhận hồ sơ của: {APPLICANT['full_name']}",
        f"Địa chỉ: {APPLICANT['address']}",
        f"Số điện thoại: 0912 345 678 – Email: {APPLICANT['email']}",
        "Nội dung yêu cầu giải quyết:",
        "1. Thành phần hồ sơ nộp gồm:",
        "Bản điện tử",
        "Số lượng hồ sơ: 01 (bộ)",
        "Thời gian giải quyết hồ sơ theo quy định là:",
        "Thời gian nhận hồ sơ:",
        "Thời gian trả kết quả giải quyết hồ sơ:",
    ]
    at_ = [text.find(item) for item in items]
    assert -1 not in at_ and at_ == sorted(at_), list(zip(items, at_, strict=True))
    fresh = TestClient(client.app)
    opened = fresh.get(links[0]["href"])
    assert opened.status_code == 200 and dossier.code in opened.text
    # Another browser (no receipt cookie) sees no receipt.
    assert fresh.get(target).status_code == 401


def test_the_same_idempotency_key_twice_makes_one_dossier(
    client: TestClient, session: Session, procedure: None
) -> None:
    page = client.get(PATH)
    first = post(client, page, page_fields())
    again = post(client, page, page_fields())
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert count(session, Dossier) == 1 and count(session, DossierFile) == 1


def test_a_wrong_file_type_shows_the_error_next_to_its_input_and_stores_nothing(
    client: TestClient, session: Session, settings: Settings, procedure: None
) -> None:
    page = client.get(PATH)
    wrong = ("to_khai", ("to-khai.pdf", PNG_BYTES, "application/pdf"))
    answer = post(client, page, page_fields(), files=[wrong])
    assert answer.status_code == 415
    shown = elements(answer.text)
    bad = shown.all("input", name="to_khai")[0]
    assert bad["aria-invalid"] == "true"
    error_id = bad["id"] + "-error"
    assert error_id in bad["aria-describedby"].split()
    assert "chỉ nhận tệp PDF" in answer.text.split(f'id="{error_id}"', 1)[1][:200]
    assert shown.all("input", name="form.ho_ten")[0]["value"] == FORM["ho_ten"]  # kept
    assert "chọn lại tệp" in shown.plain_text()
    assert shown.all("a", href="#" + bad["id"])  # the summary links to the input
    assert count(session, Dossier) == 0 and count(session, DossierFile) == 0
    assert stored_files(settings) == []


def test_a_form_the_api_rejects_is_rejected_the_same_way_through_the_page(
    client: TestClient, session: Session, procedure: None
) -> None:
    bad_form = {"ho_ten": "Trần Minh Khôi", "ngay_sinh": "2026-11-20", "so_con": 0}
    bad_applicant = {**APPLICANT, "phone": "12345"}
    api = client.post(
        "/api/v1/dossiers",
        data={
            "procedure_code": ONLINE_PROCEDURE,
            "applicant": json.dumps(bad_applicant),
            "form": json.dumps(bad_form),
        },
        files=[PDF],
    )
    assert api.status_code == 422
    expected = api.json()["error"]
    assert expected["details"], "nothing to compare"
    page = client.get(PATH)
    fields = page_fields(bad_form) | {"applicant.individual.phone": "12345"}
    answer = post(client, page, fields)
    assert answer.status_code == 422
    assert expected["message"] in elements(answer.text).plain_text()
    for item in expected["details"]:
        # Each of the API's messages, next to the field its loc names.
        loc = item["loc"]
        name = ".".join(["applicant.individual", *loc[1:]] if loc[0] == "applicant" else loc)
        control = elements(answer.text).all("input", name=name)[0]
        assert control["aria-invalid"] == "true"
        error_id = control["id"] + "-error"
        assert item["msg"] in answer.text.split(f'id="{error_id}"', 1)[1][:400]
        summary = elements(answer.text).all("a", href="#" + control["id"])
        assert len(summary) == 1  # in the error summary at the top, once
        assert answer.text.count(item["msg"]) == 2  # the summary and the field, no more
    assert count(session, Dossier) == 0


def summary_links(page: httpx.Response) -> dict[str, str]:
    """The error summary's links: the id each goes to, and its text."""
    summary = page.text.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    return dict(re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary))


def test_the_error_summary_names_the_field_of_each_message(
    client: TestClient, procedure: None
) -> None:
    # The applicant's messages say what is wrong, not where ("bắt buộc"): next to the field
    # that is enough, but at the top of the page two links reading "bắt buộc" say nothing.
    page = client.get(PATH)
    fields = page_fields() | {
        "applicant.individual.full_name": "",
        "applicant.individual.phone": "",
    }
    answer = post(client, page, fields)
    assert answer.status_code == 422
    links = summary_links(answer)
    assert links["f-applicant-individual-full_name"] == "Họ và tên: bắt buộc"
    assert links["f-applicant-individual-phone"] == "Số điện thoại: bắt buộc"
    assert "bắt buộc" in answer.text.split('id="f-applicant-individual-phone-error"', 1)[1][:200]


def test_without_the_csrf_field_the_post_is_refused_and_nothing_is_stored(
    client: TestClient, session: Session, settings: Settings, procedure: None
) -> None:
    client.get(PATH)  # the cookie
    answer = client.post(PATH, data=page_fields(), files=[PDF])
    assert answer.status_code == 403
    assert count(session, Dossier) == 0 and stored_files(settings) == []


def test_the_agency_is_required_when_several_offer_the_procedure(
    client: TestClient, session: Session
) -> None:
    province = make_agency(session)
    commune = make_agency(
        session, "000.31.00.H20", "Ủy ban nhân dân xã Minh Tân", "commune", province
    )
    make_online_procedure(session, also_offered_by=[commune])
    page = client.get(PATH)
    select_ = elements(page.text).all("select", name="agency_code")
    assert select_ and select_[0]["id"] in {
        a["for"] for a in elements(page.text).all("label", **{"for": ""})
    }
    answer = post(client, page, page_fields())
    assert answer.status_code == 422
    control = elements(answer.text).all("select", name="agency_code")[0]
    assert control["aria-invalid"] == "true" and control["aria-describedby"] == "agency-error"
    assert "bắt buộc: một trong" in answer.text.split('id="agency-error"', 1)[1][:300]
    assert summary_links(answer)["agency"].startswith("Cơ quan tiếp nhận hồ sơ: bắt buộc")
    assert count(session, Dossier) == 0
    chosen = post(client, page, page_fields(), agency_code="000.31.00.H20")
    assert chosen.status_code == 303
    assert session.scalars(select(Dossier)).one().agency_code == "000.31.00.H20"


def test_add_row_buttons_re_render_without_submitting(client: TestClient, session: Session) -> None:
    schema = {
        "type": "object",
        "properties": {
            "con": {
                "type": "array",
                "title": "Các con",
                "items": {"type": "string", "title": "Tên"},
            }
        },
    }
    make_online_procedure(session, form_schema=schema)
    page = client.get(PATH)
    answer = post(client, page, {"form.con.0": "An"}, _add="form.con")
    assert answer.status_code == 200
    rows = elements(answer.text).all("input", name="form.con.1")
    assert rows and elements(answer.text).all("input", name="form.con.0")[0]["value"] == "An"
    assert count(session, Dossier) == 0


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+84912345678", "0912 345 678"),
        ("+842193861234", "0219 3861 234"),
        ("+33612345678", "+33 6 12 34 56 78"),
        ("09l2 345", "09l2 345"),  # stored as typed before numbers were normalised
        ("", ""),
    ],
)
def test_the_receipt_writes_a_phone_number_as_people_do(stored: str, shown: str) -> None:
    assert national_phone(stored) == shown
