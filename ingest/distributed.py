"""Distributed ingest on Dask: workers read, parse and extract; the client resolves and writes.

`DaskEngine` plugs into `pipeline.ingest(engine=...)`. Each worker process loads spaCy once
and turns a file into its Document and Extraction; the client keeps cross-document
resolution and every store write, so the graph is the one a single-process ingest makes.
Workers must see the same paths as the client (a LocalCluster, or a shared filesystem).
The per-document time budget is not enforced on workers (it needs the main thread).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

from claimgraph.graph.errors import UserError
from claimgraph.graph.identity import shown
from claimgraph.graph.model import Document, Extraction
from claimgraph.ingest.nlp import ParseFailed, _parse, load_nlp
from claimgraph.ingest.pipeline import IngestSummary, _extract_one, _one_line, read_one
from claimgraph.ingest.readers import ReadError
from claimgraph.ingest.rules import Rules

Outcome = tuple  # ("ok", Document, Extraction) | ("unchanged",) | ("failed", one line)


def process_file(path: str, name: str, skip_sha: str | None, rules: Rules) -> Outcome:
    """On a worker: read one file and, unless unchanged, parse and extract it."""
    try:
        doc = read_one(Path(path), name)
    except ReadError as exc:
        return ("failed", str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the rest
        return ("failed", f"{shown(name)}: cannot read ({_one_line(exc)})")
    if not doc.passages:
        return ("failed", f"{shown(name)}: no text to read")
    if skip_sha == doc.sha256:
        return ("unchanged",)
    parsed = _parse(load_nlp(), [doc.nlp_text[s:e] for s, e in doc.passages])
    if isinstance(parsed, ParseFailed):
        return ("failed", f"{shown(name)}: language processing failed ({parsed})")
    out: list[tuple[Document, Extraction]] = []
    problem = _extract_one(doc, parsed, rules, out, 0)
    if problem is not None:
        return ("failed", f"{shown(name)}: {problem}")
    return ("ok", *out[0])


class DaskEngine:
    """Extraction on a Dask cluster: `scheduler` address, or a LocalCluster sized to the cores."""

    def __init__(self, scheduler: str | None = None, progress: bool = True):
        self.scheduler = scheduler
        self.progress = progress

    def _connect(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UserError("--engine dask needs Dask: pip install 'claimgraph[dask]'") from None
        if self.scheduler:
            try:
                return Client(self.scheduler, timeout="10s"), None
            except (OSError, TimeoutError) as exc:
                raise UserError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {_one_line(exc)}"
                ) from None
        cluster = LocalCluster(
            n_workers=os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: no warning when 8787 is taken
        )
        return Client(cluster), cluster

    @contextmanager
    def open(self, rules: Rules, summary: IngestSummary):
        client, cluster = self._connect()
        bar = tqdm(unit="doc", disable=not self.progress or None, file=sys.stderr, desc="reading")
        try:
            shared = client.scatter(rules, broadcast=True)

            def batches(chunks: Iterable[list], skip: dict[str, str]) -> Iterator[list]:
                pending = None
                for chunk in [*chunks, None]:
                    nxt = None
                    if chunk:  # keep the workers busy while the client writes a batch
                        paths, names = [str(p) for p, _n in chunk], [n for _p, n in chunk]
                        skips = [skip.get(n) for n in names]
                        nxt = client.map(
                            process_file, paths, names, skips, rules=shared, pure=False
                        )
                    if pending is not None:
                        yield _collect(client, pending, summary, bar)
                    pending = nxt

            yield batches
        finally:
            bar.close()
            client.close()
            if cluster is not None:
                cluster.close()


def _collect(client, futures: list, summary: IngestSummary, bar) -> list:
    """One batch's outcomes, in file order, into (Document, Extraction) pairs and the summary."""
    out = []
    for outcome in client.gather(futures):
        bar.update(1)
        if outcome[0] == "ok":
            out.append((outcome[1], outcome[2]))
        elif outcome[0] == "unchanged":
            summary.unchanged += 1
        else:
            summary.problems.append(outcome[1])
            summary.failed += 1
    futures.clear()
    return out
