"""Files to graph: readers, passages, spaCy, the extraction stages and the ingest pipeline.

`claimgraph.ingest` is both this package and the API call ``ingest(paths, store)``: the
package is callable, so ``from claimgraph import ingest`` keeps working after any
``claimgraph.ingest.*`` submodule has been imported (which rebinds the package attribute).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path


def ingest(
    paths, store=None, rules=None, jobs: int = 1, progress: bool = False, force: bool = False
):
    """Ingest files/folders into `store` (default: a new in-memory store); returns the summary.

    >>> summary = ingest(["examples/corpus"])          # doctest: +SKIP
    >>> summary.store.dataset()                        # doctest: +SKIP
    """
    from claimgraph.graph.store import MemoryStore
    from claimgraph.ingest.pipeline import ingest as run

    store = MemoryStore() if store is None else store
    summary = run([Path(p) for p in paths], store, rules, jobs=jobs, progress=progress, force=force)
    summary.store = store
    return summary


class _CallablePackage(types.ModuleType):
    def __call__(self, *args, **kwargs):
        return ingest(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
