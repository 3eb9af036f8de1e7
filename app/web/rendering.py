"""Rendering a page: the Jinja environment, the language of the request, and links that keep it.

Every template gets `lang`, `t(key, **values)` (app/web/i18n.py), `named(name, vietnamese)`,
`link(path, **query)` (a link on this site that keeps `?lang=en`), `switch_lang` (this page in
the other language), `asset(name)` (app/web/assets.py), and the filters of app/web/filters.py.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.models.catalogue import type_labels
from app.web.assets import asset_url
from app.web.filters import FILTERS
from app.web.i18n import Lang, named, pick_lang, translate

TEMPLATES = Path(__file__).parent / "templates"
# The pages load their one stylesheet and script from here, post their forms here, and run no
# inline script: a script injected into a page (a name in the catalogue, say) would not run.
# Frames only of this site: the officers' dossier page previews a dossier's PDF documents in an
# <iframe> of its own document route (images come through img-src 'self'); no <object> or
# <embed> (object-src stays 'none', from default-src), and no page is framed itself.
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a misspelt variable fails the test that renders it
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)
environment.filters.update(FILTERS)
environment.globals["asset"] = asset_url
environment.globals["type_labels"] = type_labels  # "PDF, JPG, PNG", as the API's messages say


def lang_of(request: Request) -> Lang:
    return pick_lang(request.query_params.get("lang"))


def link_for(lang: Lang, path: str, query: Mapping[str, Any] | None = None) -> str:
    """`path` with `query` (empty values left out) and, in English, `lang=en`."""
    params = [(k, str(v)) for k, v in (query or {}).items() if v not in (None, "")]
    if lang == "en":
        params.append(("lang", "en"))
    return f"{path}?{urlencode(params)}" if params else path


def switch_link(request: Request, lang: Lang) -> str:
    """This very page in the other language: the same path and query, `lang` toggled."""
    query = {k: v for k, v in request.query_params.multi_items() if k != "lang"}
    return link_for("vi" if lang == "en" else "en", request.url.path, query)


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    lang: Lang | None = None,
) -> HTMLResponse:
    """The page `template` in the request's language, or in `lang` where the page knows the
    reader's language otherwise (single sign-on's return from the provider carries none)."""
    lang = lang or lang_of(request)

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    def link(path: str, **query: Any) -> str:
        return link_for(lang, path, query)

    html = environment.get_template(template).render(
        {
            "lang": lang,
            "t": t,
            "named": lambda name, vietnamese: named(lang, name, vietnamese),
            "link": link,
            "switch_lang": switch_link(request, lang),
            "path": request.url.path,
            **(context or {}),
        }
    )
    return HTMLResponse(
        html,
        status_code=status_code,
        headers={"Content-Security-Policy": PAGE_POLICY, **(headers or {})},
    )
