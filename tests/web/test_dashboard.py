"""The dashboard's view-model (app/web/dashboard.py) and its macros (templates/_charts.html)
against the statistics API: for the same period and agency, the numbers are the API's, the
links give the API's files, and each figure's table says what its chart draws."""

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import Engine
from sqlmodel import Session

import app.web
from app.config import Settings
from app.errors import AgencyNotFound, InvalidPeriod
from app.models import Agency, ProcedureField
from app.models.officer import Principal, Role
from app.models.types import VN_TZ
from app.services.dossiers.submission import Intake, submit_dossier
from app.services.stats import reports
from app.web.dashboard import Dashboard, build_dashboard
from tests.factories import (
    PROVINCE,
    make_agency,
    make_dossier,
    make_online_procedure,
    make_procedure,
    move,
    submission,
)
from tests.memory_storage import MemoryStorage

STATS = "/api/v1/stats"
SVG = "{http://www.w3.org/2000/svg}"
JUSTICE = "000.01.00.H20"
JUSTICE_NAME = "Sở Tư pháp <script>alert(1)</script>"
PERIOD = {"from": "2025-01-01", "to": "2025-06-30"}
FIRST, LAST = date(2025, 1, 1), date(2025, 6, 30)
HOOKS = [
    "online-ratio-by-month",
    "online-ratio-by-agency",
    "on-time-by-agency",
    "status",
    "catalogue-by-level",
]


def vn(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=VN_TZ)


def received(
    engine: Engine, procedure: str, now: datetime, *, channel: str = "online", accept: bool = True
) -> str:
    """A dossier of `procedure` submitted at `now`, online (accepted by its agency when
    `accept`) or registered at the counter by an officer of its agency (received at once)."""
    storage = MemoryStorage()
    form = submission(storage)
    form.fields["procedure_code"] = procedure
    intake = Intake()
    if channel != "online":
        form.fields["channel"] = channel
        admin = Principal(username="an", role=Role.admin, agency_code=PROVINCE, issuer="t")
        intake = Intake(officer=admin)
    settings = Settings(_env_file=None)
    code = submit_dossier(engine, storage, settings, form, None, now, intake).created.code
    if channel == "online" and accept:
        move(engine, code, "accept", now=now)
    return code


@pytest.fixture
def history(session: Session, engine: Engine) -> None:
    """Two agencies in 2025. The province: January 2 online and 1 counter dossier received,
    March 1 online received and processed, April 1 online never accepted. Justice (its name
    hostile): March 1 online received and 1 refused at intake. Catalogue: levels 3, 4, 1."""
    make_online_procedure(session)
    province = session.get_one(Agency, PROVINCE)
    field = session.get_one(ProcedureField, "G01")
    justice = make_agency(session, JUSTICE, JUSTICE_NAME, parent=province)
    make_procedure(session, justice, field, code="2.000002.H20", level=4)
    make_procedure(session, province, field, code="3.000003.H20", level=1)
    online = "1.001193.H20"
    for _ in range(2):
        received(engine, online, vn(1, 10))
    received(engine, online, vn(1, 12), channel="counter")
    done = received(engine, online, vn(3, 5))
    move(engine, done, "start_processing", now=vn(3, 6))
    move(engine, done, "complete", now=vn(3, 6, 10))
    received(engine, online, vn(4, 2), accept=False)
    received(engine, "2.000002.H20", vn(3, 5))
    refused = received(engine, "2.000002.H20", vn(3, 7), accept=False)
    move(engine, refused, "refuse", now=vn(3, 7, 10))


