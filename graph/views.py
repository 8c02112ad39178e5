"""Interactive, self-contained HTML views of the claim network, drawn by pyvis (vis-network 9).

The page needs no network: vis-network is inlined, pyvis's Bootstrap links are removed, and a
Content-Security-Policy forbids loading anything. Document text is untrusted, so labels and
tooltips are plain strings: vis-network draws labels on a canvas and sets tooltips with
``innerText``; the node data is embedded as HTML-safe JSON; the page's own panel (legend,
search results, notices) is built with ``html.escape`` or DOM ``textContent``.

Small graphs lay themselves out with vis physics; larger ones get positions precomputed here
and physics off (drawn at once, no jitter); above ``MAX_NODES`` only the most important nodes
are shown and the page says so.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("c", label="<b>1932</b>", type="Claim", text="<script>x()</script>")
>>> page = render_html(G)
>>> "<script>x()" in page, "<script src" in page, "<link" in page
(False, False, False)
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from claimgraph.graph.display import display_text
from claimgraph.graph.layout import importance, layout, most_important

#: Up to this many nodes vis-network lays the graph out with live physics.
PHYSICS_MAX_NODES = 150
#: Above this many nodes only the most important part is drawn (see benchmarks/viz_scale.py).
MAX_NODES = 2000

NODE_STYLE = {  # type: (colour, vis shape)
    "Person": ("#4e79a7", "dot"),
    "Work": ("#f28e2b", "square"),
    "Event": ("#b07aa1", "diamond"),
    "Claim": ("#e0b000", "triangle"),
    "Document": ("#8c8c8c", "triangleDown"),
}
EDGE_STYLE = {  # relation: (colour, dashes, width, what it means)
    "supports": ("#2e7d32", False, 2.5, "supports (evidence for)"),
    "disputes": ("#d62728", [10, 6], 2.5, "disputes (evidence against)"),
    "cites": ("#7f7f7f", [3, 4], 1.2, "cites"),
    "author": ("#4e79a7", False, 1.0, "author of (person → work or claim)"),
    "about": ("#c7c7c7", [1, 5], 0.8, "about (claim → what it is about)"),
}
_LABEL_CHARS = 48
_TIP_CHARS = 600
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:"
)
_EXTERNAL = re.compile(r"<(?:script|link|img|iframe|object|embed)\b[^>]*\b(?:src|href)\s*=", re.I)


@dataclass
class ViewInfo:
    """What a rendered view shows: counts, whether it was cut down, and the layout used."""

    nodes: int
    edges: int
    total_nodes: int
    total_edges: int
    physics: bool

    @property
    def truncated(self) -> bool:
        return self.nodes < self.total_nodes


_TEMPLATES: dict = {}  # pyvis's Jinja environment, kept so that its template compiles once


def _short(text: str, limit: int) -> str:
    text = " ".join(display_text(text, one_line=True).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _node_tip(G: nx.MultiDiGraph, node: str, data: dict) -> str:
    kind = data.get("subtype") or data.get("type", "")
    lines = [f"{kind.upper()}: {_short(data.get('label', node), _TIP_CHARS)}"]
    if data.get("text") and data["text"] != data.get("label"):
        lines.append(_short(data["text"], _TIP_CHARS))
    if data.get("aliases"):
        lines.append("also: " + _short(", ".join(data["aliases"]), 200))
    if data.get("date"):
        lines.append(f"date: {data['date']}")
    if data.get("quote"):
        where = data.get("quote_document") or ""
        lines.append(f"“{_short(data['quote'], _TIP_CHARS)}” — {where}")
    if data.get("type") == "Claim":
        rels = [d.get("relation") for _, _, d in G.in_edges(node, data=True)]
        lines.append(
            f"supported {rels.count('supports')}× · disputed {rels.count('disputes')}×"
            + (f" · confidence {data['confidence']:.2f}" if data.get("confidence") else "")
        )
    if data.get("documents"):
        lines.append("documents: " + _short(", ".join(data["documents"]), 300))
    return display_text("\n".join(lines))


def _edge_tip(G: nx.MultiDiGraph, u: str, v: str, d: dict) -> str:
    rel = d.get("relation", "")
    src = _short(G.nodes[u].get("label", u), 120)
    dst = _short(G.nodes[v].get("label", v), 120)
    lines = [f"{src}\n  {rel.upper()}\n{dst}"]
    if d.get("quote"):
        lines.append(f"evidence: “{_short(d['quote'], _TIP_CHARS)}”")
    where = d.get("document") or ", ".join(d.get("documents") or ())
    if where:
        conf = d.get("confidence")
        lines.append(f"— {where}" + (f" · confidence {conf:.2f}" if conf is not None else ""))
    return display_text("\n".join(lines))


def _search_text(data: dict) -> str:
    words = [str(data.get("label", "")), *map(str, data.get("aliases", ()))]
    return display_text(" | ".join(words), one_line=True)


def _network(G: nx.MultiDiGraph, physics: bool, rank: dict) -> Network:
    net = Network(height="calc(100vh - 150px)", width="100%", directed=True)
    net.cdn_resources = "in_line"
    top = max(rank.values(), default=1) or 1
    pos = {} if physics else layout(G)
    for node, data in G.nodes(data=True):
        kind = data.get("type", "Document")
        colour, shape = NODE_STYLE.get(kind, NODE_STYLE["Document"])
        extra = {"x": pos[node][0], "y": pos[node][1]} if node in pos else {}
        net.add_node(
            str(node),
            label=_short(data.get("label", node), _LABEL_CHARS),
            title=_node_tip(G, node, data),
            shape=shape,
            color=colour,
            value=1 + 30 * math.sqrt(rank.get(node, 0) / top),
            kind=kind,
            search=_search_text(data),
            **extra,
        )
    for u, v, d in G.edges(data=True):
        rel = d.get("relation", "cites")
        colour, dashes, width, _ = EDGE_STYLE.get(rel, EDGE_STYLE["cites"])
        net.add_edge(
            str(u),
            str(v),
            title=_edge_tip(G, u, v, d),
            color=colour,
            dashes=dashes,
            width=width,
            relation=rel,
        )
    return net


def _options(physics: bool, n: int) -> dict:
    opts: dict = {
        "nodes": {
            "scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 10, "max": 22}},
            "font": {"size": 12, "face": "sans-serif", "strokeWidth": 3},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "smooth": {"enabled": physics, "type": "continuous"},
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": n > 1000,
            "navigationButtons": False,
            "keyboard": False,
        },
    }
    if physics:
        opts["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120},
            "stabilization": {"enabled": True, "iterations": 600, "fit": True},
            "minVelocity": 1.0,
        }
    else:
        opts["physics"] = {"enabled": False}
        opts["layout"] = {"improvedLayout": False}
    return opts


def _legend() -> str:
    items = []
    for kind, (colour, shape) in NODE_STYLE.items():
        items.append(
            f'<span class="cg-item"><span class="cg-swatch cg-{shape}" '
            f'style="--c:{colour}"></span>{html.escape(kind)}</span>'
        )
    for rel, (colour, dashes, width, meaning) in EDGE_STYLE.items():
        style = "dashed" if dashes else "solid"
        items.append(
            f'<span class="cg-item" title="{html.escape(meaning)}"><span class="cg-line" '
            f'style="border-top:{max(2, width):.0f}px {style} {colour}"></span>'
            f"{html.escape(rel)}</span>"
        )
    return "".join(items)


_CSS = """
body { margin: 0; font: 14px sans-serif; }
#cg-panel { padding: 6px 10px; border-bottom: 1px solid #ddd; background: #fafafa; }
#cg-panel h1 { font-size: 17px; margin: 0 0 4px 0; display: inline-block; }
#cg-summary { color: #555; margin-left: 10px; }
#cg-notice { background: #fff3cd; border: 1px solid #e0c060; padding: 4px 8px; margin: 4px 0; }
#cg-legend { margin-top: 4px; line-height: 22px; }
.cg-item { margin-right: 14px; white-space: nowrap; }
.cg-swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
  vertical-align: middle; background: var(--c); }
