"""A stored procedure read back as the import document writes it (a record of
`procedures[]`, the body of `PUT /api/v1/procedures/{code}`): what an administrator's page
edits and sends back through `importing.replace_procedure`. Exported and then replaced or
imported unchanged, a record changes nothing (tests/services/catalogue/test_records.py)."""

import hashlib
import json
from typing import Any

from sqlmodel import Session

from app.models import Procedure
from app.models.catalogue import ProcedureCreate
from app.services.catalogue.procedures import get_procedure, offering_codes

# Written from other fields (processing_time, fees), or not columns of their own.
_NOT_COLUMNS = frozenset({"processing_days", "fee_vnd", "processing_time", "agencies"})


def procedure_record(session: Session, code: str) -> dict[str, Any]:
    """The import record of procedure `code` (404 `procedure_not_found`): every field an
    import writes, as JSON values; `processing_days` and `fee_vnd` are left out, since
    `processing_time` and `fees` say the same."""
    procedure = get_procedure(session, code)
    record = {
        name: _plain(getattr(procedure, name))
        for name in ProcedureCreate.model_fields
        if name not in _NOT_COLUMNS
    }
    record["processing_time"] = _time_of(procedure)
    record["agencies"] = offering_codes(session, code)
    return record


def record_version(record: dict[str, Any]) -> str:
    """A short fingerprint of a procedure's record: a form shown with one version and saved
    against another would undo what changed in between."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _time_of(procedure: Procedure) -> dict[str, Any]:
    return {"value": procedure.processing_amount, "unit": str(procedure.processing_unit)}


def _plain(value: Any) -> Any:
    """A column's value as JSON holds it (enums as their strings, lists and objects copied,
    so that editing the record never touches the loaded row)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