def api(client: TestClient, path: str, **params: str) -> Any:
    response = client.get(f"{STATS}/{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def dashboard(session: Session, settings: Settings, **kwargs: Any) -> Dashboard:
    return build_dashboard(session, settings, date_from=FIRST, date_to=LAST, **kwargs)


@pytest.mark.usefixtures("history")
def test_the_numbers_are_the_apis(client: TestClient, session: Session, settings: Settings) -> None:
    board = dashboard(session, settings)
    assert (board.date_from, board.date_to, board.agency) == (FIRST, LAST, None)

    by_month = api(client, "online-ratio", **PERIOD, group_by="month")
    assert [(r.key, r.numerator, r.denominator, r.ratio) for r in board.online_by_month.rows] == [
        (r["key"], r["online"], r["total"], r["online_ratio"]) for r in by_month["rows"]
    ]
    months = {r.label: (r.numerator, r.denominator) for r in board.online_by_month.rows}
    assert list(months) == [f"{m:02d}/2025" for m in range(1, 7)]
    assert (months["01/2025"], months["03/2025"], months["04/2025"]) == ((2, 3), (2, 2), (0, 0))

    by_agency = api(client, "online-ratio", **PERIOD, group_by="agency")["rows"]
    expected = {r["key"]: (r["online"], r["total"], r["online_ratio"]) for r in by_agency}
    shown = board.online_by_agency.rows
    assert {r.key: (r.numerator, r.denominator, r.ratio) for r in shown} == expected
    assert [(r.key, r.label) for r in shown] == [
        (JUSTICE, JUSTICE_NAME),
        (PROVINCE, "Ủy ban nhân dân tỉnh"),
    ]
    assert [r.percent for r in shown] == ["100,0 %", "75,0 %"]  # sorted, best first

    on_time = api(client, "on-time", **PERIOD, group_by="agency")["rows"]
    assert {r.key: (r.denominator, r.ratio) for r in board.on_time_by_agency.rows} == {
        r["key"]: (r["to_process"], r["on_time_ratio"]) for r in on_time
    }
    ratios = [r.ratio for r in board.on_time_by_agency.rows]
    assert ratios == sorted(ratios, reverse=True)  # type: ignore[type-var]

    status = api(client, "status", **PERIOD)["total"]
    assert {r.key: r.count for r in board.status.rows} == {
        k: v for k, v in status.items() if k not in ("key", "label", "total")
    }
    assert (status["accepted"], status["refused"], status["processed"], status["new"]) == (
        4,
        1,
        1,
        1,
    )

    catalogue = api(client, "catalogue")
    assert (
        {r.key: r.count for r in board.catalogue.rows}
        == catalogue["by_level"]
        == {
            "1": 1,
            "2": 0,
            "3": 1,
            "4": 1,
        }
    )
    groups = [r.group for r in board.catalogue.rows]
    assert groups[0] == groups[1] != groups[2] != groups[3]

    indicators = api(client, "indicators", **PERIOD)
    fields = ("code", "numerator", "denominator", "value", "points", "max_points")
    assert [tuple(getattr(r, f) for f in fields) for r in board.indicators.rows] == [
        tuple(i[f] for f in fields) for i in indicators
    ]
    assert board.indicators.points == sum(
        i["points"] for i in indicators if i["points"] is not None
    )
    assert board.poll_seconds == max(settings.stats_max_age_s, 30)


def test_the_default_period_is_the_apis(
    client: TestClient, session: Session, settings: Settings
) -> None:
    """This year up to today, Vietnam time; the links leave the period out, so a page left
    open on a screen follows the API's default as the days pass."""
    make_dossier(session, "accepted")
    board = build_dashboard(session, settings)
    today = reports.vietnam_today()
    assert (board.date_from, board.date_to) == (today.replace(month=1, day=1), today)
    body = api(client, "online-ratio", group_by="month")
    assert [(r.key, r.numerator, r.denominator) for r in board.online_by_month.rows] == [
        (r["key"], r["online"], r["total"]) for r in body["rows"]
    ]
    assert sum(r.denominator for r in board.online_by_month.rows) == 1
    assert board.online_by_month.links.json == f"{STATS}/online-ratio?group_by=month"
    assert board.status.links.csv == f"{STATS}/status?format=csv"


@pytest.mark.usefixtures("history")
def test_links_give_the_same_numbers_as_files(
    client: TestClient, session: Session, settings: Settings
) -> None:
    board = dashboard(session, settings)
    assert board.online_by_month.links.json == (
        f"{STATS}/online-ratio?from=2025-01-01&to=2025-06-30&group_by=month"
    )
    for links in [*(chart.links for chart in board.charts), board.indicators.links]:
        assert client.get(links.json).headers["content-type"] == "application/json"
        assert client.get(links.csv).headers["content-type"].startswith("text/csv")
        xlsx = client.get(links.xlsx)
        assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    raw = client.get(board.online_by_month.links.csv).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))[1:-1]  # without the header and the total
    assert [(r[0], int(r[2]), int(r[5])) for r in rows] == [
        (r.key, r.numerator, r.denominator) for r in board.online_by_month.rows
    ]


