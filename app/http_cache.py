"""HTTP caching helpers shared by the cacheable endpoints (catalogue, statistics)."""


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` header names the entity tag, by weak comparison (RFC 9110
    §13.1.2: `W/` ignored; a list of tags, or `*`)."""
    if if_none_match is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags
