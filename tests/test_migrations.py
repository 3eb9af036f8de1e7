"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, col

from app.db import make_engine
from app.migrate import alembic_config, upgrade
from app.models import Dossier, Procedure, ProcedureAgency
from app.models.dossier import DossierStatus
from app.models.types import VN_TZ, utcnow
from app.services.catalogue.procedures import procedure_detail
from app.services.dossiers import tracking, workflow
from app.services.dossiers.supplement_requests import open_request_documents
from app.services.stats import backfill, counters
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_dossier, move


@pytest.fixture
def empty_engine(tmp_path: object) -> Iterator[Engine]:
    if not TEST_DATABASE_URL:
        engine = make_engine(f"sqlite:///{tmp_path}/migrations.db")
        yield engine
        engine.dispose()
        return
    # A throwaway database beside the test database, so create_all() there does not interfere.
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_mig_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()


def upgrade_to(engine: Engine, revision: str) -> None:
    """The database as it was at `revision`: for migrations that convert data."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade_to(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def dossier_at(engine: Engine, revision: str, status: DossierStatus = DossierStatus.new) -> Any:
    """A dossier made by today's code, in a database then taken back to `revision`: the
    models write every column of today's schema, which an older one may not have."""
    upgrade(engine)
    made = make_dossier(engine, status)
    downgrade_to(engine, revision)
    return made


def test_migrations_match_the_models(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
    assert {"agency", "field", "procedure", "alembic_version"} <= set(
        inspect(empty_engine).get_table_names()
    )


def test_upgrade_twice_is_a_no_op(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1


def test_sqlite_enforces_foreign_keys(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    with pytest.raises(Exception, match=r"(?i)foreign key"), empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO agency (code, name, tier, parent_code, path) "
                "VALUES ('000.00.01.H20', 'x', 'district', '000.00.99.H20', 'p/')"
            )
        )


def test_the_queue_indexes_are_built(empty_engine: Engine) -> None:
    """compare_metadata cannot reflect expression indexes: their definitions are checked here
    (parentheses dropped: each database writes them its own way)."""
    upgrade(empty_engine)
    if empty_engine.dialect.name == "postgresql":
        sql = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dossier'"
    else:
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dossier'"
    with empty_engine.connect() as connection:
        rows = connection.execute(text(sql)).all()
    indexes = {
        name: " ".join(str(d).replace("(", " ").replace(")", " ").split()).replace(" ,", ",")
        for name, d in rows
    }
    order = "due_at IS NULL, due_at, submitted_at, id"
    assert "ix_dossier_agency_code_status" not in indexes
    assert f"agency_code, {order}" in indexes["ix_dossier_queue"]
    assert f"agency_code, status, {order}" in indexes["ix_dossier_queue_status"]
    late_index = indexes["ix_dossier_queue_late"]
    assert "agency_code, late_at" in late_index
    assert "WHERE finished_at IS NULL AND late_at IS NOT NULL" in late_index
    assert "ix_dossier_queue_open" not in indexes


def test_running_counters_are_filled_from_the_due_rows(empty_engine: Engine) -> None:
    """Counter rows written before `running` existed get it from `stat_due`, which holds the
    same dossiers by due moment; rows with none stay at 0."""
    upgrade_to(empty_engine, "e122fed39b03")
    key = "'000.00.00.H20', '1.001193.H20'"
    with empty_engine.begin() as conn:
        for day in ("2025-03-04", "2025-03-20", "2025-04-02"):
            for channel in ("online", "counter"):
                values = f"'{day}', {key}, '{channel}', 5"
                conn.execute(
                    text(
                        "INSERT INTO stat_daily (day, agency_code, procedure_code, channel, "
                        f"received) VALUES ({values})"
                    )
                )
        for month in ("2025-03-01", "2025-04-01"):
            for channel in ("online", "counter"):
                conn.execute(
                    text(
                        "INSERT INTO stat_monthly (month, agency_code, procedure_code, channel, "
                        f"received) VALUES ('{month}', {key}, '{channel}', 10)"
                    )
                )
        for day, due, n in (
            ("2025-03-04", "2025-03-10 10:00:00+00", 2),
            ("2025-03-04", "2025-03-12 10:00:00+00", 1),
            ("2025-03-20", "2025-03-30 10:00:00+00", 3),
        ):
            conn.execute(
                text(
                    "INSERT INTO stat_due (day, agency_code, procedure_code, channel, due_at, n) "
                    f"VALUES ('{day}', {key}, 'online', '{due}', {n})"
                )
            )
    upgrade_to(empty_engine, "5d1f0c2a9e47")
    with empty_engine.connect() as conn:
        daily = conn.execute(
            text("SELECT day, channel, running FROM stat_daily ORDER BY day, channel")
        ).all()
        monthly = conn.execute(
            text("SELECT month, channel, running FROM stat_monthly ORDER BY month, channel")
        ).all()
    assert [(str(d)[:10], c, r) for d, c, r in daily] == [
        ("2025-03-04", "counter", 0),
        ("2025-03-04", "online", 3),
        ("2025-03-20", "counter", 0),
        ("2025-03-20", "online", 3),
        ("2025-04-02", "counter", 0),
        ("2025-04-02", "online", 0),
    ]
    assert [(str(m)[:10], c, r) for m, c, r in monthly] == [
        ("2025-03-01", "counter", 0),
        ("2025-03-01", "online", 6),
        ("2025-04-01", "counter", 0),
        ("2025-04-01", "online", 0),
    ]


def test_withdrawal_reasons_leave_the_public_history(empty_engine: Engine) -> None:
    """Events written before 7b3e9c41d2a8 carried the applicant's reason as their public note:
    it becomes the internal note, and the public note the fixed text."""
    made = dossier_at(empty_engine, "5d1f0c2a9e47", DossierStatus.withdrawal_requested)
    reason = "Tôi đã chuyển nhà, ở số 12 ngõ 34 phố Huế."
    with empty_engine.begin() as conn:
        conn.execute(  # as the old code wrote it
            text(
                "UPDATE dossier_event SET public_note = :reason, note = '' "
                "WHERE action = 'withdraw' AND actor = 'applicant'"
            ),
            {"reason": reason},
        )
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT action, note, public_note FROM dossier_event"
                " WHERE actor = 'applicant' ORDER BY id"
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("submit", "", "Hồ sơ được nộp trực tuyến."),  # the service's own text: untouched
        ("withdraw", reason, "Người nộp hồ sơ đề nghị rút hồ sơ."),
    ]
    assert made.status is DossierStatus.withdrawal_requested


