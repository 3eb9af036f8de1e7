"""The statistics endpoints over HTTP: shapes, zero-filling, formats, caching and bad input."""

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import insert
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models.catalogue import Agency
from app.models.stats import stat_daily, stat_monthly
from app.services.catalogue.cache import bump_revision
from app.services.stats import reports
from tests.dossier_helpers import submit
from tests.factories import AuthAs, engine_of, make_online_procedure, move

ONLINE = "/api/v1/stats/online-ratio"


@pytest.fixture
def fresh_client(settings: Settings, engine: Any) -> Any:
    """Statistics revalidated on every request, so each write is seen at once."""
    with TestClient(create_app(settings.model_copy(update={"stats_check_s": 0}), engine)) as c:
        yield c


def load_counters(session: Session, year: int, online: int, total: int) -> None:
    """A year of received dossiers spread over its days, as counters (seed volumes)."""
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(365)]
    rows: dict[tuple[date, str], int] = {}
    for channel, count in (("online", online), ("counter", total - online)):
        for i in range(count):
            key = (days[i * 7 % 365], channel)
            rows[key] = rows.get(key, 0) + 1
    base = {"agency_code": "000.00.00.H20", "procedure_code": "1.001193.H20", "level": 3}
    daily = [{"day": d, "channel": c, "received": n, **base} for (d, c), n in rows.items()]
    months: dict[tuple[date, str], int] = {}
    for (d, c), n in rows.items():
        months[(d.replace(day=1), c)] = months.get((d.replace(day=1), c), 0) + n
    monthly = [{"month": m, "channel": c, "received": n, **base} for (m, c), n in months.items()]
    session.execute(insert(stat_daily), daily)
    session.execute(insert(stat_monthly), monthly)
    session.commit()


@pytest.mark.parametrize(
    ("year", "online", "total", "percent"), [(2018, 1952, 39675, 4.92), (2019, 6704, 50596, 13.25)]
)
def test_the_seed_figures_reproduce(
    client: TestClient, session: Session, year: int, online: int, total: int, percent: float
) -> None:
    load_counters(session, year, online, total)
    body = client.get(ONLINE, params={"from": f"{year}-01-01", "to": f"{year}-12-31"}).json()
    assert body["total"]["online"] == online and body["total"]["total"] == total
    assert round(body["total"]["online_ratio"] * 100, 2) == percent
    # A period that starts and ends mid-month mixes daily and monthly counters.
    mid = client.get(ONLINE, params={"from": f"{year}-01-15", "to": f"{year}-11-20"}).json()
    by_day = client.get(
        ONLINE, params={"from": f"{year}-01-15", "to": f"{year}-11-20", "group_by": "day"}
    ).json()
    assert mid["total"] == {**by_day["total"]}
    assert len(by_day["rows"]) == (date(year, 11, 20) - date(year, 1, 15)).days + 1


def test_groups_are_zero_filled(client: TestClient, session: Session) -> None:
    make_online_procedure(session)
    body = client.get(
        ONLINE, params={"from": "2025-01-01", "to": "2025-12-31", "group_by": "month"}
    ).json()
    assert [row["key"] for row in body["rows"]] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert body["rows"][0] == {
        "key": "2025-01",
        "label": "Tháng 1/2025",
        "online": 0,
        "counter": 0,
        "postal": 0,
        "total": 0,
        "online_ratio": None,
        "counter_ratio": None,
        "postal_ratio": None,
        "submitted": 0,
        "refused_at_intake": 0,
    }
    quarters = client.get(
        ONLINE, params={"from": "2025-02-01", "to": "2025-12-31", "group_by": "quarter"}
    )
    assert [r["label"] for r in quarters.json()["rows"]] == [
        "Quý 1/2025",
        "Quý 2/2025",
        "Quý 3/2025",
        "Quý 4/2025",
    ]
    levels = client.get("/api/v1/stats/on-time", params={"group_by": "level"}).json()
    assert [r["key"] for r in levels["rows"]] == ["1", "2", "3", "4"]
    status = client.get("/api/v1/stats/status").json()["total"]
    assert set(status) >= {
        "new",
        "accepted",
        "refused",
        "processing",
        "supplement_requested",
        "fee_requested",
        "withdrawal_requested",
        "stopped",
        "processed",
        "returned",
        "total",
    }


