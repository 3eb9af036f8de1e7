"""Officer sign-in with the built-in issuer (OAuth2 password form)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from app.deps import EngineDep
from app.errors import BadRequest, InvalidContent, InvalidCredentials, TooLarge, TooManyAttempts
from app.headers import NoStore
from app.inputs import CheckedRoute
from app.models.common import error_responses
from app.models.officer import TokenResponse
from app.models.types import utcnow
from app.ratelimit import client_of
from app.services.officers import sign_in

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=CheckedRoute)


@router.post(
    "/token",
    response_model=TokenResponse,
    responses=error_responses(
        BadRequest, InvalidCredentials, TooLarge, InvalidContent, TooManyAttempts
    ),
    dependencies=[NoStore],
)
def issue_token(
    request: Request,
    engine: EngineDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> TokenResponse:
    """A short-lived RS256 token for an officer's username and password. Repeated failures
    for one username from one address, or from one address, are answered 429 for a while
    that doubles with each further failure; an account is never locked."""
    issuer = request.app.state.authenticator.local
    token = sign_in(engine, issuer, form.username, form.password, client_of(request), utcnow())
    return TokenResponse(access_token=token, expires_in=issuer.ttl_s)
