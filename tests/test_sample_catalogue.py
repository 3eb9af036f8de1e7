"""The sample catalogue that ships with the product: today's government (Tuyên Quang, two
tiers, the 2025 departments), complete enough to demonstrate everything, every online procedure
ready for submission, and generated: the committed files are what tools/sample_catalogue makes."""

import json
import re
import zipfile
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session, col

from app.cli import main
from app.config import get_settings
from app.db import make_engine
from app.models import Agency, Procedure
from app.services.catalogue.completeness import missing_components
from app.services.catalogue.importing import import_catalogue
from app.services.catalogue.sample import sample_document
from app.services.dossiers.forms import form_errors
from tests.factories import engine_of
from tools.sample_catalogue.build import check

RAW: dict[str, Any] = json.loads(
    resources.files("app.data").joinpath("sample_catalogue.json").read_text(encoding="utf-8")
)
TEMPLATES = Path(str(resources.files("app.data").joinpath("templates")))
AGENCY = {a["code"]: a for a in RAW["agencies"]}
PROCEDURE = {p["code"]: p for p in RAW["procedures"]}
ROOT = next(a for a in RAW["agencies"] if a["parent_code"] is None)
COMMUNES = [
    a["code"]
    for a in RAW["agencies"]
    if a["name"].startswith("Ủy ban nhân dân xã") or a["name"].startswith("Ủy ban nhân dân phường")
]
COMMUNE_POLICE = [
    a["code"] for a in RAW["agencies"] if a["tier"] == "commune" and a["name"].startswith("Công an")
]
COMMUNE_PROCEDURES = [p for p in RAW["procedures"] if AGENCY[p["agency_code"]]["tier"] == "commune"]

# The priority services of the Hà Giang roadmap that still exist, as a citizen would type them
# (no diacritics on purpose), under today's names; each must find at least one procedure.
PRIORITY_QUERIES = [
    "dang ky kinh doanh",
    "dang ky doanh nghiep",
    "dang ky dau tu",
    "chi nhanh van phong dai dien",
    "giay phep xay dung",
    "chung chi hanh nghe hoat dong xay dung",
    "giay phep hanh nghe kham benh",
    "hanh nghe duoc",
    "giay phep lao dong",
    "tro cap that nghiep",
    "giay phep lai xe",
    "khieu nai",
    "to cao",
    "tam tru",
    "tam vang",
    "quyen su dung dat",
    "the chap",
    "nuoc",
    "phi bao ve moi truong",
    "danh gia tac dong moi truong",
]
COMMUNE_QUERIES = ["khai sinh", "ket hon", "khai tu", "chung thuc", "tinh trang hon nhan"]
# What every commune offers: one national code each, never one code per commune.
EVERY_COMMUNE = {
    "1.001193": "Đăng ký khai sinh",
    "1.000894": "Đăng ký kết hôn",
    "1.000656": "Đăng ký khai tử",
    "1.004873": "Cấp Giấy xác nhận tình trạng hôn nhân",
    "2.000815": "Chứng thực bản sao từ bản chính",
    "2.000884": "Chứng thực chữ ký",
}
# Names of the bodies merged away on 1 March 2025, or of the abolished district tier.
GONE = [
    "Sở Kế hoạch và Đầu tư",
    "Sở Lao động",
    "Sở Giao thông vận tải",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "huyện",
    "thị trấn",
]


@pytest.fixture
def sample(session: Session) -> None:
    import_catalogue(engine_of(session), sample_document())


def test_the_committed_files_are_what_the_generator_makes() -> None:
    assert check() == []


def test_the_data_says_it_is_sample_data_and_names_the_level_1_code_question() -> None:
    about = RAW["sample"]
    assert "Dữ liệu mẫu" in about["label"]
    assert about["level_1_code"]["code"] == ROOT["code"][-3:]
    assert about["level_1_code"]["confirmed"] is False and about["level_1_code"]["note"]
    assert all("Dữ liệu mẫu" in p["description"] for p in RAW["procedures"])
    assert set(about["unverified_codes"]) <= set(PROCEDURE)
    assert set(about["unverified_fees"]) <= set(PROCEDURE)
    assert "1.116410" in about["unverified_codes"]  # the căn cước card's code: not confirmed


