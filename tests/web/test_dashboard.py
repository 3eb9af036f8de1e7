"""The dashboard's view-model (app/web/dashboard.py) and its macros (templates/_charts.html)
against the statistics API: for the same period and agency, the numbers are the API's, the
links give the API's files, and each figure's table says what its chart draws."""

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import Engine, event
from sqlmodel import Session

import app.web
from app.config import Settings
from app.errors import AgencyNotFound, InvalidPeriod
from app.main import create_app
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
    indicators = figure.find(".//table")
    assert indicators is not None
    codes = [tr.get("data-indicator") for tr in indicators.iter("tr") if tr.get("data-indicator")]
    assert codes == [r.code for r in board.indicators.rows]


# -- the page /thong-ke ----------------------------------------------------------------------


def page_root(html: str) -> ET.Element:
    """The page's `<main>` as XML (the templates write well-formed markup)."""
    main = html[html.index("<main") : html.index("</main>") + len("</main>")]
    closed = re.sub(r"<(input|br|img)\b([^>]*?)/?>", r"<\1\2/>", main)
    closed = re.sub(r" (selected|checked|disabled|required)(?=[ >/])", r' \1=""', closed)
    return ET.fromstring(closed.replace("&nbsp;", "\u00a0"))


def figures_of(root: ET.Element) -> dict[str, ET.Element]:
    found = {str(f.get("data-chart")): f for f in root.iter("figure") if f.get("data-chart")}
    for figure in root.iter("figure"):
        if figure.get("data-indicators") == "":
            found["indicators"] = figure
    return found


@pytest.mark.usefixtures("history")
def test_the_page_draws_every_chart_from_the_apis_answers(client: TestClient) -> None:
    response = client.get("/thong-ke", params=PERIOD)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    root = page_root(response.text)
    figures = figures_of(root)
    assert list(figures) == [*HOOKS, "indicators"]
    board = next(e for e in root.iter("div") if e.get("data-dashboard") == "")
    assert int(board.get("data-poll") or 0) >= 30
    for hook in HOOKS:
        assert [c.tag for c in figures[hook]][:3] == ["figcaption", SVG + "svg", "table"]
    # The status table's numbers are the API's, in the API's status order.
    status = api(client, "status", **PERIOD)["total"]
    rows = [cells(tr) for tr in figures["status"].iter("tr")][1:]
    assert rows[-1] == ["Tổng số", str(status["total"])]
    assert rows[:-1][0] == ["Mới đăng ký", str(status["new"])]
    assert [int(r[1]) for r in rows[:-1]] == [
        v for k, v in status.items() if k not in ("key", "label", "total")
    ]
    # Each figure names the JSON it was drawn from and the tag the API sends for it, so the
    # page's first poll is a 304.
    for name, figure in figures.items():
        source, etag = figure.get("data-source"), figure.get("data-etag")
        assert source and source.startswith(f"{STATS}/"), name
        assert ("from=2025-01-01" in source) == (name != "catalogue-by-level"), source
        answer = client.get(str(source))
        assert answer.status_code == 200 and answer.headers["etag"] == etag, name
        again = client.get(str(source), headers={"If-None-Match": str(etag)})
        assert again.status_code == 304, name


def test_the_default_page_is_this_year_and_polls_the_apis_default(
    client: TestClient, session: Session
) -> None:
    make_dossier(session, "accepted")
    html = client.get("/thong-ke").text
    today = reports.vietnam_today()
    root = page_root(html)
    period = next(p for p in root.iter("p") if p.get("data-period-from"))
    assert period.get("data-period-from") == today.replace(month=1, day=1).isoformat()
    assert period.get("data-period-to") == today.isoformat()
    sources = [f.get("data-source") for f in figures_of(root).values()]
    assert f"{STATS}/status" in sources and f"{STATS}/online-ratio?group_by=month" in sources
    assert "từ 01/01/" in "".join(period.itertext())
    # The picker's date inputs stay empty: a screen left on follows the year as days pass.
    dates = [i for i in root.iter("input") if i.get("type") == "date"]
    assert [(i.get("name"), i.get("value")) for i in dates] == [("from", ""), ("to", "")]


