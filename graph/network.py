"""The claim graph as a networkx MultiDiGraph: nodes, CiTO edges with their evidence, filters.

One node per person, work, event and claim, plus one per source document (documents cite
works, and may support or dispute claims). Node attributes: ``label``, ``type`` (Person,
Work, Event, Claim, Document), ``subtype`` (a work's schema.org subtype such as Book),
``aliases``, ``documents`` (file names) and ``n_documents``; claims also have ``text``,
``confidence`` and ``quote`` (where the claim is stated, with ``quote_document``).

One edge per CiTO evidence node (``cito:Citation``), keyed by its IRI, with ``relation``
(supports, disputes, cites), ``confidence``, ``quote``, ``document`` (file name), ``graph``
(the document's IRI) and ``start``/``end`` offsets. Authorship (``schema:author``) is an edge
``person -> work or claim`` with relation ``author``; ``schema:about`` an edge ``claim -> entity``
with relation ``about``. These have no quote; ``documents`` lists where they were read.

>>> from claimgraph.graph.store import MemoryStore
>>> G = build_network(MemoryStore())
>>> G.number_of_nodes(), G.number_of_edges()
(0, 0)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import Graph

from claimgraph.graph.namespaces import PREFIXES
from claimgraph.graph.store import DiskStore, StoreError

NODE_TYPES = ("Person", "Work", "Event", "Claim", "Document")
EVIDENCE_RELATIONS = ("supports", "disputes", "cites")
RELATIONS = (*EVIDENCE_RELATIONS, "author", "about")

_PREFIX = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
_SEP = "\u001f"
_CLASSES = """VALUES (?class ?type) {
  (schema:Person "Person") (schema:CreativeWork "Work") (schema:Event "Event")
  (schema:Claim "Claim") (cg:SourceDocument "Document") }"""

# Nodes with their label, type and documents; the named graph is explicit, so no duplicates.
_NODES = f"""SELECT ?s ?type (SAMPLE(?l) AS ?label)
  (GROUP_CONCAT(DISTINCT STR(?g); SEPARATOR="{_SEP}") AS ?graphs)
WHERE {{ GRAPH ?g {{ ?s a ?class . {_CLASSES} OPTIONAL {{ ?s rdfs:label ?l }} }} }}
GROUP BY ?s ?type"""

# Per-node attributes as (subject, property, value) rows, grouped in Python.
_ATTRIBUTES = f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  ?s a ?class . {_CLASSES}
  VALUES ?p {{ schema:alternateName schema:text cg:confidence schema:datePublished
              schema:startDate cg:fileName rdf:type }}
  ?s ?p ?o }}"""

# Where each claim is stated: its first appearance's quote.
_CLAIM_QUOTES = """SELECT ?s ?g ?quote ?start WHERE { GRAPH ?g {
  ?s a schema:Claim ; schema:appearance ?p .
  ?p oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
  OPTIONAL { ?p oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start } } }"""

# Every CiTO evidence node with its quote; a passage as citing entity counts as its document.
_CITATIONS = """SELECT ?e ?s ?rel ?o ?conf ?quote ?start ?end ?g WHERE { GRAPH ?g {
  ?e a cito:Citation ; cito:hasCitingEntity ?s0 ; cito:hasCitedEntity ?o ;
     cito:hasCitationCharacterization ?rel .
  OPTIONAL { ?s0 a cg:Passage ; oa:hasSource ?src }
  BIND(COALESCE(?src, ?s0) AS ?s)
  OPTIONAL { ?e cg:confidence ?conf }
  OPTIONAL { ?e prov:wasDerivedFrom ?p .
    OPTIONAL { ?p oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?quote }
    OPTIONAL { ?p oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start ;
               oa:end ?end } } } }"""

# Authorship and aboutness, one row per (subject, property, object) with its documents.
_LINKS = f"""SELECT ?s ?p ?o (GROUP_CONCAT(DISTINCT STR(?g); SEPARATOR="{_SEP}") AS ?graphs)
WHERE {{ GRAPH ?g {{ VALUES ?p {{ schema:author schema:about }} ?s ?p ?o }} }}
GROUP BY ?s ?p ?o"""


class NodeNotFound(LookupError):
    """No node has the given name or alias."""


def _dataset(source: Any) -> Graph:
    if isinstance(source, Graph):
        return source
    if isinstance(source, DiskStore) and not source.exists():
        raise StoreError(f"no claimgraph store at {source.path} (ingest documents first)")
    if hasattr(source, "dataset"):
        return source.dataset()
    raise TypeError(f"cannot read a network from a {type(source).__name__}")


