"""The action forms of the officers' dossier page (app/web/officer_dossier_pages.py): which
forms the page shows, what the officer typed read into the workflow's request, and a
service's refusal placed next to the field it is about.

No rule is written here. The forms are the actions `workflow.allowed_actions` gives for the
dossier's status; what each asks for follows what `workflow.officer_request` takes (a new
appointment only for `reschedule`, documents only for `request_supplement`, an amount only for
`request_fee`, result files only for `complete`, a reason where the workflow's table says
`note_required`). What the officer
typed is validated by the API's own body model (`ActionIn`) and moved by the API's services,
so a refusal is the service's error with its status and message.
"""

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from app.errors import AppError, InvalidContent, InvalidDueAt, StaleVersion, detail
from app.models.catalogue import FeeLine, Procedure, RequiredDocument, type_labels
from app.models.dossier import ActionIn, DossierStatus
from app.models.types import VN_TZ
from app.services.dossiers import workflow
from app.services.dossiers.results import RESULT_PART, RESULT_TYPES
from app.services.messages import validation_details

A = workflow.Action
# The fields of the forms, by the names the API gives them (a refusal's `loc` names them).
FIELDS = ("note", "public_note", "due_at", "documents", "amount_vnd", RESULT_PART)
# The statuses a refusal is shown on the page with (the form again, the current state);
# anything else (403 another agency, 404, 503) is an error page, as the API answers it.
SHOWN_STATUSES = frozenset({409, 413, 415, 422})
# A new appointment typed by hand (a browser without a datetime-local input): day first.
TYPED_DUE_AT = "%d/%m/%Y %H:%M"
# An amount as people write it: 50000, or 50.000 (or 50 000) with Vietnamese thousands marks.
TYPED_AMOUNT = re.compile(r"[0-9]{1,3}(?:[. ][0-9]{3})+|[0-9]+")


@dataclass(frozen=True)
class ActionForm:
    """One action's form: what it asks for besides the notes."""

    name: str
    note_required: bool  # the public note carries the reason (the workflow's table)
    documents: list[tuple[str, str]] = field(default_factory=list)  # (key, name) to choose
    due_at: bool = False  # a new appointment
    amount: bool = False  # the amount of a fee request
    fees: list[FeeLine] = field(default_factory=list)  # the procedure's fee lines, as a hint
    results: bool = False  # result files (multipart)
    result_types: str = ""  # the file input's `accept=`
    result_labels: str = ""  # the types as people say them


def action_forms(
    status: DossierStatus, procedure: Procedure, documents: Mapping[str, RequiredDocument]
) -> list[ActionForm]:
    """One form per officer action the workflow allows now, in the workflow's order."""
    forms = []
    for name in workflow.allowed_actions(status, by_officer=True):
        action = A(name)
        forms.append(
            ActionForm(
                name=name,
                note_required=workflow.MOVES[action].note_required,
                documents=(
                    [(key, d.name) for key, d in documents.items()]
                    if action is A.request_supplement
                    else []
                ),
                due_at=action is A.reschedule,
                amount=action is A.request_fee,
                fees=paid_lines(procedure) if action is A.request_fee else [],
                results=action is A.complete and procedure.issues_result,
                result_types=",".join(str(t) for t in RESULT_TYPES),
                result_labels=type_labels(RESULT_TYPES),
            )
        )
    return forms


def paid_lines(procedure: Procedure) -> list[FeeLine]:
    """The procedure's fee lines that name an amount: the fee form's hint."""
    lines = (FeeLine.model_validate(line) for line in procedure.fees)
    return [line for line in lines if line.amount_vnd > 0]


