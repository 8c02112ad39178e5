"""The explorer's page data: SPARQL through the endpoint's worker pool, rows as plain dicts.

A `Runner` sends each query to the same worker pool as `/query` (same time limit, row cap
and sandbox), with its parameters bound as RDF terms (Oxigraph substitutions), and keeps a
record of what it ran so that each page can show its SPARQL and link to `/query`.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from claimgraph.graph.curation import corrections_graph
from claimgraph.graph.display import display_text
from claimgraph.graph.namespaces import CG, CITO, SCHEMA, base_iri
from claimgraph.queries import explorer_sparql as sparql
from claimgraph.queries.explorer_text import Span, pieces
from claimgraph.queries.library import load_query

KINDS = {  # URL segment of a node key -> page kind
    "claim": "Claim",
    "person": "Person",
    "work": "Work",
    "event": "Event",
    "doc": "Document",
}
_CLASS_KIND = {
    str(SCHEMA.Claim): "Claim",
    str(SCHEMA.Person): "Person",
    str(SCHEMA.CreativeWork): "Work",
    str(SCHEMA.Event): "Event",
    str(CG.SourceDocument): "Document",
}
_NUMERIC = ("integer", "decimal", "double", "float", "nonNegativeInteger", "int", "long")


class PageError(Exception):
    """A page that cannot be shown: HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Ran:
    """One query a page ran, for its "show SPARQL" block and its /query link."""

    title: str
    sparql: str
    bindings: dict[str, str]
    link: str
    rows: int
    truncated: bool
    ms: float = 0.0  # time in the worker pool, wait included


def _wire(term: Identifier) -> tuple:
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        return ("literal", str(term), str(term.datatype) if term.datatype else None)
    raise PageError(400, f"cannot bind a {type(term).__name__}")


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_TOKEN = re.compile(
    r'<[^<>\s"{}]*>|#[^\n]*|"(?:[^"\\]|\\.)*"|\bWHERE\s*\{|[{}]|\bFILTER\b|[?$]\w+',
    re.IGNORECASE,
)


def _value_groups(text: str, name: str) -> list[int]:
    """Where VALUES blocks for ?name must go for the query to answer as if ?name were bound
    everywhere (as the page binds it): just inside the WHERE of each (sub-)SELECT that uses
    it, since a sub-SELECT (with its LIMIT) is evaluated before the VALUES outside it joins,
    and inside each group holding a FILTER that uses it, which sees nothing from outside."""
    opened: list[tuple[int, bool]] = []  # (offset after the "{", opens a WHERE)
    found: list[int] = []

    def add(at: int | None) -> None:
        if at is not None and at not in found:
            found.append(at)

    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token.endswith("{"):
            opened.append((m.end(), token != "{"))
        elif token == "}":
            del opened[-1:]
        elif token.upper() == "FILTER" and opened:
            end = text.find("\n", m.end())
            if re.compile(rf"[?$]{name}\b").search(text, m.end(), len(text) if end < 0 else end):
                add(opened[-1][0])
        elif token[1:] == name:
            add(next((at for at, where in reversed(opened) if where), None))
    return found


def query_link(text: str, bindings: dict[str, Identifier]) -> str:
    """A /query URL running `text` with `bindings` written as VALUES blocks (for people to
    follow and edit; the page itself binds them as terms), so that it answers what the page
    got. A parameter naming a graph is also written into its `GRAPH`: Oxigraph joins a VALUES
    block with `GRAPH ?doc {...}` only after evaluating the pattern in every graph."""
    inserts: dict[int, str] = {}
    for k, v in bindings.items():
        if isinstance(v, URIRef):
            text = re.sub(rf"\bGRAPH\s+\?{k}\b", lambda _, v=v: f"GRAPH {v.n3()}", text)
        where = _WHERE.search(text)
        groups = _value_groups(text, k) or ([where.end()] if where else [])
        for at in groups:
            inserts[at] = inserts.get(at, "") + f"\n  VALUES ?{k} {{ {v.n3()} }}"
    for at in sorted(inserts, reverse=True):
        text = text[:at] + inserts[at] + text[at:]
    return "/query?" + urlencode({"query": text, "format": "json"})


