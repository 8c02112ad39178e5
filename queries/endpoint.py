"""A read-only SPARQL 1.1 Protocol endpoint over a claimgraph store (`claimgraph serve`).

Layout: a stdlib `ThreadingHTTPServer` speaks the protocol (GET and POST, form and
`application/sparql-query` bodies, content negotiation) and hands each query to a pool of
worker *processes*. Each worker keeps the store's live generation open read-only with
pyoxigraph and evaluates there, with Oxigraph's own engine and serializers. The HTTP side
enforces the policy before and after:

* updates (`update=`, `application/sparql-update`, `/update`, or query text that is an
  update) are refused with 403; so is any query that uses `SERVICE` (Oxigraph would fetch
  it over HTTP), checked by a SPARQL-aware tokenizer; `FROM`/`FROM NAMED` and the protocol's
  `default-graph-uri`/`named-graph-uri` may only name graphs of the store (Oxigraph never
  loads them from the network, and an IRI that is not in the store is refused with 400);
* the time limit is the wall-clock time of evaluation plus serialization: a worker that has
  not answered by then is killed (SIGKILL) and replaced, and the client gets 503. No
  cooperative cancellation is needed, so joins, sorts, aggregates and long result streams are
  all stopped;
* the row cap: the worker reads at most `max_rows` solutions (or triples) and stops the
  iterator there; the response says so in `X-Claimgraph-Truncated: true`.

Why not `oxigraph serve-read-only` (the `oxigraph` PyPI package, same 0.5.13 on-disk format)?
Measured on this store: it fetched a `SERVICE` URL, its `--timeout-s 1` answered a cancelled
aggregate with status 200 and a truncated body and let a streamed cross join run for more
than 30 s, and it has no row cap. A proxy in front would still have to re-serialize results to
cap rows and would leave an unguarded backend port on loopback. See docs/queries.md.

The worker runs as `python -m queries.endpoint --worker` and needs only pyoxigraph; it reads
pickled jobs on stdin and writes pickled answers on stdout, length-prefixed.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

# -- SPARQL tokenizer: SERVICE, FROM, updates, form ----------------------------------------
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<lstring>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:[\w\-.]+)
  | (?P<pname>(?:[^\W\d_][\w\-.]*)?:(?:[\w\-.:%]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.X | re.S,
)
_STRIP = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*"|\#[^\r\n]*""",
    re.S,
)
_BARE_SERVICE = re.compile(r"(?<![\w:?$/#.\-])SERVICE(?![\w:\-])", re.I)
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


@dataclass
class Scan:
    """What the policy needs to know about a query, read by `scan`."""

    form: str | None = None  # SELECT | ASK | CONSTRUCT | DESCRIBE (None: not a query)
    update: str | None = None  # the update keyword, if the text is an update
    service: bool = False
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)


def scan(text: str, default_prefixes: dict[str, str] | None = None) -> Scan:
    """Tokenize SPARQL text (strings, IRIs and comments skipped) and report its form, whether
    it is an update, whether it uses SERVICE, and the IRIs of its FROM / FROM NAMED clauses."""
    out = Scan(prefixes=dict(default_prefixes or {}))
    base = ""
    tokens = [
        (m.lastgroup, m.group())
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("ws", "comment")
    ]
    first_word = True
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        upper = value.upper() if kind == "word" else ""
        if upper == "SERVICE":
            out.service = True
        if kind == "word" and upper in ("PREFIX", "BASE"):
            if upper == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
                name = tokens[i + 1][1]
                if name.endswith(":"):
                    out.prefixes[name[:-1]] = urljoin(base, tokens[i + 2][1][1:-1])
                i += 3
                continue
            if upper == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
                base = urljoin(base, tokens[i + 1][1][1:-1])
                i += 2
                continue
        if kind == "word" and first_word:
            first_word = False
            if upper in UPDATES:
                out.update = upper
        if kind == "word" and out.form is None and upper in FORMS:
            out.form = upper
        if upper == "FROM":
            j = i + 1
            named = j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "NAMED"
            j += 1 if named else 0
            if j < len(tokens):
                iri = _token_iri(tokens[j], out.prefixes, base)
                if iri is not None:
                    (out.from_named if named else out.from_graphs).append(iri)
                    i = j + 1
                    continue
        i += 1
    if not out.service and _BARE_SERVICE.search(_STRIP.sub(" ", text)):
        out.service = True  # belt and braces: a bare SERVICE word anywhere outside strings
    return out


