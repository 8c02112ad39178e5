"""Turn one document's Extraction into RDF quads in the document's own named graph.

The layout is MODEL.md's: plain CiTO triples for easy queries, plus one cito:Citation
evidence node per edge pointing at a cg:Passage with Web Annotation selectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from claimgraph.graph.identity import digest, document_iri, edge_iri, iri, passage_iri
from claimgraph.graph.model import DOC, Document, Extraction, Node
from claimgraph.graph.namespaces import CG, CITO, KIND_CLASS, OA, SCHEMA, WORK_SUBTYPES, base_iri

Quad = tuple  # (subject, predicate, object, graph) of rdflib terms

EXTRACTOR = "claimgraph-rules"
QUOTE_CONTEXT = 32  # characters of prefix/suffix kept beside an exact quote
_OX_DECIMAL = ox.NamedNode(str(XSD.decimal))
DOI_RESOLVER = "https://doi.org/"
MAX_NODE_MENTIONS = 3  # prov:wasDerivedFrom links kept per node (all offsets stay in claims)


@dataclass(frozen=True)
class Run:
    """Which extractor produced a graph, and when."""

    version: str
    started: datetime
    ended: datetime

    @classmethod
    def now(cls, version: str, started: datetime | None = None) -> Run:
        end = datetime.now(UTC).replace(microsecond=0)
        return cls(version, started or end, end)


def confidence_literal(value: float) -> Literal:
    """A confidence as xsd:decimal built from Decimal (a float fails SHACL's datatype check)."""
    value = min(1.0, max(0.0, value))
    return Literal(Decimal(f"{value:.3f}"), datatype=XSD.decimal)


def agent_iri(version: str) -> URIRef:
    return URIRef(f"{base_iri()}agent/{EXTRACTOR}/{version}")


class _Builder:
    """Collects one document's quads: rdflib terms, or pyoxigraph terms built directly
    (`native`: the store's fast path, no rdflib Literal parsing per value)."""

    def __init__(self, document: Document, run: Run, native: bool = False):
        self.doc = document
        self.native = native
        self.g = document_iri(document.name)
        self._g = ox.NamedNode(str(self.g)) if native else self.g
        self._iris: dict[str, object] = {}
        self.quads: list = []
        self.passages: set[tuple[int, int]] = set()
        self.kinds: dict[str, str] = {}
        self.run = URIRef(f"{base_iri()}run/{digest(document.sha256, run.version, size=16)}")

    def add(self, s, p, o) -> None:
        if not self.native:
            self.quads.append((s, p, o, self.g))
            return
        self.quads.append(ox.Quad(self._term(s), self._term(p), self._term(o), self._g))

    def _term(self, term):
        if isinstance(term, URIRef):
            node = self._iris.get(term)
            if node is None:
                node = self._iris[term] = ox.NamedNode(str(term))
            return node
        return term  # already a pyoxigraph literal (see `lit`)

    def lit(self, value, datatype: URIRef | None = None):
        """A literal: a string, or `value` in its lexical form typed `datatype`."""
        if not self.native:
            return Literal(value, datatype=datatype)
        if datatype is None:
            return ox.Literal(str(value))
        return ox.Literal(str(value), datatype=self._term(datatype))

    def confidence(self, value: float):
        if not self.native:
            return confidence_literal(value)
        return ox.Literal(f"{min(1.0, max(0.0, value)):.3f}", datatype=_OX_DECIMAL)

    def passage(self, start: int, end: int) -> URIRef:
        """A cg:Passage for [start, end) of the document, with quote and position selectors."""
        node = passage_iri(self.g, start, end)
        if (start, end) in self.passages:
            return node
        self.passages.add((start, end))
        text = self.doc.text
        quote = URIRef(f"{node}#quote")
        position = URIRef(f"{node}#position")
        self.add(node, RDF.type, CG.Passage)
        self.add(node, OA.hasSource, self.g)
        self.add(node, OA.hasSelector, quote)
        self.add(node, OA.hasSelector, position)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, self.lit(text[start:end]))
        self.add(quote, OA.prefix, self.lit(text[max(0, start - QUOTE_CONTEXT) : start]))
        self.add(quote, OA.suffix, self.lit(text[end : end + QUOTE_CONTEXT]))
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, self.lit(start, XSD.nonNegativeInteger))
        self.add(position, OA.end, self.lit(end, XSD.nonNegativeInteger))
        return node