.cg-dot { border-radius: 50%; }
.cg-diamond { transform: rotate(45deg) scale(0.8); }
.cg-triangle { background: none; width: 0; height: 0; border-left: 7px solid transparent;
  border-right: 7px solid transparent; border-bottom: 12px solid var(--c); }
.cg-triangleDown { background: none; width: 0; height: 0; border-left: 7px solid transparent;
  border-right: 7px solid transparent; border-top: 12px solid var(--c); }
.cg-line { display: inline-block; width: 28px; margin-right: 4px; vertical-align: middle; }
#cg-search-box { position: relative; display: inline-block; margin-left: 16px; }
#cg-search { width: 260px; padding: 3px 6px; }
#cg-results { position: absolute; z-index: 10; background: #fff; border: 1px solid #ccc;
  list-style: none; margin: 0; padding: 0; max-height: 320px; overflow-y: auto; width: 420px; }
#cg-results li { padding: 3px 6px; cursor: pointer; }
#cg-results li:hover, #cg-results li.cg-active { background: #e8f0fe; }
#cg-results:empty { display: none; }
#mynetwork { float: none !important; border: none !important; }
div.vis-tooltip { white-space: pre-wrap !important; max-width: 520px; font: 13px sans-serif !important; }
"""

# Search by label or alias (accent- and case-insensitive); results are DOM text, never HTML.
_SCRIPT = """
(function () {
  var fold = function (s) {
    return String(s).normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase();
  };
  var box = document.getElementById("cg-search"), list = document.getElementById("cg-results");
  var go = function (id) {
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
    list.textContent = "";
    document.getElementById("cg-found").textContent = nodes.get(id).search.split(" | ")[0];
  };
  var find = function () {
    var q = fold(box.value.trim());
    list.textContent = "";
    if (!q) return [];
    var hits = nodes.get({filter: function (n) { return fold(n.search).indexOf(q) >= 0; }});
    hits.sort(function (a, b) { return (b.value || 0) - (a.value || 0); });
    hits.slice(0, 12).forEach(function (n) {
      var li = document.createElement("li");
      li.textContent = n.search.split(" | ")[0] + " (" + n.kind + ")";
      li.dataset.id = n.id;
      li.addEventListener("click", function () { go(n.id); });
      list.appendChild(li);
    });
    return hits;
  };
  box.addEventListener("input", find);
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { var hits = find(); if (hits.length) go(hits[0].id); }
    if (e.key === "Escape") { list.textContent = ""; }
  });
  var ready = function () { document.body.dataset.ready = "1"; };
  if (PHYSICS) {
    network.once("stabilizationIterationsDone", ready);
    network.once("stabilized", ready);
  } else {
    network.once("afterDrawing", ready);
    network.redraw();
  }
})();
"""


def render_html(
    G: nx.MultiDiGraph,
    title: str = "claimgraph",
    max_nodes: int = MAX_NODES,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
) -> str:
    """One self-contained HTML page showing `G` (not modified), with legend and search."""
    return _render(G, title, max_nodes, physics_max_nodes)[0]


def _render(
    G: nx.MultiDiGraph, title: str, max_nodes: int, physics_max_nodes: int
) -> tuple[str, ViewInfo]:
    rank = importance(G)
    shown = most_important(G, max_nodes, rank) if len(G) > max_nodes else G
    physics = len(shown) <= physics_max_nodes
    info = ViewInfo(len(shown), shown.number_of_edges(), len(G), G.number_of_edges(), physics)
    net = _network(shown, physics, rank)
    env = _TEMPLATES.setdefault("env", net.templateEnv)  # compiled once per process
    values = dict(
        height=net.height,
        width=net.width,
        nodes=net.nodes,
        edges=net.edges,
        heading="",
        options=json.dumps(_options(physics, len(shown))),
        physics_enabled=physics,
        use_DOT=False,
        dot_lang="",
        widget=False,
        bgcolor="#ffffff",
        conf=False,
        tooltip_link=False,  # pyvis's link popup sets innerHTML: never use it
        neighborhood_highlight=False,
        select_menu=False,
        filter_menu=False,
        notebook=False,
        cdn_resources="in_line",
    )
    if _TEMPLATES.get("quick_ok") is False:
        return _finish(env.get_template(net.path).render(values), title, info), info
    page = _with_libs(_finish(_quick(env).get_template(net.path).render(values), title, info))
    if "quick_ok" not in _TEMPLATES:  # the first page: made both ways, they must agree
        whole = _finish(env.get_template(net.path).render(values), title, info)
        _TEMPLATES["quick_ok"] = page == whole
        page = whole
    return page, info


_LIBS = ("lib/vis-9.1.2/vis-network.min.js", "lib/vis-9.1.2/vis-network.css")


def _quick(env):
    """pyvis's templates with the inlined vis-network files (700 kB of every page, always the
    same) drawn as short tokens: `_finish` then scans 30 kB, not 800 kB."""
    import jinja2

    if "quick" not in _TEMPLATES:
        tokens = {name: f"\x00cg-lib-{i}\x00" for i, name in enumerate(_LIBS)}
        _TEMPLATES["libs"] = [(tokens[name], env.get_template(name).render()) for name in _LIBS]
        loader = jinja2.ChoiceLoader([jinja2.DictLoader(tokens), env.loader])
        _TEMPLATES["quick"] = env.overlay(loader=loader)
    return _TEMPLATES["quick"]


def _with_libs(page: str) -> str:
    """The page of `_quick` with the vis-network files put back in place of their tokens."""
    for token, text in _TEMPLATES["libs"]:
        head, found, tail = page.partition(token)
        page = head + text + tail if found else page
    return page


def _finish(page: str, title: str, info: ViewInfo) -> str:
    title = display_text(title, one_line=True)
    # pyvis links Bootstrap from a CDN even with inline resources; the page does not use it.
    # (Embedded JSON escapes "<", so no comment or tag can come from the data.)
    page = re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL)
    page = re.sub(r"<link\b[^>]*href=\"https?://[^>]*>", "", page)
    page = re.sub(r"<script\b[^>]*src=\"https?://[^>]*>\s*</script>", "", page)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    summary = f"{info.nodes:,} nodes, {info.edges:,} edges"
    notice = ""
    if info.truncated:
        notice = (
            f'<div id="cg-notice">Showing the {info.nodes:,} most important of '
            f"{info.total_nodes:,} nodes (by PageRank) and the {info.edges:,} edges among them; "
            f"{info.total_nodes - info.nodes:,} nodes are not drawn. Narrow the view "
            "(claimgraph viz --focus NAME --hops N, --types, --relations) to see the rest.</div>"
        )
    layout_note = "live layout" if info.physics else "precomputed layout"
    panel = (
        f'<div id="cg-panel"><h1>{html.escape(title)}</h1>'
        f'<span id="cg-summary">{summary} · {layout_note}</span>'
        '<span id="cg-search-box"><input id="cg-search" type="search" '
        'placeholder="Find a person, work, claim…" aria-label="find a node" autocomplete="off">'
        '<ul id="cg-results"></ul></span> <span id="cg-found"></span>'
        f'{notice}<div id="cg-legend">{_legend()}</div></div>'
    )
    head = (
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style>"
    )
    page = page.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + head, 1)
    page = page.replace("<body>", "<body>" + panel, 1)
    script = _SCRIPT.replace("PHYSICS", "true" if info.physics else "false")
    page = _replace_last(page, "</body>", f"<script>{script}</script></body>")
    if _EXTERNAL.search(_strip_scripts(page)):
        raise RuntimeError("the page still loads an external resource")
    return page


def _strip_scripts(page: str) -> str:
    return re.sub(r"<script>.*?</script>", "<script></script>", page, flags=re.DOTALL)


def _replace_last(text: str, old: str, new: str) -> str:
    head, sep, tail = text.rpartition(old)
    return head + new + tail if sep else text + new


def write_html(
    G: nx.MultiDiGraph,
    path: str | Path,
    title: str = "claimgraph",
    max_nodes: int = MAX_NODES,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
) -> ViewInfo:
    """Write the view of `G` to `path` (UTF-8) and say what it shows."""
    page, info = _render(G, title, max_nodes, physics_max_nodes)
    Path(path).write_text(page, encoding="utf-8")
    return info


class NotebookView:
    """A view that Jupyter, VS Code and Colab display inline (an iframe of the whole page)."""

    def __init__(self, page: str, height: int = 700):
        self.page, self.height = page, height

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            f'style="width:100%;height:{self.height}px;border:0" '
            'sandbox="allow-scripts"></iframe>'
        )


def show(G: nx.MultiDiGraph, title: str = "claimgraph", height: int = 700) -> NotebookView:
    """The view of `G` for a notebook cell: ``show(G)`` as the cell's last line."""
    return NotebookView(render_html(G, title), height)
