"""What a supplement request asks for (DOMAIN.md §4): an officer's `request_supplement` names
the documents of the procedure the applicant must send, and the supplement may send only those.

The keys are kept on the request's event (`DossierEvent.documents`); the open request is the
dossier's latest `request_supplement` event. Requests made before the keys were kept have none
and accept any of the procedure's documents, as they did.
"""

from sqlalchemy import select
from sqlmodel import Session, col

from app.errors import DocumentNotRequested, DocumentsRequired, UnknownDocument, detail
from app.models.catalogue import Procedure, RequiredDocument
from app.models.dossier import Dossier, DossierEvent, RequestedDocument

REQUEST_SUPPLEMENT = "request_supplement"


def _documents(procedure: Procedure) -> dict[str, RequiredDocument]:
    return {d["key"]: RequiredDocument.model_validate(d) for d in procedure.required_documents}


def asked_documents(procedure: Procedure, keys: tuple[str, ...] | None) -> list[str]:
    """The keys a request asks for, each once, in the officer's order: 422
    `documents_required` for none, `unknown_document` for a key the procedure does not have."""
    known = _documents(procedure)
    if not keys:
        # A procedure without dossier components has nothing to ask for: say so.
        why = "bắt buộc, ít nhất một" if known else "thủ tục không có thành phần hồ sơ nào"
        raise DocumentsRequired(details=[detail(["body", "documents"], why)])
    unknown = [key for key in dict.fromkeys(keys) if key not in known]
    if unknown:
        names = ", ".join(d.name for d in known.values())
        raise UnknownDocument(
            details=[
                detail(["body", "documents", key[:64]], f"không có; thủ tục gồm: {names}")
                for key in unknown
            ]
        )
    return list(dict.fromkeys(keys))


def open_request_documents(session: Session, dossier: Dossier) -> list[str] | None:
    """The keys the dossier's latest supplement request asked for; None when it has none
    (no request, or one made before the keys were kept)."""
    statement = (
        select(col(DossierEvent.documents))
        .where(
            col(DossierEvent.dossier_id) == dossier.id,
            col(DossierEvent.action) == REQUEST_SUPPLEMENT,
        )
        .order_by(col(DossierEvent.at).desc(), col(DossierEvent.id).desc())
        .limit(1)
    )
    documents = session.scalars(statement).first()
    return list(documents) if documents else None


def requested_documents(procedure: Procedure, keys: list[str] | None) -> list[RequestedDocument]:
    """The asked keys with the documents' Vietnamese names, for the applicant's view."""
    known = _documents(procedure)
    return [
        RequestedDocument(key=key, name=known[key].name if key in known else key)
        for key in keys or []
    ]


def check_requested(procedure: Procedure, asked: list[str] | None, key: str) -> None:
    """A supplement file of `key` is one the open request asked for: 422
    `document_not_requested` otherwise (any of the procedure's documents for a request without
    keys)."""
    if asked is None or key in asked:
        return
    known = _documents(procedure)
    name = known[key].name if key in known else key[:64]
    wanted = ", ".join(known[k].name if k in known else k for k in asked)
    raise DocumentNotRequested(
        f"Cơ quan giải quyết không yêu cầu bổ sung '{name}'.",
        details=[detail(["files", key[:64]], f"chỉ bổ sung: {wanted}")],
    )
