"""Public tracking as pages: `/tra-cuu` (type a code) and `/tra-cuu/{code}` (its status).

The page is the API's public tracking view (`tracking.track_dossier`): the same exact-code
lookup, the same forgiveness of spaces and case (`tracking.normalise_code`), the same limit on
misses per client, and never the applicant's data, which that view does not read.
"""

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.errors import DossierNotFound
from app.inputs import CheckedRoute
from app.models.dossier import DOSSIER_CODE_RE, DossierPublic
from app.models.types import utcnow
from app.ratelimit import client_of
from app.services.dossiers import tracking
from app.web.i18n import translate
from app.web.rendering import lang_of, link_for, render

router = APIRouter(route_class=CheckedRoute, include_in_schema=False)

MAX_CODE = 100  # a code is 30 characters; anything longer is no code, and is not echoed whole


@router.get("/tra-cuu", response_class=HTMLResponse)
async def track_form(request: Request, code: str | None = None) -> Response:
    """The form; a typed code goes to its page (`/tra-cuu/{code}`, as the API spells it)."""
    if code is None:
        return render(request, "track_form.html", {"code": "", "error": None})
    typed = code.strip()[:MAX_CODE]
    if not typed:
        error = translate(lang_of(request), "track_required")
        return render(request, "track_form.html", {"code": "", "error": error}, status_code=422)
    exact = tracking.normalise_code(typed)
    if DOSSIER_CODE_RE.fullmatch(exact):
        target = link_for(lang_of(request), f"/tra-cuu/{quote(exact, safe='')}")
        return RedirectResponse(target, status_code=303)
    return await _tracking_page(request, typed)  # no such code: answered here, as a miss


@router.get("/tra-cuu/{code}", response_class=HTMLResponse)
async def track_page(code: str, request: Request) -> Response:
    """A dossier's public status, due date, timeliness and public history."""
    return await _tracking_page(request, code[:MAX_CODE])


async def _tracking_page(request: Request, code: str) -> Response:
    state = request.app.state
    try:
        view: DossierPublic = await tracking.track_dossier(
            state.reader, state.tracking_misses, client_of(request), code, utcnow()
        )
    except DossierNotFound:
        error = translate(lang_of(request), "track_not_found", code=code.strip())
        context = {"code": code.strip(), "error": error}
        return render(request, "track_form.html", context, status_code=404)
    return render(request, "track.html", {"view": view, "timeliness": timeliness(view)})


def timeliness(view: DossierPublic) -> str:
    """The word for where the dossier stands against its deadline (an i18n key)."""
    if view.finished_at is not None and view.on_time is not None:
        return "on_time" if view.on_time else "late"
    if view.overdue:
        return "overdue"
    return "in_time" if view.received_at is not None else "not_received"
