"""The vocabularies claimgraph speaks, as rdflib namespaces (MODEL.md, part 1)."""

from __future__ import annotations

import os

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

SCHEMA = Namespace("https://schema.org/")
CITO = Namespace("http://purl.org/spar/cito/")
OA = Namespace("http://www.w3.org/ns/oa#")

#: Project vocabulary (Passage, confidence, sha256, ExtractorRun); see graph/ontology.ttl.
CG = Namespace("https://w3id.org/claimgraph/vocab#")

#: Base for the data IRIs claimgraph mints; override with CLAIMGRAPH_BASE.
DEFAULT_BASE = "https://w3id.org/claimgraph/id/"


def base_iri() -> str:
    """The base IRI for minted nodes, from CLAIMGRAPH_BASE or the default."""
    base = os.environ.get("CLAIMGRAPH_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


PREFIXES = {
    "schema": SCHEMA,
    "cito": CITO,
    "prov": PROV,
    "oa": OA,
    "rdfs": RDFS,
    "rdf": RDF,
    "xsd": XSD,
    "owl": OWL,
    "cg": CG,
}

#: Node kinds as used in extraction and their schema.org classes.
KIND_CLASS = {
    "Person": SCHEMA.Person,
    "Work": SCHEMA.CreativeWork,
    "Event": SCHEMA.Event,
    "Claim": SCHEMA.Claim,
}

#: Precise schema.org subtypes a work may carry beside schema:CreativeWork.
WORK_SUBTYPES = {
    "Book",
    "Article",
    "ScholarlyArticle",
    "NewsArticle",
    "Legislation",
    "Painting",
    "Poster",
    "Movie",
    "Message",
    "Report",
    "Chapter",
    "Periodical",
}

STANCES = ("supports", "disputes", "cites")


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib Graph or Dataset."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