def _node_triples(b: _Builder, node: Node) -> None:
    s = iri(node.key)
    b.add(s, RDF.type, KIND_CLASS[node.kind])
    if node.kind == "Work" and node.subtype in WORK_SUBTYPES:
        b.add(s, RDF.type, SCHEMA[node.subtype])
    b.add(s, RDFS.label, b.lit(node.label))
    for alias in sorted(node.aliases - {node.label}):
        b.add(s, SCHEMA.alternateName, b.lit(alias))
    for author in node.authors:
        if author in b.kinds:
            b.add(s, SCHEMA.author, iri(author))
    if node.date:
        prop = SCHEMA.datePublished if node.kind == "Work" else SCHEMA.startDate
        b.add(s, prop, b.lit(node.date))
    for ident in node.identifiers:  # a DOI as its resolver IRI; any other address is the url
        prop = SCHEMA.identifier if ident.startswith(DOI_RESOLVER) else SCHEMA.url
        b.add(s, prop, URIRef(ident))
    if node.kind == "Claim":
        b.add(s, SCHEMA.text, b.lit(node.text or node.label))
        b.add(s, CG.confidence, b.confidence(node.confidence))
        for about in node.about:
            if about in b.kinds:
                b.add(s, SCHEMA.about, iri(about))
        if node.work in b.kinds:
            b.add(s, PROV.wasQuotedFrom, iri(node.work))
        for m in node.mentions:
            b.add(s, SCHEMA.appearance, b.passage(m.start, m.end))
    else:
        for m in node.mentions[:MAX_NODE_MENTIONS]:
            b.add(s, PROV.wasDerivedFrom, b.passage(m.start, m.end))
    if node.rule:
        b.add(s, CG.rule, b.lit(node.rule))


def document_quads(
    document: Document, extraction: Extraction, run: Run, native: bool = False
) -> list:
    """All quads of one document's named graph: rdflib tuples, or pyoxigraph Quads (`native`)."""
    b = _Builder(document, run, native)
    b.kinds = {n.key: n.kind for n in extraction.nodes.values()}
    g = b.g
    b.add(g, RDF.type, PROV.Entity)
    b.add(g, RDF.type, CG.SourceDocument)
    if document.genre:
        b.add(g, RDF.type, SCHEMA[document.genre])
    b.add(g, RDFS.label, b.lit(document.title or document.name))
    b.add(g, CG.fileName, b.lit(document.name))
    b.add(g, CG.sha256, b.lit(document.sha256))
    b.add(g, SCHEMA.encodingFormat, b.lit(document.media_type))
    b.add(g, CG.characterCount, b.lit(len(document.text), XSD.nonNegativeInteger))
    b.add(g, CG.passageCount, b.lit(len(document.passages), XSD.nonNegativeInteger))
    b.add(g, PROV.wasGeneratedBy, b.run)

    agent = agent_iri(run.version)
    b.add(b.run, RDF.type, CG.ExtractorRun)
    b.add(b.run, RDF.type, PROV.Activity)
    b.add(b.run, PROV.used, g)
    b.add(b.run, PROV.wasAssociatedWith, agent)
    b.add(b.run, PROV.startedAtTime, b.lit(run.started.isoformat(), XSD.dateTime))
    b.add(b.run, PROV.endedAtTime, b.lit(run.ended.isoformat(), XSD.dateTime))
    b.add(agent, RDF.type, PROV.SoftwareAgent)
    b.add(agent, RDFS.label, b.lit(f"{EXTRACTOR} {run.version}"))

    for node in extraction.nodes.values():
        _node_triples(b, node)

    kinds = b.kinds
    for edge in extraction.edges:
        # The contract: CiTO edges join works, claims and documents, never people, and every
        # end is typed in this same graph so that the graph stands on its own.
        wanted = "Work" if edge.relation == "cites" else "Claim"
        if kinds.get(edge.target) != wanted or (
            edge.source != DOC and kinds.get(edge.source) not in ("Claim", "Work")
        ):
            continue
        s = g if edge.source == DOC else iri(edge.source)
        p = CITO[edge.relation]
        o = iri(edge.target)
        passage = b.passage(edge.start, edge.end)
        e = edge_iri(g, s, p, o, passage)
        b.add(s, p, o)
        b.add(e, RDF.type, CITO.Citation)
        b.add(e, CITO.hasCitingEntity, s)
        b.add(e, CITO.hasCitedEntity, o)
        b.add(e, CITO.hasCitationCharacterization, p)
        b.add(e, PROV.wasDerivedFrom, passage)
        b.add(e, CG.confidence, b.confidence(edge.confidence))
        b.add(e, CG.rule, b.lit(edge.rule))
        b.add(e, PROV.wasGeneratedBy, b.run)
        b.add(e, PROV.wasAttributedTo, agent)
    return b.quads
