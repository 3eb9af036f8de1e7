"""The public dashboard's numbers (`/thong-ke`, issue 15) as one view-model for its templates
(templates/_charts.html) and charts (charts.py).

Every number comes from the report builders the statistics API encodes
(`app/services/stats/reports.py`: `grouped_report`, `catalogue_report`, `indicators_report`),
called with the same query the API builds from the same parameters (`reports.period_query`),
so a chart, its table, and the API's JSON, CSV and XLSX that the page links to cannot
disagree: no formula is written here. Each chart carries the API's URLs of its numbers; the
page polls the JSON one with `If-None-Match`, so an unchanged period costs a 304.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlmodel import Session

from app.config import Settings
from app.models.catalogue import online_mode_for
from app.models.dossier import STATUS_LABELS, DossierStatus
from app.services.catalogue.scope import ProcedureScope
from app.services.stats import reports
from app.services.stats.queries import GroupBy, Names
from app.web import charts

STATS_API = "/api/v1/stats"
# A poll sooner than the answers' max-age would get the browser's cached copy back, and a
# wall screen does not need fresher numbers than twice a minute.
MIN_POLL_S = 30
# Indicator 2.2 is an average time in days (services/stats/indicators.py); the others are ratios.
AVERAGES_IN_DAYS = frozenset({"2.2"})
MODE_COLOURS = {"none": charts.GREY, "partial": charts.BLUE, "full": charts.GREEN}


@dataclass(frozen=True)
class Links:
    """The statistics API's URLs of a chart's numbers: `json` (what the page polls), `csv`
    and `xlsx` (the download links; the API takes `format=` in the query)."""

    json: str
    csv: str
    xlsx: str


@dataclass(frozen=True)
class Table:
    """A chart's numbers as its `<table>` shows them, already written for people."""

    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first cell of each is the row's heading
    footer: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RatioRow:
    key: str
    label: str
    numerator: int
    denominator: int
    ratio: float | None

    @property
    def percent(self) -> str:
        return charts.percent(self.ratio)


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int
    group: str = ""  # the catalogue's online mode of a level
    colour: str = charts.BLUE

    @property
    def text(self) -> str:
        return charts.count(self.count)


@dataclass(frozen=True)
class RatioChart:
    """A ratio per group: drawn as a line (`kind="line"`) or as bars (`kind="bars"`)."""

    hook: str  # the figure's data-chart (docs/API.md, Web pages)
    kind: str
    title: str
    description: str
    label_heading: str
    numerator_heading: str
    denominator_heading: str
    rows: tuple[RatioRow, ...]
    links: Links
    omitted: int = 0  # groups without any dossier, neither drawn nor listed

    def data(self) -> list[charts.Datum]:
        return [charts.Datum(r.label, r.ratio, r.percent) for r in self.rows]

    def svg(self) -> Markup:
        chart_id = f"chart-{self.hook}"
        if self.kind == "line":
            return charts.line_chart(
                self.data(), chart_id=chart_id, title=self.title, desc=self.description
            )
        return charts.bar_chart(
            self.data(), chart_id=chart_id, title=self.title, desc=self.description, maximum=1
        )

    def table(self) -> Table:
        headings = (self.label_heading, self.numerator_heading, self.denominator_heading, "Tỷ lệ")
        rows = tuple(
            (r.label, charts.count(r.numerator), charts.count(r.denominator), r.percent)
            for r in self.rows
        )
        return Table(self.title, headings, rows)


@dataclass(frozen=True)
class CountChart:
    """A count per group: drawn as bars (`kind="bars"`) or columns (`kind="columns"`)."""

    hook: str
    kind: str
    title: str
    description: str
    label_heading: str
    group_heading: str  # "" when the rows have no group
    rows: tuple[CountRow, ...]
    links: Links
    footer: tuple[str, ...] | None = None
    omitted: int = 0  # as RatioChart's, for the figure's caption (no count is left out)

    def data(self) -> list[charts.Datum]:
        return [charts.Datum(r.label, r.count, r.text, r.colour) for r in self.rows]

    def svg(self) -> Markup:
        chart_id = f"chart-{self.hook}"
        if self.kind == "columns":
            legend = list(dict.fromkeys((r.colour, r.group) for r in self.rows if r.group))
            return charts.column_chart(
                self.data(),
                chart_id=chart_id,
                title=self.title,
                desc=self.description,
                legend=legend,
            )
        biggest = max((r.count for r in self.rows), default=0)
        return charts.bar_chart(
            self.data(),
            chart_id=chart_id,
            title=self.title,
            desc=self.description,
            maximum=biggest,
        )

    def table(self) -> Table:
        grouped = bool(self.group_heading)
        headings = (self.label_heading, *((self.group_heading,) if grouped else ()), "Số lượng")
        rows = tuple((r.label, *((r.group,) if grouped else ()), r.text) for r in self.rows)
        return Table(self.title, headings, rows, self.footer)


