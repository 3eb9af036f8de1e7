"""The in-memory catalogue: its revision, its refresh, and search equal to the SQL reference."""

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete
from sqlmodel import Session

from app.errors import CatalogueImportError, EmptyQuery, NotFound
from app.models import Agency, Procedure, ProcedureAgency
from app.services.catalogue.cache import (
    CatalogueCache,
    build_snapshot,
    read_revision,
)
from app.services.catalogue.importing import (
    create_procedure,
    import_catalogue,
    replace_procedure,
    retire_procedure,
)
from app.services.catalogue.procedures import search_procedures, search_text_for
from app.services.catalogue.scope import ProcedureScope
from tests.factories import engine_of, make_agency, make_field
from tests.services.catalogue.test_importing import document

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# The revision


def test_a_missing_revision_row_counts_as_zero(session: Session) -> None:
    assert read_revision(session) == 0


def test_every_catalogue_write_bumps_the_revision_once(session: Session) -> None:
    import_catalogue(engine_of(session), document())
    assert read_revision(session) == 1
    created = {**document()["procedures"][1], "code": "1.000895"}
    create_procedure(engine_of(session), created)
    assert read_revision(session) == 2
    replace_procedure(engine_of(session), "1.000895", {**created, "name": "Đăng ký lại kết hôn"})
    assert read_revision(session) == 3
    retire_procedure(engine_of(session), "1.000895", NOW)
    assert read_revision(session) == 4


def test_writes_that_change_nothing_leave_the_revision(session: Session) -> None:
    import_catalogue(engine_of(session), document())
    import_catalogue(engine_of(session), document())  # the same file again
    assert read_revision(session) == 1
    replace_procedure(engine_of(session), "1.000894", document()["procedures"][1])
    retire_procedure(engine_of(session), "1.000894", NOW)
    retire_procedure(engine_of(session), "1.000894", NOW)  # already retired
    assert read_revision(session) == 2


def test_a_refused_import_leaves_the_revision(session: Session) -> None:
    import_catalogue(engine_of(session), document())
    bad = document()
    bad["procedures"][0]["name"] = "Đổi tên"
    bad["procedures"][1]["agency_code"] = "000.99.99.H20"
    with pytest.raises(CatalogueImportError):
        import_catalogue(engine_of(session), bad)
    session.rollback()
    assert read_revision(session) == 1


def test_moving_an_agency_bumps_the_revision(session: Session) -> None:
    import_catalogue(engine_of(session), document())
    moved = copy.deepcopy(document())
    moved["agencies"].append(
        {"code": "000.00.12.H20", "name": "UBND huyện C", "tier": "district", "parent_code": None}
    )
    import_catalogue(engine_of(session), moved)
    moved["agencies"][2]["parent_code"] = "000.00.12.H20"  # the commune changes district
    moved["agencies"][3]["parent_code"] = "000.00.00.H20"
    import_catalogue(engine_of(session), moved)
    assert read_revision(session) == 3


# ---------------------------------------------------------------------------------------------
# The cache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_cache_checks_the_revision_at_most_once_per_interval(
    engine: Engine, session: Session
) -> None:
    import_catalogue(engine_of(session), document())
    clock = Clock()
    cache = CatalogueCache(engine, check_interval_s=5, clock=clock)
    assert cache.current() is None  # nothing built yet
    first = cache.refresh()
    assert first.search(None, ProcedureScope(), 1, 20).total == 2
    retire_procedure(engine_of(session), "1.000894", NOW)
    clock.now += 4
    assert cache.current() is first  # within the interval: memory only
    clock.now += 2
    assert cache.current() is None  # due: this caller checks ...
    assert cache.current() is first  # ... and the others keep answering meanwhile
    second = cache.refresh()
    assert second.revision == first.revision + 1
    assert second.search(None, ProcedureScope(), 1, 20).total == 1
    assert cache.refresh() is second  # same revision: no rebuild


def test_with_interval_zero_every_request_checks(engine: Engine, session: Session) -> None:
    cache = CatalogueCache(engine, check_interval_s=0)
    cache.refresh()
    assert cache.current() is None


def test_a_detail_read_after_a_newer_write_is_not_kept(engine: Engine, session: Session) -> None:
    import_catalogue(engine_of(session), document())
    cache = CatalogueCache(engine, check_interval_s=60)
    snapshot = cache.refresh()
    body = cache.load_detail(snapshot, "1.001193")
    assert snapshot.detail_json("1.001193") == body
    retire_procedure(engine_of(session), "1.000894", NOW)
    fresh = cache.load_detail(snapshot, "1.000894")
    assert b'"retired_at":"2026-11-26T08:00:00Z"' in fresh
    assert snapshot.detail_json("1.000894") is None  # not the snapshot's revision
    assert cache.current() is None  # and the next request checks


def test_unknown_procedures_and_agencies_are_404(engine: Engine, session: Session) -> None:
    import_catalogue(engine_of(session), document())
    snapshot = CatalogueCache(engine, 0).refresh()
    with pytest.raises(NotFound) as missing:
        snapshot.require("9.999999")
    assert missing.value.code == "procedure_not_found"
    with pytest.raises(NotFound) as agency:
        snapshot.search("dang ky", ProcedureScope(agency="000.99.99.H20"), 1, 20)
    assert agency.value.code == "agency_not_found"