def test_every_procedure_of_the_sample_is_complete() -> None:
    """Decision 766 indicator 1.3 as the app counts it (completeness.py): no problems at all,
    so `dvc-gateway seed` warns about nothing."""
    problems = {
        record["code"]: missing_components(
            {**record, "processing_amount": record["processing_time"]["value"]}
        )
        for record in RAW["procedures"]
    }
    assert {code: missing for code, missing in problems.items() if missing} == {}
    # Free procedures say so with a line of 0 VND (Luật Hộ tịch 2014, Art. 11).
    assert [line["amount_vnd"] for line in PROCEDURE["1.001193"]["fees"]] == [0]
    # A certificate named like a form is not a form, and needs no template.
    adoption = {d["key"]: d for d in PROCEDURE["2.001263"]["required_documents"]}
    assert adoption["phieu_ly_lich_tu_phap"]["is_form"] is False
    for code in ("1.012815", "1.001881"):  # the level-2 forms have their templates
        assert all(d["template"] for d in PROCEDURE[code]["required_documents"] if d["is_form"])


@pytest.mark.usefixtures("sample")
def test_the_imported_sample_counts_as_complete(client: TestClient) -> None:
    stats = client.get("/api/v1/stats/catalogue").json()
    assert stats["complete"] == stats["total"] == len(RAW["procedures"])


def test_agency_tree_is_todays_province() -> None:
    assert ROOT["name"] == "Ủy ban nhân dân tỉnh Tuyên Quang" and ROOT["tier"] == "province"
    tiers = Counter(a["tier"] for a in RAW["agencies"])
    assert set(tiers) == {"province", "commune"}  # no district tier since 1 July 2025
    assert len(COMMUNES) >= 12 and len(COMMUNE_POLICE) == len(COMMUNES)
    names = [a["name"] for a in RAW["agencies"]]
    for body in (
        "Sở Tài chính",
        "Sở Nội vụ",
        "Sở Nông nghiệp và Môi trường",
        "Sở Xây dựng",
        "Sở Y tế",
        "Công an tỉnh",
        "Trung tâm Phục vụ hành chính công",
        "Phòng Cảnh sát giao thông",
    ):
        assert any(name.startswith(body) for name in names), body
    assert not [name for name in names for gone in GONE if gone in name]


def test_agency_codes_put_each_unit_at_its_level() -> None:
    """QCVN 102:2016: a unit under the level-1 People's Committee is level 2 (`000.00.YY`), a
    unit under a level-2 unit is level 3 (`000.ZZ.YY`) with its parent's YY."""
    assert re.fullmatch(r"000\.00\.00\.[A-Z]\d{2}", ROOT["code"])
    for agency in RAW["agencies"]:
        code, parent = agency["code"], agency["parent_code"]
        assert code.endswith(ROOT["code"][-4:]), code
        if parent == ROOT["code"]:
            assert re.fullmatch(r"000\.00\.(?!00)\d{2}\.[A-Z]\d{2}", code), code
        elif parent is not None:
            assert parent[:7] == "000.00.", (code, parent)
            assert code[7:] == parent[7:] and code[4:6] != "00", (code, parent)


def test_procedures_cover_every_level_with_national_codes() -> None:
    procedures = RAW["procedures"]
    assert 90 <= len(procedures) <= 120
    assert len(PROCEDURE) == len(procedures)
    assert all(re.fullmatch(r"\d\.\d{6}", p["code"]) for p in procedures)
    assert set(Counter(p["level"] for p in procedures)) == {1, 2, 3, 4}
    assert {AGENCY[p["agency_code"]]["tier"] for p in procedures} == {"province", "commune"}


