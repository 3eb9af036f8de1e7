"""Slow request bodies are cut off: 408, and the request goes no further.

A body that stalls for `BODY_TIMEOUT_S` (default 60), or that after a grace period arrives
slower than `BODY_MIN_BYTES_PER_S`, holds a connection, a descriptor and perhaps a temporary
upload for nothing (40 uploads of one byte every 5 s did). This pure ASGI middleware times
each wait for the next chunk. When a body is too slow it answers 408 `request_timeout` in the
contract's shape with `Connection: close`, and tells the route that the client disconnected
(what Starlette's request and our multipart receiver handle already: temporary files are
discarded, nothing is written), then drops whatever the route still sends.
"""

import asyncio
import json
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import RequestTimeout, error_body

GRACE_S = 10.0  # the rate is judged only after this long: a slow start is not a slow body
TIMEOUT_BODY = json.dumps(error_body(RequestTimeout.code, RequestTimeout.message)).encode()
DISCONNECT: Message = {"type": "http.disconnect"}


class BodyTimeoutMiddleware:
    def __init__(
        self, app: ASGIApp, stall_s: float, min_bytes_per_s: int, grace_s: float = GRACE_S
    ) -> None:
        self.app = app
        self.stall_s = stall_s
        self.min_bytes_per_s = min_bytes_per_s
        self.grace_s = grace_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        body = _TimedBody(self, receive, send)
        await self.app(scope, body.receive, body.send)


class _TimedBody:
    def __init__(self, limits: BodyTimeoutMiddleware, receive: Receive, send: Send) -> None:
        self.limits = limits
        self.inner_receive = receive
        self.inner_send = send
        self.started = time.monotonic()
        self.received = 0
        self.complete = False
        self.timed_out = False
        self.response_started = False

    def _wait_s(self) -> float:
        """How long the next chunk may take: the stall limit, or less when the rate would
        fall below the minimum before then."""
        elapsed = time.monotonic() - self.started
        by_rate = max(self.limits.grace_s, self.received / self.limits.min_bytes_per_s) - elapsed
        return max(0.0, min(self.limits.stall_s, by_rate))

    async def receive(self) -> Message:
        if self.timed_out:
            return DISCONNECT
        if self.complete:
            return await self.inner_receive()
        try:
            message = await asyncio.wait_for(self.inner_receive(), self._wait_s())
        except TimeoutError:
            await self._time_out()
            return DISCONNECT
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            self.complete = not message.get("more_body", False)
        return message

    async def _time_out(self) -> None:
        self.timed_out = True
        if self.response_started:
            return
        self.response_started = True
        await self.inner_send(
            {
                "type": "http.response.start",
                "status": RequestTimeout.status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(TIMEOUT_BODY)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await self.inner_send({"type": "http.response.body", "body": TIMEOUT_BODY})

    async def send(self, message: Message) -> None:
        if self.timed_out:
            return  # the client has its 408: the route's late answer goes nowhere
        if message["type"] == "http.response.start":
            self.response_started = True
        await self.inner_send(message)
