"""A claimgraph store on a SPARQL 1.1 server (Oxigraph server, Virtuoso, ...) over HTTP.

`RemoteStore(url)` offers what the commands use of `DiskStore`: `replace_graphs` (one
update request per document: `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {...} }`,
on Oxigraph with the upkeep of its merged default graph, which both Oxigraph and Virtuoso
run as one transaction), `dataset()` (an object whose
`.query()` runs on the server and returns an rdflib Result) and `oxigraph()` (an
in-memory copy, for export and validation). Credentials come from CLAIMGRAPH_STORE_USER /
CLAIMGRAPH_STORE_PASSWORD or ~/.netrc, never from the URL.

On an Oxigraph server, as in the embedded store, queries read a default graph that is the
merge of the document graphs, each triple once: the server's own default graph, kept by the
same update requests. Other servers (Virtuoso) get the document graphs as the protocol's
default graphs and merge them their way (Virtuoso repeats a triple once per graph).
"""

from __future__ import annotations

import io
import netrc
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import XSD, Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from claimgraph.graph.namespaces import CG, PREFIXES
from claimgraph.graph.store import StoreError, open_dataset, to_ox

ENV_USER = "CLAIMGRAPH_STORE_USER"
ENV_PASSWORD = "CLAIMGRAPH_STORE_PASSWORD"
_NO_GRAPH = "urn:claimgraph:no-documents"  # an empty dataset must not fall back to "all"
_PREFIX = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
_DOCUMENT_GRAPHS = (
    f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a <{CG.SourceDocument}> }} }} ORDER BY ?g"
)
_RESULTS_JSON = "application/sparql-results+json"
_FORM = "application/x-www-form-urlencoded"
_GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


def is_url(location: object) -> bool:
    """Whether a --store value names a server rather than a folder."""
    return str(location).lower().startswith(("http://", "https://"))


class RemoteLocation(str):
    """A store URL (without credentials) that prints like a path and has a short `name`."""

    @property
    def name(self) -> str:
        return urlsplit(self).netloc


@dataclass(frozen=True)
class Endpoints:
    """Where to send queries and updates, and how to ask for the union of the graphs."""

    query: str
    update: str
    oxigraph: bool  # Oxigraph server layout: /query, /update; union via a query parameter


def endpoints(url: str, authenticated: bool = False) -> Endpoints:
    """Endpoints from a store URL: an Oxigraph server root or its /query, a Virtuoso
    /sparql (updates at /sparql-auth when credentials are given), or any SPARQL endpoint
    that takes both queries and updates."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path in ("", "/query", "/update", "/store"):
        root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        return Endpoints(root + "/query", root + "/update", oxigraph=True)
    clean = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    if path.endswith("/sparql") and authenticated:
        return Endpoints(clean, clean + "-auth", oxigraph=False)
    return Endpoints(clean, clean, oxigraph=False)


def credentials(url: str) -> tuple[str, str] | None:
    """(user, password) from the environment, else from the netrc file; None if neither."""
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    if user:
        return user, password or ""
    path = os.environ.get("NETRC") or os.path.expanduser("~/.netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError) as exc:
        raise StoreError(f"cannot read {path}: {exc}") from None
    return (entry[0], entry[2] or "") if entry else None


def check_url(url: str) -> str:
    """The URL if it carries no credentials; a StoreError saying where they belong if not."""
    if urlsplit(url).username or urlsplit(url).password:
        raise StoreError(
            f"store URL must not contain a user or password; set {ENV_USER} and "
            f"{ENV_PASSWORD} or use ~/.netrc"
        )
    return url


class _ChallengeAuth(httpx.Auth):
    """Basic or Digest, whichever the server's 401 asks for (Virtuoso's /sparql-auth wants
    Digest; a reverse proxy in front of Oxigraph usually Basic)."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        self._chosen = self._digest if scheme == "digest" else self._basic
        yield from self._chosen.auth_flow(request)