# ---------------------------------------------------------------------------------------------
# Search: the snapshot equals the SQL reference on random catalogues and queries

AGENCIES = [  # (code, tier, parent)
    ("000.00.00.H20", "province", None),
    ("000.01.00.H20", "province", "000.00.00.H20"),
    ("000.00.11.H20", "district", "000.00.00.H20"),
    ("000.11.11.H20", "commune", "000.00.11.H20"),
    ("000.00.12.H20", "district", "000.00.00.H20"),
]
FIELDS = ["G01", "G02"]
TIERS = ["province", "district", "commune"]
VOCABULARY = [
    "Đăng", "ký", "kinh", "doanh", "khai", "sinh", "kết", "hôn", "giấy", "phép", "xây",
    "dựng", "đổi", "lái", "xe", "dang", "Ky", "d", "đ", "do", "doanh.nghiệp", "1.0", "KHAI",
    "hộ", "ho", "%", "_", "a.b", "...", "x-y", "ĐĂNG", "Ðiện", "tạm", "trú", "2", "20",
]  # fmt: skip
# Few words with shared prefixes, so that names overlap and every rank meets every other.
FEW = ["đăng", "ký", "kinh", "doanh", "khai", "sinh", "dang", "KY", "do", "d"]
CODE_ALPHABET = "0123456789..ABab-Đđ%_"

vocabulary = st.sampled_from(VOCABULARY)
TEXT = st.characters(codec="utf-8", exclude_characters="\x00")  # what PostgreSQL can store
separators = st.sampled_from([" ", " ", " ", ", ", "; ", "-", "  "])


@st.composite
def phrases(
    draw: st.DrawFn, max_words: int = 6, among: list[str] = VOCABULARY, min_words: int = 0
) -> str:
    parts = draw(st.lists(st.sampled_from(among), min_size=min_words, max_size=max_words))
    text = ""
    for part in parts:
        text += draw(separators) + part if text else part
    return text


@st.composite
def sometimes(draw: st.DrawFn, *values: Any) -> Any:
    """None four times in five: filters that always apply would leave little to compare."""
    return None if draw(st.integers(0, 4)) else draw(st.sampled_from(values))


procedure_rows = st.fixed_dictionaries(
    {
        "code": st.one_of(
            st.text(CODE_ALPHABET, min_size=1, max_size=8),
            st.sampled_from(FEW),
            st.sampled_from(FEW).map(str.upper),  # an exact code match ranks first
        ),
        "name": st.one_of(
            phrases(),
            phrases(5, FEW, 2),
            phrases(5, FEW, 2),
            phrases(5, FEW, 2),
            phrases(5, FEW, 2),
            st.text(TEXT, max_size=12),
        ),
        "level": st.integers(1, 4),
        "agency_code": st.sampled_from([code for code, _, _ in AGENCIES]),
        # Other offering agencies: the agency filter matches any of them.
        "also": st.lists(st.sampled_from([code for code, _, _ in AGENCIES]), max_size=2),
        "field_code": st.sampled_from(FIELDS),
        "tier": st.sampled_from(TIERS),
        "retired": st.sampled_from([False, False, False, True]),
    }
)
catalogues = st.lists(procedure_rows, min_size=6, max_size=30, unique_by=lambda row: row["code"])


@st.composite
def from_name(draw: st.DrawFn, names: list[str]) -> str:
    """Words of a stored name: a run of them, in order or shuffled, the last one cut short."""
    parts = draw(st.sampled_from(names)).split() or [""]
    start = draw(st.integers(0, len(parts) - 1))
    run = parts[start : start + draw(st.sampled_from([1, 2, 2, 3, 4]))]
    if draw(st.booleans()):
        run = draw(st.permutations(run))
    if draw(st.booleans()):
        run[-1] = run[-1][: draw(st.integers(1, max(1, len(run[-1]))))]
    return " ".join(run)


