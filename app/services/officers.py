"""Officer accounts and turning a verified token into a Principal."""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.config import Settings
from app.db import unit_of_work
from app.errors import (
    CannotDemoteSelf,
    CannotDisableSelf,
    InvalidCredentials,
    LastAdmin,
    MissingClaims,
    OfficerNotFound,
    Unauthenticated,
    UnknownOfficer,
    UsernameTaken,
)
from app.models.officer import Officer, OfficerCreate, OfficerUpdate, Principal, Role
from app.security import (
    LocalIssuer,
    VerifiedToken,
    hash_password,
    verify_password,
)
from app.services import officer_sessions, throttle
from app.services.catalogue.procedures import binary_order
from app.services.catalogue.scope import get_agency

T = TypeVar("T")


def create_officer(engine: Engine, data: OfficerCreate) -> Officer:
    """A new account; 409 when the username is taken, 404 for an unknown agency."""
    password_hash = hash_password(data.password) if data.password else None
    try:
        with unit_of_work(engine, write=True) as session:
            get_agency(session, data.agency_code)
            officer = Officer(
                username=data.username,
                full_name=data.full_name,
                password_hash=password_hash,
                role=data.role,
                agency_code=data.agency_code,
            )
            session.add(officer)
            session.flush()
            return officer
    except IntegrityError:
        raise UsernameTaken(data.username) from None


def get_officer(session: Session, username: str) -> Officer:
    officer = session.scalars(select(Officer).where(col(Officer.username) == username)).first()
    if officer is None:
        raise OfficerNotFound(username)
    return officer


def list_officers(session: Session, page: int, page_size: int) -> tuple[list[Officer], int]:
    """One page of the accounts, by username, and their number."""
    total = session.scalar(select(func.count()).select_from(Officer)) or 0
    statement = (
        select(Officer)
        .order_by(binary_order(session, Officer.username))
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return list(session.scalars(statement)), total


def update_officer(engine: Engine, username: str, changes: OfficerUpdate, by: Principal) -> Officer:
    """Change an account's role, agency or state (a field left out stays as it is): 404 for an
    unknown username or agency; 409 `cannot_disable_self` or `cannot_demote_self` for the
    admin's own account, and `last_admin` when no enabled admin account would be left. A
    disabled account's page sessions end with it; its tokens stop at their next request
    (`principal_for`), and role and agency apply at once to both (read from the account)."""
    with unit_of_work(engine, write=True) as session:
        officer = get_officer(session, username)
        if changes.agency_code is not None and changes.agency_code != officer.agency_code:
            get_agency(session, changes.agency_code)
        _keep_an_admin(session, officer, changes, by)
        if changes.role is not None:
            officer.role = changes.role
        if changes.agency_code is not None:
            officer.agency_code = changes.agency_code
        if changes.disabled is not None:
            if changes.disabled and not officer.disabled:
                assert officer.id is not None
                officer_sessions.end_all_of(session, officer.id)
            officer.disabled = changes.disabled
        session.flush()
        return officer


def set_disabled(engine: Engine, username: str, disabled: bool, by: Principal) -> Officer:
    """Disable (or re-enable) an account (`update_officer`)."""
    return update_officer(engine, username, OfficerUpdate(disabled=disabled), by)


def _keep_an_admin(
    session: Session, officer: Officer, changes: OfficerUpdate, by: Principal
) -> None:
    """Someone must always be able to manage the accounts: an admin keeps their own account
    enabled and admin, and the last enabled admin account stays so."""
    disabling = changes.disabled is True and not officer.disabled
    demoting = changes.role is Role.officer and officer.role is Role.admin
    if not (disabling or demoting):
        return
    if officer.username == by.username:
        raise CannotDisableSelf() if disabling else CannotDemoteSelf()
    if officer.role is Role.admin and not officer.disabled and _enabled_admins(session) <= 1:
        raise LastAdmin() if disabling else LastAdmin(LastAdmin.demoted)


def _enabled_admins(session: Session) -> int:
    # The rows are locked (PostgreSQL; SQLite's writer holds the whole database already), so
    # two admins disabling each other at once cannot both pass this count.
    statement = (
        select(col(Officer.username))
        .where(col(Officer.role) == Role.admin, col(Officer.disabled).is_(False))
        .with_for_update()
    )
    return len(session.scalars(statement).all())


def authenticate(session: Session, username: str, password: str) -> Officer:
    """The enabled account of a correct username and password; `InvalidCredentials` else
    (never saying which of the two was wrong)."""
    officer = session.scalars(select(Officer).where(col(Officer.username) == username)).first()
    valid = verify_password(officer.password_hash if officer else None, password)
    if officer is None or not valid or officer.disabled:
        raise InvalidCredentials()
    return officer


def password_login(session: Session, issuer: LocalIssuer, username: str, password: str) -> str:
    """A short-lived token for a correct username and password of an enabled account."""
    officer = authenticate(session, username, password)
    return issuer.issue(officer.username, officer.role, officer.agency_code)


def throttled(
    engine: Engine, username: str, client: str, now: datetime, attempt: Callable[[Session], T]
) -> T:
    """`attempt` (a password check), throttled per (username, client address) and per
    address, with waits that double (`services/throttle.py`): 429 `too_many_attempts` while
    blocked. The API's token endpoint and the officers' sign-in page share it."""
    keys = throttle.Keys.of(username, client)
    with unit_of_work(engine) as session:
        on_record = throttle.check(session, keys, now)
        refused: Unauthenticated | None = None
        try:
            result = attempt(session)
        except Unauthenticated as exc:
            refused = exc
    # The failure is written after the read unit ends: one writer at a time (SQLite).
    if refused is not None:
        throttle.failed(engine, keys, now)
        raise refused
    if on_record:
        throttle.succeeded(engine, keys)
    return result


def sign_in(
    engine: Engine,
    issuer: LocalIssuer,
    username: str,
    password: str,
    client: str,
    now: datetime,
) -> str:
    """`password_login`, throttled (`throttled`)."""
    return throttled(
        engine, username, client, now, lambda s: password_login(s, issuer, username, password)
    )


def principal_for(session: Session, settings: Settings, token: VerifiedToken) -> Principal:
    """Who the token speaks for. The account must exist and be enabled whichever issuer signed
    it; for our own tokens role and agency come from the account (a change applies at once),
    for the external provider from its configured claims."""
    local = token.issuer == settings.token_issuer
    username = token.claims.get("sub" if local else settings.oidc_username_claim)
    officer = None
    if isinstance(username, str):
        statement = select(Officer).where(col(Officer.username) == username)
        officer = session.scalars(statement).first()
    if officer is None or officer.disabled:
        raise UnknownOfficer()
    if local:
        return Principal(
            username=officer.username,
            role=officer.role,
            agency_code=officer.agency_code,
            issuer=token.issuer,
        )
    role = token.claims.get(settings.oidc_role_claim)
    agency = token.claims.get(settings.oidc_agency_claim)
    if role not in {r.value for r in Role} or not isinstance(agency, str):
        raise MissingClaims()
    return Principal(
        username=officer.username, role=Role(role), agency_code=agency, issuer=token.issuer
    )
