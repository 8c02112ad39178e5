"""Scaling ingest: Dask workers against one process, and peak memory against corpus size.

    python benchmarks/scale_ingest.py [--docs 200] [--small 2000] [--repeat 2] [--skip PART]

(a) throughput: --docs generated documents (paragraphs of examples/corpus, shuffled with a
    fixed seed, 3 to a document) ingested with `--jobs 1` and with Dask on a LocalCluster of
    2 single-threaded worker processes set up as `--engine dask` sets them (started and
    warmed first; its start-up is printed apart); runs alternate which goes first; prints
    documents/s, the ratio (target >= 1.6x), the load average and whether the N-Quads match.
(b) memory: peak RSS of a whole ingest (its own process) of --small 40-word documents
    against a tenth as many (target <= 1.5x: memory must not grow with the corpus).
(c) resolution: the streamed resolver's time per batch of invented documents, over the
    first and the last tenth of --batches batches (must not grow with the batches before).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261130
PER_DOC = 3  # paragraphs per document in (a)
SMALL_WORDS = 40  # words per document in (b)


def paragraphs() -> list[str]:
    out = []
    for f in sorted((ROOT / "examples" / "corpus").iterdir()):
        out += [p.strip() for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return out


def build(dst: Path, count: int, per_doc: int, cut: int = 0) -> int:
    """`count` documents of `per_doc` shuffled paragraphs each (each cut to its first `cut`
    words if given); returns the words written."""
    rng = random.Random(SEED + per_doc)
    pool, words = paragraphs(), 0
    dst.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        chosen = rng.sample(pool, min(per_doc, len(pool)))
        if cut:
            chosen = [" ".join(p.split()[:cut]) for p in chosen]
        text = "\n\n".join(chosen) + "\n"
        (dst / f"doc{i:05d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def nquads(store: Path) -> list[str]:
    from claimgraph.graph.store import DiskStore

    db = DiskStore(store).oxigraph()
    return sorted(str(q) for q in db if "AtTime" not in str(q.predicate))


def timed_ingest(corpus: Path, store: Path, engine=None) -> float:
    from claimgraph.graph.store import DiskStore
    from claimgraph.ingest.pipeline import ingest

    shutil.rmtree(store, ignore_errors=True)
    start = time.perf_counter()
    ingest([corpus], DiskStore(store), progress=False, engine=engine)
    return time.perf_counter() - start


def throughput(work: Path, docs: int, repeat: int) -> None:
    from distributed import Client

    from claimgraph.ingest.distributed import DaskEngine, local_cluster
    from claimgraph.ingest.nlp import load_nlp

    corpus = work / "corpus"
    words = build(corpus, docs, PER_DOC)
    print(f"(a) {docs} documents, {words:,} words; 2 cpus shared with whatever else runs")
    load_nlp()
    started = time.perf_counter()
    cluster = local_cluster(2)  # as `--engine dask` starts one
    with Client(cluster) as client:
        client.run(load_nlp)  # each worker loads spaCy once, as it would for a long ingest
    print(f"    cluster start and spaCy load on 2 workers: {time.perf_counter() - started:.1f} s")
    engine = DaskEngine(cluster.scheduler_address, progress=False)
    ratios = []
    for run in range(repeat):
        load = os.getloadavg()[0]
        if run % 2:  # alternate the order, so that a load change mid-run favours neither
            t2 = timed_ingest(corpus, work / "dask", engine)
            t1 = timed_ingest(corpus, work / "local", None)
        else:
            t1 = timed_ingest(corpus, work / "local", None)
            t2 = timed_ingest(corpus, work / "dask", engine)
        same = nquads(work / "local") == nquads(work / "dask")
        ratios.append(t1 / t2)
        print(
            f"    run {run + 1}: --jobs 1 {t1:.1f} s ({docs / t1:.1f} docs/s, {words / t1:,.0f} w/s)"
            f"; dask 2 workers {t2:.1f} s ({docs / t2:.1f} docs/s); ratio {t1 / t2:.2f}x;"
            f" same N-Quads: {same}; load average {load:.1f} -> {os.getloadavg()[0]:.1f}"
        )
    cluster.close()
    print(
        f"    throughput ratio median {statistics.median(ratios):.2f}x, range "
        f"{min(ratios):.2f}-{max(ratios):.2f}x (target >= 1.6x)"
    )


def memory(work: Path, small: int, repeat: int) -> None:
    peaks = {}
    for count in (small // 10, small):
        corpus = work / f"small{count}"
        words = build(corpus, count, 1, SMALL_WORDS)
        peaks[count] = []
        for _ in range(repeat):
            out = subprocess.run(
                [sys.executable, __file__, "--task-memory", str(corpus), str(work / "mem")],
                capture_output=True,
                text=True,
                check=True,
            )
            peaks[count].append(json.loads(out.stdout.strip().splitlines()[-1]))
        runs = ", ".join(f"{p['peak_mib']:.0f} MiB in {p['seconds']:.0f} s" for p in peaks[count])
        print(f"(b) {count:>5} documents ({words:,} words): peak RSS {runs}")
    lo = statistics.median(p["peak_mib"] for p in peaks[small // 10])
    hi = statistics.median(p["peak_mib"] for p in peaks[small])
    print(f"    peak ratio {small} / {small // 10} documents: {hi / lo:.2f}x (target <= 1.5x)")


def resolution(batches: int, per_batch: int = 100) -> None:
    """Cross-document resolution per batch as an ingest grows: invented people (many sharing
    surnames, some named by surname only) in `batches` batches of documents."""
    from claimgraph.graph.identity import node_key
    from claimgraph.graph.model import Extraction, Mention, Node
    from claimgraph.ingest.stream_resolve import Resolver

    rng = random.Random(SEED)
    surnames = ["".join(rng.choice("bdgklmnprstvz") + rng.choice("aeiou") for _ in range(3))
                for _ in range(2000)]  # fmt: skip
    given = ["Ada", "Bo", "Cy", "Di", "Eli", "Fay", "Gus", "Hal", "A.", "B.", "C."]
    resolver, times = Resolver({}, {}), []
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(per_batch):
            ex = Extraction()
            for _ in range(8):
                last = rng.choice(surnames).capitalize()
                label = last if rng.random() < 0.2 else f"{rng.choice(given)} {last}"
                mentions = [Mention(0, 3)] * rng.randint(1, 4)
                ex.add_node(Node("Person", node_key("Person", label), label, mentions=mentions))
            resolver.add(ex)
        resolver.resolve()
        times.append(time.perf_counter() - start)
    tenth = max(1, batches // 10)
    medians = [statistics.median(times[i : i + tenth]) * 1000 for i in range(0, batches, tenth)]
    print(
        f"(c) resolution, {batches} batches of {per_batch} documents, median ms per batch by "
        f"tenth of the run: {', '.join(f'{m:.0f}' for m in medians)} (the last {len(resolver.names):,}"
        f" people in {len(resolver.surnames):,} surnames; flat once each surname's people are known)"
    )


def task_memory(corpus: str, store: str) -> None:
    seconds = timed_ingest(Path(corpus), Path(store))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mib": peak, "seconds": seconds}))


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--task-memory":
        task_memory(sys.argv[2], sys.argv[3])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--small", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=2, help="runs of (a)")
    ap.add_argument("--memory-repeat", type=int, default=1, help="runs of (b)")
    ap.add_argument("--batches", type=int, default=200, help="batches of (c)")
    ap.add_argument(
        "--skip",
        choices=("throughput", "memory", "resolution"),
        action="append",
        default=[],
        help="leave a part out (repeatable)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cg-scale-") as tmp:
        if "throughput" not in args.skip:
            throughput(Path(tmp), args.docs, args.repeat)
        if "memory" not in args.skip:
            memory(Path(tmp), args.small, args.memory_repeat)
        if "resolution" not in args.skip:
            resolution(args.batches)
    return 0


if __name__ == "__main__":
    sys.exit(main())
