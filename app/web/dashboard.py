"""The public dashboard's numbers (`/thong-ke`, issue 15) as one view-model for its templates
(templates/dashboard.html, templates/_charts.html) and charts (charts.py).

Every number comes from the report builders the statistics API encodes
(`app/services/stats/reports.py`: `grouped_report`, `catalogue_report`, `indicators_report`),
called with the same query the API builds from the same parameters (`reports.period_query`)
and encoded as the API encodes them (`reports.encode`), so a chart, its table, and the API's
JSON, CSV and XLSX that the page links to cannot disagree: no formula is written here. Each
chart carries the API's URLs of its numbers and the ETag the API sends for them; the page
polls the JSON with `If-None-Match`, so an unchanged period costs a 304.

The page reads the reports through the statistics cache (`cached_dashboard`), as the API
does: a dashboard asked again within the same data revision costs no query.
"""

import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.models.catalogue import online_mode_for
from app.models.dossier import STATUS_LABELS, DossierStatus
from app.services.catalogue.scope import ProcedureScope
from app.services.stats import reports
from app.services.stats.cache import Answer, StatsCache
from app.services.stats.queries import GroupBy, Names
from app.services.stats.reports import Builder, Format
from app.web import charts
from app.web.i18n import Lang, named, translate

STATS_API = "/api/v1/stats"
# A poll sooner than the answers' max-age would get the browser's cached copy back, and a
# wall screen does not need fresher numbers than twice a minute.
MIN_POLL_S = 30
# Indicator 2.2 is an average time in days (services/stats/indicators.py); the others are ratios.
AVERAGES_IN_DAYS = frozenset({"2.2"})
MODE_COLOURS = {"none": charts.GREY, "partial": charts.BLUE, "full": charts.GREEN}
# A chart by agency draws at most this many agencies: the best half and the worst half, the
# others counted between them (all are in the API's CSV and XLSX). A province since the 2025
# reform has over a hundred communes; drawn and listed, they weighed 190 KB at 150 agencies,
# and a wall screen cannot show that many bars anyway.
AGENCY_BARS = 20
# The reports of a dashboard: (kind, grouping), in the order the page asks for them.
REPORTS: tuple[tuple[str, GroupBy], ...] = (
    ("online-ratio", GroupBy.month),
    ("online-ratio", GroupBy.agency),
    ("on-time", GroupBy.agency),
    ("status", GroupBy.none),
    ("catalogue", GroupBy.none),
    ("indicators", GroupBy.none),
)


@dataclass(frozen=True)
class Links:
    """The statistics API's URLs of a chart's numbers: `json` (what the page polls), `csv`
    and `xlsx` (the download links; the API takes `format=` in the query), and `etag`, the
    tag the API sends with the JSON as the page was drawn (the first poll's If-None-Match)."""

    json: str
    csv: str
    xlsx: str
    etag: str = ""


@dataclass(frozen=True)
class Words:
    """The words around a chart's numbers, in the page's language."""

    downloads: str  # "Tải số liệu …:" before the CSV and XLSX links
    empty: str  # a table without rows
    omitted: str = ""  # the caption's note on groups left out ("" when none)