def _token_iri(token: tuple[str, str], prefixes: dict[str, str], base: str) -> str | None:
    kind, value = token
    if kind == "iri":
        return urljoin(base, value[1:-1]) if base else value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        local = re.sub(r"\\(.)", r"\1", local).rstrip(".")
        return prefixes.get(prefix, prefix + ":") + local
    return None


# -- syntax errors ----------------------------------------------------------------------
_OX_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


_EXPECTED_ITEM = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|\[(?:'[^']*'|[^\]'])*\]|[^,]+)\s*(?:,|$)""")


def tidy_expected(detail: str) -> str:
    """Oxigraph's 'expected one of ...' lists without the long character classes."""
    head, sep, rest = detail.partition("expected one of ")
    if not sep:
        return detail
    items = [m.group(1).strip() for m in _EXPECTED_ITEM.finditer(rest) if m.group(1).strip()]
    if "Prefix not found" in items:
        return head + "undeclared prefix (add a PREFIX line)"
    named = [i for i in items if not i.startswith("[")]
    if len(named) < len(items):
        named.append("…")
    return head + sep + ", ".join(named)


_RDFLIB_POSITION = re.compile(r"found (.*?)\s+\(at char \d+\), \(line:(\d+), col:(\d+)\)", re.S)


def oxigraph_syntax_message(exc: BaseException, text: str | None = None) -> str | None:
    """'line L, column C: detail' from a pyoxigraph SyntaxError, or None.

    Oxigraph's parser sometimes reports where it gave up (often the end of the query) rather
    than the first bad token; given the query `text`, rdflib's parser is asked too, and the
    earlier of the two positions is reported."""
    m = _OX_POSITION.search(str(exc))
    if not m:
        return None
    line, col = int(m.group(1)), int(m.group(2))
    detail = tidy_expected(" ".join(m.group(3).split()))
    if text is not None:
        try:
            from rdflib.plugins.sparql.parser import parseQuery

            parseQuery(text)
        except Exception as other:  # noqa: BLE001 - pyparsing's ParseException and kin
            r = _RDFLIB_POSITION.search(str(other))
            if r and (int(r.group(2)), int(r.group(3))) < (line, col):
                found = " ".join(r.group(1).split())
                return f"line {r.group(2)}, column {r.group(3)}: unexpected {found}"
    return f"line {line}, column {col}: {detail}"


