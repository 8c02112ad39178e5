"""The explorer served by `claimgraph serve` at `/`: server-rendered pages per node, read-only
unless `--curate` (then explorer_curate.py adds the forms' write routes).

Pages are Jinja2 templates with autoescape on and no script of their own (their
Content-Security-Policy forbids scripts); the only script is the embedded interactive view,
served from `/view/...` into a sandboxed iframe. Every page query goes through the
endpoint's worker pool (time limit, row cap, sandbox), with parameters bound as terms.
URLs are node keys: `/claim/0f017df45c23`, `/person/helena-varga`, `/doc/notes-txt-1a2b3c4d5e`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import quote

from claimgraph.graph.errors import UserError
from claimgraph.graph.namespaces import base_iri
from claimgraph.queries import explorer_data as data
from claimgraph.queries.explorer_curate import Sessions, curate_context, curate_routes
from claimgraph.queries.explorer_lists import LISTS, annotate, corrections_now, list_page
from claimgraph.queries.explorer_view import focus_page, keep_view, recent_view

HERE = Path(__file__).resolve().parent
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)
VIEW_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
_SAFE_KEY = re.compile(r"^[^\x00-\x20<>\"{}|^`\\]+$")
_AT = re.compile(r"^(\d{1,10})-(\d{1,10})$")
BUILDERS = {
    "claim": ("claim.html", data.claim_page),
    "person": ("person.html", data.person_page),
    "work": ("work.html", data.work_page),
    "event": ("event.html", data.event_page),
}


def environment():
    """The Jinja2 environment of the explorer's templates (autoescape always on)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v: "" if v is None else (f"{v:.2f}" if isinstance(v, float) else v)
    return env


def node_iri(kind: str, rest: str) -> str:
    """The IRI of a node from its URL, or PageError 400 for a key that cannot be one."""
    key = f"{kind}/{rest}"
    if not rest or not _SAFE_KEY.match(key) or ".." in key.split("/"):
        raise data.PageError(400, "not a node key")
    return base_iri() + key


