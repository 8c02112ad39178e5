"""A read-only SPARQL 1.1 Protocol endpoint over a claimgraph store (`claimgraph serve`).

Layout: a Starlette app served by uvicorn speaks the protocol (GET and POST, form and
`application/sparql-query` bodies, content negotiation, `Host` / `Origin` checks) and hands
each query to a pool of worker *processes* (`worker_pool.py`, `query_worker.py`). A worker
first decides the policy on the parsed query (`sparql_policy.py`: updates and `SERVICE`
refused, unparseable text refused, `FROM` only over the store's graphs), then evaluates it
with Oxigraph over the store's live generation. Workers cannot open network sockets and have
a memory cap (`sandbox.py`); one that overruns the time limit is killed and replaced (503), as
is one that runs out of memory (503). At most `max_rows` rows or triples are returned, marked
by `X-Claimgraph-Truncated: true`. Why not `oxigraph serve-read-only`: see docs/queries.md.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from claimgraph.queries.negotiation import negotiate  # noqa: F401 - re-exported
from claimgraph.queries.sparql_policy import (  # noqa: F401 - re-exported for frames.py
    UPDATE_REFUSED,
    oxigraph_syntax_message,
    tidy_expected,
)

MAX_BODY = 1 << 20  # bytes of a POST body
ENDPOINT_PATHS = ("/", "/query", "/sparql")
HELP_PAGE = """claimgraph SPARQL endpoint (read-only)

Query with GET {base}query?query=... or POST {base}query (form field `query`, or a body of
type application/sparql-query). Results: SPARQL JSON (default), XML, CSV, TSV for SELECT and
ASK; Turtle (default), N-Triples or RDF/XML for CONSTRUCT and DESCRIBE, chosen by the Accept
header or a `format` parameter. Updates and SERVICE are refused; FROM may only name graphs of
the store. Time limit {timeout:g} s per query; at most {max_rows} rows per answer.
The project prefixes (schema, cito, prov, oa, rdfs, rdf, xsd, owl, cg) are predeclared.
"""


@dataclass
class Settings:
    store_path: str
    timeout: float = 10.0
    max_rows: int = 10000
    workers: int = 2
    prefixes: dict[str, str] = field(default_factory=dict)
    max_memory: int | None = 1 << 30  # bytes per worker (RLIMIT_DATA); None: no cap
    allowed_hosts: list[str] = field(default_factory=list)  # extra names for the Host check
    curate: bool = False  # explorer writes (corrections) from loopback, per-session token


# -- Host and Origin checks ---------------------------------------------------------------
def _split_host(value: str) -> tuple[str, int | None]:
    """('name', port) from a Host header or URL netloc; port None when absent or bad."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    return name, int(port) if port.isdigit() else None


def _is_loopback(name: str) -> bool:
    if name in ("localhost", "ip6-localhost") or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    return host.strip("[]") in ("", "0.0.0.0", "::")


@dataclass
class Guard:
    """Refuses requests whose Host is not this server (DNS rebinding) or that come cross-origin."""

    host: str
    port: int
    extra: list[str] = field(default_factory=list)

    def host_ok(self, header: str | None) -> bool:
        if header is None:
            return True  # HTTP/1.0 clients; every browser sends Host
        name, port = _split_host(header)
        if (port or 80) != self.port:
            return False
        if name in (n.lower() for n in self.extra):
            return True
        bound = self.host.strip("[]").lower()
        if _is_loopback(bound):
            return _is_loopback(name)
        if _is_wildcard(self.host):
            return not self.extra
        return name == bound

    def refusal(self, method: str, headers) -> str | None:
        """None if the request may go on, else the one-line reason for a 403."""
        host = headers.get("host")
        if not self.host_ok(host):
            return f"Host {host!r} is not this server (DNS rebinding guard); use {self.host}"
        origin = headers.get("origin")
        if origin is not None and not _same_origin(origin, host):
            return "cross-origin requests are refused"
        if method == "POST":
            referer = headers.get("referer")
            if origin is None and referer and not _same_origin(referer, host):
                return "cross-origin requests are refused"
            if headers.get("sec-fetch-site", "").lower() == "cross-site":
                return "cross-origin requests are refused"
        return None


def _same_origin(url: str, host: str | None) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or host is None:
        return False
    default = 443 if parts.scheme == "https" else 80
    theirs, ours = _split_host(parts.netloc), _split_host(host)
    return theirs[0] == ours[0] and (theirs[1] or default) == (ours[1] or 80)


# -- the app ------------------------------------------------------------------------------
def _log(request, status: int) -> None:
    line = f"{request.method} {request.url.path}?{request.url.query} -> {status}"
    if len(line) > 240:  # GET requests carry the whole query in the URL
        line = line[:200] + " … " + line[-30:]
    client = request.client.host if request.client else "-"
    sys.stderr.write(f"{client} {line}\n")


def _reply(status: int, body: bytes | str, media: str = "text/plain", headers=None):
    from starlette.responses import Response

    if isinstance(body, str):
        body = (body.rstrip("\n") + "\n").encode("utf-8")
    if media.startswith("text/") or media == "application/n-triples":
        media += "; charset=utf-8"
    extra = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    return Response(body, status, headers={**extra, **(headers or {})}, media_type=media)


