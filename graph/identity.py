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
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass"))
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
    """The IRI of a source document; it also names the document's graph.

    Readable (a slug per path part, letters of any script kept) and injective: the last
    part ends in a hash of the exact name, so 'Report.txt' and 'report.txt' stay apart.
    """
    parts = [_doc_slug(p) for p in re.split(r"[\\/]+", name) if p] or ["document"]
    parts[-1] += "-" + digest(name, size=DOC_HASH_SIZE)
    return URIRef(base_iri() + "doc/" + "/".join(parts))


#: Hex digits of the name hash in a document IRI (40 bits).
DOC_HASH_SIZE = 10


def is_current_document_iri(doc: str, name: str) -> bool:
    """Whether `doc` is the IRI this version mints for `name` (False: an older scheme)."""
    return str(doc) == str(document_iri(name))


def _doc_slug(part: str, limit: int = 60) -> str:
    """A path part as an IRI segment: lower case, letters and digits of any script, '-'."""
    folded = unicodedata.normalize("NFKC", part).lower()
    s = "".join(c if c.isalnum() or unicodedata.category(c)[0] == "M" else "-" for c in folded)
    s = re.sub(r"-{2,}", "-", s).strip("-")
    return s[:limit].rstrip("-") or "x"


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(name: str) -> str:
    """`name` safe for one line of output: control, format (bidi) and separator characters
    and undecodable bytes escaped as \\n, \\xNN or \\uNNNN; anything else kept."""
    out = []
    for c in name:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            code = ord(c)
            if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
                code -= 0xDC00
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(c)
    return "".join(out)


def passage_iri(doc: URIRef, start: int, end: int) -> URIRef:
    """The IRI of a span [start, end) of a document."""
    return URIRef(f"{doc}/passage/{start}-{end}")


def edge_iri(graph: URIRef, s: URIRef, p: URIRef, o: URIRef, passage: URIRef) -> URIRef:
    """The IRI of an edge's evidence node."""
    return URIRef(base_iri() + "edge/" + digest(graph, s, p, o, passage, size=16))
