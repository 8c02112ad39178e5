"""claimgraph: a claim-and-evidence knowledge graph from passages of text.

The Python API mirrors the command line::

    from claimgraph import open_store, ingest
    store = open_store("claimgraph-store")   # open_store(None): rdflib's in-memory store
    summary = ingest(["examples/corpus"], store)
    store.dataset().query("SELECT (COUNT(*) AS ?n) WHERE { ?c a schema:Claim }")
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def open_store(path: str | Path | None = "claimgraph-store"):
    """A store: a DiskStore folder, or with `None` rdflib's in-memory Dataset (notebooks)."""
    from claimgraph.graph.store import DiskStore, MemoryStore

    return MemoryStore() if path is None else DiskStore(path)


def ingest(
    paths, store=None, rules=None, jobs: int = 1, progress: bool = False, force: bool = False
):
    """Ingest files/folders into `store` (default: a new in-memory store); returns the summary."""
    from claimgraph.ingest.pipeline import ingest as _ingest

    store = open_store(None) if store is None else store
    summary = _ingest(
        [Path(p) for p in paths], store, rules, jobs=jobs, progress=progress, force=force
    )
    summary.store = store
    return summary


__all__ = ["open_store", "ingest", "__version__"]