def test_commune_procedures_are_offered_by_every_commune() -> None:
    assert len(COMMUNE_PROCEDURES) >= 30
    for record in COMMUNE_PROCEDURES:
        assert record["agencies"] in (COMMUNES, COMMUNE_POLICE), record["code"]
        assert record["agency_code"] == record["agencies"][0]
    for code, name in EVERY_COMMUNE.items():
        assert PROCEDURE[code]["name"].startswith(name)
        assert PROCEDURE[code]["agencies"] == COMMUNES
    residence = [p for p in RAW["procedures"] if p["field_code"] == "CT"]
    assert residence and all(p["agencies"] == COMMUNE_POLICE for p in residence)


def test_offering_agencies_exist_and_share_the_procedures_tier() -> None:
    shared = [p for p in RAW["procedures"] if len(p["agencies"]) == 2]
    assert shared  # a department shares its procedures with the one-stop centre
    for record in RAW["procedures"]:
        tiers = {AGENCY[code]["tier"] for code in record["agencies"]}
        assert len(tiers) == 1, record["code"]
        assert len(set(record["agencies"])) == len(record["agencies"]), record["code"]


def test_channels_fees_and_applicants_follow_the_import_format() -> None:
    for record in RAW["procedures"]:
        code, channels = record["code"], record["channels"]
        assert set(channels) <= {"counter", "postal", "online"}, code
        assert ("online" in channels) == (record["level"] >= 3), code
        fixed = [line["amount_vnd"] for line in record["fees"] if line["per"] is None]
        assert record["fee_vnd"] == sum(fixed), code
        for line in record["fees"]:
            assert line["label"] and line["per"] in (None, "page", "copy", "set"), code
            assert 0 <= line["online_discount_vnd"] <= line["amount_vnd"], code
        assert record["applicant_kinds"], code
        assert record["processing_time"]["unit"] in (
            "working_days",
            "working_hours",
            "calendar_days",
        )
    per_page = PROCEDURE["2.000815"]["fees"]
    assert [line["per"] for line in per_page] == ["page", "page"]
    residence = PROCEDURE["1.004222"]["fees"][0]
    assert residence["online_discount_vnd"] > 0  # lower online (Thông tư 75/2022/TT-BTC)
    kinds = Counter(kind for p in RAW["procedures"] for kind in p["applicant_kinds"])
    assert set(kinds) == {"individual", "organisation", "foreigner"}


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
        assert any(doc.get("template") for doc in documents), procedure["code"]


def test_forms_offer_only_choices_of_their_own_kind() -> None:
    clinic = PROCEDURE["1.012262"]["form_schema"]["properties"]["hinh_thuc_to_chuc"]["enum"]
    assert clinic and all(kind.startswith("Phòng khám") for kind in clinic)
    pharmacy = PROCEDURE["1.004604"]["form_schema"]["properties"]["loai_hinh"]["enum"]
    assert "Bệnh viện" not in pharmacy and "Phòng khám đa khoa" not in pharmacy
    # A family of procedures that once shared a form: each offers only what it handles.
    assert choices("1.009994", "loai_giay_phep") is None  # a new building: no repair option
    assert choices("1.009995", "loai_giay_phep") is None
    assert choices("1.012810", "loai_yeu_cau") is None  # registering is not removing
    assert choices("1.012811", "loai_yeu_cau") is None
    assert "xóa đăng ký" in PROCEDURE["1.012811"]["form_schema"]["title"]
    assert choices("1.004232", "nguon_nuoc") is None  # surface water only
    assert choices("1.004228", "nguon_nuoc") is None  # groundwater only
    assert "Phát điện" not in (choices("1.004228", "muc_dich") or [])
    assert "mặt" in PROCEDURE["1.004232"]["form_schema"]["title"]
    assert "dưới đất" in PROCEDURE["1.004228"]["form_schema"]["title"]
    assert choices("1.013227", "noi_dung_de_nghi") is None  # an extension is an extension
    reissue = choices("1.013228", "noi_dung_de_nghi") or []
    assert reissue and all(option.startswith("Cấp lại") for option in reissue)
    exchange = choices("1.002809", "ly_do") or []
    assert exchange and "Bị mất" not in exchange  # a lost licence is reissued (1.002804)
    assert choices("1.002804", "ly_do") is None
    birth = PROCEDURE["1.001193"]["form_schema"]["properties"]
    assert birth["ngay_sinh"]["format"] == "date"
    marriage = PROCEDURE["1.000894"]["form_schema"]["properties"]
    assert marriage["so_dinh_danh_ben_nu"]["pattern"] == "^[0-9]{12}$"


