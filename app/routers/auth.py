"""Officer sign-in with the built-in issuer (OAuth2 password form)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from app.deps import SessionDep
from app.errors import Unauthenticated
from app.models.common import error_responses
from app.models.officer import TokenResponse
from app.security import LoginThrottle
from app.services.officers import password_login

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/token", response_model=TokenResponse, responses=error_responses(401, 422, 429))
def issue_token(
    request: Request,
    session: SessionDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> TokenResponse:
    """A short-lived RS256 token for an officer's username and password. Repeated failures
    for one username or from one address are answered 429 for a while."""
    issuer = request.app.state.authenticator.local
    throttle: LoginThrottle = request.app.state.login_throttle
    keys = (f"user:{form.username.lower()}", f"ip:{request.client.host if request.client else '-'}")
    throttle.check(*keys)
    try:
        token = password_login(session, issuer, form.username, form.password)
    except Unauthenticated:
        throttle.failed(*keys)
        raise
    throttle.succeeded(keys[0])
    return TokenResponse(access_token=token, expires_in=issuer.ttl_s)