# -- content negotiation ----------------------------------------------------------------
RESULT_TYPES = {  # media type -> pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
RESULT_ALIASES = {
    "application/json": "application/sparql-results+json",
    "text/javascript": "application/sparql-results+json",
    "application/javascript": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {  # media type -> pyoxigraph RdfFormat name
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
}
GRAPH_ALIASES = {
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "application/xml": "application/rdf+xml",
}


def negotiate(accept: str | None, fmt: str | None, graph: bool) -> str | None:
    """The media type to answer with, or None if nothing acceptable can be produced.

    An explicit `format` parameter (json, xml, csv, tsv, turtle, nt or a media type) wins when
    it fits the query form; otherwise the Accept header, with q-values and wildcards."""
    types, aliases = (GRAPH_TYPES, GRAPH_ALIASES) if graph else (RESULT_TYPES, RESULT_ALIASES)
    if fmt:
        key = fmt.strip().lower()
        key = aliases.get(key, key)
        if key in types:
            return key
    if not accept or not accept.strip():
        return next(iter(types))
    best: tuple[float, int, str] | None = None
    for order, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        q = 1.0
        for p in parts[1:]:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in ("*/*", "*"):
            candidate = next(iter(types))
        elif media.endswith("/*"):
            major = media[:-1]
            candidate = next((t for t in types if t.startswith(major)), None)
        else:
            media = aliases.get(media, media)
            candidate = media if media in types else None
        if candidate is None:
            continue
        score = (q, -order, candidate)
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else None


# -- the worker process -------------------------------------------------------------------
_HEADER = struct.Struct(">Q")


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _recv(stream):
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    return pickle.loads(stream.read(size))


def _tsv_term(term) -> str:
    return "" if term is None else str(term)


class _Evaluator:
    """Runs jobs against the live generation, reopening it when the store moves on."""

    def __init__(self) -> None:
        import pyoxigraph

        self.ox = pyoxigraph
        self.gen: str | None = "<none>"
        self.store = None

    def open(self, gen: str | None):
        if gen != self.gen or self.store is None:
            self.store = None
            self.store = self.ox.Store.read_only(gen) if gen else self.ox.Store()
            self.gen = gen
        return self.store

    def graphs_missing(self, store, iris: list[str]) -> list[str]:
        return [i for i in iris if not store.contains_named_graph(self.ox.NamedNode(i))]

    def run(self, job: dict) -> dict:
        ox = self.ox
        try:
            store = self.open(job["gen"])
        except OSError as exc:
            return _answer(503, f"cannot open the store: {exc}")
        iris = job["from_graphs"] + job["from_named"] + job["default_graphs"] + job["named_graphs"]
        try:
            missing = self.graphs_missing(store, iris)
        except ValueError as exc:
            return _answer(400, f"bad graph IRI: {exc}")
        if missing:
            return _answer(
                400,
                f"<{missing[0]}> is not a graph in this store; FROM, FROM NAMED, "
                "default-graph-uri and named-graph-uri may only name the store's own graphs "
                "(this endpoint never loads data from elsewhere)",
            )
        options: dict = {"prefixes": job["prefixes"]}
        if job["default_graphs"] or job["named_graphs"]:
            options["default_graph"] = [ox.NamedNode(i) for i in job["default_graphs"]]
            options["named_graphs"] = [ox.NamedNode(i) for i in job["named_graphs"]]
        elif not (job["from_graphs"] or job["from_named"]):
            options["use_default_graph_as_union"] = True
        max_rows = job["max_rows"]
        try:
            result = store.query(job["query"], **options)
            if isinstance(result, ox.QueryBoolean):
                media = negotiate(job["accept"], job["format"], graph=False)
                if media is None:
                    return _not_acceptable(False)
                body = result.serialize(format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media]))
                return _answer(200, body, media, rows=None)
            if isinstance(result, ox.QuerySolutions):
                media = negotiate(job["accept"], job["format"], graph=False)
                if media is None:
                    return _not_acceptable(False)
                names = [str(v) for v in result.variables]
                lines = ["\t".join(names)]
                count = 0
                truncated = False
                for solution in result:
                    if count >= max_rows:
                        truncated = True
                        break
                    lines.append("\t".join(_tsv_term(solution[i]) for i in range(len(names))))
                    count += 1
                del result
                tsv = "\n".join(lines) + "\n"
                if media == "text/tab-separated-values":
                    body = tsv.encode("utf-8")
                else:
                    parsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
                    body = parsed.serialize(
                        format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media])
                    )
                return _answer(200, body, media, rows=count, truncated=truncated)
            media = negotiate(job["accept"], job["format"], graph=True)
            if media is None:
                return _not_acceptable(True)
            triples = []
            truncated = False
            for triple in result:
                if len(triples) >= max_rows:
                    truncated = True
                    break
                triples.append(triple)
            fmt = getattr(ox.RdfFormat, GRAPH_TYPES[media])
            prefixes = job["prefixes"] if media == "text/turtle" else None
            body = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
            return _answer(200, body, media, rows=len(triples), truncated=truncated)
        except SyntaxError as exc:
            message = oxigraph_syntax_message(exc, job["query"]) or " ".join(str(exc).split())
            return _answer(400, f"syntax error at {message}")
        except (OSError, RuntimeError, ValueError) as exc:
            return _answer(400, f"query failed: {' '.join(str(exc).split())}")


def _answer(status, body, media="text/plain", rows=None, truncated=False) -> dict:
    if isinstance(body, str):
        body = (body + "\n").encode("utf-8")
    return {"status": status, "body": body, "media": media, "rows": rows, "truncated": truncated}


def _not_acceptable(graph: bool) -> dict:
    types = ", ".join(GRAPH_TYPES if graph else RESULT_TYPES)
    return _answer(406, f"cannot answer in any of the accepted media types; available: {types}")


