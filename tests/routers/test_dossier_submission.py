"""POST /api/v1/dossiers: what lands, and that every refusal leaves no trace."""

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models import Agency, Dossier, DossierEvent, DossierFile, DossierSequence, ProcedureField
from app.models.types import VN_TZ, utcnow
from tests.dossier_helpers import snapshot, stored_files, submit
from tests.factories import (
    APPLICANT,
    FORM,
    FORM_SCHEMA,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    make_online_procedure,
    make_procedure,
)

CODE_RE = re.compile(r"^000\.00\.00\.H20-\d{6}-\d{4}$")


@pytest.fixture
def storage_root(settings: Settings) -> Path:
    return Path(settings.storage_url)


@pytest.fixture(autouse=True)
def procedure(session: Session) -> None:
    make_online_procedure(session)


def today_code(number: int) -> str:
    return f"000.00.00.H20-{datetime.now(VN_TZ):%y%m%d}-{number:04d}"


def test_submission_creates_the_dossier_its_files_and_first_event(
    client: TestClient, session: Session, storage_root: Path
) -> None:
    response = submit(client)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["code"] == today_code(1)
    assert response.headers["location"] == f"/api/v1/dossiers/{body['code']}"
    assert body["status"] == "new" and body["channel"] == "online"
    assert body["procedure_code"] == "1.001193.H20"
    assert body["agency_code"] == "000.00.00.H20"
    assert len(body["access_token"]) >= 43  # 256 bits, base64url

    dossier = session.scalars(select(Dossier)).one()
    assert dossier.applicant["full_name"] == APPLICANT["full_name"]
    assert dossier.form == FORM
    assert body["access_token"] not in str(dossier.model_dump())  # stored only as a hash
    stored = session.scalars(select(DossierFile)).one()
    assert stored.key == "to_khai" and stored.filename == "Tờ khai khai sinh.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF_BYTES)
    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    files = stored_files(storage_root)
    assert len(files) == 1 and "khai" not in files[0]  # server-generated name
    assert (storage_root / files[0]).read_bytes() == PDF_BYTES
    event = session.scalars(select(DossierEvent)).one()
    assert (event.from_status, event.to_status, event.action) == (None, "new", "submit")


def test_codes_count_up_per_agency_and_day(client: TestClient) -> None:
    codes = [submit(client).json()["code"] for _ in range(3)]
    assert codes == [today_code(1), today_code(2), today_code(3)]


def test_file_type_is_read_from_the_content_not_the_name(
    client: TestClient, session: Session
) -> None:
    disguised = [("to_khai", ("scan.exe", PDF_BYTES, "application/octet-stream"))]
    assert submit(client, files=disguised).status_code == 201
    assert session.scalars(select(DossierFile)).one().content_type == "application/pdf"


def test_several_files_per_component_and_optional_ones(
    client: TestClient, session: Session
) -> None:
    files = [
        ("to_khai", ("trang-1.pdf", PDF_BYTES, "application/pdf")),
        ("to_khai", ("trang-2.pdf", PDF_BYTES + b"2", "application/pdf")),
        ("anh", ("anh.jpg", JPEG_BYTES, "image/jpeg")),
    ]
    assert submit(client, files=files).status_code == 201
    rows = session.scalars(select(DossierFile)).all()
    assert sorted((r.key, r.content_type) for r in rows) == [
        ("anh", "image/jpeg"),
        ("to_khai", "application/pdf"),
        ("to_khai", "application/pdf"),
    ]


def test_an_empty_file_input_counts_as_no_file(client: TestClient, session: Session) -> None:
    # What a browser sends for a file input left empty: filename="" and no bytes.
    def part(disposition: str, body: bytes, kind: str = "") -> bytes:
        head = f"--B\r\nContent-Disposition: form-data; {disposition}\r\n{kind}\r\n"
        return head.encode() + body + b"\r\n"

    body = b"".join(
        [
            part('name="procedure_code"', b"1.001193.H20"),
            part('name="applicant"', json.dumps(APPLICANT).encode()),
            part('name="form"', json.dumps(FORM).encode()),
            part(
                'name="to_khai"; filename="a.pdf"', PDF_BYTES, "Content-Type: application/pdf\r\n"
            ),
            part('name="anh"; filename=""', b"", "Content-Type: application/octet-stream\r\n"),
            b"--B--\r\n",
        ]
    )
    response = client.post(
        "/api/v1/dossiers",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=B"},
    )
    assert response.status_code == 201, response.text
    assert [r.key for r in session.scalars(select(DossierFile))] == ["to_khai"]


