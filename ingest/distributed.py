"""Distributed ingest on Dask: workers read, parse and extract; the client resolves and writes.

`DaskEngine` plugs into `pipeline.ingest(engine=...)`. Each worker process loads spaCy once
and turns a task of several files into their Documents and Extractions (their passages
parsed together); the client keeps cross-document resolution and every store write, so the
graph is the one a single-process ingest makes. Workers must see the same paths as the
client (a LocalCluster, or a shared filesystem). The per-document time budget is not
enforced on workers (it needs the main thread).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import accumulate, pairwise
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
#: Tasks per worker and batch: enough to balance uneven documents, few enough that the
#: scheduler's round trips (milliseconds each) stay small next to parsing.
TASKS_PER_WORKER = 4


def read_file(path: str, name: str, skip_sha: str | None) -> Document | Outcome:
    """On a worker: one file as a Document to parse, or its outcome if there is none."""
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
    return doc


def process_files(files: list[tuple[str, str, str | None]], rules: Rules) -> list[Outcome]:
    """On a worker: read, parse and extract several files as one task.

    All their passages go through spaCy together (larger batches parse faster); if that
    fails, each document is parsed alone, so that a failure stays that document's.
    """
    read = [read_file(*f) for f in files]
    docs = [d for d in read if isinstance(d, Document)]
    texts = [[d.nlp_text[s:e] for s, e in d.passages] for d in docs]
    parsed = _parse(load_nlp(), [t for doc_texts in texts for t in doc_texts])
    if isinstance(parsed, ParseFailed):
        per_doc = [_parse(load_nlp(), t) for t in texts]
    else:
        cuts = list(accumulate((len(t) for t in texts), initial=0))
        per_doc = [parsed[a:b] for a, b in pairwise(cuts)]
    outcomes = iter([_extract(d, p, rules) for d, p in zip(docs, per_doc, strict=True)])
    return [next(outcomes) if isinstance(r, Document) else r for r in read]


def _extract(doc: Document, parsed: list | ParseFailed, rules: Rules) -> Outcome:
    if isinstance(parsed, ParseFailed):
        return ("failed", f"{shown(doc.name)}: language processing failed ({parsed})")
    out: list[tuple[Document, Extraction]] = []
    problem = _extract_one(doc, parsed, rules, out, 0)
    if problem is not None:
        return ("failed", f"{shown(doc.name)}: {problem}")
    return ("ok", *out[0])


def tasks_for(files: list, workers: int) -> list[list]:
    """`files` cut into about TASKS_PER_WORKER tasks per worker, in order, for balance."""
    size = max(1, -(-len(files) // max(1, workers * TASKS_PER_WORKER)))
    return [files[i : i + size] for i in range(0, len(files), size)]


#: Worker settings for the clusters we start: no statistical profiler (it samples every
#: task's stack every 10 ms) and glibc's default trimming instead of Dask's 64 KiB, which
#: hands spaCy's memory back to the kernel only to fault it in again. About 10-20% less
#: worker CPU per document, measured; set the same on workers of a cluster of your own.
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": 128 * 2**20,
}


def local_cluster(workers: int, dashboard_address: str | None = None):
    """A LocalCluster of `workers` single-threaded processes, set up for extraction."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(WORKER_CONFIG):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=dashboard_address,
        )


class DaskEngine:
    """Extraction on a Dask cluster: `scheduler` address, or a LocalCluster sized to the cores."""

    def __init__(self, scheduler: str | None = None, progress: bool = True):
        self.scheduler = scheduler
        self.progress = progress

    def _connect(self):
        try:
            from distributed import Client
        except ImportError:
            raise UserError("--engine dask needs Dask: pip install 'claimgraph[dask]'") from None
        if self.scheduler:
            try:
                return Client(self.scheduler, timeout="10s"), None
            except (OSError, TimeoutError) as exc:
                raise UserError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {_one_line(exc)}"
                ) from None
        cluster = local_cluster(os.cpu_count() or 1, dashboard_address=":0")  # any free port
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
                        files = [(str(p), n, skip.get(n)) for p, n in chunk]
                        workers = max(1, len(client.scheduler_info()["workers"]))
                        nxt = [
                            client.submit(process_files, part, shared, pure=False)
                            for part in tasks_for(files, workers)
                        ]
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
    for outcome in (o for part in client.gather(futures) for o in part):
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
