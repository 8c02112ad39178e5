"""How big a graph can `claimgraph viz` draw? Prints figures; not a test.

For synthetic claim graphs of several sizes (people, works, claims; supports, disputes, cites,
author edges in the proportions of the sample corpus) it measures HTML generation time (with
the layout), file size, and in headless Chromium (/usr/bin/chromium) the time until the view
is ready and until vis physics has come to rest, with live physics and with precomputed
positions and physics off, plus the time of one full redraw (what every pan or zoom costs).

    .venv/bin/python benchmarks/viz_scale.py            # 100 150 300 1000 2000 3000 10000
    .venv/bin/python benchmarks/viz_scale.py --sizes 500 2000 --physics-max 1000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

from claimgraph.graph.views import render_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def synthetic(n: int, seed: int = 0) -> nx.MultiDiGraph:
    """A claim graph with n nodes: half claims, and about as many edges as nodes."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    kinds = rng.choices(["Claim", "Person", "Work", "Event"], weights=[50, 27, 15, 8], k=n)
    for i, kind in enumerate(kinds):
        G.add_node(f"n{i}", label=f"{kind} {i}", type=kind, documents=["d.txt"], aliases=[])
    by = {k: [f"n{i}" for i, t in enumerate(kinds) if t == k] for k in set(kinds)}
    claims, works, people = by.get("Claim", []), by.get("Work", []), by.get("Person", [])
    for _ in range(n):
        rel = rng.choices(["supports", "disputes", "cites", "author"], [40, 8, 30, 22])[0]
        if rel == "author" and people:
            u, v = rng.choice(people), rng.choice(claims + works)
        elif rel == "cites" and works:
            u, v = rng.choice(claims + works), rng.choice(works)
        else:
            u, v = rng.choice(claims + works), rng.choice(claims)
        G.add_edge(u, v, relation=rel, confidence=0.7, quote="q", document="d.txt")
    return G


def measure(page, path: Path, physics: bool, timeout_s: float) -> dict:
    """Ready time, rest time (physics) and one redraw's time for the page at `path`."""
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=timeout_s * 1000)
    ready = time.perf_counter() - start
    rest = None
    if physics:  # vis keeps moving after its stabilisation iterations until at rest
        rest = float("inf")
        while time.perf_counter() - start < timeout_s:
            if page.evaluate("network.physics.stabilized === true"):
                rest = time.perf_counter() - start
                break
            time.sleep(0.25)
    redraw = page.evaluate(
        "() => { const t = performance.now(); network.redraw(); return performance.now() - t; }"
    )
    return {"ready": ready, "rest": rest, "redraw_ms": redraw}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[100, 150, 300, 500, 1000, 2000, 3000, 10000]
    )
    parser.add_argument("--physics-max", type=int, default=1000, help="live physics up to N")
    parser.add_argument("--timeout", type=float, default=180, help="seconds per page")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(
        f"{'nodes':>6} {'edges':>6} {'mode':<8} {'html s':>7} {'MB':>6} {'ready s':>8} "
        f"{'at rest s':>9} {'redraw ms':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        for n in args.sizes:
            G = synthetic(n)
            for physics in (True, False):
                if physics and n > args.physics_max:
                    continue
                t = time.perf_counter()
                html = render_html(G, max_nodes=n, physics_max_nodes=n if physics else 0)
                gen = time.perf_counter() - t
                path = Path(tmp) / f"g{n}-{physics}.html"
                path.write_text(html, encoding="utf-8")
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                try:
                    m = measure(page, path, physics, args.timeout)
                finally:
                    page.close()
                rest = "" if m["rest"] is None else f"{m['rest']:.1f}"
                print(
                    f"{n:>6} {G.number_of_edges():>6} {'physics' if physics else 'fixed':<8} "
                    f"{gen:>7.1f} {len(html) / 1e6:>6.2f} {m['ready']:>8.1f} {rest:>9} "
                    f"{m['redraw_ms']:>9.0f}",
                    flush=True,
                )
        browser.close()


if __name__ == "__main__":
    main()
