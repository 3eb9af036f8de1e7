"""The citizens' pages: server-rendered HTML on the same services as the API (STYLE.md, Web
pages; docs/API.md, Web pages).

A page is a route that reads with the very service function the API's router calls and
renders a template; it never calls a router and never writes a rule of its own (a refusal is
the service's error, shown next to its field or as an error page).

How the pieces fit:
- `pages.py` gathers every page module's `router`; app/main.py includes it after the API.
- `rendering.render(request, "x.html", context)` renders `templates/x.html` in the request's
  language (`?lang=en`, else Vietnamese) with the page's Content-Security-Policy. Templates
  extend `base.html` (skip link, header, language switch, `<main id="main">`, footer) and get
  `t()`, `link()`, `asset()`, `named()` and the filters of `filters.py` (`vn_date`, `vn_time`,
  `vn_datetime`, `vnd`, `vn_number`, `iso`).
- `i18n.py` holds the interface's words in both languages; `link('/path', q=...)` keeps
  `lang=en` on links, and the `lang_field()` macro keeps it on forms.
- `assets.py` serves `static/` under content-hashed names with immutable caching: one
  stylesheet (`app.css`) and one small script (`app.js`); add rules to these, not new files.
- `csrf.py`: the anti-forgery field of every form that changes something (`Csrf(request,
  csrf_secret(settings), scope)`: `.token` in the form's hidden `csrf_token`, `.keep(response,
  path)` on the page, `.check(value)` on the POST before any service call, `.guarded(rules)`
  for a streamed multipart POST); a refusal is a 403 page.
- `errors.py`: errors on page paths are pages (404, 500, and one for the rest), in the
  request's language; `/api/...` keeps its JSON errors (app/handlers.py).

To add a page (say the officers' `/can-bo/ho-so`):
1. write `app/web/officer_pages.py` with `router = APIRouter(route_class=CheckedRoute,
   include_in_schema=False)` and a handler that calls the service and returns
   `render(request, "queue.html", {...})`;
2. write `templates/queue.html` (`{% extends "base.html" %}`, blocks `title` and
   `content`), with every new word in `i18n.py`;
3. add the module to `pages.py`, and its first path segment to `errors.PAGE_PREFIXES` if it is
   not there yet (it is for `/thu-tuc`, `/tra-cuu`, `/ho-so`, `/thong-ke` and `/can-bo`);
4. test it in `tests/web/` through the app, as tests/web/test_catalogue_pages.py does.
"""