@dataclass(frozen=True)
class Typed:
    """What the officer sent in one action's form, as text (kept to show it again)."""

    action: str
    version: str
    note: str = ""
    public_note: str = ""
    due_at: str = ""
    documents: list[str] | None = None
    amount_vnd: str = ""

    @classmethod
    def of(cls, fields: Mapping[str, Any]) -> "Typed":
        documents = fields.get("documents")
        return cls(
            action=str(fields.get("action", "")),
            version=str(fields.get("version", "")),
            note=str(fields.get("note", "")),
            public_note=str(fields.get("public_note", "")),
            due_at=str(fields.get("due_at", "")),
            documents=list(documents) if documents is not None else None,
            amount_vnd=str(fields.get("amount_vnd", "")),
        )

    def request(self) -> workflow.Request:
        """The workflow's request, through the API's body model and `officer_request`:
        the API's 422s for what is not valid."""
        body: dict[str, Any] = {
            "action": self.action,
            "version": self.version,
            "note": self.note,
            "public_note": self.public_note,
        }
        if self.due_at.strip():
            body["due_at"] = parse_due_at(self.due_at)
        if self.documents is not None:
            body["documents"] = self.documents
        if self.amount_vnd.strip():
            body["amount_vnd"] = typed_amount(self.amount_vnd)
        try:
            valid = ActionIn.model_validate(body)
        except ValidationError as exc:
            raise InvalidContent(details=validation_details(exc.errors())) from None
        return workflow.officer_request(
            valid.action,
            valid.version,
            valid.note,
            valid.public_note,
            valid.due_at,
            valid.documents,
            valid.amount_vnd,
        )

    def values(self) -> dict[str, Any]:
        return {
            "note": self.note,
            "public_note": self.public_note,
            "due_at": self.due_at,
            "documents": self.documents or [],
            "amount_vnd": self.amount_vnd,
        }


def typed_amount(text: str) -> int | str:
    """An amount as the page sends it, in đồng (`50.000` or `50000`); anything else as typed,
    for the API's body model to refuse in its own words."""
    typed = text.strip()
    return int(re.sub(r"[. ]", "", typed)) if TYPED_AMOUNT.fullmatch(typed) else typed


def parse_due_at(text: str) -> datetime:
    """A new appointment as a page sends it: ISO 8601 (a `datetime-local` input's
    `2026-11-20T17:00`), or `20/11/2026 17:00` as people type it; without an offset, in
    Vietnam time."""
    typed = text.strip()
    try:
        moment = datetime.fromisoformat(typed)
    except ValueError:
        try:
            moment = datetime.strptime(typed, TYPED_DUE_AT)
        except ValueError:
            raise InvalidDueAt(
                "Ngày hẹn mới không đúng dạng: hãy nhập ngày và giờ, ví dụ 20/11/2026 17:00.",
                details=[detail(["due_at"], "phải có dạng ngày/tháng/năm giờ:phút")],
            ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=VN_TZ)


@dataclass(frozen=True)
class PageError:
    """A refusal shown on the page: the service's message, next to `field` of the form of
    `action` (or above the forms), with what the officer typed."""

    message: str
    action: str = ""
    field: str | None = None
    conflict: bool = False  # someone else acted first: the page shows the current state
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)


def page_error(exc: AppError, typed: Typed) -> PageError:
    """The service's refusal for the page: its message, the form field its details name."""
    place, msg = _place(exc.details)
    message = exc.message
    if exc.code == InvalidContent.code and msg:  # "Dữ liệu không hợp lệ" says nothing alone
        message = f"{message.rstrip('.')}: {msg}."
    return PageError(
        message=message,
        action=typed.action,
        field=place,
        conflict=isinstance(exc, StaleVersion),
        values=typed.values(),
    )


def _place(details: list[Any]) -> tuple[str | None, str | None]:
    """The first form field a refusal's details name (by `loc`, or as a key: the current
    appointment of `appointment_passed`), and that detail's `msg`."""
    for item in details:
        if not isinstance(item, dict):
            continue
        loc = item.get("loc")
        names = [str(part) for part in loc] if isinstance(loc, list | tuple) else list(item)
        for name in names:
            if name in FIELDS:
                msg = item.get("msg")
                return name, msg if isinstance(msg, str) else None
    return None, None
