"""The pages' stylesheet and script, served by the application under content-hashed names.

Each file of `static/` is read once, at import, and served from memory as
`/static/{stem}.{hash}{suffix}` (`/static/app.3f2a1c9e.css`) with a year's `immutable`
caching: a changed file gets a new name, so a browser never needs to ask again, and no page
waits on a revalidation. Templates name a file by its plain name: `{{ asset("app.css") }}`.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Response

from app.errors import NotFound
from app.inputs import CheckedRoute

STATIC = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Asset:
    url: str
    body: bytes
    media_type: str
    etag: str


def _load(folder: Path) -> tuple[dict[str, Asset], dict[str, Asset]]:
    by_name: dict[str, Asset] = {}
    by_hashed: dict[str, Asset] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix not in MEDIA_TYPES:
            continue
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:10]
        hashed = f"{path.stem}.{digest}{path.suffix}"
        asset = Asset(f"/static/{hashed}", body, MEDIA_TYPES[path.suffix], f'"{digest}"')
        by_name[path.name] = asset
        by_hashed[hashed] = asset
    return by_name, by_hashed


BY_NAME, BY_HASHED = _load(STATIC)


def asset_url(name: str) -> str:
    """The hashed address of a static file, by its plain name (a KeyError for a typo)."""
    return BY_NAME[name].url


def hashed_asset(name: str) -> Asset | None:
    """The file served at `/static/{name}`, if `name` is a current hashed name."""
    return BY_HASHED.get(name)


router = APIRouter(route_class=CheckedRoute, include_in_schema=False)


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    """A static file by its hashed name; 404 for any other name (an old hash included)."""
    found = hashed_asset(name)
    if found is None:
        raise NotFound()
    return Response(
        found.body,
        media_type=found.media_type,
        headers={"Cache-Control": IMMUTABLE, "ETag": found.etag},
    )
