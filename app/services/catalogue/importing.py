"""Importing a catalogue document: validate everything, then upsert by code, all or nothing."""

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, delete, insert
from sqlmodel import Session, col, select

from app.config import get_settings
from app.db import unit_of_work
from app.errors import (
    CatalogueImportError,
    ProcedureChanged,
    ProcedureExists,
    ProcedureNotFound,
    detail,
)
from app.models import Agency, Procedure, ProcedureAgency, ProcedureField
from app.models.catalogue import (
    TIER_RANK,
    AgencyCreate,
    CatalogueImport,
    FieldCreate,
    ImportReport,
    ImportWarning,
    ProcedureCreate,
    ProcedureDetail,
    Tier,
)
from app.models.types import utcnow
from app.services.catalogue.cache import bump_revision
from app.services.catalogue.completeness import missing_components, missing_text
from app.services.catalogue.procedures import get_procedure, procedure_detail, search_text_for
from app.services.catalogue.records import procedure_record, record_version
from app.services.messages import validation_message

MAX_REPORTED_ERRORS = 50
# The largest import document, in MB, through the API or the administrators' page. A province's
# catalogue is about 2,000 procedures; the sample's 99 full records are 292 KB of compact JSON
# (3 KB each), so a whole province is about 6 MB. The API's other bodies keep MAX_JSON_KB.
MAX_IMPORT_MB = 16
Problems = list[dict[str, Any]]


def import_catalogue(engine: Engine, raw: Any, templates: Path | None = None) -> ImportReport:
    """Validate `raw` (a parsed JSON document) completely, then upsert agencies, fields and
    procedures by code in one transaction. One bad record rejects the whole document with an
    error naming it; importing the same document twice changes nothing (not even the
    catalogue's revision, which any change bumps in the same transaction)."""
    with unit_of_work(engine, write=True) as session:
        return upsert_document(session, raw, templates)


def templates_folder(templates: Path | None) -> Path:
    """The folder of blank forms: the caller's, else the TEMPLATES_DIR setting."""
    return templates if templates is not None else Path(get_settings().templates_dir)


def upsert_document(session: Session, raw: Any, templates: Path | None = None) -> ImportReport:
    """`import_catalogue` inside the caller's unit of work (it only flushes)."""
    doc = parse_document(raw)
    agencies = {a.code: a for a in session.exec(select(Agency))}
    fields = {f.code: f for f in session.exec(select(ProcedureField))}
    problems = _duplicates(doc)
    tiers = _check_agencies(doc.agencies, agencies, problems)
    field_codes = set(fields) | {f.code for f in doc.fields}
    _check_procedures(doc.procedures, tiers, field_codes, problems)
    _check_templates(doc.procedures, templates_folder(templates), problems)
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
    unchanged: set[str] = set()
    _upsert(session, "procedures", existing, doc.procedures, Procedure, values, report, unchanged)
    _count_relinked(report, unchanged, _link_agencies(session, doc.procedures))
    report.warnings = _warnings(doc.procedures)
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
        _check_offering(index, proc, tiers, problems)
        assert proc.agency_code is not None
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


def _check_offering(
    index: int, proc: ProcedureCreate, tiers: dict[str, Tier], problems: Problems
) -> None:
    """Every offering agency exists and has the procedure's tier (the first one's, by
    default). The first, `agency_code`, is checked with the older messages below."""
    label = f"procedures[{index}] ({proc.code})"
    assert proc.agencies is not None and proc.agency_code is not None
    tier = proc.tier or tiers.get(proc.agency_code)
    for position, code in enumerate(proc.agencies[1:], start=1):
        where = ["procedures", index, "agencies", position]
        if code not in tiers:
            problems.append(detail(where, f"{label}: không có cơ quan {code}"))
        elif tier is not None and tiers[code] != tier:
            problems.append(
                detail(
                    where,
                    f"{label}: cơ quan {code} ở cấp {tiers[code]}, khác cấp {tier} của thủ tục",
                )
            )


def _check_templates(procedures: list[ProcedureCreate], folder: Path, problems: Problems) -> None:
    """Every template named is a file in the templates folder (names are plain file names:
    RequiredDocument checks them, so none leaves the folder)."""
    for index, proc in enumerate(procedures):
        for position, doc in enumerate(proc.required_documents):
            if doc.template is not None and not (folder / doc.template).is_file():
                problems.append(
                    detail(
                        ["procedures", index, "required_documents", position, "template"],
                        f"procedures[{index}] ({proc.code}): không có tệp mẫu '{doc.template}' "
                        f"cho thành phần hồ sơ '{doc.name}'",
                    )
                )


