"""The administrators' pages (`/can-bo/quan-tri`): the admin API as pages, on the same
services (accounts: services/officers.py; the calendar: services/calendar.py; the catalogue:
services/catalogue/importing.py and records.py). This module holds what the three sections
share, and the section index; app/web/admin_officers.py, admin_calendar.py and
admin_catalogue.py are the sections.

- Every page takes `AdminDep`: without a live session, a 303 to the sign-in page; an
  officer's session gets the API's 403 `admin_only`, as a page (`deps.current_admin`, the
  API's own check).
- Every form posts its CSRF field (`csrf_of`, scoped to the session), checked before any
  service call; accepted, a 303 back to the page with `?done=…`, which the page says in a
  `role="status"` notice. Refused, the page again with the service's status, its message at
  the top and each detail's message next to the field it names (`Refusal`); the service
  wrote nothing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from app.deps import current_admin
from app.errors import AppError, InvalidContent
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.services.messages import validation_details
from app.services.officer_sessions import Signed
from app.web.i18n import STRINGS
from app.web.officer_auth import PATH, SignedDep, csrf_of
from app.web.rendering import lang_of, link_for, render

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

HOME = "/can-bo/quan-tri"


async def require_admin(signed: SignedDep) -> Signed:
    """The signed-in administrator; an officer is refused as the API refuses them."""
    current_admin(signed.principal)
    return signed


AdminDep = Annotated[Signed, Depends(require_admin)]

# Where a detail of a refusal goes: its `loc` and `msg` → the id of its field, or None.
Placer = Callable[[list[Any], str], str | None]


@dataclass
class Refusal:
    """A service's refusal as a page shows it: the message at the top, each detail's message
    next to the field it names (by the field's id), the rest in the summary."""

    message: str
    status: int
    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, exc: AppError, place: Placer, at: str | None = None) -> "Refusal":
        """`exc`'s details placed by `place`; without details, its message goes to `at`."""
        refusal = cls(exc.message, exc.status, headers=exc.headers or {})
        for item in exc.details:
            if not isinstance(item, dict) or not isinstance(item.get("msg"), str):
                continue
            loc = item.get("loc") if isinstance(item.get("loc"), list) else []
            refusal.add(place(loc or [], item["msg"]), item["msg"])
        if not exc.details and at is not None:
            refusal.add(at, exc.message)
        return refusal

    def add(self, name: str | None, message: str) -> None:
        if name is None:
            self.general.append(message)
        else:
            self.fields.setdefault(name, []).append(message)


def invalid(exc: ValidationError, prefix: tuple[str | int, ...] = ()) -> InvalidContent:
    """A model's refusal of the form's values, as the API answers a body it refuses: 422
    `validation_error` with the same Vietnamese messages."""
    return InvalidContent(details=validation_details(exc.errors(), prefix))


def by_last(names: set[str]) -> Placer:
    """A placer for flat forms: the last part of `loc` when it is one of `names`."""

    def place(loc: list[Any], _msg: str) -> str | None:
        name = str(loc[-1]) if loc else ""
        return name if name in names else None

    return place


def admin_page(
    request: Request,
    signed: Signed,
    template: str,
    context: Mapping[str, Any],
    *,
    refusal: Refusal | None = None,
) -> Response:
    """A page of the section: the officers' layout, the session's CSRF field, the notice of
    `?done=`, and a refusal with its status and headers."""
    guard = csrf_of(request, request.app.state.settings, signed)
    done = request.query_params.get("done", "")
    notice = f"admin_done_{done}" if f"admin_done_{done}" in STRINGS else None
    response = render(
        request,
        template,
        {
            "signed": signed,
            "csrf_token": guard.token,
            "notice": notice,
            "refusal": refusal,
            **context,
        },
        status_code=refusal.status if refusal else 200,
        headers=refusal.headers if refusal else None,
    )
    guard.keep(response, PATH)
    return response


def check_csrf(request: Request, signed: Signed, token: str) -> None:
    """403 `csrf_failed` unless `token` is this session's field: before any service call."""
    csrf_of(request, request.app.state.settings, signed).check(token)


def done(request: Request, path: str, what: str, **query: Any) -> Response:
    """Back to `path` (303), which then says `what` was done."""
    target = link_for(lang_of(request), path, {**query, "done": what})
    return RedirectResponse(target, status_code=303)


@router.get(HOME, response_class=HTMLResponse)
@router.get(HOME + "/", response_class=HTMLResponse)
def admin_home(request: Request, signed: AdminDep) -> Response:
    """The administration's index: the accounts, the working calendar, the catalogue."""
    return admin_page(request, signed, "admin_home.html", {})