def choices(code: str, key: str) -> list[str] | None:
    """The options of a procedure's form field, or None when the form has no such field."""
    field = PROCEDURE[code]["form_schema"]["properties"].get(key)
    return None if field is None else list(field["enum"])


def test_phone_fields_take_numbers_as_people_write_them() -> None:
    phones = [
        (record["code"], key, prop)
        for record in RAW["procedures"]
        if record["form_schema"]
        for key, prop in record["form_schema"]["properties"].items()
        if "dien_thoai" in key
    ]
    assert len(phones) >= 14
    for code, key, prop in phones:
        assert prop["format"] == "phone" and "pattern" not in prop, (code, key)
        assert "0912 345 678" in prop["description"], (code, key)
    code, key, _ = phones[0]
    schema = PROCEDURE[code]["form_schema"]
    for written in ("0912 345 678", "0912.345.678", "+84 912 345 678"):
        assert ["form", key] not in [e["loc"] for e in form_errors(schema, {key: written})]
    [error] = [e for e in form_errors(schema, {key: "0912"}) if e["loc"] == ["form", key]]
    assert "10 chữ số" in error["msg"] and "0912 345 678" in error["msg"]


def test_every_form_document_has_its_docx_template() -> None:
    named = {
        d["template"]
        for p in RAW["procedures"]
        for d in p["required_documents"]
        if d.get("template")
    }
    assert named == {path.name for path in TEMPLATES.glob("*.docx")}
    for name in named:
        path = TEMPLATES / name
        assert path.stat().st_size < 20_000, name  # small
        with zipfile.ZipFile(path) as package:
            body = package.read("word/document.xml").decode()
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Dữ liệu mẫu" in body, name
    birth = [d for d in PROCEDURE["1.001193"]["required_documents"] if d.get("template")]
    assert birth[0]["template"] == "to_khai_khai_sinh.docx"


def test_the_roadmap_says_what_became_of_each_priority_service() -> None:
    roadmap = RAW["sample"]["roadmap"]
    assert [entry["no"] for entry in roadmap] == list(range(1, 16))
    for entry in roadmap:
        assert entry["status"] in ("kept", "moved", "replaced", "abolished"), entry["no"]
        assert entry["note"] and entry["agency_before"], entry["no"]
        assert entry["procedures"] and set(entry["procedures"]) <= set(PROCEDURE), entry["no"]
        for agency in entry["agencies_now"]:
            assert agency in AGENCY or not agency.startswith("000."), (entry["no"], agency)
    statuses = Counter(entry["status"] for entry in roadmap)
    assert statuses["moved"] and statuses["abolished"] and statuses["replaced"]
    licences = next(entry for entry in roadmap if "lái xe" in entry["service"])
    assert all(
        AGENCY[code]["name"].startswith("Phòng Cảnh sát") for code in licences["agencies_now"]
    )


