"""The service's routes as a list, those of the included routers too."""

from collections.abc import Iterable, Iterator

from starlette.routing import BaseRoute


def routes_of(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, those of the included routers too (FastAPI keeps them as routers)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from routes_of(included.routes)
        else:
            yield route