@dataclass(frozen=True)
class IndicatorRow:
    """One Decision 766 indicator as the indicators endpoint returns it."""

    code: str
    name: str
    formula: str
    basis: str
    numerator: int | float | None
    denominator: int | float | None
    value: float | None
    threshold: float | None
    max_points: float
    points: float | None
    note: str | None

    @property
    def value_text(self) -> str:
        if self.code in AVERAGES_IN_DAYS:
            return "—" if self.value is None else f"{charts.decimal(self.value)} ngày"
        return charts.percent(self.value)

    @property
    def numerator_text(self) -> str:
        return _amount(self.numerator)

    @property
    def denominator_text(self) -> str:
        return _amount(self.denominator)

    @property
    def threshold_text(self) -> str:
        return charts.percent(self.threshold)

    @property
    def max_points_text(self) -> str:
        return _amount(self.max_points)

    @property
    def points_text(self) -> str:
        return _amount(self.points)


def _amount(value: int | float | None) -> str:
    """A count as `1.234`, a fraction (2.2's days, points) as `12,5`; `—` for none."""
    if value is None:
        return "—"
    if isinstance(value, int) or value == int(value):
        return charts.count(int(value))
    return charts.decimal(value)


@dataclass(frozen=True)
class Indicators:
    rows: tuple[IndicatorRow, ...]
    links: Links

    @property
    def points(self) -> float:
        """The points earned, as the API's CSV/XLSX total row adds them."""
        return sum(r.points for r in self.rows if r.points is not None)

    @property
    def max_points(self) -> float:
        return sum(r.max_points for r in self.rows)

    @property
    def points_text(self) -> str:
        return _amount(self.points)

    @property
    def max_points_text(self) -> str:
        return _amount(self.max_points)


@dataclass(frozen=True)
class Dashboard:
    """Everything `/thong-ke` shows for a period and an agency (its subtree), in page order."""

    date_from: date
    date_to: date
    agency: str | None
    online_by_month: RatioChart
    online_by_agency: RatioChart
    on_time_by_agency: RatioChart
    status: CountChart
    catalogue: CountChart
    indicators: Indicators
    poll_seconds: int

    @property
    def charts(self) -> tuple[RatioChart | CountChart, ...]:
        return (
            self.online_by_month,
            self.online_by_agency,
            self.on_time_by_agency,
            self.status,
            self.catalogue,
        )


def build_dashboard(
    session: Session,
    settings: Settings,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    agency: str | None = None,
    names: Names | None = None,
) -> Dashboard:
    """The dashboard for receipt dates `date_from`–`date_to` (inclusive; by default, as the
    API: this year up to today, Vietnam time) and `agency` with its subtree (all when None).

    `names`: the catalogue as the statistics read it (`StatsCache.names(session)`; read here
    when not given). Raises what the API answers with an error: `InvalidPeriod` (422) and
    `AgencyNotFound` (404)."""
    names = names or Names(session)
    given = _given(date_from, date_to, agency)

    def body(kind: str, group_by: GroupBy) -> Any:
        query = reports.period_query(date_from, date_to, group_by, agency=agency)
        builder = {"indicators": reports.indicators_report}.get(kind)
        build = builder(query) if builder else reports.grouped_report(kind, query)
        return build(session, names).body

    def links(path: str, **extra: str) -> Links:
        return _links(path, {**given, **extra})

    by_month = body("online-ratio", GroupBy.month)
    # The catalogue's scope is the API's for `agency` (routers/stats.py, CatalogueParams).
    catalogue = reports.catalogue_report(ProcedureScope(agency=agency))(session, names).body
    return Dashboard(
        date_from=date.fromisoformat(by_month["from"]),
        date_to=date.fromisoformat(by_month["to"]),
        agency=agency,
        online_by_month=_online_by_month(by_month, links("online-ratio", group_by="month")),
        online_by_agency=_online_by_agency(
            body("online-ratio", GroupBy.agency), links("online-ratio", group_by="agency")
        ),
        on_time_by_agency=_on_time_by_agency(
            body("on-time", GroupBy.agency), links("on-time", group_by="agency")
        ),
        status=_status(body("status", GroupBy.none), links("status")),
        catalogue=_catalogue(catalogue, _links("catalogue", _only(given, "agency"))),
        indicators=_indicators(body("indicators", GroupBy.none), links("indicators")),
        poll_seconds=max(settings.stats_max_age_s, MIN_POLL_S),
    )


def _given(date_from: date | None, date_to: date | None, agency: str | None) -> dict[str, str]:
    """The parameters as given: a missing date stays missing in the links, so that a page
    left open polls the API's own default period (this year up to today) as days pass."""
    given = {"from": date_from, "to": date_to, "agency": agency}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in given.items() if v}


def _only(params: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in params.items() if k in names}


def _links(path: str, params: dict[str, str]) -> Links:
    base = f"{STATS_API}/{path}"

    def url(extra: dict[str, str]) -> str:
        query = urlencode({**params, **extra})
        return f"{base}?{query}" if query else base

    return Links(url({}), url({"format": "csv"}), url({"format": "xlsx"}))


def _month_label(key: str) -> str:
    """`2026-01` → `01/2026`."""
    year, month = key.split("-")
    return f"{month}/{year}"