@dataclass
class Runner:
    """Runs a page's queries with `run_job` (the worker pool) and records them."""

    run_job: Callable[[dict], dict]
    ran: list[Ran] = field(default_factory=list)
    names: dict[str, str] | None = None

    def select(self, title: str, text: str, **params: Identifier) -> list[dict]:
        return self.head(title, text, None, params)[0]

    def head(
        self, title: str, text: str, shown: int | None, params: dict[str, Identifier]
    ) -> tuple[list[dict], int]:
        """The first `shown` rows (all if None) as dicts, and the number of rows: a list page
        draws 500 of thousands, and turning every row into a dict cost more than drawing."""
        job = {"query": text, "bindings": {k: _wire(v) for k, v in params.items()}}
        started = time.perf_counter()
        reply = self.run_job(job)
        ms = (time.perf_counter() - started) * 1000
        if reply["status"] != 200:
            body = reply["body"].decode("utf-8", "replace").strip()
            raise PageError(reply["status"], f"{title}: {body}")
        bindings = json.loads(reply["body"])["results"]["bindings"]
        rows = [{k: _value(v) for k, v in b.items()} for b in bindings[:shown]]
        bound = {k: v.n3() for k, v in params.items()}
        link = query_link(text, params)
        truncated = bool(reply.get("truncated"))
        self.ran.append(Ran(title, text, bound, link, len(bindings), truncated, ms))
        return rows, len(bindings)

    def saved(self, name: str, **values: object) -> list[dict]:
        """A saved query of the library (`queries/*.rq`) with its declared parameters."""
        return self.saved_head(name, None, values)[0]

    def saved_head(
        self, name: str, shown: int | None, values: dict[str, object]
    ) -> tuple[list[dict], int]:
        """A saved query's first `shown` rows and its number of rows (see `head`)."""
        query = load_query(name)
        return self.head(query.title or name, query.text, shown, query.bindings(values))

    def doc(self, iri: str | None) -> dict:
        """A document as shown in a list, named by its file (one query per page, cached)."""
        if self.names is None:
            rows = self.select("Document names", sparql.DOCUMENT_NAMES)
            self.names = {row["doc"]: row["file"] for row in rows}
        return node_ref(iri, self.names.get(iri or ""))

    @property
    def truncated(self) -> bool:
        return any(r.truncated for r in self.ran)


def _value(term: dict) -> object:
    if term["type"] == "uri":
        return term["value"]
    datatype = term.get("datatype", "")
    if datatype.rsplit("#", 1)[-1] in _NUMERIC:
        try:
            number = float(term["value"])
        except ValueError:
            return term["value"]
        return int(number) if number.is_integer() and "decimal" not in datatype else number
    return term["value"]


# -- IRIs and links ------------------------------------------------------------------------
def key_of(iri: str | None) -> str | None:
    """'claim/0f01...' for an IRI under the data base, else None."""
    base = base_iri()
    return iri[len(base) :] if iri and iri.startswith(base) else None


def href(iri: str | None) -> str | None:
    """The explorer URL of a node (a passage links to its place in its document)."""
    key = key_of(iri)
    if key is None or key.split("/", 1)[0] not in KINDS:
        return None
    if "/passage/" in key:
        doc, _, span = key.partition("/passage/")
        return f"/{quote(doc)}?at={quote(span)}#at-{quote(span)}"
    return "/" + quote(key)


def at_link(document: str | None, start: object, end: object) -> str | None:
    """The URL of a span of a document, highlighted."""
    page = href(document)
    if page is None or start is None or end is None:
        return page
    return f"{page}?at={int(start)}-{int(end)}#at-{int(start)}-{int(end)}"


def kind_of(iri: str | None, classes: list[str] | None = None) -> str:
    for c in classes or []:
        if c in _CLASS_KIND:
            return _CLASS_KIND[c]
    key = key_of(iri) or ""
    return KINDS.get(key.split("/", 1)[0], "Node")


def node_ref(iri: str | None, label: object = None, classes: list[str] | None = None) -> dict:
    """A node as shown in a list: its label (safe to display), kind and link."""
    text = display_text(label if label is not None else (key_of(iri) or iri or ""), True)
    return {"iri": iri, "label": text, "kind": kind_of(iri, classes), "href": href(iri)}


