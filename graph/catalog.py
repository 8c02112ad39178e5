"""What a store holds: its documents with their content hashes, node and edge counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Dataset, URIRef

from claimgraph.graph.namespaces import PREFIXES

_PREFIX = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@dataclass
class DocumentInfo:
    iri: URIRef
    name: str
    sha256: str


@dataclass
class Counts:
    documents: int = 0
    quads: int = 0
    nodes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)
    passages: int = 0


def _rows(ds: Dataset, query: str):
    return ds.query(_PREFIX + query)


def documents(ds: Dataset) -> dict[str, DocumentInfo]:
    """Documents in the store by file name."""
    out = {}
    for g, name, sha in _rows(
        ds,
        "SELECT ?g ?name ?sha WHERE { GRAPH ?g { ?g a cg:SourceDocument ; cg:fileName ?name ;"
        " cg:sha256 ?sha } }",
    ):
        out[str(name)] = DocumentInfo(g, str(name), str(sha))
    return out


def people(ds: Dataset) -> dict[str, tuple[str, list[str]]]:
    """Known people: IRI -> (label, alternate names), for resolving names across documents."""
    out: dict[str, tuple[str, list[str]]] = {}
    for s, label, alt in _rows(
        ds,
        "SELECT ?s (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT COALESCE(?a, ''); SEPARATOR='\\u001f') AS ?alts)"
        " WHERE { GRAPH ?g { ?s a schema:Person ; rdfs:label ?l OPTIONAL { ?s schema:alternateName ?a } } }"
        " GROUP BY ?s",
    ):
        out[str(s)] = (str(label), [a for a in str(alt or "").split("\x1f") if a])
    return out


def counts(ds: Dataset) -> Counts:
    """Documents, quads, nodes by type and edges by relation in the whole store."""
    c = Counts()
    for (n,) in _rows(ds, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"):
        c.quads = int(n)
    for (n,) in _rows(
        ds, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a cg:SourceDocument } }"
    ):
        c.documents = int(n)
    for (n,) in _rows(
        ds, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?p a cg:Passage } }"
    ):
        c.passages = int(n)
    for kind in ("Person", "CreativeWork", "Event", "Claim"):
        for (n,) in _rows(
            ds, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a schema:{kind} }} }}"
        ):
            c.nodes["Work" if kind == "CreativeWork" else kind] = int(n)
    for rel in ("supports", "disputes", "cites"):
        for (n,) in _rows(
            ds,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s cito:{rel} ?o }} }} }}",
        ):
            c.edges[rel] = int(n)
    return c


def labels(ds: Dataset) -> dict[str, tuple[str, str | None]]:
    """Every person, work, event and claim IRI -> (its label, its schema:text if a claim)."""
    out: dict[str, tuple[str, str | None]] = {}
    for s, label, text in _rows(
        ds,
        "SELECT ?s (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?text) WHERE { GRAPH ?g { ?s rdfs:label ?l ."
        " VALUES ?type { schema:Person schema:CreativeWork schema:Event schema:Claim } ?s a ?type ."
        " OPTIONAL { ?s schema:text ?t } } } GROUP BY ?s",
    ):
        out[str(s)] = (str(label), str(text) if text is not None else None)
    return out
