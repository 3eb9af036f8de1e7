"""Importing a catalogue document: validate everything, then upsert by code, all or nothing."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.db import unit_of_work
from app.errors import CatalogueImportError, ProcedureExists, ProcedureNotFound, detail
from app.models import Agency, Procedure, ProcedureField
from app.models.catalogue import (
    TIER_RANK,
    AgencyCreate,
    CatalogueImport,
    FieldCreate,
    ImportReport,
    ProcedureCreate,
    ProcedureDetail,
    Tier,
)
from app.models.types import utcnow
from app.services.catalogue.cache import bump_revision
from app.services.catalogue.procedures import get_procedure, search_text_for
from app.services.messages import validation_message

MAX_REPORTED_ERRORS = 50
Problems = list[dict[str, Any]]


def import_catalogue(engine: Engine, raw: Any) -> ImportReport:
    """Validate `raw` (a parsed JSON document) completely, then upsert agencies, fields and
    procedures by code in one transaction. One bad record rejects the whole document with an
    error naming it; importing the same document twice changes nothing (not even the
    catalogue's revision, which any change bumps in the same transaction)."""
    with unit_of_work(engine, write=True) as session:
        return upsert_document(session, raw)


def upsert_document(session: Session, raw: Any) -> ImportReport:
    """`import_catalogue` inside the caller's unit of work (it only flushes)."""
    doc = parse_document(raw)
    agencies = {a.code: a for a in session.exec(select(Agency))}
    fields = {f.code: f for f in session.exec(select(ProcedureField))}
    problems = _duplicates(doc)
    tiers = _check_agencies(doc.agencies, agencies, problems)
    field_codes = set(fields) | {f.code for f in doc.fields}
    _check_procedures(doc.procedures, tiers, field_codes, problems)
    if problems:
        raise CatalogueImportError(
            f"Danh mục không hợp lệ ({len(problems)} lỗi); không có bản ghi nào được ghi. "
            f"Lỗi đầu tiên: {problems[0]['msg']}",
            details=problems[:MAX_REPORTED_ERRORS],
        )
    report = ImportReport(created={}, updated={}, unchanged={})
    moved = _upsert_agencies(session, doc.agencies, agencies, report)
    _upsert(session, "fields", fields, doc.fields, ProcedureField, _field_values, report)
    existing = {p.code: p for p in session.exec(select(Procedure))}
    values = _procedure_values(tiers)
    _upsert(session, "procedures", existing, doc.procedures, Procedure, values, report)
    if moved or any(report.created.values()) or any(report.updated.values()):
        bump_revision(session)
    session.flush()
    return report


def parse_document(raw: Any) -> CatalogueImport:
    try:
        return CatalogueImport.model_validate(raw)
    except ValidationError as exc:
        problems = [
            _problem(raw, list(err["loc"]), validation_message(err)) for err in exc.errors()
        ]
        raise CatalogueImportError(
            f"Danh mục không hợp lệ ({len(problems)} lỗi); không có bản ghi nào được ghi. "
            f"Lỗi đầu tiên: {problems[0]['msg']}",
            details=problems[:MAX_REPORTED_ERRORS],
        ) from None


def _problem(raw: Any, loc: list[Any], msg: str) -> dict[str, Any]:
    """A detail whose message names the record (section, index and code) it is about."""
    label = ".".join(str(part) for part in loc)
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw, dict):
        section, index = loc[0], loc[1]
        records = raw.get(section)
        code = None
        if isinstance(records, list) and index < len(records) and isinstance(records[index], dict):
            code = records[index].get("code")
        label = f"{section}[{index}]" + (f" ({code})" if code else "")
        if len(loc) > 2:
            label += " " + ".".join(str(part) for part in loc[2:])
    return detail(loc, f"{label}: {msg}")


def _duplicates(doc: CatalogueImport) -> Problems:
    problems: Problems = []
    sections: Iterable[tuple[str, list[Any]]] = (
        ("agencies", doc.agencies),
        ("fields", doc.fields),
        ("procedures", doc.procedures),
    )
    for section, records in sections:
        seen: set[str] = set()
        for index, record in enumerate(records):
            if record.code in seen:
                problems.append(
                    detail(
                        [section, index, "code"],
                        f"{section}[{index}] ({record.code}): "
                        "mã này xuất hiện nhiều lần trong tài liệu",
                    )
                )
            seen.add(record.code)
    return problems


def _check_agencies(
    incoming: list[AgencyCreate], existing: dict[str, Agency], problems: Problems
) -> dict[str, Tier]:
    """Parents exist, tiers never go up the tree, no cycles. Returns every agency's tier."""
    parents = {code: a.parent_code for code, a in existing.items()}
    tiers = {code: a.tier for code, a in existing.items()}
    for agency in incoming:
        parents[agency.code] = agency.parent_code
        tiers[agency.code] = agency.tier
    for index, agency in enumerate(incoming):
        where = ["agencies", index, "parent_code"]
        label = f"agencies[{index}] ({agency.code})"
        parent = agency.parent_code
        if parent is None:
            continue
        if parent not in tiers:
            problems.append(detail(where, f"{label}: không có cơ quan cấp trên {parent}"))
        elif TIER_RANK[tiers[parent]] > TIER_RANK[agency.tier]:
            problems.append(
                detail(
                    where,
                    f"{label}: cơ quan {agency.tier.label} không thể trực thuộc cơ quan "
                    f"{tiers[parent].label} {parent}",
                )
            )
        elif _in_cycle(agency.code, parents):
            problems.append(detail(where, f"{label}: chuỗi cơ quan cấp trên quay vòng về chính nó"))
    return tiers


