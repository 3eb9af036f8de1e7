"""The officers' accounts (`/can-bo/quan-tri/can-bo`): the list, a new account, and an
account's role, agency and state, through services/officers.py (the API's
`POST /api/v1/admin/officers` and `PATCH /api/v1/admin/officers/{username}`).

- `GET /can-bo/quan-tri/can-bo?page=`: the accounts by username, 50 a page, and the form of a
  new account; `POST` there creates it (303 back, `?done=officer_created&username=`).
- `GET /can-bo/quan-tri/can-bo/{username}`: the account; `POST` there changes its role and
  agency, `POST …/trang-thai` disables or re-enables it (a disabled account's sessions end).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from app.db import unit_of_work
from app.deps import EngineDep
from app.errors import (
    AgencyNotFound,
    CannotDemoteSelf,
    CannotDisableSelf,
    LastAdmin,
    UsernameTaken,
)
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.common import MAX_PAGE
from app.models.officer import Officer, OfficerCreate, OfficerUpdate, Role
from app.services import officers
from app.services.catalogue.procedures import list_agencies
from app.services.officer_sessions import Signed
from app.web.admin_pages import AdminDep, Refusal, admin_page, by_last, check_csrf, done, invalid

router = APIRouter(route_class=CheckedRoute, include_in_schema=False, dependencies=[NoStore])

LIST = "/can-bo/quan-tri/can-bo"
PAGE_SIZE = 50
NEW_FIELDS = {"username", "full_name", "role", "agency_code", "password"}
Text = Annotated[str, Form()]


def agency_choices(session: Session) -> list[dict[str, Any]]:
    """Every agency in tree order, with its depth, for the agency selects."""
    return [
        {"code": a.code, "name": a.name, "tier": a.tier, "depth": a.path.count("/") - 1}
        for a in list_agencies(session, None, None)
    ]


def _list_page(
    request: Request,
    engine: Engine,
    signed: Signed,
    page: int,
    *,
    typed: dict[str, str] | None = None,
    refusal: Refusal | None = None,
) -> Response:
    with unit_of_work(engine) as session:
        accounts, total = officers.list_officers(session, page, PAGE_SIZE)
        agencies = agency_choices(session)
    names = {a["code"]: a["name"] for a in agencies}
    context = {
        "accounts": accounts,
        "total": total,
        "page": page,
        "pages": max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        "agencies": agencies,
        "agency_names": names,
        "roles": list(Role),
        "typed": typed or {"role": Role.officer.value, "agency_code": signed.principal.agency_code},
        "created": request.query_params.get("username", "")[:100],
    }
    return admin_page(request, signed, "admin_officers.html", context, refusal=refusal)


@router.get(LIST, response_class=HTMLResponse)
def officers_page(
    request: Request, signed: AdminDep, engine: EngineDep, page: str = "1"
) -> Response:
    """The accounts, a page at a time, and the form of a new one."""
    number = min(int(page), MAX_PAGE) if page.isdigit() and int(page) >= 1 else 1
    return _list_page(request, engine, signed, number)


@router.post(LIST, response_class=HTMLResponse)
def create_officer(
    request: Request,
    signed: AdminDep,
    engine: EngineDep,
    csrf_token: Text = "",
    username: Text = "",
    full_name: Text = "",
    role: Text = "",
    agency_code: Text = "",
    password: Text = "",
) -> Response:
    """A new account: the API's validation and refusals next to the fields."""
    check_csrf(request, signed, csrf_token)
    typed = {"username": username, "full_name": full_name, "role": role, "agency_code": agency_code}
    try:
        data = OfficerCreate.model_validate({**typed, "password": password or None})
        created = officers.create_officer(engine, data)
    except ValidationError as exc:
        refusal = Refusal.of(invalid(exc), by_last(NEW_FIELDS))
    except AgencyNotFound as exc:
        refusal = Refusal.of(exc, by_last(NEW_FIELDS), at="agency_code")
    except UsernameTaken as exc:
        refusal = Refusal.of(exc, by_last(NEW_FIELDS), at="username")
    else:
        return done(request, LIST, "officer_created", username=created.username)
    return _list_page(request, engine, signed, 1, typed=typed, refusal=refusal)


def _account_page(
    request: Request,
    engine: Engine,
    signed: Signed,
    username: str,
    *,
    typed: dict[str, str] | None = None,
    refusal: Refusal | None = None,
) -> Response:
    with unit_of_work(engine) as session:
        account: Officer = officers.get_officer(session, username)  # 404 page when unknown
        agencies = agency_choices(session)
    context = {
        "account": account,
        "agencies": agencies,
        "agency_names": {a["code"]: a["name"] for a in agencies},
        "roles": list(Role),
        "typed": typed or {"role": account.role.value, "agency_code": account.agency_code},
        "is_self": account.username == signed.principal.username,
    }
    return admin_page(request, signed, "admin_officer.html", context, refusal=refusal)


@router.get(LIST + "/{username}", response_class=HTMLResponse)
def officer_page(request: Request, username: str, signed: AdminDep, engine: EngineDep) -> Response:
    """An account: its role, agency and state, and the forms that change them."""
    return _account_page(request, engine, signed, username)


@router.post(LIST + "/{username}", response_class=HTMLResponse)
def change_officer(
    request: Request,
    username: str,
    signed: AdminDep,
    engine: EngineDep,
    csrf_token: Text = "",
    role: Text = "",
    agency_code: Text = "",
) -> Response:
    """A new role and agency, as `PATCH /api/v1/admin/officers/{username}` takes them."""
    check_csrf(request, signed, csrf_token)
    typed = {"role": role, "agency_code": agency_code}
    place = by_last({"role", "agency_code"})
    try:
        changes = OfficerUpdate.model_validate(typed)
        officers.update_officer(engine, username, changes, signed.principal)
    except ValidationError as exc:
        refusal = Refusal.of(invalid(exc), place)
    except AgencyNotFound as exc:
        refusal = Refusal.of(exc, place, at="agency_code")
    except (CannotDemoteSelf, LastAdmin) as exc:
        refusal = Refusal.of(exc, place, at="role")
    else:
        return done(request, f"{LIST}/{username}", "officer_saved")
    return _account_page(request, engine, signed, username, typed=typed, refusal=refusal)


@router.post(LIST + "/{username}/trang-thai", response_class=HTMLResponse)
def set_officer_state(
    request: Request,
    username: str,
    signed: AdminDep,
    engine: EngineDep,
    csrf_token: Text = "",
    disabled: Text = "",
) -> Response:
    """Disable (its sessions end at once) or re-enable the account."""
    check_csrf(request, signed, csrf_token)
    place = by_last({"disabled"})
    try:
        changes = OfficerUpdate.model_validate({"disabled": disabled})
        account = officers.update_officer(engine, username, changes, signed.principal)
    except ValidationError as exc:
        refusal = Refusal.of(invalid(exc), place)
    except (CannotDisableSelf, LastAdmin) as exc:
        refusal = Refusal.of(exc, place, at="disabled")
    else:
        what = "officer_disabled" if account.disabled else "officer_enabled"
        return done(request, f"{LIST}/{username}", what)
    return _account_page(request, engine, signed, username, refusal=refusal)
