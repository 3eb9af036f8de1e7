"""The sample catalogue that `dvc-gateway seed` loads: app/data/sample_catalogue.json, made by
tools/sample_catalogue (sample data: README, The sample catalogue)."""

import json
from importlib import resources
from typing import Any

SAMPLE_CATALOGUE = "sample_catalogue.json"
# The import document's sections; the file's `sample` block describes the data (province,
# level-1 code, the Hà Giang roadmap) and is not imported.
SECTIONS = ("agencies", "fields", "procedures")


def sample_document() -> dict[str, Any]:
    """The sample catalogue as an import document."""
    text = resources.files("app.data").joinpath(SAMPLE_CATALOGUE).read_text(encoding="utf-8")
    raw = json.loads(text)
    return {section: raw[section] for section in SECTIONS}