def test_legacy_token_seals_are_deleted(empty_engine: Engine) -> None:
    """Seals of the XOR scheme (before a4c2e8f1b6d3) open with the Idempotency-Key alone."""
    made = dossier_at(empty_engine, "7b3e9c41d2a8")
    with empty_engine.begin() as conn:
        conn.execute(  # as the old code wrote it
            text(
                "UPDATE dossier SET idempotency_key_hash = :hash, request_fingerprint = :hash,"
                " sealed_access_token = :seal WHERE code = :code"
            ),
            {"hash": "a" * 64, "seal": "b" * 64, "code": made.code},
        )
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT idempotency_key_hash, request_fingerprint, sealed_access_token,"
                " access_token_hash FROM dossier"
            )
        ).one()
    assert tuple(row[:3]) == (None, None, None)
    assert row[3]  # the applicant's own token still works


def test_late_moments_and_counters_come_back_from_the_dossiers(empty_engine: Engine) -> None:
    """d8a4f2c6b1e3 gives existing dossiers their late moment and level at receipt from what
    they hold, and the counters, re-keyed, are rebuilt by the app right after it."""
    made = dossier_at(empty_engine, "c5d1f7a3e9b2", DossierStatus.accepted)
    with empty_engine.connect() as conn:
        assert "late_at" not in {c["name"] for c in inspect(conn).get_columns("dossier")}
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        row = conn.execute(text("SELECT late_at, due_at, level_at_receipt FROM dossier")).one()
        flag = conn.execute(text("SELECT rebuild_needed FROM stat_revision")).scalar()
        received = conn.execute(text("SELECT sum(received) FROM stat_daily")).scalar()
    assert row[0] is not None and str(row[0]) == str(row[1])  # in progress: late at its due
    assert row[2] == 3 and not flag and received == 1
    assert made.dossier.late_at is not None
    assert counters.rebuild(empty_engine, dry_run=True).drifted == []


