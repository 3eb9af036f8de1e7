"""Assembles the sample catalogue document and its templates, and writes or checks them."""

import json
from pathlib import Path
from typing import Any

from tools.sample_catalogue import (
    commune,
    commune_services,
    commune_social,
    province,
    province_land,
    province_more,
    province_services,
)
from tools.sample_catalogue.agencies import LEVEL_1_CODE, agency_records
from tools.sample_catalogue.fees import UNVERIFIED_FEES
from tools.sample_catalogue.fields import field_records
from tools.sample_catalogue.model import TEMPLATE_FORMS
from tools.sample_catalogue.roadmap import roadmap
from tools.sample_catalogue.templates import template_bytes

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app" / "data" / "sample_catalogue.json"
TEMPLATES = ROOT / "app" / "data" / "templates"

# National codes carried over from the previous sample without a cross-check against the
# national database (the others were found in public 2025-2026 data built from
# dichvucong.gov.vn): to verify before any real use.
UNVERIFIED_CODES = [
    "1.005380",
    "2.002039",
    "2.002042",
    "1.009645",
    "1.009644",
    "1.009650",
    "1.009740",
    "1.009994",
    "1.009995",
    "1.009928",
    "1.009929",
    "1.009930",
    "1.012251",
    "1.012262",
    "1.004616",
    "1.004604",
    "1.004593",
    "1.001865",
    "1.001881",
    "1.002809",
    "1.002804",
    "1.002820",
    "1.002835",
    "1.001777",
    "2.002400",
    "2.002401",
    "2.002402",
    "2.002403",
    "1.012791",
    "1.012800",
    "1.012810",
    "1.012811",
    "1.012815",
    "1.004232",
    "1.004228",
    "1.010728",
    "1.010729",
    "1.010730",
    "1.010736",
    "1.010010",
    "2.000002",
    "1.004859",
    "2.000843",
    "1.004873",
    # The căn cước card's code: seen only in third-party data built from the national portal,
    # not on the portal itself.
    "1.116410",
]


def procedures() -> list[dict[str, Any]]:
    return [
        *province.business(),
        *province_services.construction(),
        *province_services.health(),
        *province_more.home_affairs(),
        *province_more.police(),
        *province.complaints(),
        *province_land.agriculture_environment(),
        *province_land.industry_trade(),
        *commune.civil_status(),
        *commune.certification(),
        *commune_services.residence(),
        *commune_services.household_business(),
        *commune_services.building(),
        *commune_services.land(),
        *commune_social.social(),
        *commune_social.community(),
    ]


def document() -> dict[str, Any]:
    return {
        "sample": {
            ("label"): (
                "Dữ liệu mẫu để phát triển và trình diễn; không phải danh mục thủ tục "
                "hành chính chính thức."
            ),
            "province": "Tỉnh Tuyên Quang (từ ngày 01/7/2025 gồm cả tỉnh Hà Giang cũ)",
            "level_1_code": LEVEL_1_CODE,
            "unverified_codes": UNVERIFIED_CODES,
            "unverified_fees": UNVERIFIED_FEES,
            "roadmap": roadmap(),
            "generator": "tools/sample_catalogue (python -m tools.sample_catalogue)",
        },
        "agencies": agency_records(),
        "fields": field_records(),
        "procedures": procedures(),
    }


def templates() -> dict[str, bytes]:
    """Every form's template, by file name."""
    procedures()  # records each document's form under its template's name
    return {name: template_bytes(form) for name, form in sorted(TEMPLATE_FORMS.items())}


def rendered() -> dict[Path, bytes]:
    files = {CATALOGUE: (json.dumps(document(), ensure_ascii=False, indent=1) + "\n").encode()}
    files |= {TEMPLATES / name: data for name, data in templates().items()}
    return files


def write() -> list[Path]:
    files = rendered()
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    for stale in set(TEMPLATES.glob("*.docx")) - set(files):
        stale.unlink()
    for path, data in files.items():
        path.write_bytes(data)
    return sorted(files)


def check() -> list[str]:
    """What differs between the committed files and the generator (empty: all match)."""
    files = rendered()
    problems = [
        f"{path.relative_to(ROOT)}: differs from the generator"
        for path, data in files.items()
        if not path.exists() or path.read_bytes() != data
    ]
    extra = set(TEMPLATES.glob("*.docx")) - set(files)
    problems += [f"{path.relative_to(ROOT)}: not made by the generator" for path in sorted(extra)]
    return problems
