"""A stored procedure read back as its import record: exported, then replaced or imported, it
changes nothing; edited, only the edit changes."""

import json
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from app.errors import ProcedureNotFound
from app.models import Procedure
from app.services.catalogue.cache import read_revision
from app.services.catalogue.importing import import_catalogue, replace_procedure
from app.services.catalogue.procedures import offering_codes
from app.services.catalogue.records import procedure_record
from app.services.catalogue.sample import sample_document
from tests.factories import engine_of


@pytest.fixture
def seeded(session: Session) -> Engine:
    """The sample catalogue, as `dvc-gateway seed` loads it."""
    engine = engine_of(session)
    import_catalogue(engine, sample_document())
    return engine


def rows(engine: Engine) -> dict[str, dict[str, Any]]:
    """Every procedure's columns and offering agencies, as stored."""
    with Session(engine) as session:
        stored = session.scalars(select(Procedure).order_by(col(Procedure.code))).all()
        columns = [column.name for column in Procedure.__table__.columns]  # type: ignore[attr-defined]
        return {
            p.code: {
                **{name: getattr(p, name) for name in columns},
                "agencies": offering_codes(session, p.code),
            }
            for p in stored
        }


def records(engine: Engine) -> list[dict[str, Any]]:
    with Session(engine) as session:
        codes = session.scalars(select(col(Procedure.code)).order_by(col(Procedure.code)))
        return [procedure_record(session, code) for code in codes]


def revision(engine: Engine) -> int:
    with Session(engine) as session:
        return read_revision(session)


def test_every_record_exported_and_imported_again_changes_nothing(seeded: Engine) -> None:
    before, at = rows(seeded), revision(seeded)
    # Through a JSON file, as an administrator would keep it.
    document = json.loads(json.dumps({"procedures": records(seeded)}, ensure_ascii=False))
    report = import_catalogue(seeded, document)
    assert report.unchanged["procedures"] == len(before) == 99
    assert report.updated["procedures"] == report.created["procedures"] == 0
    assert rows(seeded) == before and revision(seeded) == at


def test_a_record_replaced_as_exported_is_unchanged(seeded: Engine) -> None:
    before, at = rows(seeded), revision(seeded)
    for record in records(seeded)[:10]:
        replace_procedure(seeded, record["code"], record)
    assert rows(seeded) == before and revision(seeded) == at


def test_an_edited_record_changes_what_was_edited_only(seeded: Engine) -> None:
    (record,) = [r for r in records(seeded) if len(r["agencies"]) > 1][:1]
    code, before = record["code"], rows(seeded)
    edited = {**record, "processing_time": {"value": 2.5, "unit": "working_days"}}
    edited["agencies"] = list(reversed(record["agencies"]))
    del edited["agency_code"]  # the first agency becomes the procedure's own
    detail = replace_procedure(seeded, code, edited)
    assert (detail.processing_time.value, detail.processing_days) == (2.5, 3)
    after = rows(seeded)
    changed = {k for k in after[code] if after[code][k] != before[code][k]}
    assert changed == {
        "processing_amount",
        "processing_days",
        "agencies",
        "agency_code",
        "updated_at",
    }
    assert after[code]["agencies"] == edited["agencies"]
    assert {c: r for c, r in after.items() if c != code} == {
        c: r for c, r in before.items() if c != code
    }


def test_an_unknown_procedure_has_no_record(session: Session) -> None:
    with pytest.raises(ProcedureNotFound):
        procedure_record(session, "9.999999")