def test_live_dossiers_show_up_in_every_endpoint(
    fresh_client: TestClient, session: Session
) -> None:
    make_online_procedure(session)
    accepted = submit(fresh_client)
    submit(fresh_client)
    # Submitted, not received: no online ratio yet (DOMAIN.md §6, "received" = accepted).
    online = fresh_client.get(ONLINE).json()["total"]
    assert (online["online"], online["total"], online["online_ratio"]) == (0, 0, None)
    assert online["submitted"] == 2
    move(engine_of(session), accepted.json()["code"], "accept")
    online = fresh_client.get(ONLINE).json()["total"]
    assert (online["online"], online["total"], online["online_ratio"]) == (1, 1, 1.0)
    status = fresh_client.get("/api/v1/stats/status", params={"group_by": "agency"}).json()
    assert status["rows"] == [
        {
            "key": "000.00.00.H20",
            "label": "Ủy ban nhân dân tỉnh",
            **{s: 0 for s in status["total"] if s not in ("key", "label", "total", "new")},
            "new": 1,
            "accepted": 1,
            "total": 2,
        }
    ]
    on_time = fresh_client.get("/api/v1/stats/on-time").json()["total"]
    assert (on_time["in_progress"], on_time["to_process"], on_time["on_time_ratio"]) == (1, 1, 1.0)
    codes = {i["code"]: i for i in fresh_client.get("/api/v1/stats/indicators").json()}
    assert codes["3.3"]["value"] == 1.0 and codes["3.3"]["points"] == codes["3.3"]["max_points"]
    assert codes["3.1"]["numerator"] == 1 and codes["3.2"]["numerator"] == 1
    assert codes["5.4"]["value"] is None and codes["5.4"]["note"]
    assert codes["2.1"]["formula"] and codes["2.1"]["basis"] == "QĐ 766/QĐ-TTg, chỉ số 2.1"
    assert all(isinstance(codes[c]["numerator"], int) for c in ("2.1", "3.1", "3.2", "3.3"))


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"group_by": "week"}, 422, "validation_error"),
        ({"from": "2025-02-01", "to": "2025-01-01"}, 422, "invalid_period"),
        ({"from": "2010-01-01", "to": "2025-01-01"}, 422, "invalid_period"),
        ({"from": "01/02/2025"}, 422, "validation_error"),
        ({"agency": "000.99.99.H99"}, 404, "agency_not_found"),
        ({"format": "pdf"}, 422, "validation_error"),
    ],
)
def test_bad_parameters(client: TestClient, params: dict[str, str], status: int, code: str) -> None:
    for path in (
        ONLINE,
        "/api/v1/stats/on-time",
        "/api/v1/stats/status",
        "/api/v1/stats/indicators",
    ):
        response = client.get(path, params=params)
        assert response.status_code == status, (path, response.text)
        assert response.json()["error"]["code"] == code


