"""Ingest time into an Oxigraph server (RemoteStore) against the embedded store (DiskStore).

    python benchmarks/remote_store.py                       # ~200,000 synthetic triples
    python benchmarks/remote_store.py --triples 50000
    python benchmarks/remote_store.py --corpus examples/corpus   # also full ingest of files

The write path: the same {document graph: quads} (benchmarks/synthetic_graph.py, a
graph shaped like ingest's) written with `replace_graphs`, one call per batch of documents as
ingest does, into a new embedded store and into a fresh `oxigraph serve` on loopback. With
--corpus, also `claimgraph.ingest` of a folder end to end (spaCy included) into each.
Prints both times and the ratio (target: the remote store within 2x of the embedded one).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_oxigraph(folder: Path) -> tuple[subprocess.Popen, str]:
    """A fresh Oxigraph server on loopback, persisted in `folder`; (process, URL)."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("oxigraph server did not start")


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def write_path(graphs: dict, embedded, remote, batch: int) -> tuple[float, float]:
    """Seconds to write `graphs` with replace_graphs in batches, embedded then remote."""
    names = list(graphs)
    chunks = [{g: graphs[g] for g in names[i : i + batch]} for i in range(0, len(names), batch)]

    def write(store):
        for chunk in chunks:
            store.replace_graphs(chunk)

    return timed(lambda: write(embedded)), timed(lambda: write(remote))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=200_000, help="synthetic graph size")
    parser.add_argument("--batch", type=int, default=50, help="documents per replace_graphs")
    parser.add_argument("--corpus", help="also ingest this folder end to end into both")
    args = parser.parse_args(argv)

    from synthetic_graph import generate

    from claimgraph import ingest
    from claimgraph.graph.remote_store import RemoteStore
    from claimgraph.graph.store import DiskStore, MemoryStore

    work = Path(tempfile.mkdtemp(prefix="claimgraph-remote-bench-"))
    proc, url = start_oxigraph(work / "server")
    try:
        graphs, total, _params = generate(args.triples)
        disk, remote = DiskStore(work / "embedded"), RemoteStore(url)
        local_s, remote_s = write_path(graphs, disk, remote, args.batch)
        print(f"write path: {len(graphs)} documents, {total} triples, {args.batch} per write")
        print(f"  embedded store   {local_s:8.2f} s")
        print(f"  oxigraph server  {remote_s:8.2f} s")
        print(f"  ratio remote/embedded {remote_s / local_s:.2f}x (target <= 2x)")
        if args.corpus:
            remote.replace_graphs({}, remove=remote.graphs())
            disk2 = DiskStore(work / "embedded-ingest")
            ingest([args.corpus], MemoryStore(), progress=False)  # warm-up: load spaCy once
            local_s = timed(lambda: ingest([args.corpus], disk2, progress=False))
            remote_s = timed(lambda: ingest([args.corpus], remote, progress=False))
            print(f"ingest {args.corpus} end to end (spaCy included)")
            print(f"  embedded store   {local_s:8.2f} s")
            print(f"  oxigraph server  {remote_s:8.2f} s")
            print(f"  ratio remote/embedded {remote_s / local_s:.2f}x (target <= 2x)")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