def test_existing_files_are_documents_and_procedures_issue_results(empty_engine: Engine) -> None:
    """Before 0f7aa23c7c2d every file was a document the applicant handed in, no dossier had
    an electronic result, and procedures said nothing about their result: each gets the
    default, on a database with rows (SQLite must not rebuild a referenced table)."""
    made = dossier_at(empty_engine, "c5d1f7a3e9b2", DossierStatus.processing)
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        files = conn.execute(text("SELECT kind FROM dossier_file")).scalars().all()
        counts = conn.execute(
            text("SELECT file_count, result_file_count FROM dossier WHERE code = :code"),
            {"code": made.code},
        ).one()
        procedures = conn.execute(
            text("SELECT issues_result, requires_paper_result FROM procedure")
        ).all()
    assert files == ["document"]
    assert tuple(counts) == (1, 0)
    assert [(bool(a), bool(b)) for a, b in procedures] == [(True, False)]


def test_processing_times_become_working_days(empty_engine: Engine) -> None:
    """Procedures written before 72edff9966d6 had whole working days only: each keeps its
    `processing_days` as that many working days, and no fee pauses its clock; dossiers and
    events have no reschedule."""
    made = dossier_at(empty_engine, "c5d1f7a3e9b2", DossierStatus.accepted)
    with empty_engine.begin() as conn:
        conn.execute(text("UPDATE procedure SET processing_days = 7"))
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        procedures = conn.execute(
            text(
                "SELECT processing_days, processing_amount, processing_unit, fee_pauses_clock"
                " FROM procedure"
            )
        ).all()
        dossiers = conn.execute(text("SELECT code, rescheduled_due_at FROM dossier")).all()
        events = conn.execute(text("SELECT due_at FROM dossier_event")).all()
    assert [tuple(row) for row in procedures] == [(7, 7.0, "working_days", False)]
    assert [tuple(row) for row in dossiers] == [(made.code, None)]
    assert events and all(row[0] is None for row in events)


def test_processing_times_of_finished_dossiers_are_measured(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """4a307082c97f: the app measures, right after the migration, the pauses (by how far they
    moved the due moment) and the processing time of the dossiers finished before, in the
    unit of their procedure; then rebuilds 2.2's counters from them.

    Received Monday 3 March 2025 09:00, paused Monday 10:00 to Wednesday 10:00 (16 desk
    hours), done Thursday 09:00: 1 working day. The other, paused the same way and not
    finished, keeps its pause for when it is. One dossier a batch: the batches follow on."""
    monkeypatch.setattr(backfill, "BATCH", 1)
    upgrade(empty_engine)
    done = make_dossier(empty_engine, "accepted", now=vn(3, 3, 9))
    waiting = make_dossier(empty_engine, "accepted", now=vn(3, 3, 9))
    for made in (done, waiting):
        move(empty_engine, made.code, "request_supplement", now=vn(3, 3, 10))
        supplement = workflow.Request(workflow.Action.supplement, None)
        workflow.apply_action(
            empty_engine, made.code, workflow.Actor.applicant(), supplement, vn(3, 5, 10)
        )
        move(empty_engine, made.code, "start_processing", now=vn(3, 5, 11))
    move(empty_engine, done.code, "complete", now=vn(3, 6, 9))
    downgrade_to(empty_engine, "72edff9966d6")
    with empty_engine.connect() as conn:
        assert "time_used" not in {c["name"] for c in inspect(conn).get_columns("dossier")}
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT code, processing_unit, paused_seconds, time_used FROM dossier")
        ).all()
        sums = conn.execute(
            text("SELECT sum(processed_working_days), sum(time_working_days) FROM stat_monthly")
        ).one()
        flag = conn.execute(text("SELECT rebuild_needed FROM stat_revision")).scalar()
    assert sorted(tuple(row) for row in rows) == sorted(
        [
            (done.code, "working_days", 16 * 3600, 1.0),
            (waiting.code, "working_days", 16 * 3600, None),
        ]
    )
    assert tuple(sums) == (1, 1000) and not flag
    assert counters.rebuild(empty_engine, dry_run=True).drifted == []


def vn(month: int, day: int, hour: int) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=VN_TZ)


