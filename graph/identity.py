"""Deterministic IRIs: the same input always mints the same node (MODEL.md, Identity)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from claimgraph.graph.namespaces import base_iri

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and unify quotes/dashes: the form used to compare names."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.lower().split())


def slug(text: str, limit: int = 80) -> str:
    """A readable ASCII slug: 'Łucja Bożek' -> 'lucja-bozek'."""
    s = _NON_WORD.sub("-", fold(text).replace("'", "")).strip("-")
    if len(s) > limit:
        s = s[:limit].rstrip("-") + "-" + digest(text, 6)
    return s or digest(text, 8)


def digest(*parts: object, size: int = 12) -> str:
    """A short stable hex hash of the parts."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:size]


def node_key(kind: str, name: str) -> str:
    """Identity key of a person, work or event from its resolved name."""
    return f"{kind.lower()}/{slug(name)}"


def claim_key(text: str) -> str:
    """Identity key of a claim: a hash of its normalised text."""
    norm = " ".join(re.findall(r"[a-z0-9]+", fold(text)))
    return f"claim/{digest(norm)}"


def iri(key: str) -> URIRef:
    """The IRI of a node key ('person/joseph-stalin')."""
    return URIRef(base_iri() + key)


def document_iri(name: str) -> URIRef:
    """The IRI of a source document; it also names the document's graph."""
    parts = [slug(p, 60) for p in re.split(r"[\\/]+", name) if p]
    return URIRef(base_iri() + "doc/" + "/".join(parts))


def passage_iri(doc: URIRef, start: int, end: int) -> URIRef:
    """The IRI of a span [start, end) of a document."""
    return URIRef(f"{doc}/passage/{start}-{end}")


def edge_iri(graph: URIRef, s: URIRef, p: URIRef, o: URIRef, passage: URIRef) -> URIRef:
    """The IRI of an edge's evidence node."""
    return URIRef(base_iri() + "edge/" + digest(graph, s, p, o, passage, size=16))