def explorer_routes(settings, store, guard, pool, endpoint) -> list:
    """Starlette routes of the explorer; `endpoint` still answers SPARQL sent to `/`."""
    import anyio.to_thread
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from claimgraph.queries.endpoint import _log

    env = environment()
    limiter = anyio.CapacityLimiter(max(8, settings.workers * 4))
    sessions = Sessions(guard.port) if settings.curate else None

    def runner() -> data.Runner:
        gen = store.current()
        fixed = {
            "gen": str(gen) if gen else None,
            "accept": "application/sparql-results+json",
            "format": None,
            "max_rows": settings.max_rows,
            "prefixes": dict(settings.prefixes),
            "default_graphs": [],
            "named_graphs": [],
        }
        return data.Runner(lambda job: pool.run({**fixed, **job}, settings.timeout))

    def page(request, template: str, status: int = 200, **context) -> Response:
        context = {"curation": [], **curate_context(request, sessions), **context}
        body = env.get_template(template).render(max_rows=settings.max_rows, **context)
        headers = {
            "Content-Security-Policy": PAGE_CSP,
            "X-Content-Type-Options": "nosniff",
            # a form POST carries its Origin only if the referrer policy allows it
            "Referrer-Policy": "same-origin" if sessions else "no-referrer",
            "Cache-Control": "no-store",
        }
        return HTMLResponse(body, status, headers=headers)

    def guarded(handler):
        async def wrapped(request):
            sid = sessions.session(request) if sessions else None
            if sessions:
                request.state.sid = sid or sessions.new()
            refusal = guard.refusal(request.method, request.headers)
            if refusal:
                response = Response(refusal + "\n", 403, media_type="text/plain")
            else:
                try:
                    response = await handler(request)
                except data.PageError as exc:
                    response = page(request, "error.html", exc.status, message=exc.message, ran=[])
                except UserError as exc:
                    response = page(request, "error.html", 400, message=str(exc), ran=[])
                except Exception as exc:  # noqa: BLE001 - one line in the log, a page to the reader
                    sys.stderr.write(f"explorer: {type(exc).__name__}: {exc}\n")
                    response = page(request, "error.html", 500, message="internal error", ran=[])
            if sessions and sid is None and not request.url.path.startswith("/view/"):
                sessions.set_cookie(response, request.state.sid)  # not from the sandboxed view
            _log(request, response.status_code)
            return response

        return wrapped

    async def badges(result: dict, iri: str | None) -> dict:
        return await anyio.to_thread.run_sync(annotate, store, result, iri, limiter=limiter)

    async def gone(request, iri: str, exc: data.PageError) -> Response:
        """A node page that is not there: say which corrections removed or merged it."""
        rows = await anyio.to_thread.run_sync(corrections_now, store, limiter=limiter)
        named = [c for c in rows if iri in c["names"]]
        if exc.status != 404 or not named:
            raise exc
        return page(request, "error.html", 404, message=exc.message, curation=named, ran=[])

    async def build(fn, *args):
        r = runner()
        result = await anyio.to_thread.run_sync(fn, r, *args, limiter=limiter)
        return result, r

    async def home(request):
        if request.method == "POST" or "query" in request.query_params:
            return await endpoint(request)
        result, r = await build(lambda r: r.saved("documents"))
        return page(request, "home.html", documents=_documents(result), lists=LISTS, ran=r.ran)

    async def node(request):
        kind = request.url.path.split("/", 2)[1]
        iri = node_iri(kind, request.path_params["rest"])
        template, fn = BUILDERS[kind]
        try:
            result, r = await build(fn, iri)
        except data.PageError as exc:
            return await gone(request, iri, exc)
        result = await badges(result, iri)
        view = _view_src(iri)
        return page(request, template, **result, view=view, ran=r.ran, truncated=r.truncated)

    async def document(request):
        iri = node_iri("doc", request.path_params["rest"])
        m = _AT.match(request.query_params.get("at", ""))
        target = (int(m.group(1)), int(m.group(2))) if m else None
        result, r = await build(data.document_page, iri, target)
        view = _view_src(iri)
        return page(request, "document.html", **result, view=view, ran=r.ran, truncated=r.truncated)

    async def search(request):
        q = request.query_params.get("q", "").strip()
        if len(q) > 200:
            raise data.PageError(400, "a search is at most 200 characters")
        hits, r = await build(data.search, q) if q else ([], data.Runner(lambda j: {}))
        hits = (await badges({"hits": hits}, None))["hits"]
        return page(request, "search.html", q=q, hits=hits, ran=r.ran, truncated=r.truncated)

    async def listing(request):
        spec = LISTS.get(request.path_params["slug"])
        if spec is None:
            raise data.PageError(404, "no such list")
        params = dict(request.query_params)
        result, r = await build(list_page, spec, params)
        return page(request, "list.html", **result, spec=spec, ran=r.ran, truncated=r.truncated)

    async def view(request):
        key = request.path_params["key"]
        kind, _, rest = key.partition("/")
        if kind not in data.KINDS:
            raise data.PageError(404, "no such node kind")
        iri = node_iri(kind, rest)
        gen = str(store.current())  # read before the queries: a later write only misses
        body = recent_view(gen, iri)
        if body is None:
            body, _ = await build(focus_page, iri)
            keep_view(gen, iri, body)
        headers = {"Content-Security-Policy": VIEW_CSP, "Cache-Control": "no-store"}
        return HTMLResponse(body, headers={**headers, "X-Content-Type-Options": "nosniff"})

    get = ["GET", "HEAD"]
    routes = [Route("/", guarded(home), methods=["GET", "HEAD", "POST"])]
    routes += curate_routes(store, sessions, build, page, guarded)
    routes += [Route(f"/{k}/{{rest:path}}", guarded(node), methods=get) for k in BUILDERS]
    routes += [
        Route("/doc/{rest:path}", guarded(document), methods=get),
        Route("/search", guarded(search), methods=get),
        Route("/list/{slug}", guarded(listing), methods=get),
        Route("/view/{key:path}", guarded(view), methods=get),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return routes


def _view_src(iri: str) -> str:
    return "/view/" + quote(data.key_of(iri) or "")


def _documents(rows: list[dict]) -> list[dict]:
    return [
        {
            **data.node_ref(row["document"], row.get("file")),
            "nodes": row.get("nodes"),
            "edges": row.get("edges"),
            "characters": row.get("characters"),
        }
        for row in rows
    ]