def test_procedures_take_individuals_and_organisations_and_old_applicants_still_read(
    empty_engine: Engine,
) -> None:
    """9c2e4a7d1f35: every existing procedure takes individuals and organisations (what each
    took in effect before), and the applicants stored before, without `kind` and perhaps with
    a 9-digit CMND, read as individuals in the applicant's and the officer's views."""
    made = dossier_at(empty_engine, "4a307082c97f")
    old = {"full_name": "Lò Văn Páo", "id_number": "073123456", "phone": "0912345678"}
    with empty_engine.begin() as conn:
        assert "applicant_kinds" not in {c["name"] for c in inspect(conn).get_columns("procedure")}
        conn.execute(update(Dossier).values(applicant=old))  # as the old code wrote it
    upgrade(empty_engine)
    with Session(empty_engine) as session:
        procedure = session.get_one(Procedure, made.dossier.procedure_code)
        assert procedure.applicant_kinds == ["individual", "organisation"]
        dossier = tracking.get_dossier(session, made.code)
        view = tracking.officer_view(session, dossier, utcnow())
    assert view.applicant.model_dump(mode="json") == {
        **old,
        "kind": "individual",
        "birth_date": None,
        "passport_number": None,
        "email": None,
        "address": None,
    }


def test_each_procedure_becomes_offered_by_its_agency_with_channels_and_a_fee_line(
    empty_engine: Engine,
) -> None:
    """4f6d4224d7a7: every existing procedure is offered by its current agency alone, takes
    dossiers at the counter and by post (levels 3–4 online too), and its one fee becomes one
    line "Lệ phí"; its dossiers stay with their agency."""
    made = dossier_at(empty_engine, "9c2e4a7d1f35")
    with empty_engine.begin() as conn:
        assert "procedure_agency" not in inspect(conn).get_table_names()
        assert "channels" not in {c["name"] for c in inspect(conn).get_columns("procedure")}
        row = conn.execute(text("SELECT * FROM procedure")).mappings().one()
        values = {**row, "code": "1.000002", "name": "Cấp bản sao", "level": 2, "fee_vnd": 15000}
        values["form_schema"] = None
        columns = ", ".join(values)
        conn.execute(
            text(
                f"INSERT INTO procedure ({columns}) VALUES ({', '.join(f':{c}' for c in values)})"
            ),
            {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in values.items()},
        )
    upgrade(empty_engine)
    online_code = made.dossier.procedure_code
    with Session(empty_engine) as session:
        links = session.execute(
            select(col(ProcedureAgency.procedure_code), col(ProcedureAgency.agency_code)).order_by(
                col(ProcedureAgency.procedure_code)
            )
        ).all()
        agency = made.dossier.agency_code
        assert [tuple(link) for link in links] == [("1.000002", agency), (online_code, agency)]
        online = procedure_detail(session, session.get_one(Procedure, online_code))
        copy = procedure_detail(session, session.get_one(Procedure, "1.000002"))
        assert online.channels == ["counter", "postal", "online"]
        assert copy.channels == ["counter", "postal"]
        assert [line.model_dump() for line in copy.fees] == [
            {"label": "Lệ phí", "amount_vnd": 15000, "per": None, "online_discount_vnd": 0}
        ]
        assert online.fees[0].amount_vnd == 0 and online.agencies[0].code == agency
        assert tracking.get_dossier(session, made.code).agency_code == agency
    downgrade_to(empty_engine, "9c2e4a7d1f35")
    upgrade(empty_engine)


def test_supplement_requests_made_before_keep_no_documents_and_take_any(
    empty_engine: Engine,
) -> None:
    """df698e0df59b: an existing supplement request has no document list (null), so the
    applicant may still send any of the procedure's documents; the table keeps its rows."""
    made = dossier_at(empty_engine, "9c2e4a7d1f35", DossierStatus.supplement_requested)
    with empty_engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("dossier_event")}
        assert "documents" not in columns
        events = conn.execute(text("SELECT count(*) FROM dossier_event")).scalar_one()
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        stored = conn.execute(text("SELECT documents FROM dossier_event")).scalars().all()
    assert len(stored) == events and stored == [None] * events
    with Session(empty_engine) as session:
        dossier = tracking.get_dossier(session, made.code)
        assert tracking.details_view(session, dossier, utcnow()).requested_documents == []
        assert open_request_documents(session, dossier) is None