def _in_cycle(code: str, parents: dict[str, str | None]) -> bool:
    seen = {code}
    current = parents.get(code)
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _check_procedures(
    procedures: list[ProcedureCreate], tiers: dict[str, Tier], fields: set[str], problems: Problems
) -> None:
    for index, proc in enumerate(procedures):
        label = f"procedures[{index}] ({proc.code})"
        if proc.agency_code not in tiers:
            problems.append(
                detail(
                    ["procedures", index, "agency_code"],
                    f"{label}: không có cơ quan {proc.agency_code}",
                )
            )
        elif proc.tier is not None and proc.tier != tiers[proc.agency_code]:
            problems.append(
                detail(
                    ["procedures", index, "tier"],
                    f"{label}: cấp {proc.tier.label} khác cấp {tiers[proc.agency_code].label} "
                    f"của cơ quan {proc.agency_code}",
                )
            )
        if proc.field_code not in fields:
            problems.append(
                detail(
                    ["procedures", index, "field_code"],
                    f"{label}: không có lĩnh vực {proc.field_code}",
                )
            )


def _upsert_agencies(
    session: Session,
    incoming: list[AgencyCreate],
    existing: dict[str, Agency],
    report: ImportReport,
) -> bool:
    """Upsert agencies and recompute paths; True when an existing agency's path changed."""
    parents = {code: a.parent_code for code, a in existing.items()}
    parents.update({a.code: a.parent_code for a in incoming})
    paths = _paths(parents)
    # Parents before children, so foreign keys hold at every insert.
    ordered = sorted(incoming, key=lambda a: paths[a.code].count("/"))
    # One flush per agency: the unit of work would otherwise run updates (a child moving
    # under a new parent) before the insert of that parent.
    _upsert(
        session,
        "agencies",
        existing,
        ordered,
        Agency,
        lambda a: {**a.model_dump(), "path": paths[a.code]},
        report,
        flush_each=True,
    )
    moved = False
    for code, agency in existing.items():  # a moved parent moves the whole subtree
        if agency.path != paths[code]:
            agency.path = paths[code]
            moved = True
    session.flush()
    return moved


def _paths(parents: dict[str, str | None]) -> dict[str, str]:
    paths: dict[str, str] = {}

    def path_of(code: str) -> str:
        if code not in paths:
            parent = parents[code]
            paths[code] = (path_of(parent) if parent else "") + code + "/"
        return paths[code]

    for code in parents:
        path_of(code)
    return paths


def _field_values(record: FieldCreate) -> dict[str, Any]:
    return record.model_dump()


def _procedure_values(tiers: dict[str, Tier]) -> Any:
    def values(record: ProcedureCreate) -> dict[str, Any]:
        data = record.columns()
        data["tier"] = record.tier or tiers[record.agency_code]
        data["search_text"] = search_text_for(record.name, record.code)
        return data

    return values


def _upsert(
    session: Session,
    section: str,
    existing: dict[str, Any],
    records: Iterable[Any],
    table: type[Any],
    values: Any,
    report: ImportReport,
    *,
    flush_each: bool = False,
) -> None:
    created = updated = unchanged = 0
    for record in records:
        data = values(record)
        row = existing.get(record.code)
        if row is None:
            row = table(**data)
            session.add(row)
            existing[record.code] = row
            created += 1
        elif any(getattr(row, key) != value for key, value in data.items()):
            for key, value in data.items():
                setattr(row, key, value)
            if hasattr(row, "updated_at"):
                row.updated_at = utcnow()
            updated += 1
        else:
            unchanged += 1
        if flush_each:
            session.flush()
    session.flush()
    report.created[section] = created
    report.updated[section] = updated
    report.unchanged[section] = unchanged


def create_procedure(engine: Engine, raw: dict[str, Any]) -> ProcedureDetail:
    """One new procedure, through the same validation as an import; 409 when the code exists."""
    code = raw.get("code") if isinstance(raw, dict) else None
    with unit_of_work(engine, write=True) as session:
        if isinstance(code, str) and session.get(Procedure, code.strip()) is not None:
            raise ProcedureExists(code)
        upsert_document(session, {"procedures": [raw]})
        return _detail(session, str(raw["code"]).strip())


def replace_procedure(engine: Engine, code: str, raw: dict[str, Any]) -> ProcedureDetail:
    """Replace an existing procedure's record (404 if unknown; the code in the path wins)."""
    with unit_of_work(engine, write=True) as session:
        if session.get(Procedure, code) is None:
            raise ProcedureNotFound(code)
        upsert_document(session, {"procedures": [{**raw, "code": code}]})
        return _detail(session, code)


def retire_procedure(engine: Engine, code: str, now: datetime) -> ProcedureDetail:
    """Retired procedures stop taking dossiers; their dossiers keep their history."""
    with unit_of_work(engine, write=True) as session:
        procedure = session.get(Procedure, code)
        if procedure is None:
            raise ProcedureNotFound(code)
        if procedure.retired_at is None:
            procedure.retired_at = now
            procedure.updated_at = now
            bump_revision(session)
            session.flush()
        return _detail(session, code)


def _detail(session: Session, code: str) -> ProcedureDetail:
    return ProcedureDetail.model_validate(get_procedure(session, code), from_attributes=True)
