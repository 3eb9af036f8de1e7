from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.services.catalogue import procedures


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_storage(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "storage": "ok"}


def test_readyz_is_503_when_the_storage_cannot_be_written(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage folder should be")
    broken = settings.model_copy(update={"storage_url": str(blocker / "files")})
    with TestClient(create_app(broken, engine)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["details"] == [{"dependency": "storage"}]


def test_readyz_is_503_in_the_error_shape_when_the_database_is_down(settings: Settings) -> None:
    # Nothing listens on port 9: the connection is refused at once.
    down = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    with TestClient(create_app(settings, down)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "dependency_unavailable"
    assert response.json()["error"]["details"] == [{"dependency": "database"}]


def test_metrics_count_requests_by_route_template(client: TestClient) -> None:
    client.get("/api/v1/agencies/000.00.00.H99")
    body = client.get("/metrics").text
    assert 'route="/api/v1/agencies/{code}"' in body
    assert 'status="404"' in body
    assert "000.00.00.H99" not in body
    assert "http_request_duration_seconds_bucket" in body


def test_unknown_route_is_404_in_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": "Không tìm thấy địa chỉ được yêu cầu.",
            "details": [],
        }
    }


def test_wrong_method_is_405_in_the_error_shape(client: TestClient) -> None:
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert response.json()["error"] == {
        "code": "method_not_allowed",
        "message": "Phương thức DELETE không dùng được ở địa chỉ này.",
        "details": [],
    }
    assert response.headers["allow"] == "GET"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        # One path, several routes (RFC 9110 §15.5.6: Allow lists every method the resource has).
        ("OPTIONS", "/api/v1/procedures/1.001193.H20", "DELETE, GET, PUT"),
        ("PATCH", "/api/v1/procedures", "GET, POST"),
        ("DELETE", "/api/v1/admin/calendar", "GET, PUT"),
        ("PUT", "/api/v1/officer/dossiers", "GET, POST"),
    ],
)
def test_405_allows_every_method_of_the_path(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed


def test_docs_work_without_internet(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert "swagger-ui-bundle.js" in page.text
    script_url = page.text.split('src="')[1].split('"')[0]
    assert script_url.startswith("/")
    script = client.get(script_url)
    assert script.status_code == 200
    assert len(script.content) > 100_000
    css_url = page.text.split('href="')[1].split('"')[0]
    assert client.get(css_url).status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "DVC Gateway"


def test_unexpected_errors_are_500_in_the_error_shape(settings: Settings) -> None:
    app = create_app(settings, create_engine("sqlite://"))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "bug" not in response.text
    # Whatever the bug left behind, the client's next request comes on a new connection.
    assert response.headers["connection"] == "close"
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
    assert response.headers["x-frame-options"] == "DENY"


def test_a_database_error_that_is_a_bug_stays_a_500(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A statement the database refuses (a table that is not there: a programming error on
    # PostgreSQL, an OperationalError on SQLite) is not an outage.
    def broken_fields(session: Session) -> list[object]:
        return list(session.execute(text("SELECT * FROM no_such_table")))

    monkeypatch.setattr(procedures, "list_fields", broken_fields)
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/fields")
        assert client.get("/readyz").status_code == 200
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert response.headers["connection"] == "close"