async def _params(request) -> dict[str, list[str]] | object:
    """The protocol parameters of a request, or a response refusing it."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method != "POST":
        return params
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    try:
        length = int(request.headers.get("content-length") or 0)
    except ValueError:
        return _reply(400, "bad Content-Length")
    if length > MAX_BODY:
        return _reply(413, f"request body over {MAX_BODY} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return _reply(413, f"request body over {MAX_BODY} bytes")
    if media == "application/sparql-update" or "update" in params:
        return _reply(403, UPDATE_REFUSED)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _reply(400, "the body is not UTF-8")
    if media == "application/x-www-form-urlencoded":
        for k, v in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(k, []).extend(v)
        if "update" in params:
            return _reply(403, UPDATE_REFUSED)
    elif media == "application/sparql-query":
        params["query"] = params.get("query", []) + [text]
    else:
        return _reply(
            415,
            "POST a form (application/x-www-form-urlencoded) or a query (application/sparql-query)",
        )
    return params


def make_app(settings: Settings, host: str, port: int, pool=None):
    """The Starlette app answering the protocol; `pool` runs the queries (a WorkerPool)."""
    import anyio.to_thread
    from starlette.applications import Starlette
    from starlette.routing import Route

    from claimgraph.graph.store import DiskStore

    store = DiskStore(settings.store_path)
    guard = Guard(host, port, settings.allowed_hosts)
    limiter: list = []

    async def endpoint(request):
        response = await _handle(request)
        _log(request, response.status_code)
        return response

    async def _handle(request):
        method = request.method
        refusal = guard.refusal(method, request.headers)
        if refusal:
            return _reply(403, refusal)
        path = request.url.path.rstrip("/") or "/"
        if method not in ("GET", "HEAD", "POST"):
            return _reply(405, "this endpoint is read-only", headers={"Allow": "GET, POST, HEAD"})
        if path == "/update":
            return _reply(403, UPDATE_REFUSED)
        if path not in ENDPOINT_PATHS:
            return _reply(404, f"no such resource: {path}; the endpoint is /query")
        params = await _params(request)
        if not isinstance(params, dict):
            return params
        if "update" in params:
            return _reply(403, UPDATE_REFUSED)
        if "query" not in params:
            if path == "/" and method != "POST":
                base = f"http://{request.headers.get('host', 'localhost')}/"
                page = HELP_PAGE.format(
                    base=base, timeout=settings.timeout, max_rows=settings.max_rows
                )
                return _reply(200, page)
            return _reply(400, "missing the `query` parameter")
        if len(params["query"]) != 1:
            return _reply(400, "give exactly one `query`")
        try:
            gen = store.current()
        except Exception as exc:  # noqa: BLE001 - StoreError: damaged store
            return _reply(503, f"store unavailable: {exc}")
        job = {
            "gen": str(gen) if gen else None,
            "query": params["query"][0],
            "accept": request.headers.get("accept"),
            "format": (params.get("format") or params.get("output") or [None])[0],
            "max_rows": settings.max_rows,
            "prefixes": dict(settings.prefixes),
            "default_graphs": params.get("default-graph-uri", []),
            "named_graphs": params.get("named-graph-uri", []),
        }
        if not limiter:
            limiter.append(anyio.CapacityLimiter(max(64, settings.workers * 8)))
        started = time.monotonic()
        result = await anyio.to_thread.run_sync(pool.run, job, settings.timeout, limiter=limiter[0])
        headers = {"X-Claimgraph-Time-Ms": f"{(time.monotonic() - started) * 1000:.1f}"}
        if result.get("rows") is not None:
            headers["X-Claimgraph-Rows"] = str(result["rows"])
        if result.get("truncated"):
            headers["X-Claimgraph-Truncated"] = "true"
            headers["X-Claimgraph-Max-Rows"] = str(settings.max_rows)
        return _reply(result["status"], result["body"], result["media"], headers)

    from claimgraph.queries.explorer import explorer_routes

    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    routes = [Route("/{path:path}", endpoint, methods=methods)]
    return Starlette(routes=explorer_routes(settings, store, guard, pool, endpoint) + routes)


def bind(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A listening TCP socket on host:port (port 0: any free one) with a deep backlog."""
    infos = socket.getaddrinfo(host.strip("[]") or None, port, type=socket.SOCK_STREAM)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve(settings: Settings, host: str, port: int, announce=None, warn=None) -> int:
    """Serve until SIGINT or SIGTERM; `announce(url)` is called once listening, `warn(text)`
    if the workers could not be locked out of the network."""
    import uvicorn

    from claimgraph.queries.worker_pool import WorkerPool

    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    pool = WorkerPool(settings.workers, settings.max_memory)
    if not pool.network_lockdown and warn:
        warn(
            "the query workers could not be locked out of the network on this system "
            "(no network namespace, no seccomp); only the SPARQL policy check stops SERVICE"
        )
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host

    class Server(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets)
            if announce and not self.should_exit:
                announce(f"http://{shown}:{bound_port}/query")

        def handle_exit(self, sig, frame) -> None:
            super().handle_exit(sig, frame)
            self._captured_signals.clear()  # a stop by signal is a clean exit (status 0)

    app = make_app(settings, host, bound_port, pool)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
        backlog=2048,
    )
    try:
        Server(config).run(sockets=[sock])
    finally:
        pool.close()
        sock.close()
    return 0