def _rows(ds: Graph, query: str) -> Iterable:
    return ds.query(_PREFIX + query)


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def build_network(source: Any) -> nx.MultiDiGraph:
    """The whole store (a DiskStore, MemoryStore or rdflib Dataset) as a MultiDiGraph."""
    ds = _dataset(source)
    G = nx.MultiDiGraph()
    doc_names: dict[str, str] = {}
    graphs_of: dict[str, list[str]] = {}
    for s, kind, label, graphs in _rows(ds, _NODES):
        node = str(s)
        graphs_of[node] = sorted(set(graphs_of.get(node, [])) | set(str(graphs).split(_SEP)))
        if node in G:
            continue  # a node with two of the classes keeps the first
        G.add_node(node, label=str(label) if label is not None else node, type=str(kind))
    for s, p, o in _rows(ds, _ATTRIBUTES):
        _set_attribute(G.nodes[str(s)], str(p), o)
    for node, data in G.nodes(data=True):
        if data["type"] == "Document":
            doc_names[node] = data.pop("file_name", data["label"])
            data["label"] = doc_names[node]
    for node, data in G.nodes(data=True):
        data["documents"] = [doc_names.get(g, g) for g in graphs_of.get(node, [])]
        data["n_documents"] = len(data["documents"])
        data.setdefault("aliases", [])
        data["aliases"] = sorted(set(data["aliases"]) - {data["label"]})
        data.setdefault("subtype", None)
    _add_claim_quotes(G, ds, doc_names)
    _add_citations(G, ds, doc_names)
    _add_links(G, ds, doc_names)
    return G


def _set_attribute(data: dict, prop: str, value: Any) -> None:
    name = prop.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    if name == "alternateName":
        data.setdefault("aliases", []).append(str(value))
    elif name == "text":
        data["text"] = str(value)
    elif name == "confidence":
        data["confidence"] = float(value)
    elif name in ("datePublished", "startDate"):
        data["date"] = str(value)
    elif name == "fileName":
        data["file_name"] = str(value)
    elif name == "type" and data["type"] == "Work":
        subtype = str(value).rsplit("/", 1)[-1]
        if str(value).startswith("https://schema.org/") and subtype != "CreativeWork":
            data["subtype"] = subtype


def _add_claim_quotes(G: nx.MultiDiGraph, ds: Graph, doc_names: dict[str, str]) -> None:
    best: dict[str, tuple] = {}
    for s, g, quote, start in _rows(ds, _CLAIM_QUOTES):
        key = (str(g), int(start) if start is not None else 0)
        if str(s) in G and (str(s) not in best or key < best[str(s)][0]):
            best[str(s)] = (key, str(quote))
    for node, ((g, _), quote) in best.items():
        G.nodes[node]["quote"] = quote
        G.nodes[node]["quote_document"] = doc_names.get(g, g)


def _add_citations(G: nx.MultiDiGraph, ds: Graph, doc_names: dict[str, str]) -> None:
    for e, s, rel, o, conf, quote, start, end, g in _rows(ds, _CITATIONS):
        source, target = str(s), str(o)
        for node in (source, target):
            if node not in G:  # an untyped end (outside the contract): keep the edge anyway
                G.add_node(node, label=node, type="Document", aliases=[], documents=[])
                G.nodes[node].update(n_documents=0, subtype=None)
        G.add_edge(
            source,
            target,
            key=str(e),
            relation=str(rel).rsplit("/", 1)[-1],
            confidence=_num(conf),
            quote=str(quote) if quote is not None else None,
            document=doc_names.get(str(g), str(g)),
            documents=[doc_names.get(str(g), str(g))],
            graph=str(g),
            start=int(start) if start is not None else None,
            end=int(end) if end is not None else None,
        )


def _add_links(G: nx.MultiDiGraph, ds: Graph, doc_names: dict[str, str]) -> None:
    for s, p, o, graphs in _rows(ds, _LINKS):
        s, o = str(s), str(o)
        if s not in G or o not in G:
            continue
        relation = str(p).rsplit("/", 1)[-1]
        documents = [doc_names.get(g, g) for g in sorted(str(graphs).split(_SEP))]
        # Authorship reads "person wrote work/claim": the edge points from the author.
        source, target = (o, s) if relation == "author" else (s, o)
        G.add_edge(
            source,
            target,
            key=relation,
            relation=relation,
            confidence=None,
            quote=None,
            document=documents[0],
            documents=documents,
            graph=None,
            start=None,
            end=None,
        )