@pytest.mark.usefixtures("history")
def test_an_agency_and_dates_written_the_vietnamese_way_are_picked(client: TestClient) -> None:
    response = client.get(
        "/thong-ke", params={"from": "01/01/2025", "to": "30/06/2025", "agency": JUSTICE}
    )
    assert response.status_code == 200
    root = page_root(response.text)
    sources = {k: f.get("data-source") for k, f in figures_of(root).items()}
    assert sources["status"] == f"{STATS}/status?from=2025-01-01&to=2025-06-30&agency={JUSTICE}"
    assert sources["catalogue-by-level"] == f"{STATS}/catalogue?agency={JUSTICE}"
    dates = {i.get("name"): i.get("value") for i in root.iter("input") if i.get("type") == "date"}
    assert dates == {"from": "2025-01-01", "to": "2025-06-30"}
    (chosen,) = [o for o in root.iter("option") if o.get("selected") is not None]
    assert chosen.get("value") == JUSTICE
    status = api(client, "status", **PERIOD, agency=JUSTICE)["total"]
    footer = [cells(tr) for tr in figures_of(root)["status"].iter("tr")][-1]
    assert footer == ["Tổng số", str(status["total"])] and status["total"] == 2


def picker_errors(html: str) -> dict[str, str]:
    root = page_root(html)
    errors = {str(p.get("id")): "".join(p.itertext()) for p in root.iter("p") if p.get("id")}
    invalid = {
        str(c.get("name")): str(c.get("aria-describedby"))
        for c in [*root.iter("input"), *root.iter("select")]
        if c.get("aria-invalid") == "true"
    }
    assert not figures_of(root), "a refused picker draws no chart"
    return {
        name: errors[described.split()[0]]
        for name, described in invalid.items()
        if described.split()[0] in errors
    }


@pytest.mark.parametrize(
    ("params", "status", "expected"),
    [
        ({"from": "31/02/2025"}, 422, {"from": "Ngày không hợp lệ"}),
        ({"to": "hôm qua"}, 422, {"to": "Ngày không hợp lệ"}),
        (
            {"from": "2025-06-30", "to": "2025-01-01"},
            422,
            {"from": "Khoảng thời gian không hợp lệ. Phải trước hoặc bằng 'to'."},
        ),
        (
            {"from": "2010-01-01", "to": "2025-01-01"},
            422,
            {"to": "Khoảng thời gian không hợp lệ. Khoảng thời gian tối đa 10 năm."},
        ),
        (
            {"agency": "000.99.99.H99"},
            404,
            {"agency": "Không tìm thấy cơ quan có mã 000.99.99.H99."},
        ),
    ],
)
def test_a_refused_picker_shows_the_apis_refusal_next_to_its_control(
    client: TestClient,
    session: Session,
    params: dict[str, str],
    status: int,
    expected: dict[str, str],
) -> None:
    make_online_procedure(session)
    response = client.get("/thong-ke", params=params)
    assert response.status_code == status
    shown = picker_errors(response.text)
    assert shown.keys() == expected.keys()
    for name, message in expected.items():
        assert shown[name].startswith(message), shown
    # The API refuses the same parameters with the same status.
    assert client.get(f"{STATS}/status", params=params).status_code == status


@pytest.mark.usefixtures("history")
def test_english_keeps_the_numbers_and_the_language(client: TestClient) -> None:
    html = client.get("/thong-ke", params={**PERIOD, "lang": "en"}).text
    root = page_root(html)
    figures = figures_of(root)
    assert "".join(figures["status"].find("figcaption").itertext()) == "Dossiers by status"  # type: ignore[union-attr]
    rows = [cells(tr) for tr in figures["status"].iter("tr")]
    assert rows[0] == ["Status", "Count"] and rows[1][0] == "Newly submitted"
    assert "Tiếng Việt" in html and 'name="lang" value="en"' in html
    vietnamese = page_root(client.get("/thong-ke", params=PERIOD).text)
    assert [cells(tr)[1:] for tr in figures_of(vietnamese)["status"].iter("tr")][1:] == [
        r[1:] for r in rows[1:]
    ]


