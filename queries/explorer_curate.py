"""Curation from the browser (`claimgraph serve --curate`): write routes, session tokens, badges.

A write is a POST of a form, refused (403, nothing written) unless the server runs with
`--curate`, the request is same-origin (its `Origin`, else its `Referer`) and its `token` field
matches the session. The session is a random id in a cookie (`HttpOnly; SameSite=Strict`); the
token is the HMAC of that id under a key that lives only in this server process, so a cookie
planted by another port of the same host comes with no valid token (signed double submit).
Each write calls `claimgraph.graph.corrections` and answers 303 back to the page it came from.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from claimgraph.graph.namespaces import CITO, PROV, SCHEMA, base_iri
from claimgraph.queries import explorer_data as data
from claimgraph.queries.explorer_lists import corrections_now

FORM_MEDIA = "application/x-www-form-urlencoded"
MAX_FORM = 64 * 1024  # bytes of a write's body
_SID = re.compile(r"^[A-Za-z0-9_-]{43}$")
_KEY = re.compile(r"^(claim|person|work|event|doc)/[^\s<>\"{}|^`\\]+$")
_BACK = re.compile(r"^/(?![/\\])[^\x00-\x20\\]{0,1000}$")
EDGE_PREDICATES = {str(CITO[s]) for s in ("supports", "disputes", "cites")} | {
    str(SCHEMA.author),
    str(SCHEMA.about),
    str(PROV.wasQuotedFrom),
}
NODE_KINDS = {"Person", "Work", "Event"}  # what may be merged


@dataclass
class Sessions:
    """Per-session write tokens: cookie `cg_session_<port>` holds an id, forms its HMAC."""

    port: int
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    @property
    def cookie(self) -> str:
        return f"cg_session_{self.port}"

    def session(self, request) -> str | None:
        value = request.cookies.get(self.cookie) or ""
        return value if _SID.match(value) else None

    def token(self, sid: str) -> str:
        return hmac.new(self.secret, sid.encode("ascii"), hashlib.sha256).hexdigest()

    def valid(self, request, given: str) -> bool:
        sid = self.session(request)
        expected = self.token(sid).encode("ascii") if sid else b""
        return sid is not None and hmac.compare_digest(expected, given.encode("utf-8"))

    @staticmethod
    def new() -> str:
        return secrets.token_urlsafe(32)

    def set_cookie(self, response, sid: str) -> None:
        cookie = f"{self.cookie}={sid}; Path=/; HttpOnly; SameSite=Strict"
        response.headers.append("set-cookie", cookie)


def write_refusal(request, same_origin) -> str | None:
    """Why a write request is not same-origin (None if it is): its Origin, else its Referer,
    must name this server; a request with neither is refused."""
    host = request.headers.get("host")
    origin = request.headers.get("origin")
    if origin is not None:
        return None if same_origin(origin, host) else "cross-origin writes are refused"
    referer = request.headers.get("referer")
    if referer and same_origin(referer, host):
        return None
    return "a write must come from a page of this server (no Origin or Referer)"


async def read_form(request) -> dict[str, str]:
    """The fields of a write's urlencoded body (one value each), or PageError."""
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media != FORM_MEDIA:
        raise data.PageError(415, f"a write is a form ({FORM_MEDIA})")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            raise data.PageError(413, f"a write is at most {MAX_FORM} bytes")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=32)
    except (UnicodeDecodeError, ValueError):
        raise data.PageError(400, "the form is not UTF-8 or has too many fields") from None
    if any(len(v) != 1 for v in fields.values()):
        raise data.PageError(400, "each form field must be given once")
    return {k: v[0] for k, v in fields.items()}


def back_to(form: dict[str, str], default: str = "/list/corrections") -> str:
    """The local page a write returns to (never another site)."""
    back = form.get("back", "")
    return back if _BACK.match(back) else default


def term(text: str, what: str) -> str:
    """A node IRI from a key (`claim/0f01...`) or a full IRI under the data base."""
    text = text.strip()
    base = base_iri()
    key = text[len(base) :] if text.startswith(base) else text
    if not _KEY.match(key):
        raise data.PageError(400, f"{what}: not a node key or IRI: {text[:80]!r}")
    return base + key


def predicate(text: str) -> str:
    if text not in EDGE_PREDICATES:
        raise data.PageError(400, "not an edge the explorer can correct")
    return text


def find(r: data.Runner, text: str, kinds: set[str]) -> list[dict]:
    """Nodes of `kinds` that `text` names: its key or IRI, an exact label, else search hits."""
    text = text.strip()
    if not text:
        raise data.PageError(400, "name the other node (its name, key or IRI)")
    key = text.removeprefix(base_iri())
    if _KEY.match(key):
        iri = base_iri() + key
        return [data.node_ref(iri, key)]
    if len(text) > 200:
        raise data.PageError(400, "a search is at most 200 characters")
    hits = [h for h in data.search(r, text) if h["kind"] in kinds]
    exact = [h for h in hits if h["label"].casefold() == text.casefold()]
    return exact if len(exact) == 1 else hits


def curate_context(request, sessions: Sessions | None) -> dict:
    """What every page needs to draw curation forms: whether, the token, the page's path."""
    if sessions is None:
        return {"curate": False, "token": "", "here": request.url.path}
    sid = request.state.sid
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return {"curate": True, "token": sessions.token(sid), "here": here}