def filter_network(
    G: nx.MultiDiGraph,
    types: Iterable[str] | None = None,
    relations: Iterable[str] | None = None,
    documents: Iterable[str] | None = None,
    min_confidence: float | None = None,
) -> nx.MultiDiGraph:
    """A copy of `G` keeping node types, edge relations, documents and edges >= a confidence.

    `documents` are file names: nodes read from none of them and edges not read from them
    are dropped. `min_confidence` drops edges below it; edges without one (author, about)
    stay.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("w", type="Work", documents=["a.txt"])
    >>> G.add_node("c", type="Claim", documents=["a.txt"])
    >>> _ = G.add_edge("w", "c", relation="supports", confidence=0.4, documents=["a.txt"])
    >>> filter_network(G, min_confidence=0.5).number_of_edges()
    0
    >>> sorted(filter_network(G, types=["Claim"]))
    ['c']
    """
    types = _check(types, NODE_TYPES, "type")
    relations = _check(relations, RELATIONS, "relation")
    docs = set(documents) if documents is not None else None
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from(
        (n, d)
        for n, d in G.nodes(data=True)
        if (types is None or d.get("type") in types)
        and (docs is None or docs & set(d.get("documents", ())))
    )
    for u, v, k, d in G.edges(keys=True, data=True):
        if u not in H or v not in H:
            continue
        if relations is not None and d.get("relation") not in relations:
            continue
        if docs is not None and not docs & set(d.get("documents", ())):
            continue
        conf = d.get("confidence")
        if min_confidence is not None and conf is not None and conf < min_confidence:
            continue
        H.add_edge(u, v, key=k, **d)
    return H


def _check(values: Iterable[str] | None, known: tuple[str, ...], what: str) -> set[str] | None:
    if values is None:
        return None
    by_fold = {k.casefold(): k for k in known}
    out = set()
    for value in values:
        if value.casefold() not in by_fold:
            raise ValueError(f"unknown {what} {value!r}; known: {', '.join(known)}")
        out.add(by_fold[value.casefold()])
    return out


def normalise_name(text: str) -> str:
    """A name folded for matching: no accents, no case, punctuation as spaces.

    >>> normalise_name("  Józef   STALIN's ")
    'jozef stalin s'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", bare.casefold()).split())


_TYPE_RANK = {t: i for i, t in enumerate(("Person", "Work", "Event", "Document", "Claim"))}


def find_node(G: nx.MultiDiGraph, name: str) -> str:
    """The node whose label or alias matches `name` (case- and accent-insensitive).

    An exact match on a label or alias wins; otherwise `name` as whole words inside a label or
    alias. Ties go to people, then works, events, documents, claims, then the best connected.
    A node id (IRI) or its last path segments (``claim/1a2b3c``) also work.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p1", label="Helena Varga", aliases=["Lena"], type="Person")
    >>> find_node(G, "lena"), find_node(G, "VARGA")
    ('p1', 'p1')
    """
    if name in G:
        return name
    keyed = [n for n in G if isinstance(n, str) and n.endswith("/" + name.strip("/"))]
    if len(keyed) == 1:
        return keyed[0]
    wanted = normalise_name(name)
    if not wanted:
        raise NodeNotFound("an empty name matches nothing")
    exact, partial = [], []
    for node, data in G.nodes(data=True):
        names = [normalise_name(x) for x in [data.get("label", ""), *data.get("aliases", ())]]
        if wanted in names:
            exact.append(node)
        elif any(f" {wanted} " in f" {x} " for x in names):
            partial.append(node)
    found = exact or partial
    if not found:
        raise NodeNotFound(f"no person, work, event or claim is called {name!r}")

    def rank(node: str) -> tuple:
        return (_TYPE_RANK.get(G.nodes[node].get("type"), 9), -G.degree(node), str(node))

    return min(found, key=rank)


def neighbourhood(G: nx.MultiDiGraph, name: str, hops: int = 1) -> nx.MultiDiGraph:
    """The part of `G` within `hops` edges (either direction) of the node called `name`.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="A", type="Work"); G.add_node("b", label="B", type="Claim")
    >>> G.add_node("c", label="C", type="Claim")
    >>> _ = G.add_edge("a", "b", relation="supports"); _ = G.add_edge("c", "b", relation="disputes")
    >>> sorted(neighbourhood(G, "a", hops=1)), sorted(neighbourhood(G, "a", hops=2))
    (['a', 'b'], ['a', 'b', 'c'])
    """
    if hops < 0:
        raise ValueError("hops must be 0 or more")
    centre = find_node(G, name)
    H = nx.ego_graph(G, centre, radius=hops, undirected=True)
    H.graph.update(G.graph, focus=centre, hops=hops)
    return H