@st.composite
def queries(
    draw: st.DrawFn, rows: list[dict[str, Any]]
) -> tuple[str | None, ProcedureScope, int, int]:
    codes = [row["code"] for row in rows]
    code = st.sampled_from(codes)
    q = draw(
        st.one_of(
            st.none(),
            from_name([row["name"] for row in rows]),
            from_name([row["name"] for row in rows]),
            from_name([row["name"] for row in rows]),
            phrases(3),
            phrases(3, FEW, 2),  # words that many names share, adjacent or not
            phrases(3, FEW, 2),
            vocabulary.map(lambda w: w[: max(1, len(w) // 2)]),
            st.text(max_size=6),
            code,
            code.map(lambda c: c[: max(1, len(c) // 2)]),
            code.map(str.upper),
        )
    )
    scope = ProcedureScope(
        agency=draw(sometimes("", "000.99.99.H20", *(a for a, _, _ in AGENCIES))),
        tier=draw(sometimes("", *TIERS)),
        field=draw(sometimes("", "nope", *FIELDS)),
        level=draw(sometimes(1, 2, 3, 4)),
        procedure=draw(sometimes("", *codes[:3])),
        include_retired=draw(st.booleans()),
    )
    page = draw(st.sampled_from([1, 1, 1, 2, 3]))
    return q, scope, page, draw(st.sampled_from([1, 2, 3, 7, 20, 20]))


@pytest.fixture
def tree(session: Session) -> None:
    agencies: dict[str, Agency] = {}
    for code, tier, parent in AGENCIES:
        parent_agency = agencies[parent] if parent else None
        agencies[code] = make_agency(session, code, f"Cơ quan {code}", tier, parent_agency)
    for code in FIELDS:
        make_field(session, code, f"Lĩnh vực {code}")


def store(session: Session, rows: list[dict[str, Any]]) -> None:
    session.execute(delete(ProcedureAgency))
    session.execute(delete(Procedure))
    for row in rows:
        values = {key: value for key, value in row.items() if key not in ("retired", "also")}
        session.add(
            Procedure(
                **values,
                search_text=search_text_for(row["name"], row["code"]),
                processing_days=5,
                fee_vnd=1000,
                description="",
                steps=[],
                legal_basis=[],
                result="",
                required_documents=[],
                retired_at=NOW if row["retired"] else None,
            )
        )
    session.flush()
    for row in rows:
        offered = dict.fromkeys([row["agency_code"], *row.get("also", [])])
        for position, agency_code in enumerate(offered):
            session.add(
                ProcedureAgency(
                    procedure_code=row["code"], agency_code=agency_code, position=position
                )
            )
    session.commit()


def sql_search(session: Session, query: tuple[str | None, ProcedureScope, int, int]) -> Any:
    try:
        page = search_procedures(session, *query)
    except (NotFound, EmptyQuery) as exc:
        return exc.code
    return [p.code for p in page.items], page.total


def snapshot_search(snapshot: Any, query: tuple[str | None, ProcedureScope, int, int]) -> Any:
    try:
        page = snapshot.search(*query)
    except (NotFound, EmptyQuery) as exc:
        return exc.code
    return [entry.code for entry in page.items], page.total


@pytest.mark.usefixtures("tree")
@hypothesis_settings(
    max_examples=100,
    deadline=None,
    # The session is shared on purpose: each example replaces every procedure first.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), rows=catalogues)
def test_snapshot_search_equals_the_sql_search(
    session: Session, data: st.DataObject, rows: list[dict[str, Any]]
) -> None:
    store(session, rows)
    snapshot = build_snapshot(session, 0)
    for query in data.draw(st.lists(queries(rows), min_size=5, max_size=12), label="queries"):
        assert snapshot_search(snapshot, query) == sql_search(session, query), query


@pytest.mark.usefixtures("tree")
def test_snapshot_search_on_a_known_catalogue(session: Session) -> None:
    """The ranking cases of tests/routers/test_search.py, once, without randomness."""
    store(
        session,
        [
            {
                "code": code,
                "name": name,
                "level": 3,
                "agency_code": "000.11.11.H20",
                "field_code": "G01",
                "tier": "commune",
                "retired": code == "1.001009",
            }
            for code, name in [
                ("1.001001", "Đăng ký kinh doanh hộ kinh doanh"),
                ("1.001002", "Thay đổi nội dung đăng ký kinh doanh của hộ kinh doanh"),
                ("1.001008", "Kinh doanh dịch vụ lữ hành; đăng ký"),
                ("1.001009", "Đăng ký kinh doanh (đã bãi bỏ)"),
                ("DANG", "Đăng ký"),
            ]
        ],
    )
    snapshot = build_snapshot(session, 0)
    for query in [
        ("đăng ký kinh doanh", ProcedureScope(), 1, 20),
        ("dang", ProcedureScope(), 1, 20),
        ("dang ky", ProcedureScope(include_retired=True), 2, 2),
        ("kinh", ProcedureScope(agency="000.00.11.H20", level=3), 1, 20),
        (None, ProcedureScope(tier="commune"), 1, 3),
        ("ｄａｎｇ ｋｙ", ProcedureScope(), 1, 20),
        ("", ProcedureScope(), 1, 20),
        (" -- ", ProcedureScope(), 1, 20),
    ]:
        assert snapshot_search(snapshot, query) == sql_search(session, query), query
    assert snapshot_search(snapshot, ("dang", ProcedureScope(), 1, 20))[0][0] == "DANG"
    assert snapshot_search(snapshot, (" -- ", ProcedureScope(), 1, 20)) == "empty_query"


@pytest.mark.usefixtures("tree")
def test_the_snapshot_holds_agencies_and_fields(session: Session) -> None:
    snapshot = build_snapshot(session, 7)
    assert snapshot.revision == 7
    assert [f.code for f in snapshot.fields] == FIELDS
    assert snapshot.agencies["000.11.11.H20"].parent_code == "000.00.11.H20"
    assert snapshot.agency_path("000.11.11.H20") == "000.00.00.H20/000.00.11.H20/000.11.11.H20/"
