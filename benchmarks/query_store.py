"""Benchmark claimgraph's store (Oxigraph on disk) against rdflib's in-memory Dataset.

    python benchmarks/query_store.py                    # about 1,000,000 triples
    python benchmarks/query_store.py --triples 100000   # a quicker run

A synthetic graph shaped like ours is generated with graph.rdf.document_quads from
Extractions: a few hundred documents, each with people, works, events and claims drawn from
shared pools (so nodes recur across documents, as after real ingest), supports/disputes/cites
edges with evidence nodes and passages, confidences in [0.2, 1]. Then, each measurement in a
separate subprocess so that peak memory (getrusage maxrss) is its own:

* load time and peak memory: DiskStore.replace_graphs (the write path ingest uses) against
  MemoryStore.replace_graphs (rdflib's Dataset) from the same quads; and from an N-Quads file,
  pyoxigraph's bulk loader into a store generation against rdflib's `Dataset.parse`;
* the median latency of 5 runs of every saved query (all rows materialised, through
  queries.frames.run) on both, rdflib's engine with a time budget per query.

Targets (from the project's issue): load >= 8x faster, median saved query >= 10x faster and
none slower, peak memory below half.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic_graph import generate

ROOT = Path(__file__).resolve().parents[1]

RUNS = 5


def rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux: ru_maxrss is KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- subprocess tasks ------------------------------------------------------------------------
def task_generate(args) -> dict:
    import pyoxigraph as ox

    from claimgraph.graph.store import to_ox_quads

    start = time.perf_counter()
    graphs, total, params = generate(args.triples)
    generated = time.perf_counter() - start
    with open(args.data, "wb") as f:
        for quads in graphs.values():
            ox.serialize(to_ox_quads(quads), f, format=ox.RdfFormat.N_QUADS)
    return {"triples": total, "documents": len(graphs), "seconds": generated, "params": params}


def task_load_api(args) -> dict:
    """Generate the quads (timed apart), then write them with the store API of one engine.

    The write is what an ingest pays per commit; the build (synthetic documents and
    `document_quads`, rdflib terms or pyoxigraph Quads) is reported apart, for both."""
    from claimgraph.graph.store import DiskStore, MemoryStore, named_quads

    start = time.perf_counter()
    graphs, total, _ = generate(args.triples, native=args.engine == "claimgraph-native")
    built = time.perf_counter() - start
    gc.collect()
    base = rss_mib()
    cpu = os.times()
    start = time.perf_counter()
    if args.engine in ("claimgraph", "claimgraph-native"):
        store = DiskStore(args.store)
        store.replace_graphs(graphs)
    else:
        store = MemoryStore()
        store.replace_graphs(graphs)
    seconds = time.perf_counter() - start
    done = os.times()
    if isinstance(store, DiskStore):
        stored = sum(1 for _ in named_quads(store.oxigraph()))  # not the merge
    else:
        stored = sum(len(g) for g in store.dataset().graphs())
    return {
        "seconds": seconds,
        "cpu_seconds": done.user - cpu.user + done.system - cpu.system,
        "build_seconds": built,
        "base_mib": base,
        "peak_mib": rss_mib(),
        "triples": total,
        "stored": stored,
    }


def task_load_file(args) -> dict:
    """Load the N-Quads file: pyoxigraph's bulk loader into a store generation, or rdflib."""
    base = rss_mib()
    start = time.perf_counter()
    if args.engine == "claimgraph":
        import pyoxigraph as ox

        from claimgraph.graph.store import DiskStore

        store = DiskStore(args.store)
        store.replace_graphs({})  # a new store: an empty first generation and CURRENT
        db = ox.Store(str(store.current()))
        db.bulk_load(path=args.data, format=ox.RdfFormat.N_QUADS)
        db.flush()
        count = len(db)
        del db
        loaded = time.perf_counter()
        store.replace_graphs({})  # the next write builds the merged default graph
        merge_seconds = time.perf_counter() - loaded
        start += merge_seconds  # reported apart: the file load is compared without it
    elif args.engine == "oxigraph-disk":  # reference: pyoxigraph's own on-disk bulk load
        import pyoxigraph as ox

        db = ox.Store(args.store)
        db.bulk_load(path=args.data, format=ox.RdfFormat.N_QUADS)
        db.flush()
        count = len(db)
        del db
    elif args.engine == "oxigraph-memory":  # reference only: not persistent, not our store
        import pyoxigraph as ox

        db = ox.Store()
        db.bulk_load(path=args.data, format=ox.RdfFormat.N_QUADS)
        count = len(db)
    else:
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        ds.parse(args.data, format="nquads")
        count = len(ds)
    seconds = time.perf_counter() - start
    out = {"seconds": seconds, "base_mib": base, "peak_mib": rss_mib(), "quads": count}
    if args.engine == "claimgraph":
        out["merge_seconds"] = merge_seconds
    return out


