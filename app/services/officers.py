"""Officer accounts and turning a verified token into a Principal."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.config import Settings
from app.errors import Conflict, Forbidden, NotFound, Unauthenticated
from app.models.officer import Officer, OfficerCreate, Principal, Role
from app.security import LocalIssuer, VerifiedToken, hash_password, verify_password
from app.services.catalogue.scope import get_agency


def create_officer(session: Session, data: OfficerCreate) -> Officer:
    """A new account; 409 when the username is taken, 404 for an unknown agency."""
    get_agency(session, data.agency_code)
    officer = Officer(
        username=data.username,
        full_name=data.full_name,
        password_hash=hash_password(data.password) if data.password else None,
        role=data.role,
        agency_code=data.agency_code,
    )
    session.add(officer)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            f"Tên đăng nhập {data.username} đã tồn tại.", code="username_taken"
        ) from None
    return officer


def get_officer(session: Session, username: str) -> Officer:
    officer = session.scalars(select(Officer).where(col(Officer.username) == username)).first()
    if officer is None:
        raise NotFound(f"Không có tài khoản {username}.", code="officer_not_found")
    return officer


def set_disabled(session: Session, username: str, disabled: bool) -> Officer:
    officer = get_officer(session, username)
    officer.disabled = disabled
    session.commit()
    return officer


def password_login(session: Session, issuer: LocalIssuer, username: str, password: str) -> str:
    """A short-lived token for a correct username and password of an enabled account."""
    officer = session.scalars(select(Officer).where(col(Officer.username) == username)).first()
    valid = verify_password(officer.password_hash if officer else None, password)
    if officer is None or not valid or officer.disabled:
        raise Unauthenticated("Sai tên đăng nhập hoặc mật khẩu.", code="invalid_credentials")
    return issuer.issue(officer.username, officer.role, officer.agency_code)


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
        raise Forbidden("Tài khoản cán bộ không tồn tại hoặc đã bị khóa.", code="unknown_officer")
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
        raise Forbidden("Mã truy cập thiếu vai trò hoặc cơ quan.", code="missing_claims")
    return Principal(
        username=officer.username, role=Role(role), agency_code=agency, issuer=token.issuer
    )
