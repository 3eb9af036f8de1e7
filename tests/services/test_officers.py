"""Accounts: someone can always manage the accounts (no admin disables or demotes themself,
and the last enabled admin account stays enabled and admin), and a disabled account's page
sessions end with it."""

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from app.config import Settings
from app.errors import AgencyNotFound, CannotDemoteSelf, CannotDisableSelf, LastAdmin
from app.models.officer import Officer, OfficerSession, OfficerUpdate, Principal, Role
from app.models.types import utcnow
from app.services import officer_sessions
from app.services.officers import list_officers, set_disabled, update_officer
from tests.factories import PROVINCE, engine_of, make_agency, make_officer

# A caller the accounts do not hold (a script, an identity provider's admin).
OUTSIDER = Principal(username="ops", role=Role.admin, agency_code=PROVINCE, issuer="tests")


@pytest.fixture
def engine(session: Session) -> Engine:
    make_agency(session)
    make_officer(session, "root", role="admin")
    make_officer(session, "mai", role="admin")
    make_officer(session, "lan")
    return engine_of(session)


def state(engine: Engine) -> list[tuple[str, Role, str, bool]]:
    with Session(engine) as session:
        rows = session.scalars(select(Officer).order_by(col(Officer.username)))
        return [(o.username, o.role, o.agency_code, o.disabled) for o in rows]


def test_the_last_enabled_admin_stays_enabled(engine: Engine) -> None:
    assert set_disabled(engine, "mai", True, by=OUTSIDER).disabled
    with pytest.raises(LastAdmin):
        set_disabled(engine, "root", True, by=OUTSIDER)
    assert set_disabled(engine, "lan", True, by=OUTSIDER).disabled  # officers: no limit
    assert not set_disabled(engine, "mai", False, by=OUTSIDER).disabled  # re-enabled
    assert set_disabled(engine, "root", True, by=OUTSIDER).disabled  # mai is enabled again


def test_the_last_enabled_admin_stays_admin(engine: Engine) -> None:
    demote = OfficerUpdate(role=Role.officer)
    assert update_officer(engine, "mai", demote, OUTSIDER).role is Role.officer
    with pytest.raises(LastAdmin) as refused:
        update_officer(engine, "root", demote, OUTSIDER)
    assert refused.value.message == LastAdmin.demoted
    # A disabled admin is no admin who manages anything: demoting one leaves the count.
    update_officer(engine, "mai", OfficerUpdate(role=Role.admin, disabled=True), OUTSIDER)
    assert update_officer(engine, "mai", demote, OUTSIDER).role is Role.officer
    assert state(engine)[2] == ("root", Role.admin, PROVINCE, False)


def test_an_admin_neither_disables_nor_demotes_their_own_account(engine: Engine) -> None:
    root = Principal(username="root", role=Role.admin, agency_code=PROVINCE, issuer="tests")
    before = state(engine)
    with pytest.raises(CannotDisableSelf):
        update_officer(engine, "root", OfficerUpdate(disabled=True), root)
    with pytest.raises(CannotDemoteSelf):
        update_officer(engine, "root", OfficerUpdate(role=Role.officer), root)
    assert state(engine) == before
    # What keeps them admin and enabled is theirs to change.
    assert update_officer(engine, "root", OfficerUpdate(role=Role.admin, disabled=False), root)


def test_a_change_of_agency_needs_an_agency_and_is_all_or_nothing(
    engine: Engine, session: Session
) -> None:
    before = state(engine)
    unknown = OfficerUpdate(role=Role.admin, agency_code="000.99.99.H20")
    with pytest.raises(AgencyNotFound):
        update_officer(engine, "lan", unknown, OUTSIDER)
    assert state(engine) == before
    commune = make_agency(session, "000.01.01.H20", "Xã Yên Sơn", "commune")
    moved = update_officer(engine, "lan", OfficerUpdate(agency_code=commune.code), OUTSIDER)
    assert (moved.role, moved.agency_code) == (Role.officer, commune.code)


def test_disabling_an_account_ends_its_page_sessions_and_no_one_elses(
    engine: Engine, settings: Settings
) -> None:
    now = utcnow()
    with Session(engine) as session:
        ids = {o.username: o.id or 0 for o in list_officers(session, 1, 10)[0]}
    lan = officer_sessions.start(engine, settings, ids["lan"], now)
    mai = officer_sessions.start(engine, settings, ids["mai"], now)
    officer_sessions.start(engine, settings, ids["lan"], now)  # a second browser
    update_officer(engine, "lan", OfficerUpdate(role=Role.officer), OUTSIDER)
    assert officer_sessions.read(engine, settings, lan, now) is not None  # not a disabling
    set_disabled(engine, "lan", True, by=OUTSIDER)
    with Session(engine) as session:
        left = session.scalars(select(col(OfficerSession.officer_id))).all()
    assert left == [ids["mai"]]
    assert officer_sessions.read(engine, settings, lan, now) is None
    assert officer_sessions.read(engine, settings, mai, now) is not None
    # Re-enabled, the account signs in again; the ended sessions stay ended.
    set_disabled(engine, "lan", False, by=OUTSIDER)
    assert officer_sessions.read(engine, settings, lan, now) is None


def test_the_accounts_are_listed_a_page_at_a_time_by_username(engine: Engine) -> None:
    with Session(engine) as session:
        first, total = list_officers(session, 1, 2)
        second, _ = list_officers(session, 2, 2)
    assert total == 3
    assert [o.username for o in first + second] == ["lan", "mai", "root"]