class Budget(Exception):
    pass


def _alarm(signum, frame):
    raise Budget


def task_queries(args) -> dict:
    """Run every saved query RUNS times on one engine; medians in ms and row counts."""
    from claimgraph.queries.frames import run
    from claimgraph.queries.library import list_queries

    params = json.loads(args.params)
    load_seconds = None
    if args.engine == "claimgraph":
        from claimgraph.graph.store import DiskStore

        start = time.perf_counter()
        target = DiskStore(args.store).dataset()
        load_seconds = time.perf_counter() - start
    else:
        from rdflib import Dataset

        from claimgraph.graph.namespaces import bind_prefixes

        start = time.perf_counter()
        target = Dataset(default_union=True)
        target.parse(args.data, format="nquads")
        bind_prefixes(target)
        load_seconds = time.perf_counter() - start
    loaded_mib = rss_mib()
    signal.signal(signal.SIGALRM, _alarm)
    out = {}
    names = args.only.split(",") if args.only else [q.name for q in list_queries()]
    for name in names:
        times, rows, status = [], None, "ok"
        spent = 0.0
        for _ in range(RUNS):
            signal.setitimer(signal.ITIMER_REAL, args.budget)
            start = time.perf_counter()
            try:
                rows = len(list(run(target, name, params.get(name, {}))))
            except Budget:
                status = "budget"
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            elapsed = time.perf_counter() - start
            times.append(elapsed)
            spent += elapsed
            if spent > 2 * args.budget:  # enough for a median on a slow engine
                break
        gc.collect()
        out[name] = {
            "ms": statistics.median(times) * 1000 if times and status == "ok" else None,
            "runs": len(times),
            "rows": rows,
            "status": status,
        }
    return {
        "queries": out,
        "open_seconds": load_seconds,
        "loaded_mib": loaded_mib,
        "peak_mib": rss_mib(),
    }


TASKS = {
    "generate": task_generate,
    "load-api": task_load_api,
    "load-file": task_load_file,
    "queries": task_queries,
}


