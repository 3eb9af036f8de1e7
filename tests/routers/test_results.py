"""Electronic results over HTTP (API.md, Officers and Applicant; DOMAIN.md §7): `complete` with
result files, what the applicant, the officer and the public see, and that every refusal leaves
no trace — no row, no file, no count, no counter, no event."""

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models import Agency, Dossier, DossierEvent, DossierFile, Procedure
from app.models.dossier import DossierStatus, FileKind
from tests.dossier_helpers import everything
from tests.factories import (
    ONLINE_PROCEDURE,
    MadeDossier,
    make_agency,
    make_dossier,
    make_officer,
    make_online_procedure,
    officer_headers,
    small_pdf,
)

ACTIONS = "/api/v1/officer/dossiers/{code}/actions"
NOTE = "Đã có kết quả: giấy khai sinh điện tử được gửi kèm."
PDF = small_pdf()
BOUNDARY = "----dvc-results-boundary"
# Parts of a hand-built multipart body: a text part (name, value) or a file part
# (name, (filename, bytes, declared type)).
Part = tuple[str, str | tuple[str, bytes, str]]


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_online_procedure(session)
    province = session.get_one(Agency, "000.00.00.H20")
    make_agency(session, "000.00.11.H20", "UBND thành phố Hà Giang", "district", province)
    make_officer(session, "lan")  # the province: the dossier's own agency
    make_officer(session, "mai", agency_code="000.00.11.H20")  # a district: not the province's


@pytest.fixture
def processing(client: TestClient, engine: Engine, settings: Settings) -> MadeDossier:
    """A dossier in processing whose files are in the app's own storage folder."""
    storage = client.app.state.storage  # type: ignore[attr-defined]
    return make_dossier(engine, DossierStatus.processing, storage=storage, settings=settings)


def complete(
    client: TestClient,
    made: MadeDossier,
    files: list[tuple[str, tuple[str, bytes, str]]],
    *,
    action: str = "complete",
    version: int | str | None = None,
    who: str = "lan",
    **fields: str,
) -> httpx.Response:
    data = {
        "action": action,
        "version": str(made.dossier.version if version is None else version),
        "public_note": NOTE,
        **fields,
    }
    if not files:  # httpx would send a URL-encoded form
        return post_parts(client, made, list(data.items()), who)
    response: httpx.Response = client.post(
        ACTIONS.format(code=made.code),
        data=data,
        files=files,
        headers=officer_headers(client, who),
    )
    return response


def result(content: bytes = PDF, name: str = "Giấy khai sinh.pdf") -> tuple[str, Any]:
    return ("result", (name, content, "application/pdf"))


def multipart(parts: list[Part]) -> bytes:
    """A multipart body with the parts in the order given (httpx puts text parts first)."""
    body = bytearray()
    for name, value in parts:
        body += f"--{BOUNDARY}\r\n".encode()
        if isinstance(value, str):
            body += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            body += value.encode()
        else:
            filename, content, declared = value
            body += (
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {declared}\r\n\r\n"
            ).encode()
            body += content
        body += b"\r\n"
    body += f"--{BOUNDARY}--\r\n".encode()
    return bytes(body)


def post_parts(
    client: TestClient, made: MadeDossier, parts: list[Part], who: str = "lan"
) -> httpx.Response:
    headers = {
        **officer_headers(client, who),
        "content-type": f"multipart/form-data; boundary={BOUNDARY}",
    }
    response: httpx.Response = client.post(
        ACTIONS.format(code=made.code), content=multipart(parts), headers=headers
    )
    return response


def applicant(made: MadeDossier) -> dict[str, str]:
    return {"Authorization": f"Bearer {made.access_token}"}


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert not error["message"].isascii(), error  # Vietnamese


def dossier_row(engine: Engine, code: str) -> Dossier:
    with Session(engine) as session:
        dossier = session.scalars(select(Dossier).where(Dossier.code == code)).one()  # type: ignore[arg-type]
        session.expunge(dossier)
        return dossier


# ---------------------------------------------------------------------------------------------
# What lands, and who sees it


