"""The public dashboard as a page: `/thong-ke`, the statistics a province puts on a screen.

The numbers are the statistics API's (app/web/dashboard.py reads the API's reports through the
same cache), drawn as inline SVG with a table of the same numbers under each chart and the
API's CSV and XLSX links. The period and agency picker is a GET form, so a chosen view is a
link; its refusals are the API's (a reversed or too long period, an unknown agency), shown next
to the control they concern with the API's status. app.js polls each chart's JSON with its
ETag and, when one changes, fetches this page again and swaps the figures.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from app.errors import AgencyNotFound, InvalidPeriod
from app.inputs import CheckedRoute
from app.models.types import utcnow
from app.services.stats.cache import StatsCache
from app.web.catalogue_pages import current_snapshot, lists_of
from app.web.dashboard import cached_dashboard
from app.web.i18n import translate
from app.web.rendering import lang_of, render

router = APIRouter(route_class=CheckedRoute, include_in_schema=False)

# What a date input sends (yyyy-mm-dd), or what a person types where the browser shows a text
# box instead (dd/mm/yyyy, as Vietnamese writes dates).
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
MAX_INPUT = 40  # a date is ten characters; longer input is no date, and is not echoed whole
MAX_AGENCY = 40


@dataclass
class Picker:
    """The picker's values as typed, the dates they name, and the errors by input name."""

    typed: dict[str, str]
    date_from: date | None = None
    date_to: date | None = None
    agency: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        """A date input's value: the date it names as the input wants it (yyyy-mm-dd), else
        what was typed, to be corrected."""
        named = self.date_from if name == "from" else self.date_to
        return named.isoformat() if named else self.typed[name]


def read_picker(params: dict[str, str], lang: Any) -> Picker:
    typed = {
        "from": params.get("from", "").strip()[:MAX_INPUT],
        "to": params.get("to", "").strip()[:MAX_INPUT],
        "agency": params.get("agency", "").strip()[:MAX_AGENCY],
    }
    picker = Picker(typed, agency=typed["agency"] or None)
    for name in ("from", "to"):
        if not typed[name]:
            continue
        parsed = parse_date(typed[name])
        if parsed is None:
            picker.errors[name] = translate(lang, "dash_bad_date")
        elif name == "from":
            picker.date_from = parsed
        else:
            picker.date_to = parsed
    return picker


def parse_date(text: str) -> date | None:
    """`2025-06-30` or `30/06/2025`; None for anything else, an impossible day included."""
    try:
        if matched := DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = (int(g) for g in matched.groups())
            return date(year, month, day)
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


@router.get("/thong-ke", response_class=HTMLResponse)
async def dashboard_page(request: Request) -> HTMLResponse:
    """The dashboard for the picked period (by default this year up to today) and agency."""
    lang = lang_of(request)
    picker = read_picker(dict(request.query_params), lang)
    snapshot = await current_snapshot(request)
    context: dict[str, Any] = {"picker": picker, "agencies": lists_of(snapshot).agencies}
    if picker.errors:
        return render(request, "dashboard.html", {**context, "board": None}, status_code=422)
    state = request.app.state
    cache: StatsCache = state.stats_cache
    if not cache.revision_is_fresh():
        await run_in_threadpool(cache.refresh, utcnow())
    try:
        board = await run_in_threadpool(
            cached_dashboard,
            state.engine,
            cache,
            state.settings,
            date_from=picker.date_from,
            date_to=picker.date_to,
            agency=picker.agency,
            lang=lang,
        )
    except InvalidPeriod as refused:
        for problem in refused.details or [{"loc": ["query", "to"], "msg": refused.message}]:
            name = str(problem["loc"][-1])
            text = f"{refused.message} {problem['msg'][:1].upper()}{problem['msg'][1:]}."
            picker.errors.setdefault(name if name in ("from", "to") else "to", text)
        status = refused.status
    except AgencyNotFound as refused:
        picker.errors["agency"] = refused.message
        status = refused.status
    else:
        return render(request, "dashboard.html", {**context, "board": board})
    return render(request, "dashboard.html", {**context, "board": None}, status_code=status)
