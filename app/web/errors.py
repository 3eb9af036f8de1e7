"""Errors of the pages as pages: the status and headers the API's handlers chose, rendered as
HTML in the request's language (app/handlers.py calls `page_error` for page paths).

The paths of the pages are listed in `PAGE_PREFIXES`; every other path, `/api/...` first,
keeps the contract's JSON errors.
"""

import json

from fastapi import Request, Response

from app.web.rendering import render

# A new page's first path segment goes here (and only here) for its errors to be pages.
PAGE_PREFIXES = ("/thu-tuc", "/tra-cuu", "/ho-so", "/thong-ke", "/can-bo", "/static")
# Headers of the JSON answer that still mean something on the page.
KEPT_HEADERS = (
    "retry-after",
    "allow",
    "connection",
    "www-authenticate",
    # Only on a 500's answer, which is sent outside the security headers' middleware.
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
)


def is_page_path(path: str) -> bool:
    """Whether the errors of `path` are pages (the home page and the listed sections)."""
    return path == "/" or any(
        path == prefix or path.startswith(prefix + "/") for prefix in PAGE_PREFIXES
    )


def page_error(request: Request, answer: Response) -> Response:
    """The error page for the JSON error `answer` the handlers made for a page's request."""
    status = answer.status_code
    headers = {k: v for k, v in answer.headers.items() if k.lower() in KEPT_HEADERS}
    template = {404: "errors/404.html", 500: "errors/500.html"}.get(status, "errors/other.html")
    return render(
        request,
        template,
        {"status": status, "retry_after": headers.get("retry-after"), "message": _message(answer)},
        status_code=status,
        headers=headers,
    )


def _message(answer: Response) -> str:
    """The Vietnamese message of the JSON error (the service's own words), or nothing."""
    try:
        message = json.loads(bytes(answer.body))["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return ""
    return message if isinstance(message, str) else ""
