"""A real OpenID Connect provider for integration tests: panva's `oidc-provider` (npm, 9.x),
run by Node from tests/oidc/provider.mjs on 127.0.0.1 with a kernel-chosen port.

Two grants, as a province's provider would have them.

The client_credentials grant, for the API's bearer tokens: each pre-registered confidential
client (`officer_client`) stands for one officer; a token request with its id and secret
yields an RS256 JWT access token whose claims are

    iss  http://127.0.0.1:<port>         aud  <audience>  (default "dvc-gateway")
    sub / client_id  <client_id>         scope "officer"
    preferred_username, dvc_role, dvc_agency   (the client's username, role, agency)
    iat, exp (exp - iat == ttl, default 600 s), jti

and whose header is {"alg": "RS256", "typ": "at+jwt", "kid": <a key in jwks_uri>}.

The authorization code flow, for the officers' sign-in page: web clients (`web_client`, with
their redirect URIs; PKCE S256 is required of every one) and the people who sign in on the
provider's login page (`officer_user`: username, password, role, agency). `Provider.sign_in`
plays the browser on the provider's side: from the authorization URL the app redirected to,
through the login form, to the redirect back to the app (returned, not followed);
`Provider.cancel` presses the page's cancel link instead (the app gets error=access_denied).
The ID token (aud = the client's id, the request's nonce) carries sub and, for the `profile`
scope, preferred_username, dvc_role and dvc_agency; with `conform_id_token_claims=True` those
three come from the userinfo endpoint only.

Use it directly::

    from tests.oidc_provider import running_provider

    def test_something() -> None:
        clients = [officer_client("officer-a", username="lan", agency="000.00.00.H20")]
        with running_provider(clients) as idp:
            token = idp.token("officer-a")
            ...  # point the app at idp.issuer / idp.jwks_uri, call it with the bearer token

    def test_sign_in_page() -> None:
        pages = web_client("dvc-pages", ["http://testserver/can-bo/dang-nhap/sso/callback"])
        with running_provider(sso_clients=[pages], users=[officer_user("lan")]) as idp:
            ...  # the app's 303 Location is the authorization URL
            back = idp.sign_in(location, "lan", officer_user("lan")["password"])

or as a fixture (one provider per module is cheap enough; starting one takes well under 1 s)::

    @pytest.fixture(scope="module")
    def idp() -> Iterator[Provider]:
        with running_provider([officer_client("officer-a")]) as provider:
            yield provider

Node.js and npm must be on PATH: the npm packages (pinned by tests/oidc/package-lock.json) are
installed on first use with `npm ci`, under a file lock so parallel test processes install once.
A missing Node is an error, never a skip.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

import httpx

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
PROVIDER_SCRIPT = OIDC_DIR / "provider.mjs"
NODE_MODULES = OIDC_DIR / "node_modules"
INSTALL_STAMP = NODE_MODULES / ".dvc-gateway-install-stamp"
INSTALL_LOCK = OIDC_DIR / ".npm-install.lock"

DEFAULT_AUDIENCE = "dvc-gateway"
DEFAULT_SCOPE = "officer"
STARTUP_TIMEOUT = 20.0
NPM_TIMEOUT = 600.0


class OIDCProviderError(RuntimeError):
    """The test OpenID provider could not be installed, started or asked for a token."""


def officer_client(
    client_id: str,
    *,
    secret: str | None = None,
    username: str | None = None,
    role: str = "officer",
    agency: str = "000.00.00.H20",
) -> dict[str, str]:
    """One entry of `running_provider(clients=...)`: a confidential client that is one officer."""
    return {
        "client_id": client_id,
        "client_secret": secret if secret is not None else f"{client_id}-secret",
        "username": username if username is not None else client_id,
        "role": role,
        "agency": agency,
    }


def officer_user(
    username: str,
    *,
    password: str | None = None,
    role: str | None = "officer",
    agency: str | None = "000.00.00.H20",
    sub: str | None = None,
) -> dict[str, Any]:
    """One entry of `running_provider(users=...)`: a person of the provider's login page. A
    role or agency of None is left out of the claims; the password defaults to
    `<username>-mat-khau`."""
    return {
        "username": username,
        "password": password if password is not None else f"{username}-mat-khau",
        "role": role,
        "agency": agency,
        "sub": sub if sub is not None else username,
    }


def web_client(
    client_id: str, redirect_uris: Sequence[str], *, secret: str | None = None
) -> dict[str, Any]:
    """One entry of `running_provider(sso_clients=...)`: a client of the authorization code
    flow; without a secret, a public one (PKCE alone)."""
    return {"client_id": client_id, "client_secret": secret, "redirect_uris": list(redirect_uris)}


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise OIDCProviderError(
            f"`{tool}` is not on PATH: the OIDC integration tests run a real OpenID provider "
            "(npm package oidc-provider) under Node.js. Install Node.js 20+ and npm "
            "(e.g. `apt-get install nodejs npm`) and run the tests again."
        )
    return path


def _lock_digest() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((OIDC_DIR / name).read_bytes())
    return digest.hexdigest()


def _installed_digest() -> str | None:
    try:
        return INSTALL_STAMP.read_text().strip()
    except FileNotFoundError:
        return None


def ensure_node_modules() -> None:
    """Run `npm ci` in tests/oidc unless node_modules matches package-lock.json already."""
    _require("node")
    wanted = _lock_digest()
    with INSTALL_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _installed_digest() == wanted and (NODE_MODULES / "oidc-provider").is_dir():
                return
            npm = _require("npm")
            try:
                result = subprocess.run(
                    [npm, "ci", "--no-audit", "--no-fund"],
                    cwd=OIDC_DIR,
                    capture_output=True,
                    text=True,
                    timeout=NPM_TIMEOUT,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise OIDCProviderError(
                    f"`npm ci` in {OIDC_DIR} took over {NPM_TIMEOUT:.0f} s"
                ) from exc
            if result.returncode != 0:
                raise OIDCProviderError(
                    f"`npm ci` in {OIDC_DIR} failed (exit {result.returncode}):\n"
                    f"{result.stdout}\n{result.stderr}"
                )
            INSTALL_STAMP.write_text(wanted + "\n")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class Provider:
    """A running test provider. Its issuer is also the base URL of every endpoint."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        output: list[str],
        issuer: str,
        audience: str,
        scope: str,
        clients: Sequence[dict[str, str]],
    ) -> None:
        self.process = process
        self._output = output
        self.issuer = issuer
        self.audience = audience
        self.scope = scope
        self.clients = {c["client_id"]: dict(c) for c in clients}
        self._metadata: dict[str, Any] | None = None
        self.startup_seconds: float | None = None

    @property
    def output(self) -> str:
        """Everything the Node process printed so far (stdout and stderr)."""
        return "".join(self._output)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        """The discovery document (fetched once)."""
        if self._metadata is None:
            response = httpx.get(self.discovery_url, timeout=10)
            response.raise_for_status()
            self._metadata = response.json()
        return self._metadata

    @property
    def jwks_uri(self) -> str:
        return str(self.metadata()["jwks_uri"])

    @property
    def token_endpoint(self) -> str:
        return str(self.metadata()["token_endpoint"])

    @property
    def authorization_endpoint(self) -> str:
        return str(self.metadata()["authorization_endpoint"])

    def sign_in(
        self,
        authorization_url: str,
        username: str,
        password: str,
        *,
        browser: httpx.Client | None = None,
    ) -> str:
        """The browser's part at the provider: open `authorization_url`, fill in the login
        form, and return where the provider sends the browser back (the client's redirect URI
        with `code` and `state`, or with `error`), without going there. `browser` keeps the
        provider's cookies between calls (its login session); by default a fresh one."""
        with _browser(browser) as http:
            form = self._follow(http, http.get(authorization_url))
            if isinstance(form, str):
                return form  # signed in already: the provider's session
            answer = http.post(f"{form.url}/login", data={"login": username, "password": password})
            back = self._follow(http, answer)
        if isinstance(back, httpx.Response):
            raise OIDCProviderError(
                f"sign-in of {username!r} at the provider ended on {back.status_code} "
                f"{back.url}:\n{back.text[:500]}"
            )
        return back

    def cancel(self, authorization_url: str, *, browser: httpx.Client | None = None) -> str:
        """Like `sign_in`, but the person presses the login page's cancel link."""
        with _browser(browser) as http:
            form = self._follow(http, http.get(authorization_url))
            if isinstance(form, str):
                raise OIDCProviderError(f"no login page: the provider sent the browser to {form}")
            back = self._follow(http, http.get(f"{form.url}/abort"))
        if isinstance(back, httpx.Response):
            raise OIDCProviderError(f"cancelling ended on {back.status_code} {back.url}")
        return back

    def _follow(self, http: httpx.Client, response: httpx.Response) -> httpx.Response | str:
        """The provider's redirects followed: the page they end on, or the first address off
        the provider (the client's redirect URI)."""
        for _ in range(10):
            if not response.is_redirect:
                return response
            target = urljoin(str(response.url), response.headers["location"])
            if not target.startswith(self.issuer + "/"):
                return target
            response = http.get(target)
        raise OIDCProviderError(f"too many redirects at the provider, last {response.url}")

    def jwks(self) -> dict[str, Any]:
        response = httpx.get(self.jwks_uri, timeout=10)
        response.raise_for_status()
        return dict(response.json())

    def token_response(
        self, client_id: str, *, secret: str | None = None, scope: str | None = None
    ) -> httpx.Response:
        """The raw client_credentials token response (client_secret_basic), error or not."""
        if secret is None:
            try:
                secret = self.clients[client_id]["client_secret"]
            except KeyError:
                raise OIDCProviderError(f"no client {client_id!r} was registered") from None
        data = {"grant_type": "client_credentials", "scope": scope or self.scope}
        # RFC 6749 §2.3.1: id and secret are form-urlencoded before the Basic encoding.
        auth = (quote(client_id, safe=""), quote(secret, safe=""))
        return httpx.post(self.token_endpoint, data=data, auth=auth, timeout=10)

    def token(self, client_id: str, *, scope: str | None = None) -> str:
        """A fresh JWT access token for one registered client."""
        response = self.token_response(client_id, scope=scope)
        if response.status_code != 200:
            raise OIDCProviderError(
                f"token request for {client_id!r} failed: {response.status_code} "
                f"{response.text}\nprovider output:\n{self.output}"
            )
        return str(response.json()["access_token"])


