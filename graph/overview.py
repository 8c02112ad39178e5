"""The whole-graph overview a person can read: the most contested claims and the most-cited
works with their direct evidence, at most ~60 nodes, on one screen (`claimgraph viz`).

Positions are precomputed (no physics, nothing moves), labels are short and large, nodes with
no edge are left out (and counted), the legend filters by type and relation when clicked, and
a click on a node shows its text and evidence in a side panel. Like graph/views.py the page is
one offline file: vis-network (from the pyvis package, Apache-2.0 / MIT, its licence header
kept) is inlined, the data is JSON with `<`, `>` and `&` escaped, and the panel, legend and
search are built as DOM text, never HTML.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

from claimgraph.graph import analysis
from claimgraph.graph.display import display_text
from claimgraph.graph.layout import importance, layout
from claimgraph.graph.views import _CSP, _SCRIPT, EDGE_STYLE, NODE_STYLE

OVERVIEW_NODES = 60
EVIDENCE_PER_SEED = 8
LABEL_CHARS = 30
PANEL_EVIDENCE = 25
LABEL_MAX_WIDTH = 150.0  # vis-network widthConstraint of a node's label, screen units
CHAR_WIDTH = 11.0  # width of a lower-case character at the overview's 19-unit font
WIDE_CHAR = 14.0  # capitals and digits
LINE_HEIGHT = 23.0
DECLUTTER_GROWTH = 0.1  # how much wider and taller than the layout the decluttered one may be
BOX = (1500.0, 1000.0)  # screen units the overview is stretched to (about 1 zoom on a laptop)
_VIS = Path(__import__("pyvis").__file__).parent / "templates" / "lib" / "vis-9.1.2"


@dataclass
class OverviewInfo:
    """What the overview shows out of the whole graph."""

    nodes: int
    edges: int
    total_nodes: int
    isolated: int
    contested: int
    cited: int


def _evidence_of(G: nx.MultiDiGraph, node: str) -> list[str]:
    """The nodes that are direct evidence for `node`: supporters and disputers of a claim,
    citers of a work (strongest first), then its authors."""
    kind = G.nodes[node].get("type")
    wanted = ("supports", "disputes") if kind == "Claim" else ("cites", "supports", "disputes")
    edges = [(u, d) for u, _, d in G.in_edges(node, data=True) if d.get("relation") in wanted]
    if kind == "Work":
        edges += [(v, d) for _, v, d in G.out_edges(node, data=True) if d.get("relation") in wanted]
    edges.sort(key=lambda e: (-(e[1].get("confidence") or 0), str(e[0])))
    authors = [u for u, _, d in G.in_edges(node, data=True) if d.get("relation") == "author"]
    return list(dict.fromkeys([u for u, _ in edges] + sorted(authors)))


def select(G: nx.MultiDiGraph, limit: int = OVERVIEW_NODES) -> tuple[list[str], int, int]:
    """The nodes of the overview, with how many contested claims and cited works it starts
    from. Falls back to the most important connected nodes when there are neither."""
    contested = list(analysis.contested_claims(G)["claim"])
    cited = list(analysis.most_cited_works(G)["work"])
    seeds = [s for pair in zip(contested, cited, strict=False) for s in pair]
    seeds += contested[len(cited) :] + cited[len(contested) :]
    chosen: dict[str, None] = {}
    used = [0, 0]
    for seed in seeds:
        if len(chosen) >= limit:
            break
        group = [seed, *_evidence_of(G, seed)[:EVIDENCE_PER_SEED]]
        fresh = [n for n in group if n not in chosen]
        if len(chosen) + min(len(fresh), 2) > limit:
            break
        for n in fresh[: limit - len(chosen)]:
            chosen[n] = None
        used[0 if seed in contested else 1] += 1
    if len(chosen) < limit:  # fill with the most important connected nodes near the chosen
        rank = importance(G)
        near = {v for n in chosen for v in nx.all_neighbors(G, n)}
        rest = sorted(
            (n for n in G if n not in chosen and G.degree(n)),
            key=lambda n: (n not in near, -rank[n], str(n)),
        )
        for n in rest[: limit - len(chosen)]:
            chosen[n] = None
    return list(chosen), used[0], used[1]


def overview_graph(
    G: nx.MultiDiGraph, limit: int = OVERVIEW_NODES
) -> tuple[nx.MultiDiGraph, OverviewInfo]:
    """The subgraph drawn by the overview (no isolated node) and what it shows."""
    nodes, contested, cited = select(G, limit)
    H = G.subgraph(nodes).copy()
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    isolated = sum(1 for n in G if G.degree(n) == 0)
    info = OverviewInfo(len(H), H.number_of_edges(), len(G), isolated, contested, cited)
    return H, info


def _short(text: object, limit: int) -> str:
    text = " ".join(display_text(text, one_line=True).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _panel(G: nx.MultiDiGraph, node: str) -> dict:
    """What the side panel shows for `node`: text, aliases, and each edge with its quote."""
    data = G.nodes[node]
    evidence = []
    for u, v, d in [*G.in_edges(node, data=True), *G.out_edges(node, data=True)]:
        if d.get("relation") in ("about",):
            continue
        other = v if u == node else u
        evidence.append(
            {
                "relation": d.get("relation"),
                "out": u == node,
                "other": _short(G.nodes[other].get("label", other), 160),
                "quote": _short(d.get("quote") or "", 600),
                "document": _short(d.get("document") or "", 120),
            }
        )
    order = {"supports": 0, "disputes": 1, "cites": 2, "author": 3}
    evidence.sort(key=lambda e: (order.get(e["relation"], 9), e["out"], e["other"]))
    return {
        "kind": data.get("subtype") or data.get("type", ""),
        "label": _short(data.get("label", node), 400),
        "text": _short(data.get("text") or "", 1200),
        "aliases": [_short(a, 80) for a in data.get("aliases", [])][:10],
        "quote": _short(data.get("quote") or "", 600),
        "where": _short(data.get("quote_document") or "", 120),
        "documents": [_short(d, 120) for d in data.get("documents", [])][:10],
        "evidence": evidence[:PANEL_EVIDENCE],
        "more": max(0, len(evidence) - PANEL_EVIDENCE),
    }


def _data(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> dict:
    rank = importance(H)
    top = max(rank.values(), default=1) or 1
    labels = {n: _short(d.get("label", n), LABEL_CHARS) for n, d in H.nodes(data=True)}
    values = {n: 1 + 20 * math.sqrt(rank.get(n, 0) / top) for n in H}
    pos = declutter(_fit(layout(H)), labels, node_sizes(values))
    nodes = []
    for n, d in H.nodes(data=True):
        kind = d.get("type", "Document")
        colour, shape = NODE_STYLE.get(kind, NODE_STYLE["Document"])
        search = " | ".join([_short(d.get("label", n), 200), *map(str, d.get("aliases", ()))])
        nodes.append(
            {
                "id": str(n),
                "label": labels[n],
                "shape": shape,
                "color": colour,
                "value": values[n],
                "x": pos[n][0],
                "y": pos[n][1],
                "kind": kind,
                "title": f"{kind}: {_short(d.get('label', n), 300)}",
                "search": display_text(search, one_line=True),
                "panel": _panel(G, n),
            }
        )
    edges = []
    for u, v, d in H.edges(data=True):
        rel = d.get("relation", "cites")
        colour, dashes, width, _ = EDGE_STYLE.get(rel, EDGE_STYLE["cites"])
        edges.append(
            {
                "from": str(u),
                "to": str(v),
                "color": colour,
                "dashes": dashes,
                "width": width,
                "relation": rel,
                "arrows": "to",
            }
        )
    return {"nodes": nodes, "edges": edges}


def _fit(pos: dict, width: float = BOX[0], height: float = BOX[1]) -> dict:
    """Positions stretched to fill a wide box, so the first zoom is near 1 and labels legible."""
    if len(pos) < 2:
        return pos
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    sx = width / max(max(xs) - min(xs), 1e-9)
    sy = height / max(max(ys) - min(ys), 1e-9)
    return {n: ((x - min(xs)) * sx, (y - min(ys)) * sy) for n, (x, y) in pos.items()}


def _char_width(c: str) -> float:
    return WIDE_CHAR if c.isupper() or c.isdigit() or c in "MW@%" else CHAR_WIDTH


def _label_box(label: str, size: float) -> tuple[float, float, float]:
    """Width, height and downward offset of the centre, in screen units, of a node of radius
    `size` with its label wrapped under it (the overview's font and width limit)."""
    lines, line = 1, 0.0
    for word in label.split():
        w = sum(_char_width(c) for c in word)
        if line and line + CHAR_WIDTH + w > LABEL_MAX_WIDTH:
            lines, line = lines + 1 + int(w // LABEL_MAX_WIDTH), min(w, LABEL_MAX_WIDTH)
        else:
            line += w + (CHAR_WIDTH if line else 0.0)
    text_w = min(LABEL_MAX_WIDTH, sum(_char_width(c) for c in label)) + 8
    text_h = lines * LINE_HEIGHT + 4
    return max(text_w, 2 * size), 2 * size + text_h, text_h / 2


def node_sizes(values: dict) -> dict:
    """vis-network's radius for each node value (linear between the scaling limits)."""
    low, high = min(values.values(), default=0), max(values.values(), default=0)
    lo, hi = _OPTIONS["nodes"]["scaling"]["min"], _OPTIONS["nodes"]["scaling"]["max"]
    span = (high - low) or 1.0
    return {
        n: lo + (v - low) / span * (hi - lo) if high > low else (lo + hi) / 2
        for n, v in values.items()
    }


def declutter(pos: dict, labels: dict, sizes: dict | None = None, rounds: int = 300) -> dict:
    """Positions moved apart, inside the box they span (grown by DECLUTTER_GROWTH), until no
    two nodes (with their labels under them) overlap, or `rounds` pass: each round pushes every overlapping pair apart
    along the axis where they overlap least. A spring layout packs dense clusters tighter
    than their labels."""
    nodes = list(pos)
    if len(nodes) < 2:
        return pos
    sizes = sizes or {}
    boxes = [_label_box(labels.get(n, ""), sizes.get(n, 16.0)) for n in nodes]
    wh = np.array([(w, h) for w, h, _ in boxes], dtype=float)
    shift = np.array([(0.0, dy) for _, _, dy in boxes])  # box centre below the node
    xy = np.array([pos[n] for n in nodes], dtype=float)
    need = (wh[:, None, :] + wh[None, :, :]) / 2  # centre distance at which boxes just touch
    rng = np.random.default_rng(0)
    low, high = xy.min(axis=0), xy.max(axis=0)
    margin = (high - low) * DECLUTTER_GROWTH / 2
    low, high = low - margin, high + margin
    for _ in range(rounds):
        centre = xy + shift
        overlap = need - np.abs(centre[:, None, :] - centre[None, :, :])
        hit = np.triu((overlap > 0).all(axis=2), k=1)
        if not hit.any():
            break
        # one pair at a time, each seeing the moves before it: settles where a summed push
        # makes a crowded node oscillate
        for i, j in zip(*np.nonzero(hit), strict=True):
            d = (xy[i] + shift[i]) - (xy[j] + shift[j])
            gap = need[i, j] - np.abs(d)
            if (gap <= 0).any():
                continue
            k = int(np.argmin(gap))
            sign = np.sign(d[k]) or rng.choice([-1.0, 1.0])
            step = sign * (gap[k] / 2 + 1)
            xy[i, k] += step
            xy[j, k] -= step
            np.clip(xy[i], low, high, out=xy[i])
            np.clip(xy[j], low, high, out=xy[j])
    xy = _settle(xy, wh, shift)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}


def _settle(xy: np.ndarray, wh: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """What pushing left overlapping, placed one node at a time at the free spot nearest to
    where it is (a spiral of candidate offsets): afterwards no two boxes overlap."""
    step = 8.0
    ring = np.arange(-80, 81) * step
    offsets = np.array([(dx, dy) for dx in ring for dy in ring])
    offsets = offsets[np.argsort(np.hypot(offsets[:, 0], offsets[:, 1]), kind="stable")]
    out = xy.copy()
    placed: list[int] = []
    for i in range(len(xy)):
        if placed:
            centres = out[placed] + shift[placed]
            need = (wh[placed] + wh[i]) / 2
            cand = out[i] + shift[i] + offsets  # every candidate centre at once
            clash = (np.abs(cand[:, None, :] - centres[None, :, :]) < need[None, :, :]).all(axis=2)
            free = np.flatnonzero(~clash.any(axis=1))
            if len(free):
                out[i] = out[i] + offsets[free[0]]
        placed.append(i)
    return out


def _json(value: object) -> str:
    """JSON safe inside <script>: no `<`, `>` or `&` can end the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "nodes": {
        "scaling": {"min": 10, "max": 32, "label": {"enabled": False}},
        "font": {"size": 19, "face": "sans-serif", "strokeWidth": 4, "strokeColor": "#ffffff"},
        "widthConstraint": {"maximum": LABEL_MAX_WIDTH},
    },
    "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.6}}, "selectionWidth": 2},
    "interaction": {"hover": True, "tooltipDelay": 150, "keyboard": False},
}


def render_overview(
    G: nx.MultiDiGraph, title: str = "claimgraph", limit: int = OVERVIEW_NODES
) -> tuple[str, OverviewInfo]:
    """The overview page of `G` (not modified) and what it shows."""
    H, info = overview_graph(G, limit)
    from claimgraph.graph.overview_page import page

    return page(title, info, _json(_data(G, H)), _json(_OPTIONS), _CSP, _SCRIPT, _VIS), info


def write_overview(
    G: nx.MultiDiGraph, path: str | Path, title: str = "claimgraph", limit: int = OVERVIEW_NODES
) -> OverviewInfo:
    """Write the overview of `G` to `path` (UTF-8) and say what it shows."""
    text, info = render_overview(G, title, limit)
    Path(path).write_text(text, encoding="utf-8")
    return info


def legend_items() -> list[tuple[str, str, str]]:
    """(what, name, swatch style) for the clickable legend."""
    items = [("type", k, f"background:{c}") for k, (c, _) in NODE_STYLE.items()]
    items += [
        ("relation", r, f"border-top:3px {'dashed' if dash else 'solid'} {c}")
        for r, (c, dash, _, _) in EDGE_STYLE.items()
    ]
    return [(w, html.escape(n), html.escape(s)) for w, n, s in items]