def test_csv_and_xlsx_carry_the_same_numbers(client: TestClient, session: Session) -> None:
    load_counters(session, 2018, 1952, 39675)
    params = {"from": "2018-01-01", "to": "2018-12-31", "group_by": "quarter"}
    body = client.get(ONLINE, params=params).json()
    raw = client.get(ONLINE, params={**params, "format": "csv"})
    assert raw.headers["content-type"].startswith("text/csv")
    assert raw.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã nhóm", "Nhóm", "Trực tuyến"]
    assert [r[0] for r in rows[1:]] == [r["key"] for r in body["rows"]] + ["total"]
    assert rows[-1][2:6] == ["1952", "37723", "0", "39675"]
    xlsx = client.get(ONLINE, params={**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet.title == "Tỷ lệ trực tuyến"  # with its diacritics
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][6] == "Tỷ lệ trực tuyến"
    assert values[-1][:6] == ("total", "Tổng", 1952, 37723, 0, 39675)
    assert values[-1][6] == pytest.approx(body["total"]["online_ratio"])
    assert len(values) == len(body["rows"]) + 2


def test_etag_cache_control_and_304(fresh_client: TestClient, session: Session) -> None:
    make_online_procedure(session)
    move(engine_of(session), submit(fresh_client).json()["code"], "accept")
    first = fresh_client.get(ONLINE)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    again = fresh_client.get(ONLINE, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    # A write elsewhere that leaves these numbers alone keeps the ETag...
    other = fresh_client.get(ONLINE, params={"from": "2020-01-01", "to": "2020-12-31"})
    move(engine_of(session), submit(fresh_client).json()["code"], "accept")
    same = fresh_client.get(ONLINE, params={"from": "2020-01-01", "to": "2020-12-31"})
    assert same.headers["etag"] == other.headers["etag"]
    # ...and one that changes them changes it.
    changed = fresh_client.get(ONLINE, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["total"]["online"] == 2


def test_catalogue_and_indicators_export_the_same_numbers(
    client: TestClient, session: Session
) -> None:
    make_online_procedure(session)
    move(engine_of(session), submit(client).json()["code"], "accept")
    catalogue = client.get("/api/v1/stats/catalogue").json()
    raw = client.get("/api/v1/stats/catalogue", params={"format": "csv"})
    assert raw.content.startswith(b"\xef\xbb\xbf") and "etag" in raw.headers
    assert raw.headers["content-disposition"].startswith('attachment; filename="catalogue-')
    rows = {r[0]: r for r in csv.reader(io.StringIO(raw.content.decode("utf-8-sig")))}
    assert rows["Mã nhóm"] == ["Mã nhóm", "Nhóm", "Giá trị"]
    assert rows["level_4"] == ["level_4", "Mức độ 4", str(catalogue["by_level"]["4"])]
    assert rows["total"][2] == str(catalogue["total"])
    assert float(rows["online_service_share"][2]) == catalogue["online_service_share"]
    xlsx = client.get("/api/v1/stats/catalogue", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    cells = {row[0].value: row[2] for row in sheet.iter_rows(min_row=2)}
    assert cells["online_services"].value == catalogue["online_services"]
    assert cells["online_service_share"].number_format == "0.00%"

    items = client.get("/api/v1/stats/indicators").json()
    raw = client.get("/api/v1/stats/indicators", params={"format": "csv"})
    table = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Mã chỉ số", "Chỉ số", "Tử số"]
    assert [r[0] for r in table[1:]] == [i["code"] for i in items] + ["total"]
    points = sum(i["points"] for i in items if i["points"] is not None)
    assert float(table[-1][7]) == pytest.approx(points) and points > 0
    assert float(table[-1][6]) == sum(i["max_points"] for i in items)
    xlsx = client.get("/api/v1/stats/indicators", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet.title == "Bộ chỉ số 766"
    by_code = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_code["3.3"][4] == next(i["value"] for i in items if i["code"] == "3.3")


def test_catalogue_stats_etag_follows_the_catalogue(
    client: TestClient, session: Session, auth_as: AuthAs
) -> None:
    make_online_procedure(session)
    first = client.get("/api/v1/stats/catalogue")
    etag = first.headers["etag"]
    assert client.get("/api/v1/stats/catalogue", headers={"If-None-Match": etag}).status_code == 304
    client.app.state.stats_cache.check_s = 0  # type: ignore[attr-defined]
    retired = client.delete(
        "/api/v1/procedures/1.001193.H20", headers=auth_as("root", role="admin")
    )
    assert retired.status_code == 200, retired.text
    after = client.get("/api/v1/stats/catalogue", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.json()["total"] == first.json()["total"] - 1


@pytest.fixture
def steady_client(settings: Settings, engine: Any) -> Any:
    """Statistics revalidated once an hour: answers come from the route's cache."""
    app = create_app(settings.model_copy(update={"stats_check_s": 3600}), engine)
    with TestClient(app) as c:
        yield c


def test_answered_requests_come_from_the_cache_inside_the_route(
    steady_client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_online_procedure(session)
    submit(steady_client)
    built: list[object] = []
    real_answer = reports.answer

    def counting_answer(*args: Any) -> Any:
        built.append(args[2])
        return real_answer(*args)

    monkeypatch.setattr(reports, "answer", counting_answer)
    parsed: list[object] = []
    real_query = reports.period_query

    def counting_query(*args: Any, **kwargs: Any) -> Any:
        parsed.append(args)
        return real_query(*args, **kwargs)

    monkeypatch.setattr(reports, "period_query", counting_query)
    params = {"group_by": "month", "format": "csv"}
    first = steady_client.get(ONLINE, params=params)
    assert first.status_code == 200 and len(built) == 1
    again = steady_client.get(ONLINE, params=params)
    assert len(built) == 1  # from the cache: no thread, no database
    assert len(parsed) == 1  # answered from the raw request, before the route's own work
    assert again.content == first.content
    for name in ("etag", "cache-control", "content-type", "content-length", "content-disposition"):
        assert again.headers[name] == first.headers[name], name
    etag = first.headers["etag"]
    weak_list = f'"nope", W/{etag}'
    not_modified = steady_client.get(ONLINE, params=params, headers={"If-None-Match": weak_list})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag and len(built) == 1
    # Bad requests get their error from the route's validation, cached or not.
    for _ in range(2):
        bad = steady_client.get(ONLINE, params={"group_by": "week"})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
    metrics = steady_client.get("/metrics").text
    line = 'http_requests_total{method="GET",route="/api/v1/stats/online-ratio",status="200"} 2.0'
    assert line in metrics
    assert 'route="/api/v1/stats/online-ratio",status="304"} 1.0' in metrics
    # New data: once the revision is read again, the numbers change.
    submit(steady_client)
    assert steady_client.get(ONLINE, params=params).content == first.content  # within check_s
    steady_client.app.state.stats_cache.check_s = 0  # type: ignore[attr-defined]
    changed = steady_client.get(ONLINE, params=params, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert len(built) == 2


def test_catalogue_names_are_read_once_per_catalogue_revision(
    fresh_client: TestClient, session: Session
) -> None:
    """Labels come from the catalogue as of its revision: a change that bumps the revision
    (imports, the admin API) shows at once; the names are not read again without one."""
    make_online_procedure(session)
    submit(fresh_client)
    by_agency = {"group_by": "agency", "from": "2020-01-01"}

    def label(to: date) -> str:
        answer = fresh_client.get(
            "/api/v1/stats/on-time", params={**by_agency, "to": to.isoformat()}
        )
        assert answer.status_code == 200, answer.text
        return str(next(r["label"] for r in answer.json()["rows"] if r["key"] == "000.00.00.H20"))

    today = date.today()
    original = label(today)
    agency = session.get(Agency, "000.00.00.H20")
    assert agency is not None
    agency.name = "Ủy ban nhân dân tỉnh (tên mới)"
    session.add(agency)
    session.commit()
    # A different period, so the answer is computed again, with the names kept in memory.
    assert label(today - timedelta(days=1)) == original
    bump_revision(session)
    session.commit()
    assert label(today - timedelta(days=2)) == "Ủy ban nhân dân tỉnh (tên mới)"
