"""Per-client limits on failures (`limits`, moving window, in this process's memory).

`Failures(limit, per_s)` counts what a client got wrong (a tracking lookup of a code that does
not exist) and refuses the client's next requests of that kind once it has failed `limit`
times within `per_s` seconds, until the oldest failure leaves the window: what guessing
sequential codes needs is exactly many failures, while a person who mistypes a code a few
times never meets the limit. Per process: with several workers each keeps its own counts (the
limit is then up to workers × `limit`).
"""

import math
import time

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request


class Failures:
    def __init__(self, name: str, limit: int, per_s: int) -> None:
        self.name = name
        self.item = RateLimitItemPerSecond(limit, per_s)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def retry_after(self, client: str) -> int | None:
        """Seconds until `client` may try again, or None if it may now."""
        if self.limiter.test(self.item, self.name, client):
            return None
        reset = self.limiter.get_window_stats(self.item, self.name, client).reset_time
        return max(1, math.ceil(reset - time.time()))

    def failed(self, client: str) -> None:
        self.limiter.hit(self.item, self.name, client)


def client_of(request: Request) -> str:
    """The client's address as the server saw it: behind a proxy, the address the proxy
    reported, but only from the proxies in FORWARDED_ALLOW_IPS (uvicorn's proxy headers)."""
    return request.client.host if request.client else "-"
