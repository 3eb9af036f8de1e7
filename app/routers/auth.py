"""Officer sign-in with the built-in issuer (OAuth2 password form)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from app.deps import SessionDep
from app.models.common import error_responses
from app.models.officer import TokenResponse
from app.services.officers import password_login

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/token", response_model=TokenResponse, responses=error_responses(401, 422))
def issue_token(
    request: Request,
    session: SessionDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> TokenResponse:
    """A short-lived RS256 token for an officer's username and password."""
    issuer = request.app.state.authenticator.local
    token = password_login(session, issuer, form.username, form.password)
    return TokenResponse(access_token=token, expires_in=issuer.ttl_s)
