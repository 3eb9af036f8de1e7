"""Reading the catalogue: agencies, fields, procedures and Vietnamese search."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlmodel import Session, col

from app.errors import EmptyQuery, ProcedureNotFound, detail
from app.models import Agency, Procedure, ProcedureField
from app.models.catalogue import ONLINE_LEVELS, OnlineMode, online_mode_for
from app.services.catalogue.scope import ProcedureScope, agency_subtree
from app.services.text import fold, words


def search_text_for(name: str, code: str) -> str:
    """The stored, folded text that `q` is matched against: a leading space, then name and code.

    The leading space lets one pattern, `% word%`, match a word prefix anywhere.
    """
    return f" {fold(name)} {fold(code)}"


def search_terms(q: str | None) -> list[str]:
    """The folded words of a search's `q` (none without one, or for an empty one). A `q` with
    no letter or digit, only spaces or punctuation, is refused: it would list everything."""
    if not q:
        return []
    terms = words(q)
    if not terms:
        raise EmptyQuery(details=[detail(["query", "q"], "không có chữ cái hay chữ số nào")])
    return terms


def binary_order(session: Session, column: Any) -> Any:
    """Order by code points on every database, so both give the same pages (PostgreSQL's
    default collation may sort punctuation and case differently from SQLite's)."""
    if session.get_bind().dialect.name == "postgresql":
        return column.collate("C")
    return column


def list_agencies(session: Session, tier: str | None, parent: str | None) -> list[Agency]:
    query = select(Agency)
    if tier:
        query = query.where(col(Agency.tier) == tier)
    if parent:
        query = query.where(col(Agency.parent_code) == parent)
    return list(session.scalars(query.order_by(binary_order(session, Agency.path))))


def list_fields(session: Session) -> list[ProcedureField]:
    query = select(ProcedureField).order_by(binary_order(session, ProcedureField.code))
    return list(session.scalars(query))


def get_procedure(session: Session, code: str) -> Procedure:
    procedure = session.get(Procedure, code)
    if procedure is None:
        raise ProcedureNotFound(code)
    return procedure


@dataclass(frozen=True)
class ProcedurePage:
    items: list[Procedure]
    total: int


def search_procedures(
    session: Session, q: str | None, scope: ProcedureScope, page: int, page_size: int
) -> ProcedurePage:
    """Procedures in `scope` whose name or code has every word of `q` as a word prefix,
    ignoring case and diacritics; best first: exact code, name starting with the phrase,
    name containing the phrase, then scattered words; shorter names before longer ones."""
    where = scope.where(session)
    terms = search_terms(q)
    if terms:
        text = col(Procedure.search_text)
        where = and_(where, *(text.like(f"% {term}%") for term in terms))
    total = session.scalar(select(func.count()).select_from(Procedure).where(where)) or 0
    query = select(Procedure).where(where)
    query = (
        query.order_by(*_ranking(session, terms))
        if terms
        else query.order_by(binary_order(session, Procedure.code))
    )
    rows = session.scalars(query.limit(page_size).offset((page - 1) * page_size))
    return ProcedurePage(items=list(rows), total=total)


def _ranking(session: Session, terms: list[str]) -> list[Any]:
    phrase = " ".join(terms)
    text = col(Procedure.search_text)
    rank: ColumnElement[int] = case(
        (func.lower(col(Procedure.code)) == phrase, 0),
        (text.like(f" {phrase}%"), 1),
        (text.like(f"% {phrase}%"), 2),
        else_=3,
    )
    return [rank, func.length(text), binary_order(session, Procedure.code)]


def catalogue_stats(session: Session, scope: ProcedureScope) -> dict[str, Any]:
    """Procedures per level and per online mode, and the online service share (indicator 3.1:
    procedures offered at level 3–4 ÷ all procedures; `null` when there are none)."""
    counts: dict[int, int] = dict(
        session.execute(
            select(col(Procedure.level), func.count())
            .where(scope.where(session))
            .group_by(col(Procedure.level))
        ).all()
    )
    by_level = {str(level): int(counts.get(level, 0)) for level in (1, 2, 3, 4)}
    total = sum(by_level.values())
    online = sum(by_level[str(level)] for level in ONLINE_LEVELS)
    by_mode = dict.fromkeys(OnlineMode, 0)
    for level, n in by_level.items():
        by_mode[online_mode_for(int(level))] += n
    return {
        "total": total,
        "by_level": by_level,
        "by_online_mode": {mode.value: n for mode, n in by_mode.items()},
        "online_services": online,
        "online_service_share": online / total if total else None,
    }


__all__ = [
    "ProcedurePage",
    "agency_subtree",
    "catalogue_stats",
    "get_procedure",
    "list_agencies",
    "list_fields",
    "search_procedures",
    "search_text_for",
]
