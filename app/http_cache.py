"""HTTP caching helpers shared by the cacheable endpoints (catalogue, statistics)."""

from starlette.responses import Response


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` header names the entity tag, by weak comparison (RFC 9110
    §13.1.2: `W/` ignored; a list of tags, or `*`)."""
    if if_none_match is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags


class Answered(Exception):
    """Raised by a route's dependency that found the request's answer before the route's
    parameters were validated (services' caches keyed by the raw request); the handler in
    `app/handlers.py` sends `response` as it is. The dependencies declared before it have run."""

    def __init__(self, response: Response) -> None:
        super().__init__("answered early")
        self.response = response
