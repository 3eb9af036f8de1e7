"""Reading the catalogue: agencies, fields, procedures and Vietnamese search."""

import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlmodel import Session, col

from app.errors import EmptyQuery, ProcedureNotFound, TemplateNotFound, detail
from app.models import Agency, Procedure, ProcedureAgency, ProcedureField
from app.models.catalogue import (
    ONLINE_LEVELS,
    AgencyRef,
    OnlineMode,
    ProcedureDetail,
    online_mode_for,
)
from app.services.catalogue.completeness import COMPONENTS, missing_components
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


def offering_agencies(
    session: Session, codes: Iterable[str] | None = None
) -> dict[str, list[AgencyRef]]:
    """The agencies that offer each procedure (of `codes`, or all), `agency_code` first: one
    query, whatever the number of procedures."""
    query = (
        select(
            col(ProcedureAgency.procedure_code),
            col(Agency.code),
            col(Agency.name),
        )
        .join(Agency, col(Agency.code) == col(ProcedureAgency.agency_code))
        .order_by(col(ProcedureAgency.procedure_code), col(ProcedureAgency.position))
    )
    if codes is not None:
        query = query.where(col(ProcedureAgency.procedure_code).in_(list(codes)))
    offered: dict[str, list[AgencyRef]] = {}
    for procedure_code, code, name in session.execute(query):
        offered.setdefault(procedure_code, []).append(AgencyRef(code=code, name=name))
    return offered


def offering_codes(session: Session, procedure_code: str) -> list[str]:
    """The codes of the agencies that offer a procedure, `agency_code` first."""
    return [a.code for a in offering_agencies(session, [procedure_code]).get(procedure_code, [])]


def template_url(procedure_code: str, key: str) -> str:
    """Where a component's blank form is served (API.md, Catalogue)."""
    return f"/api/v1/procedures/{procedure_code}/templates/{key}"


def procedure_detail(session: Session, procedure: Procedure) -> ProcedureDetail:
    """A procedure's page: its record, its offering agencies and its templates' addresses."""
    documents = [
        {**doc, "template_url": template_url(procedure.code, doc["key"])}
        if doc.get("template")
        else {**doc, "template_url": None}
        for doc in procedure.required_documents
    ]
    data = {
        name: getattr(procedure, name)
        for name in ProcedureDetail.model_fields
        if name not in ("agencies", "required_documents")
    }
    agencies = offering_agencies(session, [procedure.code]).get(procedure.code, [])
    return ProcedureDetail.model_validate(
        {**data, "agencies": agencies, "required_documents": documents}
    )


@dataclass(frozen=True)
class TemplateFile:
    path: Path
    content_type: str


def template_file(session: Session, code: str, key: str, folder: Path) -> TemplateFile:
    """The blank form of a procedure's component `key`: 404 when the procedure is unknown, or
    has no such component, or the component has no template, or its file is gone. The file is
    looked up by the name the catalogue stores (a plain file name, RequiredDocument), and only
    a file directly inside `folder` is served, whatever the name."""
    procedure = get_procedure(session, code)
    name = next(
        (d.get("template") for d in procedure.required_documents if d.get("key") == key), None
    )
    if not isinstance(name, str) or not name:
        raise TemplateNotFound(code, key)
    root = folder.resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        raise TemplateNotFound(code, key)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return TemplateFile(path=path, content_type=content_type)


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
    complete, missing = _completeness(session, scope)
    return {
        "total": total,
        "by_level": by_level,
        "by_online_mode": {mode.value: n for mode, n in by_mode.items()},
        "online_services": online,
        "online_service_share": online / total if total else None,
        "complete": complete,
        "complete_share": complete / total if total else None,
        "missing_by_component": missing,
    }


COMPLETENESS_COLUMNS = (
    "name",
    "level",
    "agency_code",
    "field_code",
    "steps",
    "channels",
    "processing_amount",
    "fees",
    "required_documents",
    "applicant_kinds",
    "result",
    "legal_basis",
    "form_schema",
)


def _completeness(session: Session, scope: ProcedureScope) -> tuple[int, dict[str, int]]:
    """How many procedures in scope have a complete record (Decision 766, 1.3), and how many
    lack each component (completeness.py), every component present."""
    query = select(*(getattr(Procedure, name) for name in COMPLETENESS_COLUMNS)).where(
        scope.where(session)
    )
    complete = 0
    missing = dict.fromkeys(COMPONENTS, 0)
    for row in session.execute(query):
        lacks = missing_components(dict(row._mapping))
        complete += not lacks
        for component in lacks:
            missing[component] += 1
    return complete, missing


__all__ = [
    "ProcedurePage",
    "agency_subtree",
    "catalogue_stats",
    "get_procedure",
    "list_agencies",
    "list_fields",
    "offering_agencies",
    "offering_codes",
    "procedure_detail",
    "search_procedures",
    "search_text_for",
    "template_file",
]
