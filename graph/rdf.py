"""Turn one document's Extraction into RDF quads in the document's own named graph.

The layout is MODEL.md's: plain CiTO triples for easy queries, plus one cito:Citation
evidence node per edge pointing at a cg:Passage with Web Annotation selectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from claimgraph.graph.identity import digest, document_iri, edge_iri, iri, passage_iri
from claimgraph.graph.model import DOC, Document, Extraction, Node
from claimgraph.graph.namespaces import CG, CITO, KIND_CLASS, OA, SCHEMA, WORK_SUBTYPES, base_iri

Quad = tuple  # (subject, predicate, object, graph) of rdflib terms

EXTRACTOR = "claimgraph-rules"
QUOTE_CONTEXT = 32  # characters of prefix/suffix kept beside an exact quote
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
    def __init__(self, document: Document, run: Run):
        self.doc = document
        self.g = document_iri(document.name)
        self.quads: list[Quad] = []
        self.passages: set[tuple[int, int]] = set()
        self.kinds: dict[str, str] = {}
        self.run = URIRef(f"{base_iri()}run/{digest(document.sha256, run.version, size=16)}")

    def add(self, s, p, o) -> None:
        self.quads.append((s, p, o, self.g))

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
        self.add(quote, OA.exact, Literal(text[start:end]))
        self.add(quote, OA.prefix, Literal(text[max(0, start - QUOTE_CONTEXT) : start]))
        self.add(quote, OA.suffix, Literal(text[end : end + QUOTE_CONTEXT]))
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger))
        self.add(position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger))
        return node


def _node_triples(b: _Builder, node: Node) -> None:
    s = iri(node.key)
    b.add(s, RDF.type, KIND_CLASS[node.kind])
    if node.kind == "Work" and node.subtype in WORK_SUBTYPES:
        b.add(s, RDF.type, SCHEMA[node.subtype])
    b.add(s, RDFS.label, Literal(node.label))
    for alias in sorted(node.aliases - {node.label}):
        b.add(s, SCHEMA.alternateName, Literal(alias))
    for author in node.authors:
        if author in b.kinds:
            b.add(s, SCHEMA.author, iri(author))
    if node.date:
        prop = SCHEMA.datePublished if node.kind == "Work" else SCHEMA.startDate
        b.add(s, prop, Literal(node.date))
    if node.kind == "Claim":
        b.add(s, SCHEMA.text, Literal(node.text or node.label))
        b.add(s, CG.confidence, confidence_literal(node.confidence))
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
        b.add(s, CG.rule, Literal(node.rule))


def document_quads(document: Document, extraction: Extraction, run: Run) -> list[Quad]:
    """All quads of one document's named graph."""
    b = _Builder(document, run)
    b.kinds = {n.key: n.kind for n in extraction.nodes.values()}
    g = b.g
    b.add(g, RDF.type, PROV.Entity)
    b.add(g, RDF.type, CG.SourceDocument)
    if document.genre:
        b.add(g, RDF.type, SCHEMA[document.genre])
    b.add(g, RDFS.label, Literal(document.title or document.name))
    b.add(g, CG.fileName, Literal(document.name))
    b.add(g, CG.sha256, Literal(document.sha256))
    b.add(g, SCHEMA.encodingFormat, Literal(document.media_type))
    b.add(g, CG.characterCount, Literal(len(document.text), datatype=XSD.nonNegativeInteger))
    b.add(g, CG.passageCount, Literal(len(document.passages), datatype=XSD.nonNegativeInteger))
    b.add(g, PROV.wasGeneratedBy, b.run)

    agent = agent_iri(run.version)
    b.add(b.run, RDF.type, CG.ExtractorRun)
    b.add(b.run, RDF.type, PROV.Activity)
    b.add(b.run, PROV.used, g)
    b.add(b.run, PROV.wasAssociatedWith, agent)
    b.add(b.run, PROV.startedAtTime, Literal(run.started.isoformat(), datatype=XSD.dateTime))
    b.add(b.run, PROV.endedAtTime, Literal(run.ended.isoformat(), datatype=XSD.dateTime))
    b.add(agent, RDF.type, PROV.SoftwareAgent)
    b.add(agent, RDFS.label, Literal(f"{EXTRACTOR} {run.version}"))

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
        b.add(e, CG.confidence, confidence_literal(edge.confidence))
        b.add(e, CG.rule, Literal(edge.rule))
        b.add(e, PROV.wasGeneratedBy, b.run)
        b.add(e, PROV.wasAttributedTo, agent)
    return b.quads
