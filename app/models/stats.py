"""API models of the statistics endpoints."""

from pydantic import BaseModel


class CatalogueStats(BaseModel):
    total: int
    by_level: dict[str, int]
    by_online_mode: dict[str, int]
    online_services: int
    online_service_share: float | None