@dataclass(frozen=True)
class Table:
    """A chart's numbers as its `<table>` shows them, already written for people."""

    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first cell of each is the row's heading
    footer: tuple[str, ...] | None = None
    empty: str = ""


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
    headings: tuple[str, str, str, str]  # the group, the numerator, the denominator, the ratio
    rows: tuple[RatioRow, ...]
    links: Links
    words: Words
    omitted: int = 0  # groups without any dossier, neither drawn nor listed
    hidden: int = 0  # groups with dossiers between the best and the worst, not drawn
    gap: str = ""  # what stands for them, after the first half of `rows`

    def data(self) -> list[charts.Datum]:
        data = [charts.Datum(r.label, r.ratio, r.percent) for r in self.rows]
        if self.hidden:
            data.insert(len(self.rows) // 2, charts.Datum(self.gap, None, ""))
        return data

    def svg(self) -> Markup:
        chart_id = f"chart-{self.hook}"
        if self.kind == "line":
            return charts.line_chart(
                self.data(),
                chart_id=chart_id,
                title=self.title,
                desc=self.description,
                empty=self.words.empty,
            )
        return charts.bar_chart(
            self.data(),
            chart_id=chart_id,
            title=self.title,
            desc=self.description,
            maximum=1,
            empty=self.words.empty,
        )

    def table(self) -> Table:
        rows: list[tuple[str, ...]] = [
            (r.label, charts.count(r.numerator), charts.count(r.denominator), r.percent)
            for r in self.rows
        ]
        if self.hidden:
            rows.insert(len(self.rows) // 2, (self.gap,))  # one cell across the table
        return Table(self.title, self.headings, tuple(rows), empty=self.words.empty)


@dataclass(frozen=True)
class CountChart:
    """A count per group: drawn as bars (`kind="bars"`) or columns (`kind="columns"`)."""

    hook: str
    kind: str
    title: str
    description: str
    headings: tuple[str, ...]  # the group, its online mode when grouped, the count
    rows: tuple[CountRow, ...]
    links: Links
    words: Words
    footer: tuple[str, ...] | None = None
    omitted: int = 0  # as RatioChart's (no count is left out)

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
        grouped = len(self.headings) == 3
        rows = tuple((r.label, *((r.group,) if grouped else ()), r.text) for r in self.rows)
        return Table(self.title, self.headings, rows, self.footer, self.words.empty)


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
    lang: Lang = "vi"

    @property
    def value_text(self) -> str:
        if self.code in AVERAGES_IN_DAYS:
            if self.value is None:
                return "—"
            return translate(self.lang, "dash_days", n=charts.decimal(self.value))
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


INDICATOR_HEADINGS = (
    "dash_ind_code",
    "dash_ind_name",
    "dash_numerator",
    "dash_denominator",
    "dash_ind_value",
    "dash_ind_threshold",
    "dash_ind_points",
    "dash_ind_max_points",
    "dash_ind_note",
)


@dataclass(frozen=True)
class Indicators:
    rows: tuple[IndicatorRow, ...]
    links: Links
    caption: str
    headings: tuple[str, ...]
    total: str  # the footer's heading
    words: Words

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


# Answers a report of the dashboard: (kind, grouping) → the API's encoded JSON answer.
Fetch = Callable[[str, GroupBy], Answer]


def builder_of(
    kind: str, group_by: GroupBy, date_from: date | None, date_to: date | None, agency: str | None
) -> Builder:
    """The API's builder of a report for these parameters (routers/stats.py builds the same
    from its query; the catalogue's scope is CatalogueParams's for `agency`)."""
    if kind == "catalogue":
        return reports.catalogue_report(ProcedureScope(agency=agency))
    query = reports.period_query(date_from, date_to, group_by, agency=agency)
    if kind == "indicators":
        return reports.indicators_report(query)
    return reports.grouped_report(kind, query)


def build_dashboard(
    session: Session,
    settings: Settings,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    agency: str | None = None,
    names: Names | None = None,
    lang: Lang = "vi",
) -> Dashboard:
    """The dashboard for receipt dates `date_from`–`date_to` (inclusive; by default, as the
    API: this year up to today, Vietnam time) and `agency` with its subtree (all when None),
    read with `session` (no cache).

    `names`: the catalogue as the statistics read it (`StatsCache.names(session)`; read here
    when not given). Raises what the API answers with an error: `InvalidPeriod` (422) and
    `AgencyNotFound` (404)."""
    names = names or Names(session)

    def fetch(kind: str, group_by: GroupBy) -> Answer:
        build = builder_of(kind, group_by, date_from, date_to, agency)
        return reports.encode(build(session, names), Format.json, ())

    return assemble(fetch, settings, date_from, date_to, agency, lang)


def cached_dashboard(
    engine: Engine,
    cache: StatsCache,
    settings: Settings,
    *,
    date_from: date | None,
    date_to: date | None,
    agency: str | None,
    lang: Lang,
) -> Dashboard:
    """`build_dashboard` through the statistics cache at its current revision (refresh it
    first when it is not fresh): each report is built once per revision and Vietnam date
    (sync: call it from a worker thread)."""
    today = reports.vietnam_today()

    def fetch(kind: str, group_by: GroupBy) -> Answer:
        key: Hashable = ("dashboard", kind, group_by, date_from, date_to, agency, today)
        build = builder_of(kind, group_by, date_from, date_to, agency)
        return reports.answer(engine, cache, key, build, Format.json)

    return assemble(fetch, settings, date_from, date_to, agency, lang)


def assemble(
    fetch: Fetch,
    settings: Settings,
    date_from: date | None,
    date_to: date | None,
    agency: str | None,
    lang: Lang,
) -> Dashboard:
    """The dashboard from the API's answers, with the API's links for the parameters given."""
    given = _given(date_from, date_to, agency)
    words = _Words(lang)

    def answer(kind: str, group_by: GroupBy) -> tuple[Any, Links]:
        found = fetch(kind, group_by)
        params = _only(given, "agency") if kind == "catalogue" else given
        extra = {"group_by": group_by.value} if group_by != GroupBy.none else {}
        return json.loads(found.body), _links(kind, {**params, **extra}, found.etag)

    by_month, by_month_links = answer("online-ratio", GroupBy.month)
    return Dashboard(
        date_from=date.fromisoformat(by_month["from"]),
        date_to=date.fromisoformat(by_month["to"]),
        agency=agency,
        online_by_month=_online_by_month(by_month, by_month_links, words),
        online_by_agency=_online_by_agency(*answer("online-ratio", GroupBy.agency), words),
        on_time_by_agency=_on_time_by_agency(*answer("on-time", GroupBy.agency), words),
        status=_status(*answer("status", GroupBy.none), words),
        catalogue=_catalogue(*answer("catalogue", GroupBy.none), words),
        indicators=_indicators(*answer("indicators", GroupBy.none), words),
        poll_seconds=max(settings.stats_max_age_s, MIN_POLL_S),
    )


@dataclass(frozen=True)
class _Words:
    """The page language's words (app/web/i18n.py, keys `dash_…`)."""

    lang: Lang

    def __call__(self, key: str, **values: object) -> str:
        return translate(self.lang, key, **values)

    def chart(self, title: str, omitted: int = 0) -> Words:
        note = self("dash_omitted", n=charts.count(omitted)) if omitted else ""
        return Words(self("dash_downloads", what=title), self("dash_empty"), note)

    def period(self, body: Any) -> str:
        first, last = date.fromisoformat(body["from"]), date.fromisoformat(body["to"])
        return self("dash_period_text", first=f"{first:%d/%m/%Y}", last=f"{last:%d/%m/%Y}")


def _given(date_from: date | None, date_to: date | None, agency: str | None) -> dict[str, str]:
    """The parameters as given: a missing date stays missing in the links, so that a page
    left open polls the API's own default period (this year up to today) as days pass."""
    given = {"from": date_from, "to": date_to, "agency": agency}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in given.items() if v}


def _only(params: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in params.items() if k in names}


def _links(path: str, params: dict[str, str], etag: str) -> Links:
    base = f"{STATS_API}/{path}"

    def url(extra: dict[str, str]) -> str:
        query = urlencode({**params, **extra})
        return f"{base}?{query}" if query else base

    return Links(url({}), url({"format": "csv"}), url({"format": "xlsx"}), etag)


def _month_label(key: str) -> str:
    """`2026-01` → `01/2026`."""
    year, month = key.split("-")
    return f"{month}/{year}"


def _online_by_month(body: Any, links: Links, w: _Words) -> RatioChart:
    rows = tuple(
        RatioRow(r["key"], _month_label(r["key"]), r["online"], r["total"], r["online_ratio"])
        for r in body["rows"]
    )
    total = body["total"]
    title = w("dash_online_month")
    description = w(
        "dash_online_month_desc",
        period=w.period(body),
        ratio=charts.percent(total["online_ratio"]),
        online=charts.count(total["online"]),
        total=charts.count(total["total"]),
    )
    headings = (w("dash_month"), w("dash_online"), w("dash_received"), w("dash_ratio"))
    return RatioChart(
        "online-ratio-by-month", "line", title, description, headings, rows, links, w.chart(title)
    )


def _by_agency(
    body: Any,
    row: Callable[[dict[str, Any]], RatioRow],
    links: Links,
    w: _Words,
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
    hidden = max(len(shown) - AGENCY_BARS, 0)
    if hidden:
        shown = shown[: AGENCY_BARS // 2] + shown[-(AGENCY_BARS // 2) :]
    title, numerator, denominator, what = (w(key) for key in texts)
    description = w("dash_by_agency_desc", what=what, period=w.period(body))
    if hidden:
        description += w("dash_by_agency_hidden", n=charts.count(AGENCY_BARS // 2))
    if omitted:
        description += w("dash_by_agency_omitted", n=charts.count(omitted))
    headings = (w("dash_agency"), numerator, denominator, w("dash_ratio"))
    return RatioChart(
        hook,
        "bars",
        title,
        description + ("" if description.endswith(".") else "."),
        headings,
        tuple(shown),
        links,
        w.chart(title, omitted),
        omitted,
        hidden,
        w("dash_by_agency_gap", n=charts.count(hidden)) if hidden else "",
    )


def _online_by_agency(body: Any, links: Links, w: _Words) -> RatioChart:
    def row(r: dict[str, Any]) -> RatioRow:
        return RatioRow(r["key"], r["label"], r["online"], r["total"], r["online_ratio"])

    texts = ("dash_online_agency", "dash_online", "dash_received", "dash_online_what")
    return _by_agency(body, row, links, w, texts, "online-ratio-by-agency")


def _on_time_by_agency(body: Any, links: Links, w: _Words) -> RatioChart:
    def row(r: dict[str, Any]) -> RatioRow:
        # Indicator 2.1's numerator, as services/stats/indicators.py counts it.
        in_time = r["on_time"] + r["in_progress"] - r["overdue_in_progress"]
        return RatioRow(r["key"], r["label"], in_time, r["to_process"], r["on_time_ratio"])

    texts = ("dash_on_time_agency", "dash_in_time", "dash_to_process", "dash_on_time_what")
    return _by_agency(body, row, links, w, texts, "on-time-by-agency")


def _status(body: Any, links: Links, w: _Words) -> CountChart:
    total = body["total"]
    rows = tuple(
        CountRow(s.value, named(w.lang, s.value, STATUS_LABELS[s]), total[s.value])
        for s in DossierStatus
    )
    title = w("dash_status")
    description = w("dash_status_desc", period=w.period(body), total=charts.count(total["total"]))
    return CountChart(
        "status",
        "bars",
        title,
        description,
        (w("dash_status_heading"), w("dash_count")),
        rows,
        links,
        w.chart(title),
        (w("dash_total"), charts.count(total["total"])),
    )


def _catalogue(body: Any, links: Links, w: _Words) -> CountChart:
    rows = []
    for level, n in body["by_level"].items():
        mode = online_mode_for(int(level)).value
        key = f"online_mode_{mode}"
        label = named(w.lang, key, reports.CATALOGUE_LABELS[key])
        rows.append(CountRow(level, w("dash_level", n=level), n, label, MODE_COLOURS[mode]))
    share = charts.percent(body["online_service_share"])
    online = charts.count(body["online_services"])
    title = w("dash_catalogue")
    description = w(
        "dash_catalogue_desc", total=charts.count(body["total"]), online=online, share=share
    )
    return CountChart(
        "catalogue-by-level",
        "columns",
        title,
        description,
        (w("dash_level_heading"), w("dash_mode"), w("dash_count")),
        tuple(rows),
        links,
        w.chart(title),
        (
            w("dash_total"),
            w("dash_catalogue_online", online=online, share=share),
            charts.count(body["total"]),
        ),
    )


def _indicators(items: Any, links: Links, w: _Words) -> Indicators:
    fields = IndicatorRow.__dataclass_fields__
    rows = tuple(
        IndicatorRow(**{k: v for k, v in item.items() if k in fields}, lang=w.lang)
        for item in items
    )
    caption = w("dash_indicators")
    return Indicators(
        rows,
        links,
        caption,
        tuple(w(key) for key in INDICATOR_HEADINGS),
        w("dash_ind_total"),
        w.chart(w("dash_indicators_short")),
    )
