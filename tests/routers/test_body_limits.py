"""Every request body is bounded while it streams in, before authentication and parsing."""

from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from tests.dossier_helpers import submit
from tests.factories import make_online_procedure

TOO_LARGE = {
    "error": {
        "code": "request_too_large",
        "message": "Yêu cầu vượt quá dung lượng cho phép.",
        "details": [],
    }
}
WITHDRAW = "/api/v1/dossiers/000.00.00.H20-250101-0001/withdraw"


def chunks(size: int) -> Iterator[bytes]:
    yield b'{"reason": "'
    for _ in range(size // 10_000):
        yield b"x" * 10_000
    yield b'"}'


def test_a_json_body_over_the_limit_is_a_413_before_authentication(client: TestClient) -> None:
    body = b'{"reason": "' + b"x" * 300_000 + b'"}'  # default MAX_JSON_KB: 256
    json_type = {"content-type": "application/json"}
    declared = client.post(WITHDRAW, content=body, headers=json_type)  # Content-Length: 300 KB
    streamed = client.post("/api/v1/officer/dossiers/x/actions", content=chunks(300_000))
    login = client.post("/api/v1/auth/token", data={"username": "lan", "password": "x" * 300_000})
    for answer in (declared, streamed, login):
        assert answer.status_code == 413, answer.text
        assert answer.json() == TOO_LARGE
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_body_under_the_limit_goes_on_to_validation(client: TestClient) -> None:
    answer = client.post(WITHDRAW, json={"reason": "x" * 200_000})
    assert answer.status_code == 422  # the reason's own limit: 2,000 characters


def test_the_limit_is_a_setting(settings: Settings, client: TestClient) -> None:
    small = create_app(settings.model_copy(update={"max_json_kb": 1}), client.app.state.engine)  # type: ignore[attr-defined]
    with TestClient(small) as tight:
        assert tight.post(WITHDRAW, json={"reason": "x" * 2_000}).status_code == 413
        assert tight.post(WITHDRAW, json={"reason": "x" * 500}).status_code == 404


def test_uploads_keep_their_own_larger_limit(client: TestClient, session: Session) -> None:
    make_online_procedure(session)
    big = b"%PDF-1.4\n" + b"0" * 600_000  # over MAX_JSON_KB, under MAX_FILE_MB
    answer = submit(client, files=[("to_khai", ("to-khai.pdf", big, "application/pdf"))])
    assert answer.status_code == 201, answer.text
