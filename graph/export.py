"""Serialise a store: TriG and N-Quads keep the named graphs; Turtle and JSON-LD the union.

By default the graph as readers see it, corrected, with the corrections graph; `raw=True`
gives the extraction alone (no corrections graph, no effect records, every effect undone).
"""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from claimgraph.graph.corrections import raw_graphs
from claimgraph.graph.curation import corrections_graph
from claimgraph.graph.namespaces import PREFIXES
from claimgraph.graph.store import named_quads

_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def export(store, fmt: str, out: BinaryIO, raw: bool = False) -> None:
    """Write the store's live generation to `out` in `fmt` (trig|nquads|turtle|jsonld)."""
    if raw:
        db = ox.Store()
        db.bulk_extend(raw_graphs(store))
    else:
        db = _corrected(store)
    rdf_format = _FORMATS[fmt]
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    if fmt in ("trig", "nquads"):
        kwargs = {"prefixes": prefixes} if fmt == "trig" else {}
        ox.serialize(named_quads(db), out, rdf_format, **kwargs)  # not the stored merge
    else:
        triples = db.query(_UNION)
        kwargs = {"prefixes": prefixes} if fmt == "turtle" else {}
        ox.serialize(triples, out, rdf_format, **kwargs)


def _corrected(store) -> ox.Store:
    """The store as it is; a server's copy (its document graphs only) gains the corrections."""
    db = store.oxigraph()
    if not hasattr(store, "request"):
        return db
    book = corrections_graph()
    rows = store.request(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {book} {{ ?s ?p ?o }} }}", [])
    triples = ox.parse(rows.content, format=ox.RdfFormat.TURTLE)
    db.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, book) for t in triples)
    return db
