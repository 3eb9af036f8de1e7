"""Response headers every answer carries (OWASP Secure Headers), `Cache-Control: no-store` on
answers with personal data or tokens, and the API documentation pages' Content Security Policy.

One pure ASGI middleware adds them as the response starts, whatever produced the response
(a route, an error handler, a 404), so no answer can miss them. Routes whose answers carry
personal data or tokens declare it with the `no_store` dependency (`NoStore` in a router's or
route's `dependencies`); the middleware then sends `Cache-Control: no-store`, also on their
errors, so that no shared cache or browser history keeps them.
"""

import base64
import hashlib
import json
import re

from fastapi import Depends, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import TooLarge, error_body

DENY_FRAMES = (b"x-frame-options", b"DENY")
OWN_FRAMES = (b"x-frame-options", b"SAMEORIGIN")  # an answer that allows it: allow_own_frames
# On every response: no MIME sniffing (a user's upload is never run as a script or page), no
# Referer to other sites (dossier codes and tokens stay here), never inside another site's frame.
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    DENY_FRAMES,
]
NO_STORE = (b"cache-control", b"no-store")
PLAIN = b"text/plain; charset=utf-8"
TOO_LARGE_BODY = json.dumps(error_body(TooLarge.code, TooLarge.message)).encode()
_NO_STORE_FLAG = "no_store"
_OWN_FRAMES_FLAG = "own_frames"

# The documentation pages (FastAPI's Swagger UI and ReDoc, served offline from our own
# /static-offline-docs): scripts only from here and the pages' own inline script, by its hash.
# Their styles are inserted by the scripts (ReDoc's styled-components), hence 'unsafe-inline'
# for styles only; ReDoc runs its search in a blob: worker.
DOC_PATHS = ("/docs", "/redoc")
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def docs_policy(html: bytes) -> bytes:
    """The Content Security Policy of a documentation page: its inline scripts by hash."""
    scripts = ["'self'"] + [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    ]
    return (
        f"default-src 'none'; script-src {' '.join(scripts)}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ).encode()


async def no_store(request: Request) -> None:
    """A dependency: this route's answers carry personal data or tokens."""
    request.scope.setdefault("state", {})[_NO_STORE_FLAG] = True


NoStore = Depends(no_store)


def allow_own_frames(request: Request) -> None:
    """This answer may be shown inside a frame of this site's own pages, never another's
    (`X-Frame-Options: SAMEORIGIN` instead of DENY): an officer's page previews a dossier's
    PDF in an `<iframe>`. The answer also sends `frame-ancestors 'self'` (app/web)."""
    request.scope.setdefault("state", {})[_OWN_FRAMES_FLAG] = True


class SecurityHeadersMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware): a few header tuples appended per response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in DOC_PATHS:
            await self.app(scope, receive, _DocsPage(scope, send).send)
            return

        replaced = False

        async def send_with_headers(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if message["status"] == 413 and (b"content-type", PLAIN) in headers:
                    # Starlette's body limit answers a declared Content-Length over the limit
                    # with plain text, before any handler could: the contract's shape instead.
                    replaced = True
                    body = TOO_LARGE_BODY
                    headers = [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ]
                message["headers"] = _with_headers(scope, headers)
            elif replaced and message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": TOO_LARGE_BODY}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_headers(scope: Scope, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    out = [*headers, *SECURITY_HEADERS]
    state = scope.get("state", {})
    if state.get(_OWN_FRAMES_FLAG):
        out = [OWN_FRAMES if h == DENY_FRAMES else h for h in out]
    if state.get(_NO_STORE_FLAG):
        out = [h for h in out if h[0].lower() != b"cache-control"] + [NO_STORE]
    return out


class _DocsPage:
    """Holds a documentation page's start until its (small) body is complete, to send the
    policy that names its inline scripts' hashes."""

    def __init__(self, scope: Scope, send: Send) -> None:
        self.scope = scope
        self.inner = send
        self.start: Message | None = None
        self.body = b""

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.inner(message)
            return
        self.body += message.get("body", b"")
        if message.get("more_body", False):
            return
        headers = _with_headers(self.scope, self.start.get("headers", []))
        headers.append((b"content-security-policy", docs_policy(self.body)))
        await self.inner({**self.start, "headers": headers})
        await self.inner({"type": "http.response.body", "body": self.body})