def worker_main() -> int:
    """The worker loop: jobs in on stdin, answers out on (a private copy of) stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops us; Ctrl-C goes to it
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by accident goes to stderr, not into the answer stream
    inp = os.fdopen(os.dup(0), "rb")
    evaluator = _Evaluator()
    _send(out, {"ready": True})
    while True:
        job = _recv(inp)
        if job is None:
            return 0
        try:
            answer = evaluator.run(job)
        except Exception as exc:  # noqa: BLE001 - report, never die silently
            answer = _answer(500, f"internal error: {type(exc).__name__}: {exc}")
        _send(out, answer)


class WorkerGone(Exception):
    pass


class Worker:
    """One worker process and its pipes."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "claimgraph.queries.endpoint", "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C in the terminal reaches the server only
        )
        hello = self._read(time.monotonic() + 60)
        if not hello or not hello.get("ready"):
            self.kill()
            raise WorkerGone("query worker failed to start")

    def _read_exact(self, n: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()
        chunks, got = [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise WorkerGone("query worker exited")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _read(self, deadline: float):
        (size,) = _HEADER.unpack(self._read_exact(_HEADER.size, deadline))
        return pickle.loads(self._read_exact(size, deadline))

    def ask(self, job: dict, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        try:
            _send(self.proc.stdin, job)
        except (BrokenPipeError, OSError):
            raise WorkerGone("query worker exited") from None
        return self._read(deadline)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()


class WorkerPool:
    """A fixed number of workers; a worker that overruns the time limit is killed and replaced."""

    def __init__(self, size: int) -> None:
        import queue

        self.size = size
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.closed = False
        for _ in range(size):
            self.idle.put(Worker())

    def _replace(self) -> None:
        try:
            worker = Worker()
        except Exception:  # noqa: BLE001 - try again on the next failure
            time.sleep(1)
            threading.Thread(target=self._replace, daemon=True).start()
            return
        if self.closed:
            worker.kill()
        else:
            self.idle.put(worker)

    def run(self, job: dict, timeout: float) -> dict:
        import queue

        started = time.monotonic()
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            return _answer(503, f"all {self.size} query workers are busy; try again later")
        left = max(0.001, timeout - (time.monotonic() - started))
        try:
            answer = worker.ask(job, left)
        except TimeoutError:
            worker.kill()
            threading.Thread(target=self._replace, daemon=True).start()
            return _answer(503, f"query stopped: it ran past the time limit of {timeout:g} s")
        except (WorkerGone, EOFError, pickle.UnpicklingError) as exc:
            worker.kill()
            threading.Thread(target=self._replace, daemon=True).start()
            return _answer(500, f"query failed: {exc} (the worker was restarted)")
        self.idle.put(worker)
        return answer

    def close(self) -> None:
        import queue

        self.closed = True
        while True:
            try:
                self.idle.get_nowait().kill()
            except queue.Empty:
                break


# -- the HTTP side ------------------------------------------------------------------------
MAX_BODY = 1 << 20  # bytes of a POST body
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


def make_server(settings: Settings, host: str, port: int):
    """A ThreadingHTTPServer serving the endpoint (not yet started) and its worker pool."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlsplit

    from claimgraph.graph.store import DiskStore

    store = DiskStore(settings.store_path)
    pool = WorkerPool(settings.workers)

    class Handler(BaseHTTPRequestHandler):
        server_version = "claimgraph-sparql/0.1"
        protocol_version = "HTTP/1.0"

        def log_message(self, format, *args):  # noqa: A002 - stdlib signature
            line = format % args
            if len(line) > 240:  # GET requests carry the whole query in the URL
                line = line[:200] + " … " + line[-30:]
            sys.stderr.write(f"{self.address_string()} {line}\n")

        # -- plumbing ----------------------------------------------------------------
        def reply(self, status: int, body: bytes | str, media: str = "text/plain", headers=None):
            if isinstance(body, str):
                body = (body.rstrip("\n") + "\n").encode("utf-8")
            if media.startswith("text/") or media == "application/n-triples":
                media += "; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def endpoint_path(self) -> str | None:
            path = urlsplit(self.path).path.rstrip("/") or "/"
            return path

        # -- methods -------------------------------------------------------------------
        def do_GET(self):  # noqa: N802 - stdlib name
            path = self.endpoint_path()
            params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            if path == "/update":
                return self.reply(403, "this endpoint is read-only: updates are refused")
            if path not in ("/", "/query", "/sparql"):
                return self.reply(404, f"no such resource: {path}; the endpoint is /query")
            if "update" in params:
                return self.reply(403, "this endpoint is read-only: updates are refused")
            if "query" not in params:
                if path == "/":
                    page = HELP_PAGE.format(
                        base=f"http://{self.headers.get('Host', 'localhost')}/",
                        timeout=settings.timeout,
                        max_rows=settings.max_rows,
                    )
                    return self.reply(200, page)
                return self.reply(400, "missing the `query` parameter")
            return self.answer(params)

        do_HEAD = do_GET

        def do_POST(self):  # noqa: N802 - stdlib name
            path = self.endpoint_path()
            if path == "/update":
                return self.reply(403, "this endpoint is read-only: updates are refused")
            if path not in ("/", "/query", "/sparql"):
                return self.reply(404, f"no such resource: {path}; the endpoint is /query")
            media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                return self.reply(400, "bad Content-Length")
            if length > MAX_BODY:
                return self.reply(413, f"request body over {MAX_BODY} bytes")
            body = self.rfile.read(length) if length > 0 else b""
            params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            if media == "application/sparql-update" or "update" in params:
                return self.reply(403, "this endpoint is read-only: updates are refused")
            if media == "application/x-www-form-urlencoded":
                try:
                    form = parse_qs(
                        body.decode("utf-8"), keep_blank_values=True, strict_parsing=False
                    )
                except UnicodeDecodeError:
                    return self.reply(400, "the form is not UTF-8")
                if "update" in form:
                    return self.reply(403, "this endpoint is read-only: updates are refused")
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
            elif media == "application/sparql-query":
                try:
                    params["query"] = params.get("query", []) + [body.decode("utf-8")]
                except UnicodeDecodeError:
                    return self.reply(400, "the query is not UTF-8")
            else:
                return self.reply(
                    415,
                    "POST a form (application/x-www-form-urlencoded) or a query "
                    "(application/sparql-query)",
                )
            if "query" not in params:
                return self.reply(400, "missing the `query` parameter")
            return self.answer(params)

        def do_PUT(self):  # noqa: N802 - stdlib name
            self.reply(405, "this endpoint is read-only", headers={"Allow": "GET, POST, HEAD"})

        do_DELETE = do_PATCH = do_PUT

        # -- one query -------------------------------------------------------------------
        def answer(self, params: dict[str, list[str]]):
            queries = params.get("query", [])
            if len(queries) != 1:
                return self.reply(400, "give exactly one `query`")
            text = queries[0]
            info = scan(text, settings.prefixes)
            if info.update:
                return self.reply(403, "this endpoint is read-only: updates are refused")
            if info.service:
                return self.reply(
                    403, "SERVICE is refused: this endpoint never fetches data from elsewhere"
                )
            fmt = (params.get("format") or params.get("output") or [None])[0]
            try:
                gen = store.current()
            except Exception as exc:  # noqa: BLE001 - StoreError: damaged store
                return self.reply(503, f"store unavailable: {exc}")
            job = {
                "gen": str(gen) if gen else None,
                "query": text,
                "accept": self.headers.get("Accept"),
                "format": fmt,
                "max_rows": settings.max_rows,
                "prefixes": info.prefixes,
                "from_graphs": info.from_graphs,
                "from_named": info.from_named,
                "default_graphs": params.get("default-graph-uri", []),
                "named_graphs": params.get("named-graph-uri", []),
            }
            started = time.monotonic()
            result = pool.run(job, settings.timeout)
            headers = {"X-Claimgraph-Time-Ms": f"{(time.monotonic() - started) * 1000:.1f}"}
            if result.get("rows") is not None:
                headers["X-Claimgraph-Rows"] = str(result["rows"])
            if result.get("truncated"):
                headers["X-Claimgraph-Truncated"] = "true"
                headers["X-Claimgraph-Max-Rows"] = str(settings.max_rows)
            self.reply(result["status"], result["body"], result["media"], headers)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True

        def server_close(self):
            super().server_close()
            pool.close()

    return Server((host, port), Handler)


def serve(settings: Settings, host: str, port: int, announce=None) -> int:
    """Serve until interrupted (SIGINT or SIGTERM); `announce(url)` is called once listening."""
    server = make_server(settings, host, port)

    def stop(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, stop)
    try:
        bound_host, bound_port = server.server_address[:2]
        shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
        if announce:
            announce(f"http://{shown}:{bound_port}/query")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, old)
        server.server_close()
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        sys.exit(worker_main())
    sys.exit("usage: python -m queries.endpoint --worker (started by claimgraph serve)")