def test_a_pdf_result_is_stored_with_the_move_and_the_applicant_downloads_it(
    client: TestClient, engine: Engine, settings: Settings, processing: MadeDossier
) -> None:
    version = processing.dossier.version
    answer = complete(client, processing, [result()])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["status"], body["version"]) == ("processed", version + 1)
    digest = hashlib.sha256(PDF).hexdigest()
    [shown] = body["results"]
    assert shown == {
        "id": shown["id"],
        "filename": "Giấy khai sinh.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "sha256": digest,
    }
    assert [d["key"] for d in body["documents"]] == ["to_khai"]  # results are not documents

    details = client.get(
        f"/api/v1/dossiers/{processing.code}/details", headers=applicant(processing)
    )
    assert details.status_code == 200
    assert details.json()["results"] == [shown]
    assert all(d["id"] != shown["id"] for d in details.json()["documents"])

    download = client.get(
        f"/api/v1/dossiers/{processing.code}/documents/{shown['id']}", headers=applicant(processing)
    )
    assert download.status_code == 200
    assert download.content == PDF
    assert hashlib.sha256(download.content).hexdigest() == digest
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["cache-control"] == "no-store"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert (
        "filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.pdf" in download.headers["content-disposition"]
    )

    dossier = dossier_row(engine, processing.code)
    assert (dossier.result_file_count, dossier.file_count) == (1, 1)
    with Session(engine) as session:
        row = session.get_one(DossierFile, shown["id"])
        assert (row.kind, row.key, row.sha256) == (FileKind.result, "result", digest)
        stored = Path(settings.storage_url) / "objects" / row.storage_key[:2] / row.storage_key
        events = session.scalars(select(DossierEvent.action)).all()  # type: ignore[call-overload]
    assert stored.read_bytes() == PDF
    assert events.count("complete") == 1


def test_the_officer_sees_and_downloads_the_results(
    client: TestClient, processing: MadeDossier
) -> None:
    shown = complete(client, processing, [result()]).json()["results"]
    view = client.get(
        f"/api/v1/officer/dossiers/{processing.code}", headers=officer_headers(client, "lan")
    )
    assert view.json()["results"] == shown
    download = client.get(
        f"/api/v1/officer/dossiers/{processing.code}/documents/{shown[0]['id']}",
        headers=officer_headers(client, "lan"),
    )
    assert download.status_code == 200 and download.content == PDF


def test_public_tracking_says_only_that_there_is_an_electronic_result(
    client: TestClient, processing: MadeDossier
) -> None:
    before = client.get(f"/api/v1/dossiers/{processing.code}").json()
    assert before["has_electronic_result"] is False
    shown = complete(client, processing, [result()]).json()["results"][0]
    tracked = client.get(f"/api/v1/dossiers/{processing.code}")
    assert tracked.json()["has_electronic_result"] is True
    assert "results" not in tracked.json() and "documents" not in tracked.json()
    for secret in (shown["id"], shown["sha256"], "Giấy khai sinh", "khai sinh.pdf"):
        assert secret not in tracked.text
    # The file is the applicant's: not downloadable without the token.
    anonymous = client.get(f"/api/v1/dossiers/{processing.code}/documents/{shown['id']}")
    assert anonymous.status_code == 401


def test_several_results_in_one_complete_in_any_part_order(
    client: TestClient, engine: Engine, processing: MadeDossier
) -> None:
    second = small_pdf("QUYET DINH")
    parts: list[Part] = [
        ("result", ("giay-khai-sinh.pdf", PDF, "application/pdf")),
        ("public_note", NOTE),
        ("action", "complete"),
        ("result", ("ban-sao.pdf", second, "application/octet-stream")),  # declared: ignored
        ("version", str(processing.dossier.version)),
    ]
    answer = post_parts(client, processing, parts)
    assert answer.status_code == 200, answer.text
    assert sorted(r["sha256"] for r in answer.json()["results"]) == sorted(
        hashlib.sha256(c).hexdigest() for c in (PDF, second)
    )
    assert dossier_row(engine, processing.code).result_file_count == 2


def test_complete_without_files_stays_as_it_was(
    client: TestClient, engine: Engine, processing: MadeDossier
) -> None:
    """In JSON, or multipart with no file (a result given on paper only): no result."""
    answer = complete(client, processing, [])
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"] == []
    assert dossier_row(engine, processing.code).result_file_count == 0
    assert (
        client.get(f"/api/v1/dossiers/{processing.code}").json()["has_electronic_result"] is False
    )


def test_a_multipart_action_without_files_is_any_action(
    client: TestClient, engine: Engine, processing: MadeDossier
) -> None:
    answer = complete(client, processing, [], action="request_fee", amount_vnd="50000")
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "fee_requested"
    assert answer.json()["events"][-1]["amount_vnd"] == 50_000  # a text part, read as a number


