"""What the graph predicts for a document: its named graph, nodes by type, CiTO edges, and
what else each edge source may stand for (its authors, the work a claim is quoted from).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph
from rdflib.namespace import PROV, RDF, RDFS

from claimgraph.evaluation.matching import fold_name, unique
from claimgraph.evaluation.results import KINDS, NO_RULE, RELATIONS
from claimgraph.graph.errors import UserError
from claimgraph.graph.namespaces import CG, CITO, OA, SCHEMA, WORK_SUBTYPES

_CLASSES = {
    "Person": (SCHEMA.Person,),
    "Work": (SCHEMA.CreativeWork, *(SCHEMA[t] for t in sorted(WORK_SUBTYPES))),
    "Event": (SCHEMA.Event,),
    "Claim": (SCHEMA.Claim,),
}


@dataclass
class PredNode:
    iri: URIRef
    kind: str
    label: str  # folded
    names: list[str]  # folded names (Person, Work, Event)
    texts: list[str]  # text and appearance quotes (Claim)
    rules: list[str]


@dataclass
class PredEdge:
    source: URIRef
    relation: str
    target: URIRef
    rules: list[str]


@dataclass
class Predicted:
    """A document's predicted nodes and edges, in a form ready for matching."""

    nodes: dict[str, list[PredNode]]  # by kind
    edges: list[PredEdge]
    proxies: dict[URIRef, set[URIRef]] = field(default_factory=dict)  # source -> stand-ins
    passages: set[URIRef] = field(default_factory=set)  # passages of the document


def documents(data: Graph) -> dict[str, URIRef]:
    """File name -> document IRI, from every `D cg:fileName "name"` in the input."""
    docs: dict[str, URIRef] = {}
    if isinstance(data, ConjunctiveGraph):  # Datasets too: see every graph, union or not
        pairs = ((d, name) for d, _, name, _ in data.quads((None, CG.fileName, None, None)))
    else:
        pairs = data.subject_objects(CG.fileName)
    for d, name in pairs:
        if isinstance(d, URIRef):
            docs.setdefault(str(name), d)
    return docs


def named_graphs(data: Graph) -> set[URIRef]:
    """IRIs of the non-empty named graphs of a Dataset or ConjunctiveGraph (none for a Graph)."""
    if isinstance(data, Dataset):
        graphs = data.graphs()
    elif isinstance(data, ConjunctiveGraph):
        graphs = data.contexts()
    else:
        return set()
    return {
        g.identifier
        for g in graphs
        if isinstance(g.identifier, URIRef)
        and g.identifier != DATASET_DEFAULT_GRAPH_ID
        and len(g) > 0
    }


def find_document(name: str, docs: Mapping[str, URIRef]) -> URIRef | None:
    """The document IRI whose file name is `name` or ends with "/" + `name`."""
    if name in docs:
        return docs[name]
    tail = "/" + name.lstrip("/")
    hits = sorted({d for file, d in docs.items() if file.endswith(tail)})
    if len(hits) > 1:
        raise UserError(
            f"gold document {name!r} is ambiguous: it ends "
            f"{len(hits)} document file names in the graph; give the full name in the gold file"
        )
    return hits[0] if hits else None


def document_graph(data: Graph, doc_iri: URIRef) -> Graph:
    """An in-memory copy of one named graph (matching reads it many times)."""
    source = Graph(store=data.store, identifier=doc_iri)
    graph = Graph()
    for triple in source:
        graph.add(triple)
    return graph


def _literals(g: Graph, s, p) -> list[str]:
    return [str(o) for o in g.objects(s, p) if isinstance(o, Literal)]


def _nodes(g: Graph, doc_iris: set[URIRef]) -> tuple[dict[str, list[PredNode]], dict]:
    nodes: dict[str, list[PredNode]] = {k: [] for k in KINDS}
    kind_of: dict[URIRef, str] = {}
    for kind in KINDS:
        members: set[URIRef] = set()
        for cls in _CLASSES[kind]:
            members.update(s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef))
        for s in sorted(members - doc_iris):
            if s in kind_of:  # typed twice (say Claim and Work): count it once
                continue
            kind_of[s] = kind
            labels = _literals(g, s, RDFS.label)
            label = labels[0] if labels else ""
            names, texts = [], []
            if kind == "Claim":
                texts = _literals(g, s, SCHEMA.text) or labels[:1]
                for passage in g.objects(s, SCHEMA.appearance):
                    for sel in g.objects(passage, OA.hasSelector):
                        texts += _literals(g, sel, OA.exact)
                texts = unique(texts)
            else:
                found = (
                    *labels,
                    *_literals(g, s, SCHEMA.alternateName),
                    *_literals(g, s, SCHEMA.name),
                )
                names = unique(fold_name(n) for n in found)
            rules = sorted(set(_literals(g, s, CG.rule))) or [NO_RULE]
            nodes[kind].append(PredNode(s, kind, fold_name(label), names, texts, rules))
    return nodes, kind_of


def _edges(g: Graph) -> list[PredEdge]:
    edge_rules: dict[tuple, set[str]] = defaultdict(set)
    for ev in g.subjects(RDF.type, CITO.Citation):
        key = (
            g.value(ev, CITO.hasCitingEntity),
            g.value(ev, CITO.hasCitationCharacterization),
            g.value(ev, CITO.hasCitedEntity),
        )
        edge_rules[key].update(_literals(g, ev, CG.rule))
    edges = []
    for relation in RELATIONS:
        p = CITO[relation]
        for s, o in sorted(g.subject_objects(p)):
            rules = sorted(edge_rules.get((s, p, o), ())) or [NO_RULE]
            edges.append(PredEdge(s, relation, o, rules))
    return edges


def predicted(g: Graph, doc_iris: set[URIRef]) -> Predicted:
    """Predicted nodes by kind, edges, and the proxies that may stand for each edge source."""
    nodes, kind_of = _nodes(g, doc_iris)
    proxies: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, a in g.subject_objects(SCHEMA.author):
        proxies[s].add(a)
    for s, w in g.subject_objects(PROV.wasQuotedFrom):
        if kind_of.get(s) == "Claim":
            proxies[s].add(w)
    passages = {
        p
        for p, src in g.subject_objects(OA.hasSource)
        if src in doc_iris and (p, RDF.type, CG.Passage) in g
    }
    return Predicted(nodes, _edges(g), proxies, passages)
