"""Officers' page sessions (`/can-bo/`): started at sign-in, read at each request, ended at
sign-out, when idle, or at their fixed end — all decided on the server.

The browser holds a random 256-bit token (`secrets.token_urlsafe(32)`); the table holds only
its SHA-256, so a copy of the table signs no one in. Each sign-in starts a new session (the
browser's previous one, if any, is ended: the token rotates at sign-in). A local session reads
the officer's role and agency from the account at each request, as the API does for its own
tokens; a single-sign-on session keeps the provider's claims from sign-in (the provider is
asked again at the next sign-in). Disabling an account ends its sessions at once
(services/officers.update_officer); an account disabled any other way loses them at their
next request.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, or_, update
from sqlmodel import Session, col

from app.config import Settings
from app.db import unit_of_work
from app.models.officer import Officer, OfficerSession, Principal, Role

LOCAL = "local"
# A session's last_seen_at is written at most this often: not one write per page.
SEEN_EVERY = timedelta(seconds=60)


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Signed:
    """Who a session speaks for, and the session (its id keys the pages' CSRF tokens)."""

    principal: Principal
    session_id: str
    expires_at: datetime


def start(
    engine: Engine,
    settings: Settings,
    officer_id: int,
    now: datetime,
    *,
    issuer: str = LOCAL,
    role: Role | None = None,
    agency_code: str | None = None,
    previous: str | None = None,
) -> str:
    """A new session for the officer; returns the browser's token. `previous` (the token the
    browser held, if any) is ended, and so is every session past its end."""
    token = secrets.token_urlsafe(32)
    with unit_of_work(engine, write=True) as session:
        _sweep(session, settings, now)
        if previous:
            session.execute(
                delete(OfficerSession).where(col(OfficerSession.id) == token_id(previous))
            )
        session.add(
            OfficerSession(
                id=token_id(token),
                officer_id=officer_id,
                issuer=issuer,
                role=role,
                agency_code=agency_code,
                created_at=now,
                last_seen_at=now,
                expires_at=now + timedelta(seconds=settings.officer_session_max_s),
            )
        )
    return token


def read(engine: Engine, settings: Settings, token: str | None, now: datetime) -> Signed | None:
    """The session of `token`, or None when there is none, it has ended, or its account is
    gone or disabled (an ended session is deleted)."""
    if not token:
        return None
    key = token_id(token)
    with unit_of_work(engine) as session:  # a read: most requests write nothing
        found = session.get(OfficerSession, key)
        if found is None:
            return None
        officer = session.get(Officer, found.officer_id)
    idle = timedelta(seconds=settings.officer_session_idle_s)
    if (
        officer is None
        or officer.disabled
        or now >= found.expires_at
        or now - found.last_seen_at >= idle
    ):
        _delete(engine, key)
        return None
    if now - found.last_seen_at >= SEEN_EVERY:
        with unit_of_work(engine, write=True) as session:
            session.execute(
                update(OfficerSession).where(col(OfficerSession.id) == key).values(last_seen_at=now)
            )
    if found.issuer == LOCAL:
        role, agency, issuer = officer.role, officer.agency_code, settings.token_issuer
    else:
        assert found.role is not None and found.agency_code is not None
        role, agency, issuer = Role(found.role), found.agency_code, found.issuer
    principal = Principal(username=officer.username, role=role, agency_code=agency, issuer=issuer)
    return Signed(principal, key, found.expires_at)


def end(engine: Engine, token: str | None) -> None:
    """Sign-out: the session is gone, whatever the cookie still holds."""
    if token:
        _delete(engine, token_id(token))


def _delete(engine: Engine, key: str) -> None:
    with unit_of_work(engine, write=True) as session:
        session.execute(delete(OfficerSession).where(col(OfficerSession.id) == key))


def end_all_of(session: Session, officer_id: int) -> None:
    """Every session of an account, inside the caller's unit of work (`update_officer`,
    when it disables the account)."""
    session.execute(delete(OfficerSession).where(col(OfficerSession.officer_id) == officer_id))


def _sweep(session: Session, settings: Settings, now: datetime) -> None:
    idle_since = now - timedelta(seconds=settings.officer_session_idle_s)
    session.execute(
        delete(OfficerSession).where(
            or_(
                col(OfficerSession.expires_at) <= now,
                col(OfficerSession.last_seen_at) <= idle_since,
            )
        )
    )