# ---------------------------------------------------------------------------------------------
# Refusals: each with its code, each leaving every table and the storage folder as they were

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


@pytest.mark.parametrize(
    ("files", "fields", "status", "code"),
    [
        pytest.param([result(HTML, "ket-qua.pdf")], {}, 415, "file_type_not_accepted", id="html"),
        pytest.param([result(EXE, "ket-qua.pdf")], {}, 415, "file_type_not_accepted", id="exe"),
        pytest.param(
            [result(), result(HTML, "b.pdf")], {}, 415, "file_type_not_accepted", id="one-bad"
        ),
        pytest.param([result()], {"action": "stop"}, 422, "results_only_with_complete", id="stop"),
        pytest.param(
            [result()], {"action": "request_fee"}, 422, "results_only_with_complete", id="fee"
        ),
        pytest.param([result()], {"version": "1"}, 409, "stale_version", id="stale"),
        pytest.param([result()], {"public_note": ""}, 422, "note_required", id="no-note"),
        pytest.param(
            [("to_khai", ("a.pdf", PDF, "application/pdf"))], {}, 422, "unknown_part", id="part"
        ),
        pytest.param([result()], {"channel": "counter"}, 422, "unknown_part", id="text-part"),
        pytest.param([result(b"", "ket-qua.pdf")], {}, 422, "empty_file", id="empty"),
        pytest.param([result(), result(b"", "b.pdf")], {}, 422, "empty_file", id="one-empty"),
        pytest.param([result()], {"version": "hai"}, 422, "validation_error", id="version"),
        pytest.param([result()], {"action": "fly"}, 422, "unknown_action", id="action"),
        pytest.param([result()], {"note": "a\x00b"}, 422, "nul_character", id="nul"),
    ],
)
def test_refused_results_leave_no_trace(
    client: TestClient,
    engine: Engine,
    settings: Settings,
    processing: MadeDossier,
    files: list[Any],
    fields: dict[str, str],
    status: int,
    code: str,
) -> None:
    before = everything(engine, settings)
    answer = complete(client, processing, files, **fields)
    if code == "validation_error":  # FastAPI's own validation of the fields, as for JSON
        assert answer.status_code == 422 and answer.json()["error"]["code"] == code
    else:
        assert_refused(answer, status, code)
    assert everything(engine, settings) == before
    tmp = Path(settings.storage_url) / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []


def test_a_result_part_before_another_action_is_refused_as_it_arrives(
    client: TestClient, engine: Engine, settings: Settings, processing: MadeDossier
) -> None:
    before = everything(engine, settings)
    action_first: list[Part] = [("action", "stop"), result()]
    file_first: list[Part] = [result(), ("action", "stop")]
    for parts in (action_first, file_first):
        full = [*parts, ("version", str(processing.dossier.version)), ("public_note", NOTE)]
        assert_refused(post_parts(client, processing, full), 422, "results_only_with_complete")
    assert everything(engine, settings) == before


