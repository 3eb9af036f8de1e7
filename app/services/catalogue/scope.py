"""Scope filters shared by catalogue lists and statistics: agency subtree, tier, field, level."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, select
from sqlmodel import Session, col

from app.errors import AgencyNotFound, OtherAgency
from app.models import Agency, Procedure, ProcedureAgency
from app.models.officer import Principal, Role


def get_agency(session: Session, code: str) -> Agency:
    agency = session.get(Agency, code)
    if agency is None:
        raise AgencyNotFound(code)
    return agency


# An agency's subtree is the agencies whose materialised path (`Agency.path`, the codes from
# the root down, each followed by "/") starts with its own: the one definition, in Python
# (`in_subtree`) and in SQL (`subtree_clause`), for officers' rights, the queue, catalogue
# filters and statistics (DOMAIN.md §2: statistics for an agency include its whole subtree).


def in_subtree(path: str | None, ancestor_path: str) -> bool:
    """Whether the agency at `path` is the agency at `ancestor_path` or below it."""
    return path is not None and path.startswith(ancestor_path)


def subtree_clause(ancestor_path: str) -> ColumnElement[bool]:
    """`in_subtree` in SQL, on `Agency.path`."""
    return col(Agency.path).startswith(ancestor_path, autoescape=True)


def agency_subtree(session: Session, code: str) -> Select[Any]:
    """A subquery of the codes of `code` and every agency below it; 404 if unknown."""
    agency = get_agency(session, code)
    return select(col(Agency.code)).where(subtree_clause(agency.path))


def offered_in_subtree(ancestor_path: str) -> ColumnElement[bool]:
    """Whether any agency that offers the procedure is in the subtree at `ancestor_path`: one
    EXISTS over the link table (its primary key leads with the procedure's code)."""
    return exists(
        select(1)
        .select_from(ProcedureAgency)
        .join(Agency, col(Agency.code) == col(ProcedureAgency.agency_code))
        .where(col(ProcedureAgency.procedure_code) == col(Procedure.code))
        .where(subtree_clause(ancestor_path))
    )


@dataclass(frozen=True)
class ProcedureScope:
    """Which procedures a list or a statistic covers."""

    agency: str | None = None
    tier: str | None = None
    field: str | None = None
    level: int | None = None
    procedure: str | None = None
    include_retired: bool = False

    def where(self, session: Session) -> ColumnElement[bool]:
        conds: list[ColumnElement[bool]] = []
        if not self.include_retired:
            conds.append(col(Procedure.retired_at).is_(None))
        if self.agency:
            conds.append(offered_in_subtree(get_agency(session, self.agency).path))
        if self.tier:
            conds.append(col(Procedure.tier) == self.tier)
        if self.field:
            conds.append(col(Procedure.field_code) == self.field)
        if self.level is not None:
            conds.append(col(Procedure.level) == self.level)
        if self.procedure:
            conds.append(col(Procedure.code) == self.procedure)
        return and_(True, *conds)


def check_can_act(
    session: Session, officer: Principal, agency_code: str, what: str = "Hồ sơ"
) -> None:
    """403 `other_agency` unless the officer may act for `agency_code` (`can_act`)."""
    if not can_act(session, officer, agency_code):
        raise OtherAgency(f"{what} thuộc cơ quan khác.")


def can_act(session: Session, officer: Principal, agency_code: str) -> bool:
    """Admins act everywhere; an officer on dossiers of their agency and its subtree."""
    if officer.role == Role.admin:
        return True
    own = session.get(Agency, officer.agency_code)
    target = session.get(Agency, agency_code)
    return own is not None and target is not None and in_subtree(target.path, own.path)