@contextmanager
def _browser(given: httpx.Client | None) -> Iterator[httpx.Client]:
    if given is not None:
        yield given
        return
    with httpx.Client(timeout=10) as http:
        yield http


def _pump(stream: Any, output: list[str], ready: threading.Event) -> None:
    for line in stream:
        output.append(line)
        if line.startswith("READY "):
            ready.set()
    ready.set()  # EOF: the process ended (the caller tells success from failure)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()


@contextmanager
def running_provider(
    clients: Sequence[dict[str, str]] | None = None,
    audience: str = DEFAULT_AUDIENCE,
    ttl: int | None = None,
    *,
    scope: str = DEFAULT_SCOPE,
    sso_clients: Sequence[dict[str, Any]] = (),
    users: Sequence[dict[str, Any]] = (),
    conform_id_token_claims: bool = False,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> Iterator[Provider]:
    """Start oidc-provider on 127.0.0.1 and stop it on exit.

    `clients` are dicts with client_id, client_secret, username, role and agency (see
    `officer_client`); by default one client `dvc-test` / `dvc-test-secret`. `ttl` is the access
    token lifetime in seconds (default 600). `sso_clients` (`web_client`) and `users`
    (`officer_user`) are the authorization code flow's; `conform_id_token_claims` keeps the
    `profile` claims out of the ID token (userinfo only).
    """
    if clients is None:
        clients = [officer_client("dvc-test", secret="dvc-test-secret", username="dvc-test")]
    if not clients:
        raise ValueError("running_provider needs at least one client")
    if ttl is not None and ttl < 1:
        raise ValueError("ttl must be a positive number of seconds")
    ensure_node_modules()

    env = {
        **os.environ,
        "OIDC_TEST_CLIENTS": json.dumps(list(clients)),
        "OIDC_TEST_AUDIENCE": audience,
        "OIDC_TEST_SCOPE": scope,
        "OIDC_TEST_SSO_CLIENTS": json.dumps(list(sso_clients)),
        "OIDC_TEST_USERS": json.dumps(list(users)),
        "OIDC_TEST_CONFORM": "1" if conform_id_token_claims else "0",
        "OIDC_TEST_WATCH_STDIN": "1",
    }
    env.pop("OIDC_TEST_TTL", None)
    env.pop("OIDC_TEST_RESOURCE", None)
    if ttl is not None:
        env["OIDC_TEST_TTL"] = str(ttl)

    started = time.monotonic()
    process = subprocess.Popen(
        [_require("node"), str(PROVIDER_SCRIPT), "0"],
        cwd=OIDC_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    output: list[str] = []
    ready = threading.Event()
    reader = threading.Thread(
        target=_pump, args=(process.stdout, output, ready), name="oidc-provider-output", daemon=True
    )
    reader.start()
    try:
        ready.wait(startup_timeout)
        issuer = next(
            (line.split()[1] for line in output if line.startswith("READY ")),
            None,
        )
        if issuer is None:
            state = (
                f"exited with {process.poll()}"
                if process.poll() is not None
                else f"not ready after {startup_timeout:.0f} s"
            )
            raise OIDCProviderError(
                f"the test OpenID provider {state}; its output:\n{''.join(output)}"
            )
        provider = Provider(process, output, issuer, audience, scope, clients)
        provider.startup_seconds = time.monotonic() - started
        yield provider
    finally:
        _stop(process)
        reader.join(timeout=5)