# -- the write routes -------------------------------------------------------------------------
def _done(url: str):
    from starlette.responses import RedirectResponse

    return RedirectResponse(url, 303, headers={"Cache-Control": "no-store"})


@dataclass
class Writes:
    """The handlers of the write routes: each checks its form, records one correction and
    sends the browser back. `build(fn, *args)` runs page queries, `page` renders."""

    store: object
    build: object
    page: object

    async def _write(self, fn, *args):
        import anyio.to_thread

        from claimgraph.graph.store import StoreError

        try:
            return await anyio.to_thread.run_sync(lambda: fn(self.store, *args, wait=5))
        except StoreError as exc:
            raise data.PageError(503, f"the store cannot be written now: {exc}") from None

    async def record(self, *args, **fields):
        from claimgraph.graph import corrections

        await self._write(corrections.record, corrections.Correction(*args, **fields))

    async def _one(self, request, form: dict, kinds: set[str], action: str, skip: str = ""):
        """The node the form's `other` field names, or a page to choose one."""
        found, _ = await self.build(find, form.get("other", ""), kinds)
        found = [f for f in found if f["iri"] != skip]
        if not found:
            raise data.PageError(400, f"nothing matches {form.get('other', '')[:80]!r}")
        if len(found) == 1:
            return found[0]["iri"], None
        chosen = {"form": form, "action": action, "field": "other", "candidates": found}
        return None, self.page(request, "choose.html", 200, **chosen, ran=[])

    async def mark(self, request, form):
        action = form.get("action", "")
        if action not in ("accept", "reject"):
            raise data.PageError(400, "the action is accept or reject")
        subject = term(form.get("subject", ""), "subject")
        pred = obj = None
        if form.get("predicate"):
            pred = predicate(form["predicate"])
            obj = term(form.get("object", ""), "object")
        await self.record(action, subject, pred, obj, note=form.get("note", "")[:2000])
        node_gone = action == "reject" and pred is None
        return _done("/list/corrections" if node_gone else back_to(form, data.href(subject)))

    async def edit(self, request, form):
        subject = term(form.get("subject", ""), "subject")
        value = " ".join(form.get("value", "").split())
        if not value or len(value) > 5000:
            raise data.PageError(400, "the new wording is 1 to 5000 characters")
        await self.record("edit", subject, value=value)
        return _done(back_to(form, data.href(subject)))

    async def merge(self, request, form):
        this = term(form.get("subject", ""), "subject")
        kind = data.kind_of(this)
        if kind not in NODE_KINDS:
            raise data.PageError(400, "only people, works and events are merged")
        other, choose = await self._one(request, form, {kind}, "/curate/merge", skip=this)
        if choose is not None:
            return choose
        kept, duplicate = (this, other) if form.get("keep", "this") == "this" else (other, this)
        await self.record("merge", duplicate, value=kept)
        return _done(data.href(kept) or "/list/corrections")

    async def add(self, request, form):
        claim = term(form.get("subject", ""), "subject")
        relation = form.get("relation", "")
        if relation not in ("supports", "disputes", "cites"):
            raise data.PageError(400, "the relation is supports, disputes or cites")
        outgoing = form.get("direction", "out") == "out"
        quote = " ".join(form.get("quote", "").split())
        if not quote or len(quote) > 5000:
            raise data.PageError(400, "give the quote the edge is read from (1 to 5000 characters)")
        kinds = {"Work"} if outgoing and relation == "cites" else {"Claim", "Work"}
        other, choose = await self._one(request, form, kinds, "/curate/add", skip=claim)
        if choose is not None:
            return choose
        s, o = (claim, other) if outgoing else (other, claim)
        await self.record("add", s, str(CITO[relation]), o, value=quote)
        return _done(back_to(form, data.href(claim)))

    async def undo(self, request, form):
        from claimgraph.graph import corrections

        iri = form.get("iri", "")
        if not iri.startswith(base_iri()) or len(iri) > 300:
            raise data.PageError(400, "not a correction's IRI")
        await self._write(corrections.undo, iri)
        return _done(back_to(form))


def curate_routes(store, sessions: Sessions | None, build, page, guarded) -> list:
    """The write routes (403 when `sessions` is None: serve without --curate) and the
    corrections list; `guarded` adds the Host/Origin guard and error pages."""
    import anyio.to_thread
    from starlette.routing import Route

    from claimgraph.queries.endpoint import _same_origin

    def checked(handler):
        async def wrapped(request):
            if request.method != "POST":
                raise data.PageError(405, "a write is a POST of a form")
            if sessions is None:
                raise data.PageError(403, "writing is off: start claimgraph serve --curate")
            refusal = write_refusal(request, _same_origin)
            if refusal:
                raise data.PageError(403, refusal)
            form = await read_form(request)
            if not sessions.valid(request, form.get("token", "")):
                raise data.PageError(403, "this form's token is not this session's: reload")
            return await handler(request, form)

        return wrapped

    async def listing(request):
        rows = await anyio.to_thread.run_sync(corrections_now, store)
        return page(request, "corrections.html", 200, rows=rows, ran=[])

    w = Writes(store, build, page)
    every = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
    routes = [Route("/list/corrections", guarded(listing), methods=["GET", "HEAD"])]
    for name in ("mark", "edit", "merge", "add", "undo"):
        handler = guarded(checked(getattr(w, name)))
        routes.append(Route(f"/curate/{name}", handler, methods=every))
    return routes
