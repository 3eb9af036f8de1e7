"""Statistics for dashboards (public)."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import SessionDep
from app.models.catalogue import Tier
from app.models.common import error_responses
from app.models.stats import CatalogueStats
from app.services import catalogue
from app.services.scope import ProcedureScope

router = APIRouter(prefix="/api/v1/stats", tags=["statistics"])


@router.get("/catalogue", response_model=CatalogueStats, responses=error_responses(404, 422))
def catalogue_stats(
    session: SessionDep,
    agency: Annotated[str | None, Query(description="agency code; includes its subtree")] = None,
    tier: Tier | None = None,
    field: str | None = None,
    level: Annotated[int | None, Query(ge=1, le=4)] = None,
    procedure: str | None = None,
) -> CatalogueStats:
    """Procedures in force per level 1–4 and per online mode, and the online service share
    (indicator 3.1 of Decision 766/QĐ-TTg: level 3–4 procedures ÷ all; `null` when none)."""
    scope = ProcedureScope(agency=agency, tier=tier, field=field, level=level, procedure=procedure)
    return CatalogueStats.model_validate(catalogue.catalogue_stats(session, scope))