@pytest.mark.usefixtures("history")
def test_the_page_asked_again_in_the_same_revision_costs_no_query(
    client: TestClient, engine: Engine
) -> None:
    assert client.get("/thong-ke", params=PERIOD).status_code == 200
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/thong-ke", params=PERIOD).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Only the catalogue snapshot's own check (catalogue_cache_check_s=0 in the tests' settings):
    # no report is built again, no revision read within stats_check_s.
    assert statements and all("FROM catalogue_revision" in s for s in statements), statements


def test_a_new_dossier_changes_the_etag_the_page_gives(
    settings: Settings, engine: Engine, session: Session
) -> None:
    make_online_procedure(session)
    fresh = settings.model_copy(update={"stats_check_s": 0})
    with TestClient(create_app(fresh, engine)) as client:
        before = figures_of(page_root(client.get("/thong-ke").text))["status"].get("data-etag")
        received(engine, "1.001193.H20", datetime.now(VN_TZ))
        figure = figures_of(page_root(client.get("/thong-ke").text))["status"]
        assert figure.get("data-etag") != before
        assert client.get(str(figure.get("data-source"))).headers["etag"] == figure.get("data-etag")
        footer = [cells(tr) for tr in figure.iter("tr")][-1]
        assert footer == ["Tổng số", "1"]


def test_a_province_of_150_agencies_draws_the_best_and_the_worst_under_100_kb(
    client: TestClient, session: Session, engine: Engine
) -> None:
    """Since the 2025 reform a province has over a hundred communes: the charts by agency
    draw the ten highest and the ten lowest and count the others between them; the API's
    files keep every agency, and the page stays under its weight budget."""
    make_online_procedure(session)
    province = session.get_one(Agency, PROVINCE)
    field = session.get_one(ProcedureField, "G01")
    for i in range(150):
        commune = make_agency(
            session,
            f"000.{i // 100:02d}.{i % 100:02d}.H21",
            f"Ủy ban nhân dân xã Số {i:03d}",
            parent=province,
        )
        make_procedure(session, commune, field, code=f"2.{i:06d}.H20", level=4)
        # 0 to 2 dossiers received (one more never accepted): ratios and counts differ, and a
        # third of the communes have none in the period.
        for n in range(i % 3 + 1):
            received(engine, f"2.{i:06d}.H20", vn(3, 5), accept=n > 0)
    response = client.get("/thong-ke", params=PERIOD)
    assert response.status_code == 200
    assert len(response.content) < 100_000, len(response.content)
    figures = figures_of(page_root(response.text))
    api_rows = api(client, "online-ratio", **PERIOD, group_by="agency")["rows"]
    with_dossiers = sorted(
        (r for r in api_rows if r["total"]),
        key=lambda r: (-(r["online_ratio"] or 0), -r["total"], r["label"]),
    )
    assert len(with_dossiers) == 100
    rows = [cells(tr) for tr in figures["online-ratio-by-agency"].find("table").iter("tr")][1:]  # type: ignore[union-attr]
    expected = [r["label"] for r in with_dossiers[:10]], [r["label"] for r in with_dossiers[-10:]]
    assert [r[0] for r in rows[:10]] == expected[0] and [r[0] for r in rows[11:]] == expected[1]
    assert rows[10] == ["… 80 cơ quan khác ở giữa (đầy đủ trong tệp CSV và XLSX)"]
    caption = "".join(figures["online-ratio-by-agency"][0].itertext())
    assert caption.endswith("(51 cơ quan không có hồ sơ trong kỳ)")  # 50 communes, the province
    svg = figures["online-ratio-by-agency"][1]
    drawn = [g.findtext(SVG + "title") for g in svg.iter(SVG + "g") if g.get("class") == "row"]
    assert len(drawn) == 21 and drawn[10] == f"{rows[10][0]}: "
    csv_rows = client.get(
        f"{STATS}/online-ratio", params={**PERIOD, "group_by": "agency", "format": "csv"}
    )
    assert csv_rows.text.count("Ủy ban nhân dân xã Số") == 150
