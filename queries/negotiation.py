"""Content negotiation for the SPARQL endpoint: which media type answers a request.

Results (SELECT, ASK) as SPARQL JSON, XML, CSV or TSV; graphs (CONSTRUCT, DESCRIBE) as Turtle,
N-Triples or RDF/XML, chosen by a `format` parameter or the Accept header.
"""

from __future__ import annotations

RESULT_TYPES = {  # media type -> pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
RESULT_ALIASES = {
    "application/json": "application/sparql-results+json",
    "text/javascript": "application/sparql-results+json",
    "application/javascript": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {  # media type -> pyoxigraph RdfFormat name
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
}
GRAPH_ALIASES = {
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "application/xml": "application/rdf+xml",
}


def negotiate(accept: str | None, fmt: str | None, graph: bool) -> str | None:
    """The media type to answer with, or None if nothing acceptable can be produced.

    An explicit `format` parameter (json, xml, csv, tsv, turtle, nt or a media type) wins when
    it fits the query form; otherwise the Accept header, with q-values and wildcards."""
    types, aliases = (GRAPH_TYPES, GRAPH_ALIASES) if graph else (RESULT_TYPES, RESULT_ALIASES)
    if fmt:
        key = fmt.strip().lower()
        key = aliases.get(key, key)
        if key in types:
            return key
    if not accept or not accept.strip():
        return next(iter(types))
    best: tuple[float, int, str] | None = None
    for order, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        q = 1.0
        for p in parts[1:]:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in ("*/*", "*"):
            candidate = next(iter(types))
        elif media.endswith("/*"):
            major = media[:-1]
            candidate = next((t for t in types if t.startswith(major)), None)
        else:
            media = aliases.get(media, media)
            candidate = media if media in types else None
        if candidate is None:
            continue
        score = (q, -order, candidate)
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else None