# -- page data ---------------------------------------------------------------------------------
def node_header(r: Runner, iri: str) -> dict:
    """Kind, label, aliases, text, date and confidence of a node; 404 if the store has none."""
    rows = r.select("The node", sparql.NODE, node=URIRef(iri))
    if not rows:
        raise PageError(404, f"no such node in the store: {key_of(iri) or iri}")
    classes = sorted({row["class"] for row in rows})
    first = rows[0]
    label = first.get("label") or first.get("file") or key_of(iri)
    subtypes = [c.rsplit("/", 1)[-1] for c in classes if c.startswith(str(SCHEMA))]
    return {
        **node_ref(iri, label, classes),
        "subtype": next((s for s in subtypes if s not in ("CreativeWork",)), None),
        "aliases": sorted({display_text(r_["alias"], True) for r_ in rows if r_.get("alias")}),
        "text": display_text(first["text"]) if first.get("text") else None,
        "date": first.get("date"),
        "confidence": first.get("confidence"),
    }


def edge_ref(s: str | None, p: str, o: str | None) -> dict:
    """An edge as the curation forms and badges name it: its ends and `key` "s p o"."""
    return {"s": s, "p": p, "o": o, "key": f"{s} {p} {o}"}


def stance_edge(node: str, row: dict, other: str, incoming: bool) -> dict:
    """The CiTO edge of an evidence row, between `node` and the row's `other` end."""
    p = str(CITO[row.get("stance") or "cites"])
    return edge_ref(row.get(other), p, node) if incoming else edge_ref(node, p, row.get(other))


def evidence_row(r: Runner, row: dict, other: str, other_label: str) -> dict:
    return {
        "stance": row.get("stance"),
        "other": node_ref(row.get(other), row.get(other_label)),
        "quote": display_text(row.get("quote") or ""),
        "confidence": row.get("confidence"),
        "document": r.doc(row.get("document")),
        "at": at_link(row.get("document"), row.get("start"), row.get("end")),
    }


def mentions(r: Runner, iri: str) -> list[dict]:
    rows = r.select("Where it is stated or mentioned", sparql.MENTIONS, node=URIRef(iri))
    return [
        {
            "quote": display_text(row["quote"]),
            "document": r.doc(row["document"]),
            "at": at_link(row["document"], row["start"], row["end"]),
        }
        for row in rows
    ]


def links(r: Runner, iri: str) -> dict[str, list[dict]]:
    """Linked nodes by role: 'author/out' (its authors), 'author/in' (what it authored), ..."""
    out: dict[str, list[dict]] = {}
    seen: set[tuple] = set()
    for row in r.select("Authors, subjects and sources", sparql.LINKS, node=URIRef(iri)):
        role = f"{row['link'].rsplit('/', 1)[-1].rsplit('#', 1)[-1]}/{row['dir']}"
        if (role, row["other"]) in seen:
            continue
        seen.add((role, row["other"]))
        ref = node_ref(row["other"], row.get("otherLabel"), [row["otherClass"]])
        out.setdefault(role, []).append(ref)
    return out


def edges(r: Runner, iri: str) -> list[dict]:
    rows = r.select("Supports, disputes and cites, with evidence", sparql.EDGES, node=URIRef(iri))
    return [
        {
            **evidence_row(r, row, "other", "otherLabel"),
            "dir": row["dir"],
            "edge": stance_edge(iri, row, "other", row["dir"] == "in"),
        }
        for row in rows
    ]


def reader_edges(r: Runner, iri: str) -> list[dict]:
    """Evidence rows of the edges readers added to ?node (no passage: the reader's quote)."""
    book = URIRef(corrections_graph().value)
    rows = r.select("Edges added by readers", sparql.READER_EDGES, node=URIRef(iri), book=book)
    return [
        {
            "stance": row.get("stance"),
            "other": node_ref(row.get("other"), row.get("otherLabel")),
            "quote": display_text(row.get("quote") or ""),
            "confidence": row.get("confidence"),
            "document": node_ref(None, "added by a reader"),
            "at": None,
            "dir": row["dir"],
            "edge": stance_edge(iri, row, "other", row["dir"] == "in"),
        }
        for row in rows
    ]


