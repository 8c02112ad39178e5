"""Ingest throughput against bare spaCy on the same text with the same components.

Builds a corpus of at least --words words (the sample corpus copied under different file
names), then measures, in this one run so that machine noise hits both alike:
  * bare spaCy: `nlp.pipe` over the same passages, same components and batch size;
  * claimgraph: the whole ingest (read, spaCy, extraction, RDF, atomic store write);
each on one process and with two (`--jobs 2` / `n_process=2`). Prints words per second and
the ratio ingest / spaCy. Target (issue 2): ratio >= 0.6 on one process.

    python benchmarks/ingest_throughput.py [--words 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from claimgraph.graph.store import DiskStore  # noqa: E402
from claimgraph.ingest.nlp import BATCH_SIZE, load_nlp  # noqa: E402
from claimgraph.ingest.pipeline import IngestSummary, ingest, read_all  # noqa: E402


def build_corpus(dst: Path, words: int) -> int:
    samples = sorted((ROOT / "examples" / "corpus").iterdir())
    total, i = 0, 0
    while total < words:
        for f in samples:
            shutil.copy(f, dst / f"copy{i:03d}_{f.name}")
            total += len(f.read_text(encoding="utf-8").split())
        i += 1
    return total


def bare_spacy(texts: list[str], jobs: int) -> float:
    nlp = load_nlp()
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=jobs):
        pass
    return time.perf_counter() - start


def claimgraph_ingest(corpus: Path, jobs: int) -> float:
    store = Path(tempfile.mkdtemp(prefix="cg-bench-store-"))
    try:
        start = time.perf_counter()
        ingest([corpus], DiskStore(store / "s"), jobs=jobs, progress=False)
        return time.perf_counter() - start
    finally:
        shutil.rmtree(store, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="cg-bench-corpus-") as tmp:
        corpus = Path(tmp)
        words = build_corpus(corpus, args.words)
        docs = read_all([corpus], IngestSummary())
        texts = [d.nlp_text[s:e] for d in docs for s, e in d.passages]
        load_nlp()  # both sides run with the model already loaded
        print(
            f"corpus: {len(docs)} files, {words:,} words, {len(texts):,} passages; "
            f"cpus: {os.cpu_count()}; repeat: {args.repeat}"
        )
        print(f"{'jobs':>4}  {'spaCy w/s':>10}  {'ingest w/s':>10}  {'ratio':>6}  spread")
        for jobs in args.jobs:
            ratios, sp, ig = [], [], []
            for _ in range(args.repeat):
                t_sp = bare_spacy(texts, jobs)
                t_ig = claimgraph_ingest(corpus, jobs)
                sp.append(words / t_sp)
                ig.append(words / t_ig)
                ratios.append(t_sp / t_ig)
            spread = f"{min(ratios):.2f}-{max(ratios):.2f}" if len(ratios) > 1 else "-"
            print(
                f"{jobs:>4}  {statistics.median(sp):>10,.0f}  {statistics.median(ig):>10,.0f}  "
                f"{statistics.median(ratios):>6.2f}  {spread}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
