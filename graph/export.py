"""Serialise a store: TriG and N-Quads keep the named graphs; Turtle and JSON-LD the union."""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from claimgraph.graph.namespaces import PREFIXES

_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def export(store, fmt: str, out: BinaryIO) -> None:
    """Write the store's live generation to `out` in `fmt` (trig|nquads|turtle|jsonld)."""
    db = store.oxigraph()
    rdf_format = _FORMATS[fmt]
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    if fmt in ("trig", "nquads"):
        kwargs = {"prefixes": prefixes} if fmt == "trig" else {}
        db.dump(out, rdf_format, **kwargs)
    else:
        triples = db.query(_UNION)
        kwargs = {"prefixes": prefixes} if fmt == "turtle" else {}
        ox.serialize(triples, out, rdf_format, **kwargs)