def _link_agencies(session: Session, procedures: list[ProcedureCreate]) -> set[str]:
    """Write each procedure's offering agencies in order; the codes whose list changed."""
    if not procedures:
        return set()
    codes = [proc.code for proc in procedures]
    table = ProcedureAgency.__table__  # type: ignore[attr-defined]
    current: dict[str, list[str]] = {}
    for chunk in _chunks(codes):
        rows = session.execute(
            select(col(ProcedureAgency.procedure_code), col(ProcedureAgency.agency_code))
            .where(col(ProcedureAgency.procedure_code).in_(chunk))
            .order_by(col(ProcedureAgency.procedure_code), col(ProcedureAgency.position))
        )
        for procedure_code, agency_code in rows:
            current.setdefault(procedure_code, []).append(agency_code)
    changed = {proc.code for proc in procedures if current.get(proc.code) != proc.agencies}
    if changed:
        # Core statements: the ORM would insert the new rows before deleting the old ones.
        for chunk in _chunks(sorted(changed)):
            session.execute(delete(table).where(table.c.procedure_code.in_(chunk)))
        links = [
            {"procedure_code": proc.code, "agency_code": code, "position": position}
            for proc in procedures
            if proc.code in changed
            for position, code in enumerate(proc.agencies or [])
        ]
        session.execute(insert(table), links)
    return changed


def _chunks(codes: list[str], size: int = 2000) -> Iterable[list[str]]:
    """Codes in slices that keep each statement's parameters far below SQLite's limit."""
    for start in range(0, len(codes), size):
        yield codes[start : start + size]


def _count_relinked(report: ImportReport, unchanged_codes: set[str], relinked: set[str]) -> None:
    """A procedure whose columns are unchanged but whose agencies changed is updated."""
    moved = len(unchanged_codes & relinked)
    report.unchanged["procedures"] -= moved
    report.updated["procedures"] += moved


def _warnings(procedures: list[ProcedureCreate]) -> list[ImportWarning]:
    """Procedures written without every component of a complete record (completeness.py)."""
    warnings = []
    for index, proc in enumerate(procedures):
        missing = missing_components(proc.columns())
        if missing:
            warnings.append(
                ImportWarning(
                    loc=["procedures", index],
                    code=proc.code,
                    missing=missing,
                    msg=f"procedures[{index}] ({proc.code}): hồ sơ thủ tục chưa đầy đủ, "
                    f"thiếu: {missing_text(missing)}",
                )
            )
    return warnings


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
        assert record.agency_code is not None
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
    unchanged_codes: set[str] | None = None,
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
            if unchanged_codes is not None:
                unchanged_codes.add(record.code)
        if flush_each:
            session.flush()
    session.flush()
    report.created[section] = created
    report.updated[section] = updated
    report.unchanged[section] = unchanged


def create_procedure(
    engine: Engine, raw: dict[str, Any], templates: Path | None = None
) -> ProcedureDetail:
    """One new procedure, through the same validation as an import; 409 when the code exists."""
    code = raw.get("code") if isinstance(raw, dict) else None
    with unit_of_work(engine, write=True) as session:
        if isinstance(code, str) and session.get(Procedure, code.strip()) is not None:
            raise ProcedureExists(code)
        upsert_document(session, {"procedures": [raw]}, templates)
        return _detail(session, str(raw["code"]).strip())


def replace_procedure(
    engine: Engine, code: str, raw: dict[str, Any], templates: Path | None = None
) -> ProcedureDetail:
    """Replace an existing procedure's record (404 if unknown; the code in the path wins)."""
    with unit_of_work(engine, write=True) as session:
        if session.get(Procedure, code) is None:
            raise ProcedureNotFound(code)
        upsert_document(session, {"procedures": [{**raw, "code": code}]}, templates)
        return _detail(session, code)


def edit_procedure(
    engine: Engine,
    code: str,
    seen: str,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    templates: Path | None = None,
) -> ProcedureDetail:
    """Replace the procedure's record with `change(record)`, in one transaction that first
    locks the row and checks the record is still the version `seen` (`records.record_version`):
    409 `procedure_changed` when another edit came in between, 404 when unknown."""
    with unit_of_work(engine, write=True) as session:
        if session.get(Procedure, code, with_for_update=True) is None:
            raise ProcedureNotFound(code)
        record = procedure_record(session, code)
        if record_version(record) != seen:
            raise ProcedureChanged()
        upsert_document(session, {"procedures": [{**change(record), "code": code}]}, templates)
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
    return procedure_detail(session, get_procedure(session, code))