def subtask(name: str, **options) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--task", name]
    for key, value in options.items():
        if value is not None:
            cmd += [f"--{key.replace('_', '-')}", str(value)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark task {name} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- the report ------------------------------------------------------------------------------
def fmt_ratio(fast: float | None, slow: float | None, budget_ms: float | None = None) -> str:
    if fast is None:
        return "n/a"
    if slow is None:
        return f"> {budget_ms / max(fast, 1e-9):,.0f}x" if budget_ms else "n/a"
    return f"{slow / max(fast, 1e-9):,.1f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="graph size (1000000)")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds per rdflib query run (60)"
    )
    parser.add_argument("--workdir", help="keep data and stores here (default: a temp folder)")
    parser.add_argument("--only", help="comma-separated saved query names (default: all)")
    parser.add_argument(
        "--write-only",
        type=int,
        metavar="ROUNDS",
        help="only the write path: ROUNDS of pyoxigraph quads into the store, then the same "
        "quads into rdflib's memory store, back to back",
    )
    # internal: one measurement in its own process
    parser.add_argument("--task", choices=sorted(TASKS), help=argparse.SUPPRESS)
    parser.add_argument(
        "--engine",
        choices=("claimgraph", "claimgraph-native", "rdflib", "oxigraph-memory", "oxigraph-disk"),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.task:
        print(json.dumps(TASKS[args.task](args)))
        return 0

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="cg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "graph.nq"
    try:
        return report(args, work, data)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def write_rounds(args, work: Path) -> int:
    """The write path only: replace_graphs with ingest's quads against rdflib, round by round."""
    print(f"write path: --triples {args.triples:,}, {args.write_only} rounds, back to back")
    ratios, cpu_ratios = [], []
    for n in range(args.write_only):
        shutil.rmtree(work / "store-native", ignore_errors=True)
        cg = subtask(
            "load-api",
            engine="claimgraph-native",
            triples=args.triples,
            store=work / "store-native",
        )
        rd = subtask("load-api", engine="rdflib", triples=args.triples)
        if cg["stored"] != rd["stored"]:
            raise SystemExit(f"stored {cg['stored']:,} quads, rdflib {rd['stored']:,}")
        ratios.append(rd["seconds"] / cg["seconds"])
        cpu_ratios.append(rd["cpu_seconds"] / cg["cpu_seconds"])
        print(
            f"  round {n + 1}: store {cg['seconds']:.2f} s (cpu {cg['cpu_seconds']:.2f} s), "
            f"rdflib {rd['seconds']:.2f} s (cpu {rd['cpu_seconds']:.2f} s): "
            f"{ratios[-1]:.2f}x wall, {cpu_ratios[-1]:.2f}x cpu; {cg['stored']:,} quads each; "
            f"build {cg['build_seconds']:.1f} s vs {rd['build_seconds']:.1f} s; "
            f"peak {cg['peak_mib']:,.0f} vs {rd['peak_mib']:,.0f} MiB; load {os.getloadavg()[0]:.1f}"
        )
    print(
        f"  median {statistics.median(ratios):.2f}x wall (target >= 3x), "
        f"{statistics.median(cpu_ratios):.2f}x cpu"
    )
    return 0


def report(args, work: Path, data: Path) -> int:
    if args.write_only:
        return write_rounds(args, work)
    say = print
    say(f"claimgraph store benchmark: --triples {args.triples:,}, rdflib budget {args.budget:g} s")
    gen = subtask("generate", triples=args.triples, data=data)
    say(
        f"generated {gen['triples']:,} triples in {gen['documents']:,} documents "
        f"({gen['seconds']:.1f} s; N-Quads {data.stat().st_size / 2**20:,.0f} MiB)\n"
    )
    for p in ("store-api", "store-native", "store-file", "oxigraph-disk"):
        shutil.rmtree(work / p, ignore_errors=True)
    load = {
        ("api", "claimgraph"): subtask(
            "load-api", engine="claimgraph", triples=args.triples, store=work / "store-api"
        ),
        ("api", "rdflib"): subtask("load-api", engine="rdflib", triples=args.triples),
        ("file", "claimgraph"): subtask(
            "load-file", engine="claimgraph", data=data, store=work / "store-file"
        ),
        ("file", "rdflib"): subtask("load-file", engine="rdflib", data=data),
        ("file", "oxigraph-memory"): subtask("load-file", engine="oxigraph-memory", data=data),
        ("native", "claimgraph"): subtask(
            "load-api",
            engine="claimgraph-native",
            triples=args.triples,
            store=work / "store-native",
        ),
        ("file", "oxigraph-disk"): subtask(
            "load-file", engine="oxigraph-disk", data=data, store=work / "oxigraph-disk"
        ),
    }
    load[("native", "rdflib")] = load[("api", "rdflib")]
    rows = [
        ("load", "claimgraph", "rdflib", "speed-up", "peak MiB cg", "peak MiB rdflib", "mem ratio")
    ]
    for kind, label in (
        ("api", "replace_graphs, rdflib quads"),
        ("native", "replace_graphs, pyoxigraph quads (ingest path)"),
        ("file", "N-Quads file"),
    ):
        cg, rd = load[(kind, "claimgraph")], load[(kind, "rdflib")]
        rows.append(
            (
                label,
                f"{cg['seconds']:.2f} s",
                f"{rd['seconds']:.2f} s",
                fmt_ratio(cg["seconds"], rd["seconds"]),
                f"{cg['peak_mib']:,.0f}",
                f"{rd['peak_mib']:,.0f}",
                f"{cg['peak_mib'] / rd['peak_mib']:.2f}",
            )
        )
    ref, rd = load[("file", "oxigraph-memory")], load[("file", "rdflib")]
    rows.append(
        (
            "reference: Oxigraph in memory",
            f"{ref['seconds']:.2f} s",
            f"{rd['seconds']:.2f} s",
            fmt_ratio(ref["seconds"], rd["seconds"]),
            f"{ref['peak_mib']:,.0f}",
            f"{rd['peak_mib']:,.0f}",
            f"{ref['peak_mib'] / rd['peak_mib']:.2f}",
        )
    )
    table(rows)
    ox_disk = load[("file", "oxigraph-disk")]["seconds"]
    say(
        f"  file load into a store generation {load[('file', 'claimgraph')]['seconds']:.2f} s "
        f"against pyoxigraph's own on-disk bulk_load {ox_disk:.2f} s: "
        f"{load[('file', 'claimgraph')]['seconds'] / ox_disk:.2f}x (target <= 1.3x), then "
        f"{load[('file', 'claimgraph')]['merge_seconds']:.2f} s to build the merged default "
        "graph at the next write; "
        f"ingest-path quads {fmt_ratio(load[('native', 'claimgraph')]['seconds'], load[('api', 'rdflib')]['seconds'])}"
        " faster than rdflib's memory store (target >= 3x)"
    )
    say(
        "  (the reference row is not persistent: the same file in a store that is gone when "
        "the process ends; it shows what the on-disk write costs)"
    )
    say(
        "  (replace_graphs rows include the generated quads held in memory by both: "
        f"{load[('api', 'claimgraph')]['base_mib']:,.0f} / "
        f"{load[('api', 'rdflib')]['base_mib']:,.0f} MiB before loading)\n"
    )

    params = json.dumps(gen["params"])
    cg = subtask(
        "queries", engine="claimgraph", store=work / "store-api", params=params, only=args.only
    )
    rd = subtask(
        "queries", engine="rdflib", data=data, params=params, budget=args.budget, only=args.only
    )
    budget_ms = args.budget * 1000
    rows = [("saved query", "rows", "claimgraph ms", "rdflib ms", "speed-up", "rows agree")]
    ratios = []
    for name, a in cg["queries"].items():
        b = rd["queries"][name]
        slow = b["ms"]
        rd_text = f"{slow:,.1f}" if slow is not None else f"> {args.budget:g} s"
        if b["runs"] < RUNS and slow is not None:
            rd_text += f" ({b['runs']} runs)"
        if a["ms"] is not None:
            ratios.append((slow if slow is not None else budget_ms) / max(a["ms"], 1e-9))
        agree = (
            "-"
            if b["rows"] is None or b["status"] != "ok"
            else ("yes" if a["rows"] == b["rows"] else f"NO ({b['rows']})")
        )
        rows.append(
            (
                name,
                f"{a['rows']:,}" if a["rows"] is not None else "-",
                f"{a['ms']:,.1f}" if a["ms"] is not None else "> budget",
                rd_text,
                fmt_ratio(a["ms"], slow, budget_ms),
                agree,
            )
        )
    table(rows)
    say(
        f"  store opened in {cg['open_seconds'] * 1000:.0f} ms, peak {cg['peak_mib']:,.0f} MiB while "
        f"querying; rdflib parsed the file in {rd['open_seconds']:.1f} s, "
        f"{rd['loaded_mib']:,.0f} MiB loaded, peak {rd['peak_mib']:,.0f} MiB\n"
    )

    load_ratio = min(
        load[(k, "rdflib")]["seconds"] / load[(k, "claimgraph")]["seconds"] for k in ("api", "file")
    )
    mem_ratio = max(
        load[(k, "claimgraph")]["peak_mib"] / load[(k, "rdflib")]["peak_mib"]
        for k in ("api", "file")
    )
    median = statistics.median(ratios) if ratios else 0.0
    slowest = min(ratios) if ratios else 0.0
    say("targets:")
    say(
        f"  load >= 8x faster:                 {load_ratio:,.1f}x (worst of the two ways)  "
        f"{'met' if load_ratio >= 8 else 'NOT met'}"
    )
    say(
        f"  median saved query >= 10x faster:  {median:,.1f}x (budget counts as its time)  "
        f"{'met' if median >= 10 else 'NOT met'}"
    )
    say(
        f"  no saved query slower:             slowest ratio {slowest:,.1f}x  "
        f"{'met' if slowest >= 1 else 'NOT met'}"
    )
    say(
        f"  peak memory below half:            {mem_ratio:.2f} of rdflib's (worst)  "
        f"{'met' if mem_ratio < 0.5 else 'NOT met'}"
    )
    return 0


def table(rows: list[tuple]) -> None:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
