"""The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, mẫu số 01 of Circular 01/2018/TT-VPCP)
shared by the public submission page and the officers' registration: what `receipt.html`
shows of a dossier, and the short-lived cookie that carries the access token to it.

The access token is never in a receipt's address: the page that made the dossier answers a
303 to the receipt with the token in `receipt_token` (HttpOnly, SameSite=Strict, Path = that
receipt, 1 hour), and the receipt is the API's applicant check on it.
"""

from typing import Any
from urllib.parse import quote

import segno
from fastapi import Request, Response
from sqlmodel import Session

from app.models.applicant import national_phone
from app.models.catalogue import Procedure
from app.models.dossier import Dossier
from app.models.types import utcnow
from app.services.dossiers import submission, tracking, workflow
from app.web.applicant_pages import private_link

RECEIPT_COOKIE = "receipt_token"
RECEIPT_SECONDS = 3600


def keep_receipt_token(request: Request, response: Response, token: str, path: str) -> None:
    """The access token for the receipt at `path` only, for an hour."""
    response.set_cookie(
        RECEIPT_COOKIE,
        token,
        max_age=RECEIPT_SECONDS,
        path=path,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def receipt_context(
    request: Request, session: Session, dossier: Dossier, token: str
) -> dict[str, Any]:
    """What receipt.html shows of `dossier`, whose access token is `token` (the applicant's
    check has passed): the applicant, the documents received, the dates, the tracking QR code
    and the private link."""
    view = tracking.details_view(session, dossier, utcnow())
    procedure = session.get(Procedure, dossier.procedure_code)
    assert procedure is not None
    documents = submission.documents_of(procedure)
    # Online, the appointment is fixed when the agency accepts the dossier; until then the
    # receipt shows the workflow's own computation from the submission, as expected.
    expected_due = (
        None
        if view.due_at is not None
        else workflow.receipt_dates(session, procedure, view.submitted_at)["due_at"]
    )
    counts: dict[str, int] = {}
    for document in view.documents:
        counts[document.key] = counts.get(document.key, 0) + 1
    received = [(documents[k].name if k in documents else k, n) for k, n in counts.items()]
    base = str(request.base_url).rstrip("/")
    tracking_url = base + f"/tra-cuu/{quote(view.code, safe='')}"
    return {
        "view": view,
        "procedure": procedure,
        "due_at": view.due_at or expected_due,
        "expected": view.due_at is None,
        "applicant_name": applicant_name(view.applicant),
        "contact": contact(view.applicant),
        "received": received,
        "tracking_url": tracking_url,
        "qr": qr_svg(tracking_url),
        "private_link": base + private_link(view.code, token),
    }


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG, made here (segno), with no XML declaration."""
    made: str = segno.make(url, error="m").svg_inline(scale=4, title=url)
    return made


def contact(applicant: Any) -> dict[str, str]:
    """The applicant's address, phone and e-mail, as far as given (the receipt's "Địa chỉ",
    "Số điện thoại", "Email")."""
    data = applicant.model_dump() if hasattr(applicant, "model_dump") else dict(applicant)
    found = {k: str(data.get(k) or "") for k in ("address", "phone", "email")}
    found["phone"] = national_phone(found["phone"])
    return found


def applicant_name(applicant: Any) -> str:
    data = applicant.model_dump() if hasattr(applicant, "model_dump") else dict(applicant)
    return str(data.get("full_name") or data.get("name") or "")
