"""Table models. Importing this package registers every table on `SQLModel.metadata`."""

from sqlmodel import SQLModel

# Named constraints from the first migration on: SQLite's batch mode needs names to alter them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from app.models.calendar import CalendarOverride  # noqa: E402
from app.models.catalogue import Agency, Procedure, ProcedureAgency, ProcedureField  # noqa: E402
from app.models.catalogue_revision import CatalogueRevision  # noqa: E402
from app.models.dossier import (  # noqa: E402
    Dossier,
    DossierEvent,
    DossierFile,
    DossierSequence,
)
from app.models.officer import LoginFailure, Officer, OfficerSession  # noqa: E402
from app.models.stats import stat_daily, stat_due, stat_monthly  # noqa: E402

__all__ = [
    "Agency",
    "CalendarOverride",
    "CatalogueRevision",
    "Dossier",
    "DossierEvent",
    "DossierFile",
    "DossierSequence",
    "LoginFailure",
    "Officer",
    "OfficerSession",
    "Procedure",
    "ProcedureAgency",
    "ProcedureField",
    "SQLModel",
    "stat_daily",
    "stat_due",
    "stat_monthly",
]