def test_an_empty_file_says_so_in_vietnamese(client: TestClient) -> None:
    files = [("to_khai", ("scan-01.pdf", b"", "application/pdf"))]
    error = submit(client, files=files).json()["error"]
    assert error["code"] == "empty_file"
    # The file as the citizen chose it, the document as the procedure names it; never its key.
    assert error["message"] == (
        "Tệp “scan-01.pdf” nộp cho “Tờ khai đăng ký khai sinh” là tệp rỗng (0 byte): "
        "hãy chọn lại tệp."
    )
    assert error["details"] == [{"loc": ["files", "to_khai"], "msg": "tệp rỗng"}]


# ---------------------------------------------------------------------------------------------
# Refusals: each with its code, each leaving the database and the storage folder unchanged.

BIG_PDF = PDF_BYTES + b"0" * (1024 * 1024 + 10)
Case = tuple[int, str, dict[str, Any]]
REFUSALS: dict[str, Case] = {
    "unknown procedure": (404, "procedure_not_found", {"procedure_code": "9.999999"}),
    "level 2 procedure": (409, "procedure_not_online", {"procedure_code": "1.000002"}),
    "retired procedure": (409, "procedure_not_online", {"procedure_code": "1.000003"}),
    "no procedure code": (422, "missing_field", {"procedure_code": None}),
    "no applicant": (422, "invalid_applicant", {"applicant": None}),
    "applicant not JSON": (422, "invalid_applicant", {"applicant": "{name"}),
    "bad id number": (422, "invalid_applicant", {"applicant": {**APPLICANT, "id_number": "12"}}),
    "bad phone": (422, "invalid_applicant", {"applicant": {**APPLICANT, "phone": "12345"}}),
    "bad email": (422, "invalid_applicant", {"applicant": {**APPLICANT, "email": "a@b"}}),
    "no form": (422, "invalid_form", {"form": None}),
    "form not an object": (422, "invalid_form", {"form": [1, 2]}),
    "form invalid": (422, "invalid_form", {"form": {"ho_ten": "", "ngay_sinh": "20/11/2026"}}),
    "required document missing": (
        422,
        "missing_document",
        {"files": [("anh", ("anh.png", PNG_BYTES, "image/png"))]},
    ),
    "unknown file part": (
        422,
        "unknown_part",
        {
            "files": [
                ("to_khai", ("a.pdf", PDF_BYTES, "application/pdf")),
                ("x", ("b.pdf", PDF_BYTES, "application/pdf")),
            ]
        },
    ),
    "unknown text part": (422, "unknown_part", {"extra": {"ghi_chu": "xin chào"}}),
    # A named file with no bytes is an empty file, not a missing document.
    "empty required file": (
        422,
        "empty_file",
        {"files": [("to_khai", ("to-khai.pdf", b"", "application/pdf"))]},
    ),
    "empty optional file": (
        422,
        "empty_file",
        {
            "files": [
                ("to_khai", ("a.pdf", PDF_BYTES, "application/pdf")),
                ("anh", ("anh.jpg", b"", "image/jpeg")),
            ]
        },
    ),
    "wrong content": (
        415,
        "file_type_not_accepted",
        {"files": [("to_khai", ("to-khai.pdf", PNG_BYTES, "application/pdf"))]},
    ),
    "unrecognisable content": (
        415,
        "file_type_not_accepted",
        {"files": [("to_khai", ("to-khai.pdf", b"just text", "application/pdf"))]},
    ),
    "file above the document's limit": (
        413,
        "file_too_large",
        {
            "files": [
                ("to_khai", ("a.pdf", PDF_BYTES, "application/pdf")),
                ("anh", ("a.png", PNG_BYTES + b"0" * (1024 * 1024), "image/png")),
            ]
        },
    ),
    "file above MAX_FILE_MB": (
        413,
        "file_too_large",
        {
            "files": [
                ("to_khai", ("a.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024), "application/pdf"))
            ]
        },
    ),
    "request above MAX_REQUEST_MB": (
        413,
        "request_too_large",
        {"files": [("to_khai", ("a.pdf", BIG_PDF, "application/pdf"))] * 3},
    ),
}


@pytest.fixture
def small_limits_client(settings: Settings, engine: Engine) -> Any:
    small = settings.model_copy(update={"max_file_mb": 2, "max_request_mb": 3})
    with TestClient(create_app(small, engine)) as test_client:
        yield test_client


@pytest.mark.parametrize("case", list(REFUSALS), ids=list(REFUSALS))
def test_refusals_have_their_code_and_leave_no_trace(
    case: str,
    small_limits_client: TestClient,
    session: Session,
    engine: Engine,
    storage_root: Path,
) -> None:
    _extra_procedures(session)
    submit(small_limits_client)  # one dossier already there: refusals must not touch it
    before = snapshot(engine, storage_root)
    status, code, kwargs = REFUSALS[case]
    response = submit(small_limits_client, **kwargs)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    assert snapshot(engine, storage_root) == before
    # ...and the next accepted dossier takes the very next number.
    assert submit(small_limits_client).json()["code"] == today_code(2)


def _extra_procedures(session: Session) -> None:
    agency = session.get_one(Agency, "000.00.00.H20")
    field = session.get_one(ProcedureField, "G01")
    make_procedure(session, agency, field, code="1.000002", level=2)
    make_procedure(session, agency, field, code="1.000003", level=3, retired_at=utcnow())


def test_form_errors_name_every_failing_field_in_vietnamese(client: TestClient) -> None:
    form = {"ho_ten": "", "ngay_sinh": "20/11/2026", "so_con": 0, "la": 1}
    response = submit(client, form=form)
    details = response.json()["error"]["details"]
    by_loc = {tuple(d["loc"]): d["msg"] for d in details}
    assert set(by_loc) == {
        ("form", "ho_ten"),
        ("form", "ngay_sinh"),
        ("form", "so_con"),
        ("form", "la"),
    }
    assert by_loc[("form", "ngay_sinh")] == "Ngày sinh: phải có dạng YYYY-MM-DD (ví dụ 2025-03-14)"
    assert by_loc[("form", "ho_ten")].startswith("Họ và tên người được khai sinh")
    missing = submit(client, form={}).json()["error"]["details"]
    assert [d["loc"] for d in missing] == [["form", "ho_ten"], ["form", "ngay_sinh"]]


def test_a_form_phone_is_read_as_people_write_it(client: TestClient, session: Session) -> None:
    """A form's phone field (`"format": "phone"`, as the sample's forms have) takes the
    numbers the applicant's phone takes, and a wrong one is told the expected format."""
    agency = session.get_one(Agency, "000.00.00.H20")
    field = session.get_one(ProcedureField, "G01")
    phone = {"type": "string", "title": "Số điện thoại liên hệ", "format": "phone"}
    schema = {**FORM_SCHEMA, "properties": {**FORM_SCHEMA["properties"], "so_dien_thoai": phone}}
    make_procedure(session, agency, field, code="1.000004", form_schema=schema)
    session.commit()
    for number in ("0912 345 678", "0912.345.678", "+84 912 345 678"):
        form = {"ho_ten": "Lò Văn Páo", "so_dien_thoai": number}
        assert submit(client, procedure_code="1.000004", form=form).status_code == 201, number
    bad = {"ho_ten": "Lò Văn Páo", "so_dien_thoai": "0912 345"}
    response = submit(client, procedure_code="1.000004", form=bad)
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert detail["loc"] == ["form", "so_dien_thoai"]
    assert detail["msg"].startswith("Số điện thoại liên hệ: phải là số điện thoại Việt Nam")
    assert "10 chữ số" in detail["msg"] and "0912 345 678" in detail["msg"]
    assert "định dạng quy định" not in detail["msg"]


def test_applicant_errors_name_each_field(client: TestClient) -> None:
    bad = {"full_name": "", "id_number": "0011900123", "phone": "+1 555 0100", "email": "x"}
    details = submit(client, applicant=bad).json()["error"]["details"]
    assert {tuple(d["loc"]) for d in details} == {
        ("applicant", "full_name"),
        ("applicant", "id_number"),
        ("applicant", "phone"),
        ("applicant", "email"),
    }
    # +84 landline numbers and no email are fine.
    ok = {"full_name": "Lò Văn Páo", "id_number": "002073123456", "phone": "+84 203 3861 234"}
    assert submit(client, applicant=ok).status_code == 201


def test_no_personal_data_is_echoed_in_errors(client: TestClient) -> None:
    applicant = {**APPLICANT, "phone": "secret-phone-123"}
    response = submit(client, applicant=applicant)
    assert response.status_code == 422
    assert "secret-phone-123" not in response.text


def test_a_non_multipart_request_is_refused(client: TestClient) -> None:
    response = client.post("/api/v1/dossiers", json={"procedure_code": "1.001193.H20"})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "multipart_required"


def test_truncated_multipart_is_a_400_and_leaves_nothing(
    client: TestClient, engine: Engine, storage_root: Path
) -> None:
    before = snapshot(engine, storage_root)
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="to_khai"; filename="a.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + PDF_BYTES
    )
    response = client.post(
        "/api/v1/dossiers",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=XyZ"},
    )
    assert response.status_code == 400
    assert snapshot(engine, storage_root) == before


def test_a_declared_oversize_body_is_refused_before_reading(
    small_limits_client: TestClient,
) -> None:
    response = small_limits_client.post(
        "/api/v1/dossiers",
        content=b"x",
        headers={
            "content-type": "multipart/form-data; boundary=XyZ",
            "content-length": str(10 * 1024 * 1024),
        },
    )
    assert response.status_code == 413


class _FlagScanner:
    """A scanner that finds the EICAR test string (the industry's harmless test virus)."""

    class _Session:
        def __init__(self) -> None:
            self.seen = b""

        def feed(self, data: bytes) -> None:
            self.seen = (self.seen + data)[-4096:]

        def verdict(self) -> str | None:
            return (
                "Eicar-Test-Signature"
                if b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in self.seen
                else None
            )

    def start(self) -> "_FlagScanner._Session":
        return self._Session()


def test_an_infected_file_is_refused_and_nothing_is_kept(
    client: TestClient, engine: Engine, storage_root: Path
) -> None:
    client.app.state.scanner = _FlagScanner()  # type: ignore[attr-defined]
    before = snapshot(engine, storage_root)
    eicar = PDF_BYTES + b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    response = submit(client, files=[("to_khai", ("a.pdf", eicar, "application/pdf"))])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "file_infected"
    assert snapshot(engine, storage_root) == before
    assert submit(client).status_code == 201  # clean files still pass the scanner


def test_a_failure_between_writing_files_and_committing_leaves_no_trace(
    settings: Settings,
    engine: Engine,
    storage_root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as client:
        submit(client)
        before = snapshot(engine, storage_root)

        def crash(_session: Session) -> None:
            raise RuntimeError("disk full")

        # The unit of work's commit fails, after the files were promoted.
        monkeypatch.setattr(Session, "commit", crash)
        response = submit(client)
        assert response.status_code == 500
        assert response.json()["error"]["code"] == "internal_error"
        assert snapshot(engine, storage_root) == before
        monkeypatch.undo()
        assert submit(client).json()["code"] == today_code(2)


def test_the_counter_only_counts_committed_dossiers(small_limits_client: TestClient) -> None:
    submit(small_limits_client, applicant=None)
    submit(small_limits_client)
    metrics = small_limits_client.get("/metrics").text
    assert 'dossiers_submitted_total{channel="online"} 1.0' in metrics


def test_past_9999_dossiers_a_day_fails_clearly(
    client: TestClient, session: Session, engine: Engine, storage_root: Path
) -> None:
    submit(client)
    session.execute(update(DossierSequence).values(last=9999))
    session.commit()
    before = snapshot(engine, storage_root)
    response = submit(client)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "dossier_codes_exhausted"
    assert snapshot(engine, storage_root) == before


# ---------------------------------------------------------------------------------------------
# Idempotency-Key


def test_a_retry_with_the_same_key_returns_the_first_dossier(
    client: TestClient, session: Session
) -> None:
    headers = {"Idempotency-Key": "c6f1b1de-retry"}
    first = submit(client, headers=headers)
    again = submit(client, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()  # the same code and the same access token
    assert again.headers["location"] == first.headers["location"]
    assert len(session.scalars(select(Dossier)).all()) == 1
    # The replayed token works.
    token = again.json()["access_token"]
    details = client.get(
        f"/api/v1/dossiers/{first.json()['code']}/details",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert details.status_code == 200


def test_the_same_key_with_another_payload_is_a_conflict(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    headers = {"Idempotency-Key": "key-1"}
    assert submit(client, headers=headers).status_code == 201
    before = snapshot(engine, Path(settings.storage_url))
    other = submit(client, headers=headers, form={**FORM, "so_con": 3})
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert snapshot(engine, Path(settings.storage_url)) == before


def test_without_a_key_two_posts_make_two_dossiers(client: TestClient) -> None:
    assert submit(client).json()["code"] != submit(client).json()["code"]


def test_replays_leave_no_extra_files(client: TestClient, storage_root: Path) -> None:
    headers = {"Idempotency-Key": "k"}
    submit(client, headers=headers)
    files = stored_files(storage_root)
    submit(client, headers=headers)
    assert stored_files(storage_root) == files
