"""Accounts: the last enabled admin account cannot be disabled."""

import pytest
from sqlmodel import Session

from app.errors import LastAdmin
from app.models.officer import Principal, Role
from app.services.officers import set_disabled
from tests.factories import PROVINCE, engine_of, make_agency, make_officer


def test_the_last_enabled_admin_stays_enabled(session: Session) -> None:
    make_agency(session)
    make_officer(session, "root", role="admin")
    make_officer(session, "mai", role="admin")
    make_officer(session, "lan")
    engine = engine_of(session)
    # A caller the accounts do not hold (a script, an identity provider's admin).
    outsider = Principal(username="ops", role=Role.admin, agency_code=PROVINCE, issuer="tests")
    assert set_disabled(engine, "mai", True, by=outsider).disabled
    with pytest.raises(LastAdmin):
        set_disabled(engine, "root", True, by=outsider)
    assert set_disabled(engine, "lan", True, by=outsider).disabled  # officers: no limit
    assert not set_disabled(engine, "mai", False, by=outsider).disabled  # re-enabled
    assert set_disabled(engine, "root", True, by=outsider).disabled  # mai is enabled again