def test_results_from_a_status_that_cannot_complete_are_refused(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    storage = client.app.state.storage  # type: ignore[attr-defined]
    made = make_dossier(engine, DossierStatus.accepted, storage=storage, settings=settings)
    before = everything(engine, settings)
    assert_refused(complete(client, made, [result()]), 409, "illegal_transition")
    assert everything(engine, settings) == before


def test_an_officer_of_another_agency_is_refused_before_the_upload(
    client: TestClient, engine: Engine, settings: Settings, processing: MadeDossier
) -> None:
    before = everything(engine, settings)
    assert_refused(complete(client, processing, [result()], who="mai"), 403, "other_agency")
    assert everything(engine, settings) == before


def test_an_unknown_dossier_is_a_404(client: TestClient, processing: MadeDossier) -> None:
    unknown = MadeDossier(
        dossier=processing.dossier.model_copy(update={"code": "000.00.00.H20-250101-9999"}),
        access_token="",
    )
    assert complete(client, unknown, [result()]).status_code == 404


def test_a_procedure_that_issues_no_result_takes_no_result_files(
    client: TestClient, engine: Engine, settings: Settings, processing: MadeDossier
) -> None:
    with Session(engine) as session:
        session.execute(
            update(Procedure)
            .where(Procedure.code == ONLINE_PROCEDURE)  # type: ignore[arg-type]
            .values(issues_result=False)
        )
        session.commit()
    before = everything(engine, settings)
    assert_refused(complete(client, processing, [result()]), 422, "procedure_issues_no_result")
    assert everything(engine, settings) == before
    assert complete(client, processing, []).status_code == 200  # completing itself is fine


def test_an_oversize_result_is_a_413_and_leaves_no_trace(
    settings: Settings, engine: Engine, processing: MadeDossier
) -> None:
    tight = settings.model_copy(update={"max_file_mb": 1})
    with TestClient(create_app(tight, engine)) as small:
        before = everything(engine, settings)
        big = PDF + b"0" * (1024 * 1024)
        assert_refused(complete(small, processing, [result(big)]), 413, "file_too_large")
        assert everything(engine, settings) == before
        assert complete(small, processing, [result()]).status_code == 200


def test_a_request_over_the_upload_limit_is_a_413(
    settings: Settings, engine: Engine, processing: MadeDossier
) -> None:
    tight = settings.model_copy(update={"max_request_mb": 1})
    with TestClient(create_app(tight, engine)) as small:
        before = everything(engine, settings)
        halves = [result(PDF + b"0" * 600_000, f"{n}.pdf") for n in range(2)]
        assert_refused(complete(small, processing, halves), 413, "request_too_large")
        assert everything(engine, settings) == before


class _FlagScanner:
    """Finds the EICAR test string (the industry's harmless test virus)."""

    class _Session:
        def __init__(self) -> None:
            self.seen = b""

        def feed(self, data: bytes) -> None:
            self.seen += data

        def verdict(self) -> str | None:
            return "Eicar-Test-Signature" if b"EICAR-STANDARD" in self.seen else None

    def start(self) -> "_FlagScanner._Session":
        return self._Session()


def test_an_infected_result_is_refused_and_nothing_is_kept(
    client: TestClient, engine: Engine, settings: Settings, processing: MadeDossier
) -> None:
    client.app.state.scanner = _FlagScanner()  # type: ignore[attr-defined]
    before = everything(engine, settings)
    eicar = PDF + b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    assert_refused(complete(client, processing, [result(eicar)]), 422, "file_infected")
    assert everything(engine, settings) == before


# ---------------------------------------------------------------------------------------------
# The JSON body keeps its own rules on the same route


def test_a_body_neither_json_nor_multipart_is_a_415(
    client: TestClient, engine: Engine, settings: Settings, processing: MadeDossier
) -> None:
    before = everything(engine, settings)
    answer = client.post(
        ACTIONS.format(code=processing.code),
        content=json.dumps({"action": "complete", "version": 1}).encode(),
        headers={**officer_headers(client, "lan"), "content-type": "text/plain"},
    )
    assert_refused(answer, 415, "unsupported_media_type")
    assert everything(engine, settings) == before


def test_json_complete_with_a_body_over_max_json_kb_is_still_a_413(
    client: TestClient, processing: MadeDossier
) -> None:
    note = "x" * 300_000  # default MAX_JSON_KB: 256
    answer = client.post(
        ACTIONS.format(code=processing.code),
        json={"action": "complete", "version": processing.dossier.version, "public_note": note},
        headers=officer_headers(client, "lan"),
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "request_too_large"


def test_documents_are_not_results(client: TestClient, processing: MadeDossier) -> None:
    details = client.get(
        f"/api/v1/dossiers/{processing.code}/details", headers=applicant(processing)
    ).json()
    assert details["results"] == [] and len(details["documents"]) == 1


def test_indicators_4_1_and_4_2_count_electronic_results(
    client: TestClient, engine: Engine, settings: Settings, processing: MadeDossier
) -> None:
    """4.1: dossiers with an electronic result ÷ dossiers of procedures that issue one; 4.2:
    with attached documents and an electronic result ÷ all received (DOMAIN.md §6)."""
    storage = client.app.state.storage  # type: ignore[attr-defined]
    make_dossier(engine, DossierStatus.processing, storage=storage, settings=settings)
    assert complete(client, processing, [result()]).status_code == 200
    stats = client.app.state.stats_cache  # type: ignore[attr-defined]
    stats.check_s = 0  # see the write at once
    codes = {i["code"]: i for i in client.get("/api/v1/stats/indicators").json()}
    assert (codes["4.1"]["numerator"], codes["4.1"]["denominator"]) == (1, 2)
    assert (codes["4.2"]["numerator"], codes["4.2"]["denominator"], codes["4.2"]["value"]) == (
        1,
        2,
        0.5,
    )
