"""Per-client failure limits, and which proxies the server believes about a client's address."""

import argparse
import time

from app.cli import serve_options
from app.config import Settings
from app.ratelimit import Failures


def test_failures_are_counted_per_client_in_a_moving_window() -> None:
    failures = Failures("test", limit=2, per_s=1)
    failures.failed("a")
    assert failures.retry_after("a") is None  # one failure: still free
    failures.failed("a")
    assert failures.retry_after("a") == 1
    assert failures.retry_after("b") is None
    time.sleep(1.05)  # the window is a second: the failures leave it
    assert failures.retry_after("a") is None


def test_the_server_believes_forwarded_headers_only_from_listed_proxies() -> None:
    args = argparse.Namespace(host="127.0.0.1", port=8000, workers=1, no_access_log=True)
    default = serve_options(Settings(_env_file=None), args)
    assert default["proxy_headers"] is False  # uvicorn's default would believe 127.0.0.1
    proxied = serve_options(Settings(_env_file=None, forwarded_allow_ips="10.0.0.5"), args)
    assert proxied["proxy_headers"] is True and proxied["forwarded_allow_ips"] == "10.0.0.5"
