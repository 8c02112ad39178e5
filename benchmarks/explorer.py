"""What the explorer's rendering adds to its queries, per page type, over loopback.

    python benchmarks/explorer.py                   # about 100,000 triples (quick)
    python benchmarks/explorer.py --triples 1000000 # the issue's size

A graph shaped like claimgraph's (benchmarks/synthetic_graph.py) is written to a
store and served by `claimgraph serve` on a free loopback port. For each page type (claim,
person, work, event, document, the embedded view, search, the four lists) it opens sample
pages and times the whole page (GET, full body read), then sends the same page's queries
(the links of its "show SPARQL" block, i.e. the same SPARQL with the parameters written as
VALUES) to `/query` one after another and times them together. Printed: p50 and p95 of both
and their ratio at p95 (target: the page costs at most 1.5x its queries); then p95 of the
time the page's own queries took in the worker pool (as its SPARQL block shows: bound as
terms, which Oxigraph may plan differently from the link's VALUES blocks) and the page's p95
against it, i.e. what rendering adds to the page's own queries. Every link's answer
must have as many rows as the page says its query had; any that does not is printed as NOT
THE SAME QUERY (the two sides would then not measure the same work).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_graph import generate  # noqa: E402

BASE = "https://w3id.org/claimgraph/id/"
KINDS = {
    "claim": "schema:Claim",
    "person": "schema:Person",
    "work": "schema:CreativeWork",
    "event": "schema:Event",
    "doc": "cg:SourceDocument",
}
_RUN = re.compile(r'<a class="run" href="([^"]+)"')
_ROWS = re.compile(r"<h3>.*?<small>(\d+) rows?\b")
_MS = re.compile(r'<span class="ms">([\d.]+)</span>')


def fetch(url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
    return time.perf_counter() - start, body


def start_server(store: Path, workers: int) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "claimgraph.cli", "serve", "--store", str(store)]
    command += ["--port", "0", "--workers", str(workers), "--timeout", "60"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = proc.stdout.readline().decode()
    m = re.search(r"(http://\S+)/query", line)
    if not m:
        proc.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return proc, m.group(1)


def sample_keys(base: str, cls: str, n: int) -> list[str]:
    """Up to n node keys of a class, spread over the store (every k-th of a sorted list)."""
    query = f"SELECT DISTINCT ?n WHERE {{ ?n a {cls} }} ORDER BY ?n"
    _, body = fetch(base + "/query?" + urllib.parse.urlencode({"query": query}))
    rows = [r["n"]["value"] for r in json.loads(body)["results"]["bindings"]]
    step = max(1, len(rows) // n)
    return [r.removeprefix(BASE) for r in rows[::step][:n]]


def rows_of(body: bytes) -> int:
    """The number of rows of a /query answer (SPARQL JSON)."""
    return len(json.loads(body)["results"]["bindings"])


def measure(base: str, path: str, wrong: list[str]) -> tuple[float, float, float | None]:
    """(seconds for the page, for its queries through /query, for its queries as the page ran
    them: the milliseconds its SPARQL block shows, None for the view). A page that is not a
    200 stops the run (urlopen raises); a query whose /query link answers another number of
    rows than the page says it got is added to `wrong` (then the two do not measure the same)."""
    page, body = fetch(base + path)
    text = body.decode("utf-8")
    links = [html.unescape(h) for h in _RUN.findall(text)]
    counts = [int(n) for n in _ROWS.findall(text)]
    own = sum(float(ms) for ms in _MS.findall(text)) / 1000 if links else None
    if path.startswith("/view/"):  # the view shows no SPARQL block: its one query
        from rdflib import URIRef

        from claimgraph.queries import explorer_sparql as sparql
        from claimgraph.queries.explorer_data import query_link

        focus = {"focus": URIRef(BASE + urllib.parse.unquote(path.removeprefix("/view/")))}
        links = [query_link(sparql.NEIGHBOURHOOD, focus)]
    elif not links or len(counts) != len(links):
        wrong.append(f"{path}: no SPARQL block (an error page?)")
    queries = 0.0
    for i, link in enumerate(links):
        seconds, answer = fetch(base + link)
        queries += seconds
        if i < len(counts) and rows_of(answer) != counts[i]:
            wrong.append(f"{path}: query {i + 1} answers {rows_of(answer)} rows, page {counts[i]}")
    return page, queries, own


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="graph size (100000)")
    parser.add_argument("--samples", type=int, default=20, help="pages per type (20)")
    parser.add_argument("--workers", type=int, default=2, help="server query workers (2)")
    parser.add_argument("--workdir", help="keep the store here (default: a temp folder)")
    args = parser.parse_args(argv)

    from claimgraph.graph.store import DiskStore

    work = Path(args.workdir or tempfile.mkdtemp(prefix="cg-explorer-bench-"))
    store = work / "store"
    started = time.perf_counter()
    if not (store / "CURRENT").exists():
        graphs, total, _ = generate(args.triples)
        DiskStore(store).replace_graphs(graphs)
        print(
            f"store: {total:,} triples in {len(graphs)} documents, {time.perf_counter() - started:.1f} s"
        )
    proc, base = start_server(store, args.workers)
    try:
        paths: dict[str, list[str]] = {}
        for kind, cls in KINDS.items():
            keys = sample_keys(base, cls, args.samples)
            paths[kind] = ["/" + urllib.parse.quote(k) for k in keys]
        paths["view"] = ["/view/" + p.lstrip("/") for p in paths["claim"][: args.samples]]
        words = ["a", "the", "an", "of", "war", "report"]
        paths["search"] = [f"/search?q={words[i % len(words)]}" for i in range(args.samples)]
        for name in ("contested", "disputes", "most-cited", "low-confidence"):
            paths[f"list/{name}"] = [f"/list/{name}"] * max(3, args.samples // 4)
        wrong: list[str] = []
        warm = {**paths, "view": ["/view/" + p.lstrip("/") for p in paths["person"]]}
        for kind_paths in warm.values():  # warm the workers (not the view's own cache)
            measure(base, kind_paths[0], wrong)
        print(
            f"{'page':<20}{'n':>4}{'page p50':>10}{'page p95':>10}{'SPARQL p50':>12}"
            f"{'SPARQL p95':>12}{'p95 ratio':>11}{'in-page p95':>13}{'ratio':>7}"
        )
        worst = 0.0
        for kind, kind_paths in paths.items():
            runs = [measure(base, p, wrong) for p in kind_paths]
            pages, queries, owns = ([r[i] for r in runs] for i in range(3))
            ratio = pct(pages, 0.95) / max(pct(queries, 0.95), 1e-9)
            worst = max(worst, ratio)
            own = "" if None in owns else f"{pct(owns, 0.95) * 1000:>11.1f}ms"
            own_ratio = "" if None in owns else f"{pct(pages, 0.95) / pct(owns, 0.95):>6.2f}x"
            print(
                f"{kind:<20}{len(pages):>4}{pct(pages, 0.5) * 1000:>8.1f}ms{pct(pages, 0.95) * 1000:>8.1f}ms"
                f"{pct(queries, 0.5) * 1000:>10.1f}ms{pct(queries, 0.95) * 1000:>10.1f}ms{ratio:>10.2f}x"
                f"{own}{own_ratio}"
            )
        print(f"worst p95 ratio page / its queries: {worst:.2f}x (target <= 1.50x)")
        for line in sorted(set(wrong)):
            print(f"NOT THE SAME QUERY: {line}")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
