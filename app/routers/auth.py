"""Officer sign-in with the built-in issuer (OAuth2 password form)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from app.deps import SessionDep
from app.headers import NoStore
from app.models.common import error_responses
from app.models.officer import TokenResponse
from app.services.officers import sign_in

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenResponse,
    responses=error_responses(401, 422, 429),
    dependencies=[NoStore],
)
def issue_token(
    request: Request,
    session: SessionDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> TokenResponse:
    """A short-lived RS256 token for an officer's username and password. Repeated failures
    for one username or from one address are answered 429 for a while."""
    issuer = request.app.state.authenticator.local
    client = request.client.host if request.client else "-"
    token = sign_in(
        session, issuer, request.app.state.login_throttle, form.username, form.password, client
    )
    return TokenResponse(access_token=token, expires_in=issuer.ttl_s)