@pytest.mark.usefixtures("history")
def test_an_agency_narrows_everything_as_the_api_does(
    client: TestClient, session: Session, settings: Settings
) -> None:
    board = dashboard(session, settings, agency=JUSTICE)
    assert [r.key for r in board.online_by_agency.rows] == [JUSTICE]
    assert board.online_by_agency.links.json.endswith(f"agency={JUSTICE}&group_by=agency")
    assert board.catalogue.links.json == f"{STATS}/catalogue?agency={JUSTICE}"
    catalogue = api(client, "catalogue", agency=JUSTICE)
    assert {r.key: r.count for r in board.catalogue.rows} == catalogue["by_level"]
    status = api(client, "status", **PERIOD, agency=JUSTICE)["total"]
    assert {r.key: r.count for r in board.status.rows}["refused"] == status["refused"] == 1
    assert sum(r.count for r in board.status.rows) == status["total"] == 2


def test_bad_input_raises_what_the_api_answers(session: Session, settings: Settings) -> None:
    make_online_procedure(session)
    with pytest.raises(AgencyNotFound):
        dashboard(session, settings, agency="000.99.99.H99")
    with pytest.raises(InvalidPeriod):
        build_dashboard(session, settings, date_from=LAST, date_to=FIRST)


# -- the macros ---------------------------------------------------------------------------


def render(source: str, **context: Any) -> ET.Element:
    templates = Path(app.web.__file__).parent / "templates"
    env = Environment(
        loader=FileSystemLoader(templates), autoescape=True, undefined=StrictUndefined
    )
    html = env.from_string(source).render(**context)
    assert "<script>" not in html
    return ET.fromstring(f"<div>{html}</div>")


def cells(row: ET.Element) -> list[str]:
    return ["".join(cell.itertext()) for cell in row]


@pytest.mark.usefixtures("history")
def test_each_figure_has_its_hook_chart_and_a_table_of_the_same_numbers(
    session: Session, settings: Settings
) -> None:
    board = dashboard(session, settings)
    root = render(
        '{% from "_charts.html" import dashboard_charts, indicators_table %}'
        "{{ dashboard_charts(board) }}{{ indicators_table(board.indicators) }}",
        board=board,
    )
    figures = [f for f in root.iter("figure") if f.get("data-chart")]
    assert [f.get("data-chart") for f in figures] == HOOKS
    for figure, chart in zip(figures, board.charts, strict=True):
        tags = [child.tag for child in figure]
        assert tags[:3] == ["figcaption", SVG + "svg", "table"], tags  # svg, then its table
        svg, table = figure[1], figure[2]
        assert table.find("caption") is not None
        thead, tbody = table.find("thead"), table.find("tbody")
        assert thead is not None and tbody is not None
        assert {th.get("scope") for th in thead.iter("th")} == {"col"}
        assert {tr[0].tag + ":" + str(tr[0].get("scope")) for tr in tbody} == {"th:row"}
        body = [cells(tr) for tr in tbody]
        if chart.kind == "line":
            drawn = [c.findtext(SVG + "title") for c in svg.iter(SVG + "circle")]
            listed = [f"{row[0]}: {row[-1]}" for row in body if row[-1] != "—"]
        else:
            marks = "row" if chart.kind == "bars" else "column"
            groups = [g for g in svg.iter(SVG + "g") if g.get("class") == marks]
            drawn = [g.findtext(SVG + "title") for g in groups]
            listed = [f"{row[0]}: {row[-1]}" for row in body]
            assert len([r for r in svg.iter(SVG + "rect") if r.get("class") == "bar"]) == len(body)
        assert drawn == listed and drawn, chart.hook
        links = {a.get("data-format"): a.get("href") for a in figure.iter("a")}
        assert links == {"csv": chart.links.csv, "xlsx": chart.links.xlsx}
        assert figure.get("data-source") == chart.links.json

    months = figures[0]
    assert len(list(months[1].iter(SVG + "circle"))) == 2  # January and March had dossiers
    agencies = cells(list(figures[1][2].iter("tr"))[1])
    assert agencies == [JUSTICE_NAME, "1", "1", "100,0 %"]  # escaped, yet read back whole
    (figure,) = [f for f in root.iter("figure") if f.get("data-indicators") is not None]
    indicators = figure.find("table")
    assert indicators is not None
    codes = [tr.get("data-indicator") for tr in indicators.iter("tr") if tr.get("data-indicator")]
    assert codes == [r.code for r in board.indicators.rows]