def _period_text(body: Any) -> str:
    first, last = date.fromisoformat(body["from"]), date.fromisoformat(body["to"])
    return f"từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}"


def _online_by_month(body: Any, links: Links) -> RatioChart:
    rows = tuple(
        RatioRow(r["key"], _month_label(r["key"]), r["online"], r["total"], r["online_ratio"])
        for r in body["rows"]
    )
    total = body["total"]
    description = (
        f"Tỷ lệ hồ sơ tiếp nhận trực tuyến theo tháng, {_period_text(body)}: cả kỳ "
        f"{charts.percent(total['online_ratio'])} ({charts.count(total['online'])} trên "
        f"{charts.count(total['total'])} hồ sơ). Tháng không có hồ sơ không có điểm."
    )
    return RatioChart(
        "online-ratio-by-month",
        "line",
        "Tỷ lệ hồ sơ trực tuyến theo tháng",
        description,
        "Tháng",
        "Trực tuyến",
        "Tổng số tiếp nhận",
        rows,
        links,
    )


def _by_agency(
    body: Any,
    row: Callable[[dict[str, Any]], RatioRow],
    links: Links,
    texts: tuple[str, str, str, str],
    hook: str,
) -> RatioChart:
    """Agencies with dossiers, the best ratio first (then the most dossiers, then the name);
    those without any are counted, not drawn."""
    everyone = [row(r) for r in body["rows"]]
    shown = sorted(
        (r for r in everyone if r.denominator),
        key=lambda r: (-(r.ratio or 0), -r.denominator, r.label),
    )
    omitted = len(everyone) - len(shown)
    title, numerator, denominator, what = texts
    description = f"{what} của từng cơ quan, {_period_text(body)}, từ cao xuống thấp" + (
        f"; {charts.count(omitted)} cơ quan không có hồ sơ trong kỳ." if omitted else "."
    )
    return RatioChart(
        hook,
        "bars",
        title,
        description,
        "Cơ quan",
        numerator,
        denominator,
        tuple(shown),
        links,
        omitted,
    )


def _online_by_agency(body: Any, links: Links) -> RatioChart:
    def row(r: dict[str, Any]) -> RatioRow:
        return RatioRow(r["key"], r["label"], r["online"], r["total"], r["online_ratio"])

    texts = (
        "Tỷ lệ hồ sơ trực tuyến theo cơ quan",
        "Trực tuyến",
        "Tổng số tiếp nhận",
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
    )
    return _by_agency(body, row, links, texts, "online-ratio-by-agency")


def _on_time_by_agency(body: Any, links: Links) -> RatioChart:
    def row(r: dict[str, Any]) -> RatioRow:
        # Indicator 2.1's numerator, as services/stats/indicators.py counts it.
        in_time = r["on_time"] + r["in_progress"] - r["overdue_in_progress"]
        return RatioRow(r["key"], r["label"], in_time, r["to_process"], r["on_time_ratio"])

    texts = (
        "Tỷ lệ hồ sơ giải quyết đúng hạn theo cơ quan",
        "Đúng hạn (kể cả đang giải quyết chưa đến hạn)",
        "Phải giải quyết",
        "Tỷ lệ hồ sơ giải quyết đúng hạn (chỉ số 2.1)",
    )
    return _by_agency(body, row, links, texts, "on-time-by-agency")


def _status(body: Any, links: Links) -> CountChart:
    total = body["total"]
    rows = tuple(CountRow(s.value, STATUS_LABELS[s], total[s.value]) for s in DossierStatus)
    description = (
        f"Hồ sơ nộp {_period_text(body)} theo trạng thái hiện tại: tổng "
        f"{charts.count(total['total'])} hồ sơ."
    )
    return CountChart(
        "status",
        "bars",
        "Hồ sơ theo trạng thái",
        description,
        "Trạng thái",
        "",
        rows,
        links,
        ("Tổng số", charts.count(total["total"])),
    )


def _catalogue(body: Any, links: Links) -> CountChart:
    rows = []
    for level, n in body["by_level"].items():
        mode = online_mode_for(int(level)).value
        label = reports.CATALOGUE_LABELS[f"online_mode_{mode}"]
        rows.append(CountRow(level, f"Mức độ {level}", n, label, MODE_COLOURS[mode]))
    share = charts.percent(body["online_service_share"])
    online = charts.count(body["online_services"])
    description = (
        f"Thủ tục đang áp dụng theo mức độ: tổng {charts.count(body['total'])} thủ tục, "
        f"{online} cung cấp trực tuyến (mức độ 3–4), {share}."
    )
    return CountChart(
        "catalogue-by-level",
        "columns",
        "Thủ tục theo mức độ và hình thức trực tuyến",
        description,
        "Mức độ",
        "Hình thức trực tuyến",
        tuple(rows),
        links,
        ("Tổng số", f"Trực tuyến (mức độ 3–4): {online} — {share}", charts.count(body["total"])),
    )


def _indicators(items: Any, links: Links) -> Indicators:
    fields = IndicatorRow.__dataclass_fields__
    rows = tuple(IndicatorRow(**{k: v for k, v in item.items() if k in fields}) for item in items)
    return Indicators(rows, links)