def claim_page(r: Runner, iri: str) -> dict:
    node = node_header(r, iri)
    trail = r.saved("evidence-trail", claim=iri)
    evidence = []
    for row in trail:
        incoming = row.get("target") == iri
        other, label = ("source", "sourceLabel") if incoming else ("target", "targetLabel")
        edge = stance_edge(iri, row, other, incoming)
        evidence.append(
            {**evidence_row(r, row, other, label), "dir": "in" if incoming else "out", "edge": edge}
        )
    evidence += reader_edges(r, iri)
    linked = links(r, iri)
    for ref in linked.get("author/out", []):
        ref["edge"] = edge_ref(iri, str(SCHEMA.author), ref["iri"])
    return {
        "node": node,
        "links": linked,
        "evidence": evidence,
        "mentions": mentions(r, iri),
    }


def person_page(r: Runner, iri: str) -> dict:
    node = node_header(r, iri)
    claims: dict[str, dict] = {}
    for row in r.saved("person-claims", person=iri):
        claim = claims.setdefault(
            row["claim"], {**node_ref(row["claim"], row.get("text")), "places": [], "work": None}
        )
        if row.get("work"):
            claim["work"] = node_ref(row["work"], row.get("workLabel"))
        claim["places"].append(
            {
                "document": r.doc(row.get("document")),
                "at": at_link(row.get("document"), row.get("start"), row.get("end")),
            }
        )
    return {
        "node": node,
        "claims": list(claims.values()),
        "links": links(r, iri),
        "mentions": mentions(r, iri),
    }


def work_page(r: Runner, iri: str) -> dict:
    node = node_header(r, iri)
    return {
        "node": node,
        "links": links(r, iri),
        "edges": edges(r, iri),
        "mentions": mentions(r, iri),
    }


def event_page(r: Runner, iri: str) -> dict:
    node = node_header(r, iri)
    return {"node": node, "links": links(r, iri), "mentions": mentions(r, iri)}


def search(r: Runner, text: str) -> list[dict]:
    """Nodes whose label, alias or claim text contains `text`, people first."""
    rows = r.select("Search", sparql.SEARCH, q=Literal(text))
    order = {"Person": 0, "Work": 1, "Event": 2, "Document": 3, "Claim": 4}
    hits = []
    for row in rows:
        ref = node_ref(row["node"], row.get("label"), [row["class"]])
        matched = display_text(row.get("matched") or "", True)
        hits.append({**ref, "matched": matched if matched != ref["label"] else ""})
    return sorted(hits, key=lambda h: (order.get(h["kind"], 9), h["label"].casefold()))


def _span(row: dict) -> Span:
    kind = _CLASS_KIND.get(row["class"])
    start, end = int(row["start"]), int(row["end"])
    if kind == "Claim":
        return Span(start, end, "claim", href(row["node"]), f"claim: {row.get('label') or ''}")
    if kind is not None:
        label = row.get("label") or ""
        return Span(start, end, "mention", href(row["node"]), f"{kind.lower()}: {label}")
    stance = row.get("stance") or "cites"
    cited = row.get("citedLabel") or key_of(row.get("cited")) or ""
    return Span(start, end, stance, href(row.get("cited")), f"{stance}: {cited}")


def document_page(r: Runner, iri: str, target: tuple[int, int] | None) -> dict:
    """A document's facts and its text rebuilt from the passages, claims and mentions marked."""
    facts = r.select("The document", sparql.DOCUMENT, doc=URIRef(iri))
    if not facts:
        raise PageError(404, f"no such document in the store: {key_of(iri) or iri}")
    fact = facts[0]
    passages = r.select("Its passages", sparql.PASSAGES, doc=URIRef(iri))
    spans = [_span(row) for row in r.select("What each passage is", sparql.SPANS, doc=URIRef(iri))]
    length = fact.get("characters")
    body = pieces(passages, spans, int(length) if length is not None else None, target)
    shown = sum(len(p.text) for p in body)
    node = node_ref(iri, fact.get("file") or fact.get("label"), [str(CG.SourceDocument)])
    return {
        "node": {**node, "title": display_text(fact.get("label") or "", True)},
        "fact": fact,
        "pieces": body,
        "shown": shown,
        "claims": sum(1 for s in spans if s.kind == "claim"),
        "mentions": sum(1 for s in spans if s.kind == "mention"),
        "edges": sum(1 for s in spans if s.kind not in ("claim", "mention")),
    }