class RemoteStore:
    """A claimgraph store held by a SPARQL 1.1 server. Cheap to construct."""

    #: replace_graphs takes pyoxigraph Quads as they are, like DiskStore.
    native_quads = True

    def __init__(self, url: str, update_url: str | None = None, timeout: float = 600) -> None:
        check_url(url)
        login = credentials(url)
        ends = endpoints(url, authenticated=login is not None)
        self.endpoints = Endpoints(ends.query, update_url or ends.update, ends.oxigraph)
        self.path = RemoteLocation(url.rstrip("/"))
        self.url = self.path
        self._merged = False
        self._client = httpx.Client(
            auth=_ChallengeAuth(*login) if login else None,
            timeout=timeout,
            follow_redirects=True,
        )

    # -- HTTP -------------------------------------------------------------------------
    def _post(self, url: str, data: list[tuple[str, str]], accept: str) -> httpx.Response:
        try:
            response = self._client.post(
                url,
                content=urlencode(data).encode("ascii"),
                headers={"Accept": accept, "Content-Type": _FORM},
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach store {self.path}: {exc}") from None
        if response.status_code >= 400:
            body = " ".join(response.text.split())[:200]
            raise StoreError(
                f"store {self.path} answered {response.status_code} "
                f"{response.reason_phrase}: {body}"
            )
        if "x-sparql-maxrows" in response.headers:
            raise StoreError(
                f"store {self.path} cut the answer at {response.headers['x-sparql-maxrows']} "
                "rows; raise the server's result limit (Virtuoso: ResultSetMaxRows)"
            )
        return response

    def update(self, text: str) -> None:
        """Run one SPARQL update request (one transaction on Oxigraph and Virtuoso)."""
        self._post(self.endpoints.update, [("update", text)], "*/*")

    def request(self, query: str, dataset: list[tuple[str, str]] | None = None) -> httpx.Response:
        """POST a query with the protocol's dataset parameters; the raw response (SPARQL
        results as JSON, graphs as Turtle)."""
        data = [("query", query), *(self.dataset_parameters() if dataset is None else dataset)]
        accept = "text/turtle" if query_form(query) in _GRAPH_FORMS else _RESULTS_JSON
        return self._post(self.endpoints.query, data, accept)

    def dataset_parameters(self, graphs: list[str] | None = None) -> list[tuple[str, str]]:
        """The SPARQL protocol dataset: the merge of the document graphs as the default
        graph, and the document graphs as named graphs (Virtuoso also holds system graphs
        that must stay out of the answers). A store written before the merge was kept is
        read through the server's union, which repeats a triple once per document."""
        if self.endpoints.oxigraph:
            return [] if self.merged() else [("union-default-graph", "")]
        graphs = self.graphs() if graphs is None else graphs
        graphs = graphs or [_NO_GRAPH]
        return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]

    def merged(self) -> bool:
        """Whether an Oxigraph server's default graph is the merge of the document graphs
        (it is once claimgraph has written to it; an empty server counts as merged)."""
        if not self._merged and self.endpoints.oxigraph:
            held = self.request("ASK { ?s ?p ?o }", dataset=[]).json().get("boolean", False)
            self._merged = bool(held) or not self.graphs()
        return self._merged

    def _merge_existing(self) -> None:
        """Build the merge on an Oxigraph server written before it was kept."""
        if not self.endpoints.oxigraph or self.merged():
            return
        self.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        self._merged = True

    # -- reading ----------------------------------------------------------------------
    def graphs(self) -> list[URIRef]:
        """The IRIs of the document graphs on the server."""
        rows = self.request(_DOCUMENT_GRAPHS, dataset=[]).json()["results"]["bindings"]
        return [URIRef(row["g"]["value"]) for row in rows]

    def exists(self) -> bool:
        """Whether the server holds at least one claimgraph document."""
        return bool(self.graphs())

    def dataset(self) -> RemoteDataset:
        """A read-only view whose `.query()` runs on the server over the document graphs."""
        return RemoteDataset(self, self.dataset_parameters())

    def oxigraph(self) -> ox.Store:
        """An in-memory pyoxigraph copy of every document graph (export, validation)."""
        db = ox.Store()
        for g in self.graphs():
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
            body = self.request(query, dataset=[]).content
            triples = ox.parse(body, format=ox.RdfFormat.TURTLE)
            graph = ox.NamedNode(g)
            db.bulk_extend(
                ox.Quad(t.subject, t.predicate, t.object, name)
                for t in triples
                for name in (graph, ox.DefaultGraph())  # the default graph: the merge
            )
        return db

    def local_dataset(self) -> Dataset:
        """An rdflib Dataset over an in-memory copy (default graph: the merge), for readers that
        need the whole rdflib API: SHACL validation, evaluation against gold."""
        return open_dataset(self.oxigraph())

    # -- writing ----------------------------------------------------------------------
    @contextmanager
    def writing(self, wait: float | None = 0) -> Iterator[None]:
        """No client-side lock: the server orders concurrent requests; the same API as
        DiskStore.writing so the pipeline runs unchanged."""
        yield

    def busy(self) -> bool:
        return False

    def replace_graphs(self, graphs: dict[URIRef, list], remove: Iterable[URIRef] = ()) -> None:
        """Replace each graph in `graphs` and drop those in `remove` (quads: rdflib tuples
        or pyoxigraph Quads).

        Each document is one update request, so each is replaced all-or-nothing on the
        server; a failure part-way leaves the earlier documents replaced, the rest as before.
        """
        self._merge_existing()
        merge = self.endpoints.oxigraph
        for name, quads in graphs.items():
            self.update(replace_graph_update(name, quads, merge))
        dropped = [drop_graph_update(name, merge) for name in remove]
        if dropped:
            self.update(" ;\n".join(dropped))


