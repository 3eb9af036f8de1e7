"""Dossier codes: `{agency_code}-{YYMMDD}-{NNNN}` (Circular 01/2018/TT-VPCP, Art. 19)."""

from datetime import datetime

from sqlmodel import Session

from app.db import conflict_insert
from app.errors import AppError
from app.models.dossier import DossierSequence
from app.models.types import VN_TZ

MAX_PER_DAY = 9999


class DossierCodesExhausted(AppError):
    status = 503
    code = "dossier_codes_exhausted"
    message = "Cơ quan đã hết số hồ sơ trong ngày (tối đa 9.999); vui lòng nộp lại vào ngày mai."


def next_dossier_code(session: Session, agency_code: str, at: datetime) -> str:
    """Take the next number of the agency's Vietnam day inside the caller's transaction.

    One upsert increments the row and returns the new value: on PostgreSQL it holds the row lock
    until the caller commits, on SQLite the writer's lock is held from BEGIN IMMEDIATE, so
    concurrent submissions queue and get consecutive numbers; a rollback returns the number,
    so codes stay gap-free. Past 9,999 the transaction fails rather than reuse a code.
    """
    day = at.astimezone(VN_TZ).strftime("%y%m%d")
    insert = conflict_insert(session)
    table = DossierSequence.__table__  # type: ignore[attr-defined]
    statement = (
        insert(table)
        .values(agency_code=agency_code, day=day, last=1)
        .on_conflict_do_update(
            index_elements=[table.c.agency_code, table.c.day],
            set_={"last": table.c.last + 1},
        )
        .returning(table.c.last)
    )
    number = int(session.execute(statement).scalar_one())
    if number > MAX_PER_DAY:
        raise DossierCodesExhausted(details=[{"agency_code": agency_code, "day": day}])
    return f"{agency_code}-{day}-{number:04d}"
