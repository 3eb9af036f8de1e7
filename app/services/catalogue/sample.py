"""The sample catalogue that `dvc-gateway seed` loads: app/data/sample_catalogue.json, made by
tools/sample_catalogue (sample data: README, The sample catalogue)."""

import json
from importlib import resources
from typing import Any

from app.models.catalogue import ProcedureCreate, RequiredDocument

SAMPLE_CATALOGUE = "sample_catalogue.json"
# The import document's sections; the file's `sample` block describes the data (province,
# level-1 code, the Hà Giang roadmap) and is not imported.
SECTIONS = ("agencies", "fields", "procedures")


def sample_document() -> dict[str, Any]:
    """The sample catalogue as an import document."""
    text = resources.files("app.data").joinpath(SAMPLE_CATALOGUE).read_text(encoding="utf-8")
    raw = json.loads(text)
    document = {section: raw[section] for section in SECTIONS}
    _drop_unknown_keys(document)  # until issue-14 offering lands
    return document


# until issue-14 offering lands: the sample is written in the import format of issue 14
# (offering agencies, channels, fee lines, templates); a model without those keys would refuse
# them, so they are dropped here (agency_code, always written, stays the offering agency).
def _drop_unknown_keys(document: dict[str, Any]) -> None:
    procedure_keys = set(ProcedureCreate.model_fields)
    document_keys = set(RequiredDocument.model_fields)
    for procedure in document["procedures"]:
        for key in set(procedure) - procedure_keys:
            del procedure[key]
        for item in procedure.get("required_documents", []):
            for key in set(item) - document_keys:
                del item[key]