def drop_graph_update(name: URIRef, merge: bool = False) -> str:
    """Drop graph `name`; with `merge`, first drop from the default graph each triple of it
    that no other graph holds."""
    graph = to_ox(name)
    text = f"DROP SILENT GRAPH {graph}"
    if not merge:
        return text
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {graph}) }} }} ;\n{text}"
    )


def replace_graph_update(name: URIRef, quads: Iterable[tuple], merge: bool = False) -> str:
    """Graph `name` replaced by `quads` as one request; with `merge`, the default graph kept
    the merge of every graph."""
    graph = to_ox(name)
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        if isinstance(q, ox.Quad)
        else ox.Triple(to_ox(q[0]), to_ox(q[1]), to_ox(q[2]))
        for q in quads
    ]
    text = drop_graph_update(name, merge)
    if triples:
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        text += f" ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}}} }}"
        if merge:
            text += f" ;\nINSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    return text


class RemoteDataset:
    """The part of an rdflib Dataset the commands use: `query()`, evaluated by the server."""

    def __init__(self, store: RemoteStore, parameters: list[tuple[str, str]]) -> None:
        self.store = store
        self._parameters = parameters

    def query(
        self,
        query: str,
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803 - rdflib's name
        initNs: Mapping[str, object] | None = None,  # noqa: N803
        **_: object,
    ) -> Result:
        """Run `query` on the server; `initBindings` are substituted as Oxigraph does."""
        text = substitute(query, initBindings or {})
        if initNs:
            declared = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in initNs.items())
            text = declared + text
        response = self.store.request(text, self._parameters)
        form = query_form(text)
        if form not in _GRAPH_FORMS:
            return Result.parse(io.BytesIO(response.content), format="json")
        graph = Graph()
        graph.parse(data=response.content, format="turtle")
        result = Result(form)
        result.graph = graph
        return result


# -- parameter substitution -------------------------------------------------------------
_TOKEN = re.compile(
    r"""(?P<skip>\#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|<[^<>"{}|^`\\\s]*>)"""
    r"""|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)"""
    r"""|(?P<word>[A-Za-z_][\w.-]*(?::[\w.-]*)?)|(?P<open>[({])|(?P<close>[)}])""",
    re.DOTALL,
)
_CLAUSES = {"SELECT", "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "VALUES"}


def _projected(term: Identifier) -> str:
    """A term as a projection expression. A typed literal goes through STRDT: Virtuoso
    gives a bare decimal constant a DECIMAL(0,0) column and fails to sort its rows."""
    value = to_ox(term)
    if isinstance(value, ox.Literal) and value.datatype.value != str(XSD.string):
        if value.language:
            return f"STRLANG({ox.Literal(value.value)}, {ox.Literal(value.language)})"
        return f"STRDT({ox.Literal(value.value)}, {value.datatype})"
    return str(value)


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first keyword after its prologue."""
    for m in _TOKEN.finditer(query):
        if m.group("word") and m.group().upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return m.group().upper()
    return "SELECT"


def substitute(query: str, bindings: Mapping[str, Identifier]) -> str:
    """`query` with each bound variable replaced by its RDF term, as Oxigraph's
    `substitutions` do (in sub-queries too): `(term AS ?v)` in a projection, dropped from
    GROUP BY, `(term)` in ORDER BY, the bare term anywhere else."""
    if not bindings:
        return query
    terms = {name: str(to_ox(term)) for name, term in bindings.items()}
    projected = {name: _projected(term) for name, term in bindings.items()}
    out: list[str] = []
    clause, depth, clause_depth, last_word, pos = "", 0, 0, "", 0
    for m in _TOKEN.finditer(query):
        out.append(query[pos : m.start()])
        pos = m.end()
        token = m.group()
        if m.group("word"):
            upper = token.upper()
            if upper in _CLAUSES:
                clause, clause_depth = upper, depth
            last_word = upper
        elif m.group("open"):
            depth += 1
            if token == "{" and clause == "SELECT":
                clause = "WHERE"
        elif m.group("close"):
            depth -= 1
            if depth < clause_depth:  # the group that held the clause has ended
                clause, clause_depth = "WHERE", depth
        elif m.group("var") and token[1:] in terms and last_word != "AS":
            term = terms[token[1:]]
            top = depth == clause_depth
            if clause == "SELECT" and top:
                token = f"({projected[token[1:]]} AS {token})"
            elif clause == "GROUP" and top:
                token = ""
            elif clause == "ORDER" and top:
                token = f"({term})"
            else:
                token = term
        if not m.group("word"):
            last_word = "" if not m.group("skip") else last_word
        out.append(token)
    out.append(query[pos:])
    return "".join(out)
