"""Catalogue reads served from memory: writes show on the next request, ETag and 304."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models import Procedure
from app.services.catalogue.importing import import_catalogue, replace_procedure, retire_procedure
from app.services.catalogue.procedures import procedure_detail
from tests.factories import engine_of
from tests.services.catalogue.test_importing import document

DETAIL = "/api/v1/procedures/1.001193"
SEARCH = "/api/v1/procedures"


def test_an_import_is_visible_on_the_next_request(client: TestClient, session: Session) -> None:
    assert client.get(SEARCH).json()["total"] == 0
    assert client.get(DETAIL).status_code == 404
    import_catalogue(engine_of(session), document())
    body = client.get(SEARCH, params={"q": "dang ky"}).json()
    assert [item["code"] for item in body["items"]] == ["1.000894", "1.001193"]
    assert client.get(DETAIL).json()["name"] == "Đăng ký khai sinh"


def test_retiring_shows_in_the_detail_and_leaves_the_list(
    client: TestClient, session: Session
) -> None:
    import_catalogue(engine_of(session), document())
    assert client.get(DETAIL).json()["retired_at"] is None  # now kept in memory
    retire_procedure(engine_of(session), "1.001193", datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    assert client.get(DETAIL).json()["retired_at"] == "2026-11-26T08:00:00Z"
    assert [item["code"] for item in client.get(SEARCH).json()["items"]] == ["1.000894"]


def test_the_detail_is_the_contract_model(client: TestClient, session: Session) -> None:
    import_catalogue(engine_of(session), document())
    response = client.get(DETAIL)
    assert response.headers["content-type"] == "application/json"
    procedure = session.get(Procedure, "1.001193")
    assert procedure is not None
    expected = procedure_detail(session, procedure).model_dump(mode="json")
    assert response.json() == expected
    assert client.get(DETAIL).json() == expected  # the second answer, from memory


def test_an_unknown_procedure_is_404_without_caching_headers(client: TestClient) -> None:
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "procedure_not_found"
    assert "etag" not in response.headers


@pytest.mark.parametrize(
    ("url", "params"),
    [(DETAIL, {}), (SEARCH, {"q": "dang ky", "page_size": 5}), (SEARCH, {})],
)
def test_etag_and_if_none_match(
    client: TestClient, session: Session, url: str, params: dict[str, object]
) -> None:
    import_catalogue(engine_of(session), document())
    first = client.get(url, params=params)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get(url, params=params, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    for header in (f'"x", W/{etag}', "*"):
        assert client.get(url, params=params, headers={"If-None-Match": header}).status_code == 304
    assert client.get(url, params=params, headers={"If-None-Match": '"0-x"'}).status_code == 200
    changed = {**document()["procedures"][0], "name": "Đăng ký khai sinh lưu động"}
    replace_procedure(engine_of(session), "1.001193", changed)
    after = client.get(url, params=params, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag


def test_other_queries_have_other_etags(client: TestClient, session: Session) -> None:
    import_catalogue(engine_of(session), document())
    tags = {
        client.get(SEARCH, params=params).headers["etag"]
        for params in ({}, {"q": "dang"}, {"q": "dang", "page": 2}, {"level": 3})
    }
    tags.add(client.get(DETAIL).headers["etag"])
    assert len(tags) == 5


def test_the_documentation_still_shows_the_models(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    detail = paths["/api/v1/procedures/{code}"]["get"]["responses"]
    ref = detail["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/ProcedureDetail")
    assert {"200", "304", "404"} <= detail.keys()
    search = paths["/api/v1/procedures"]["get"]
    ref = search["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert "Page" in ref and "ProcedurePublic" in ref
    names = [param["name"] for param in search["parameters"]]
    assert names[:2] == ["page", "page_size"] and {"q", "agency", "level", "tier"} <= set(names)


@pytest.fixture
def slow_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """An app that checks the revision at most once a minute, as in production."""
    app = create_app(settings.model_copy(update={"catalogue_cache_check_s": 60}), engine)
    with TestClient(app) as test_client:
        yield test_client


def test_between_checks_reads_do_not_touch_the_database(
    slow_client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_catalogue(engine_of(session), document())
    assert slow_client.get(DETAIL).status_code == 200  # builds, then loads the detail
    cache = slow_client.app.state.catalogue_cache  # type: ignore[attr-defined]
    calls: list[str] = []
    monkeypatch.setattr(cache, "refresh", lambda: calls.append("refresh"))
    monkeypatch.setattr(cache, "load_detail", lambda *args: calls.append("load"))
    retire_procedure(engine_of(session), "1.001193", datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    for _ in range(3):
        assert slow_client.get(DETAIL).json()["retired_at"] is None  # up to a minute stale
        assert slow_client.get(SEARCH, params={"q": "khai sinh"}).json()["total"] == 1
    assert calls == []
