"""Anti-forgery (CSRF) protection of every page form that changes something: the applicant's
pages today, the officers' next. Written once, here; a page uses it in three steps.

Double submit, signed: the browser holds a random value in the `csrf` cookie (HttpOnly,
SameSite=Strict, Path of the pages it protects), and every POST form carries a hidden
`csrf_token` field, the HMAC-SHA256 under a server secret (derived from the data key:
`tokens.server_secret`) of the form's *scope* (what it acts on: a dossier's code) and that
value. Another site can neither read the cookie nor compute the field; a cookie planted from
a sibling host is useless without the secret; and a field of one dossier's page does not work
for another's. A POST is checked before any service call, so a refused one changes nothing.

    guard = Csrf(request, csrf_secret(settings), scope=code)   # 1. on the page (GET)
    render(..., {"csrf_token": guard.token}); guard.keep(response, path="/ho-so/" + code)
    Csrf(request, secret, scope=code).check(form_value)          # 2. on the POST, first thing
    Csrf(...).guarded(rules)                                      # 3. a streamed multipart POST

A multipart POST (an upload) is read as it streams in, so its check is in the body: the form
puts `csrf_token` first, and `guarded` refuses any part before a valid one and builds the use
case's upload rules (which may read the database) only after it.
"""

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable

from fastapi import Request, Response

from app.config import Settings
from app.errors import CsrfFailed
from app.services.dossiers.tokens import server_secret
from app.services.dossiers.uploads import UploadRules

FIELD = "csrf_token"
COOKIE = "csrf"
SECRET_LABEL = b"dvc-gateway page forms (csrf)"
_VALUE = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


def csrf_secret(settings: Settings) -> bytes:
    return server_secret(settings.data_key_path, SECRET_LABEL)


def sign(secret: bytes, scope: str, value: str) -> str:
    # The scope's length first: ("a", "bc") and ("ab", "c") never sign alike.
    message = f"{len(scope)}:{scope}:{value}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class Csrf:
    """The anti-forgery token of one scope for this browser."""

    def __init__(self, request: Request, secret: bytes, scope: str) -> None:
        self.request, self.secret, self.scope = request, secret, scope
        cookie = request.cookies.get(COOKIE, "")
        self.fresh = not _VALUE.fullmatch(cookie)
        self.value = secrets.token_urlsafe(32) if self.fresh else cookie

    @property
    def token(self) -> str:
        """The hidden field's value for the page's forms."""
        return sign(self.secret, self.scope, self.value)

    def keep(self, response: Response, path: str) -> None:
        """Send the cookie with the page if the browser does not hold one yet."""
        if self.fresh:
            set_private_cookie(self.request, response, COOKIE, self.value, path)

    def check(self, submitted: str | None) -> None:
        """403 `csrf_failed` unless `submitted` is the field for this browser's cookie."""
        if self.fresh or not submitted or not hmac.compare_digest(self.token, submitted):
            raise CsrfFailed()

    def guarded(self, make_rules: Callable[[], UploadRules]) -> UploadRules:
        """Upload rules that check the token, the body's first part, before any other part
        and before `make_rules()` runs."""
        return _CheckedFirst(self, make_rules)


class _CheckedFirst:
    """The use case's upload rules behind the anti-forgery check (`Csrf.guarded`)."""

    def __init__(self, guard: Csrf, make_rules: Callable[[], UploadRules]) -> None:
        self.guard, self.make_rules = guard, make_rules
        self.inner: UploadRules | None = None

    def _rules(self) -> UploadRules:
        if self.inner is None:
            raise CsrfFailed()  # a part before the token: checked, and refused
        return self.inner

    def on_text(self, name: str, value: str) -> None:
        if self.inner is None and name == FIELD:
            self.guard.check(value)
            self.inner = self.make_rules()
            return
        self._rules().on_text(name, value)

    def file_limit(self, key: str) -> int | None:
        return self._rules().file_limit(key)

    def check_type(self, key: str, content_type: str | None) -> None:
        self._rules().check_type(key, content_type)

    def document_name(self, key: str) -> str:
        return self.inner.document_name(key) if self.inner is not None else key


def set_private_cookie(
    request: Request, response: Response, name: str, value: str, path: str
) -> None:
    """A cookie no script reads (HttpOnly), no other site's request carries (SameSite=Strict),
    sent only to `path` and below, and only over HTTPS when the page came over HTTPS."""
    response.set_cookie(
        name,
        value,
        path=path,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
