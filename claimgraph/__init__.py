"""claimgraph: a claim-and-evidence knowledge graph from passages of text.

The Python API mirrors the command line::

    from claimgraph import open_store, ingest
    store = open_store("claimgraph-store")   # open_store(None): rdflib's in-memory store
    summary = ingest(["examples/corpus"], store)
    store.dataset().query("SELECT (COUNT(*) AS ?n) WHERE { ?c a schema:Claim }")
"""

from __future__ import annotations

from pathlib import Path

from claimgraph.ingest import ingest

__version__ = "0.1.0"


def open_store(path: str | Path | None = "claimgraph-store"):
    """A store: a DiskStore folder, a RemoteStore for an http(s):// SPARQL server URL, or
    with `None` rdflib's in-memory Dataset (notebooks)."""
    from claimgraph.graph.remote_store import RemoteStore, is_url
    from claimgraph.graph.store import DiskStore, MemoryStore

    if path is None:
        return MemoryStore()
    return RemoteStore(str(path)) if is_url(path) else DiskStore(path)


__all__ = ["open_store", "ingest", "__version__"]