@pytest.mark.usefixtures("sample")
def test_the_sample_says_which_results_are_on_paper(client: TestClient) -> None:
    def result_of(code: str) -> tuple[bool, bool]:
        body = client.get(f"/api/v1/procedures/{code}").json()
        return body["issues_result"], body["requires_paper_result"]

    assert result_of("1.012753") == (True, True)  # a land-use certificate: on paper
    assert result_of("1.002804") == (True, True)  # a driving licence card
    assert result_of("1.004194") == (True, False)  # temporary residence: electronic
    assert result_of("2.002403") == (False, False)  # receiving citizens: no result
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
def test_a_search_finds_one_birth_registration_not_one_per_commune(client: TestClient) -> None:
    body = client.get("/api/v1/procedures", params={"q": "dang ky khai sinh"}).json()
    births = [item for item in body["items"] if item["name"] == "Đăng ký khai sinh"]
    assert [item["code"] for item in births] == ["1.001193"]


@pytest.mark.usefixtures("sample")
def test_every_commune_offers_the_commune_procedures(client: TestClient) -> None:
    wanted = {p["code"] for p in COMMUNE_PROCEDURES if p["agencies"] == COMMUNES}
    for commune in COMMUNES:
        params: dict[str, str | int] = {"agency": commune, "page_size": 100}
        found = {i["code"] for i in client.get("/api/v1/procedures", params=params).json()["items"]}
        assert found == wanted, commune
    detail = client.get("/api/v1/procedures/1.001193").json()
    assert [a["code"] for a in detail["agencies"]] == COMMUNES


@pytest.mark.usefixtures("sample")
def test_sample_statistics(client: TestClient) -> None:
    stats = client.get("/api/v1/stats/catalogue").json()
    assert stats["total"] == len(RAW["procedures"])
    assert all(stats["by_level"][level] > 0 for level in "1234")


def test_seed_on_sqlite_loads_one_procedure_per_national_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/seed.db"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        assert main(["seed"]) == 0
    finally:
        get_settings.cache_clear()
    engine = make_engine(url)
    with Session(engine) as session:
        agencies = session.scalar(select(func.count()).select_from(Agency))
        codes = list(session.scalars(select(col(Procedure.code))))
        named = select(func.count()).where(col(Procedure.name) == "Đăng ký khai sinh")
        births = session.scalar(named)
    engine.dispose()
    assert agencies == len(RAW["agencies"])
    assert sorted(codes) == sorted(PROCEDURE)  # one record per national code
    assert births == 1


def test_complaints_and_denunciations_count_calendar_days() -> None:
    # Law on Complaints 2011 Art. 28/37, Law on Denunciations 2018 Art. 30: "ngày", not
    # "ngày làm việc" (app/services/dossiers/deadlines.py).
    resolutions = [
        p for p in RAW["procedures"] if p["field_code"] == "KNTC" and p["name"].startswith("Giải")
    ]
    assert len(resolutions) == 3
    for record in resolutions:
        assert record["processing_time"]["unit"] == "calendar_days", record["code"]
        assert "processing_days" not in record
    calendar = {
        p["code"] for p in RAW["procedures"] if p["processing_time"]["unit"] == "calendar_days"
    }
    # ... and adoption (Luật Nuôi con nuôi 2010, Art. 19: 30 ngày); everything else in working time.
    assert calendar == {p["code"] for p in resolutions} | {"2.001263"}


def test_land_procedures_pause_the_clock_for_fees() -> None:
    pausing = {p["code"] for p in RAW["procedures"] if p.get("fee_pauses_clock")}
    assert pausing == {"1.012753", "1.012791", "1.012800"}
    assert all(p["field_code"] == "DD" for p in RAW["procedures"] if p["code"] in pausing)


@pytest.mark.usefixtures("sample")
def test_the_sample_reads_back_with_its_units(client: TestClient) -> None:
    complaint = client.get("/api/v1/procedures/2.002401").json()
    assert complaint["processing_time"] == {"value": 45.0, "unit": "calendar_days"}
    assert complaint["processing_days"] == 45
    lodging = client.get("/api/v1/procedures/2.001159").json()
    assert lodging["processing_time"] == {"value": 4.0, "unit": "working_hours"}
    land = client.get("/api/v1/procedures/1.012791").json()
    assert land["fee_pauses_clock"] is True
    assert land["processing_time"]["unit"] == "working_days"
