"""The `applicant` part of a submission: read, checked, and matched against the kinds of
applicant the procedure accepts (API.md, Submitting a dossier; DOMAIN.md §3, Applicants)."""

from datetime import datetime
from typing import Any

from pydantic import ValidationError

from app.errors import ApplicantKindNotAllowed, InvalidApplicant, detail
from app.models.applicant import (
    APPLICANT_MODELS,
    ApplicantCreate,
    ApplicantKind,
    canonical_kinds,
)
from app.models.catalogue import Procedure
from app.models.types import VN_TZ
from app.services import strict_json
from app.services.messages import validation_message

KIND_MSG = "phải là individual (cá nhân) hoặc organisation (tổ chức)"


def parse_applicant(raw: str | None, procedure: Procedure, now: datetime) -> ApplicantCreate:
    """The applicant part (JSON): an individual when `kind` is absent, as older clients send
    it; 422 `invalid_applicant` with one detail per field, then 422
    `applicant_kind_not_allowed` when the procedure does not take this kind of applicant."""
    applicant = read_applicant(raw, now)
    check_kind_allowed(applicant, procedure)
    return applicant


def read_applicant(raw: str | None, now: datetime) -> ApplicantCreate:
    """The applicant part checked on its own. `now` gives the Vietnam date that a date of
    birth may not be after."""
    if raw is None:
        raise InvalidApplicant(
            "Thiếu thông tin người nộp hồ sơ.",
            details=[detail(["applicant"], "bắt buộc")],
        )
    try:
        data = strict_json.loads(raw)
    except strict_json.JSONRefused as refused:
        raise strict_json.refusal(refused, ["applicant"], InvalidApplicant) from None
    if not isinstance(data, dict):
        raise InvalidApplicant(details=[detail(["applicant"], "phải là một đối tượng JSON")])
    kind = data.get("kind", ApplicantKind.individual.value)
    model = APPLICANT_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise InvalidApplicant(details=[detail(["applicant", "kind"], KIND_MSG)])
    try:
        return model.model_validate(data, context={"today": now.astimezone(VN_TZ).date()})
    except ValidationError as exc:
        raise InvalidApplicant(details=[_detail(err) for err in exc.errors()]) from None


def _detail(err: Any) -> dict[str, Any]:
    loc = ["applicant", *err["loc"]]
    field = (err.get("ctx") or {}).get("field")
    if err["type"] == "identity" and isinstance(field, str):
        loc.append(field)  # a rule across two fields names the one to correct
    return detail(loc, _message(err))


def _message(err: Any) -> str:
    """A Vietnamese message that says what is expected; the submitted value is never echoed
    (it may be personal data)."""
    if err["type"] == "literal_error":
        return KIND_MSG  # the only literal of an applicant is its `kind`
    return validation_message(err)


def check_kind_allowed(applicant: ApplicantCreate, procedure: Procedure) -> None:
    """422 `applicant_kind_not_allowed` when the procedure's `applicant_kinds` leave this
    applicant out. A passport makes a foreigner, so its detail points at the passport."""
    kind = applicant.applicant_kind
    allowed = canonical_kinds(procedure.applicant_kinds)
    if kind in allowed:
        return
    field = "passport_number" if kind is ApplicantKind.foreigner else "kind"
    accepted = ", ".join(k.label for k in allowed)
    raise ApplicantKindNotAllowed(
        f"Thủ tục {procedure.code} không tiếp nhận hồ sơ của {kind.label}; "
        f"thủ tục chỉ tiếp nhận hồ sơ của: {accepted}.",
        details=[
            {
                **detail(["applicant", field], f"thủ tục chỉ tiếp nhận hồ sơ của: {accepted}"),
                "kind": kind.value,
                "allowed": [k.value for k in allowed],
            }
        ],
    )
