"""The sample catalogue that ships with the product: complete enough to demonstrate everything,
and every online procedure ready for submission (a form schema and documents)."""

import json
from collections import Counter
from importlib import resources
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.services.catalogue.importing import import_catalogue
from tests.factories import engine_of

RAW: dict[str, Any] = json.loads(
    resources.files("app.data").joinpath("sample_catalogue.json").read_text(encoding="utf-8")
)

# The 15 priority services of the Hà Giang roadmap, as a citizen would type them (no diacritics
# on purpose); each must find at least one procedure.
PRIORITY_QUERIES = [
    "dang ky kinh doanh",
    "giay phep dau tu",
    "chi nhanh van phong dai dien",
    "giay phep xay dung",
    "chung chi hanh nghe hoat dong xay dung",
    "hanh nghe y",
    "hanh nghe duoc",
    "lao dong",
    "viec lam",
    "giay phep lai xe",
    "khieu nai",
    "to cao",
    "tam tru",
    "tam vang",
    "quyen su dung dat",
    "the chap",
    "nuoc",
    "phi bao ve moi truong",
    "chat thai nguy hai",
    "danh gia tac dong moi truong",
]
COMMUNE_QUERIES = ["khai sinh", "ket hon", "chung thuc"]


@pytest.fixture
def sample(session: Session) -> None:
    import_catalogue(engine_of(session), RAW)


def test_agency_tree_has_the_required_shape() -> None:
    tiers = Counter(agency["tier"] for agency in RAW["agencies"])
    roots = [a for a in RAW["agencies"] if a["parent_code"] is None]
    assert len(roots) == 1 and roots[0]["tier"] == "province"
    departments = [
        a
        for a in RAW["agencies"]
        if a["parent_code"] == roots[0]["code"] and a["tier"] == "province"
    ]
    assert len(departments) >= 6
    assert tiers["district"] >= 3
    assert tiers["commune"] >= 8


def test_procedures_cover_every_level_and_tier() -> None:
    procedures = RAW["procedures"]
    assert len(procedures) >= 60
    levels = Counter(p["level"] for p in procedures)
    assert set(levels) == {1, 2, 3, 4}
    agency_tier = {a["code"]: a["tier"] for a in RAW["agencies"]}
    tiers = Counter(agency_tier[p["agency_code"]] for p in procedures)
    assert set(tiers) == {"province", "district", "commune"}


def test_every_online_procedure_has_a_vietnamese_form_and_documents() -> None:
    for procedure in RAW["procedures"]:
        schema = procedure["form_schema"]
        if procedure["level"] <= 2:
            assert schema is None, procedure["code"]
            continue
        assert schema["required"], procedure["code"]
        assert schema["title"] and all(
            prop.get("title") for prop in schema["properties"].values()
        ), procedure["code"]
        documents = procedure["required_documents"]
        assert any(doc["required"] for doc in documents), procedure["code"]
        assert all(doc["accepted_types"] for doc in documents), procedure["code"]


@pytest.mark.usefixtures("sample")
def test_the_sample_says_which_results_are_on_paper(client: TestClient) -> None:
    def result_of(code: str) -> tuple[bool, bool]:
        body = client.get(f"/api/v1/procedures/{code}").json()
        return body["issues_result"], body["requires_paper_result"]

    assert result_of("1.012792.H20") == (True, True)  # a land-use certificate: on paper
    assert result_of("1.002804.H20") == (True, True)  # a driving licence card
    assert result_of("1.004194.H20") == (True, False)  # temporary residence: electronic
    assert result_of("2.002403.H20") == (False, False)  # receiving citizens: no result
    issuing = [p for p in RAW["procedures"] if p.get("issues_result", True)]
    paper = [p for p in RAW["procedures"] if p.get("requires_paper_result", False)]
    assert len(RAW["procedures"]) > len(issuing) > len(paper) > 0
    assert all(p.get("issues_result", True) for p in paper)


@pytest.mark.usefixtures("sample")
@pytest.mark.parametrize("query", PRIORITY_QUERIES + COMMUNE_QUERIES)
def test_priority_and_common_services_are_found_without_diacritics(
    client: TestClient, query: str
) -> None:
    body = client.get("/api/v1/procedures", params={"q": query}).json()
    assert body["total"] >= 1, query
    online = client.get("/api/v1/procedures", params={"q": query, "level": 3}).json()["total"]
    full = client.get("/api/v1/procedures", params={"q": query, "level": 4}).json()["total"]
    assert body["total"] >= online + full


@pytest.mark.usefixtures("sample")
def test_sample_statistics(client: TestClient) -> None:
    stats = client.get("/api/v1/stats/catalogue").json()
    assert stats["total"] == len(RAW["procedures"])
    assert all(stats["by_level"][level] > 0 for level in "1234")


def test_complaints_and_denunciations_count_calendar_days() -> None:
    # Law on Complaints 2011 Art. 28/37, Law on Denunciations 2018 Art. 30: "ngày", not
    # "ngày làm việc" (app/services/dossiers/deadlines.py).
    resolutions = [
        p for p in RAW["procedures"] if p["field_code"] == "KNTC" and p["name"].startswith("Giải")
    ]
    assert len(resolutions) == 6
    for record in resolutions:
        assert record["processing_time"]["unit"] == "calendar_days", record["code"]
        assert "processing_days" not in record
    others = [p for p in RAW["procedures"] if p["field_code"] != "KNTC"]
    assert all("processing_time" not in p for p in others)  # working days, as before


def test_land_procedures_pause_the_clock_for_fees() -> None:
    pausing = {p["code"] for p in RAW["procedures"] if p.get("fee_pauses_clock")}
    assert pausing == {"1.012791.H20", "1.012792.H20", "1.012800.H20"}
    assert all(p["field_code"] == "DD" for p in RAW["procedures"] if p["code"] in pausing)


@pytest.mark.usefixtures("sample")
def test_the_sample_reads_back_with_its_units(client: TestClient) -> None:
    complaint = client.get("/api/v1/procedures/2.002401.H20").json()
    assert complaint["processing_time"] == {"value": 45.0, "unit": "calendar_days"}
    assert complaint["processing_days"] == 45
    land = client.get("/api/v1/procedures/1.012791.H20").json()
    assert land["fee_pauses_clock"] is True
    assert land["processing_time"]["unit"] == "working_days"
