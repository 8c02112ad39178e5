"""The HTML of the overview page (graph/overview.py): layout, legend filters, side panel."""

from __future__ import annotations

import html
from pathlib import Path

_CSS = """
html, body { margin: 0; height: 100%; font: 14px sans-serif; }
body { display: grid; grid-template-rows: auto 1fr; grid-template-columns: 1fr 380px; }
#cg-panel { grid-column: 1 / 3; padding: 6px 10px; border-bottom: 1px solid #ddd;
  background: #fafafa; }
#cg-panel h1 { font-size: 17px; margin: 0 8px 0 0; display: inline-block; }
#cg-summary { color: #444; }
#cg-legend { margin-top: 4px; line-height: 24px; }
.cg-item { margin-right: 8px; padding: 1px 6px; border: 1px solid #ccc; border-radius: 4px;
  background: #fff; cursor: pointer; white-space: nowrap; font: inherit; }
.cg-item.cg-off { opacity: 0.35; text-decoration: line-through; }
.cg-swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
  vertical-align: middle; }
.cg-line { display: inline-block; width: 24px; height: 0; margin-right: 4px;
  vertical-align: middle; }
#mynetwork { grid-column: 1; min-height: 0; }
#cg-side { grid-column: 2; overflow-y: auto; border-left: 1px solid #ddd; padding: 8px 12px; }
#cg-side h2 { font-size: 16px; margin: 4px 0; }
#cg-side .cg-kind { color: #777; text-transform: uppercase; font-size: 11px; }
#cg-side blockquote { margin: 4px 0 4px 8px; padding-left: 6px; border-left: 3px solid #ccc;
  white-space: pre-wrap; }
#cg-side .supports blockquote { border-color: #2e7d32; }
#cg-side .disputes blockquote { border-color: #d62728; }
#cg-side .cg-where { color: #666; font-size: 12px; }
#cg-search-box { position: relative; display: inline-block; margin-left: 12px; }
#cg-search { width: 220px; padding: 3px 6px; }
#cg-results { position: absolute; z-index: 10; background: #fff; border: 1px solid #ccc;
  list-style: none; margin: 0; padding: 0; max-height: 320px; overflow-y: auto; width: 360px; }
#cg-results li { padding: 3px 6px; cursor: pointer; }
#cg-results:empty { display: none; }
div.vis-tooltip { position: absolute; visibility: hidden; padding: 5px; white-space: pre-wrap;
  background: #fffbe6; border: 1px solid #999; max-width: 420px; font: 13px sans-serif; }
"""

# Legend filters and the side panel: every string from the data goes in as textContent.
_PAGE_SCRIPT = """
(function () {
  var off = {type: {}, relation: {}};
  var apply = function () {
    nodes.update(nodes.get().map(function (n) { return {id: n.id, hidden: !!off.type[n.kind]}; }));
    edges.update(edges.get().map(function (e) {
      return {id: e.id, hidden: !!off.relation[e.relation]};
    }));
  };
  document.querySelectorAll(".cg-item").forEach(function (b) {
    b.addEventListener("click", function () {
      var what = b.dataset.what, name = b.dataset.name;
      off[what][name] = !off[what][name];
      b.classList.toggle("cg-off", off[what][name]);
      b.setAttribute("aria-pressed", off[what][name] ? "false" : "true");
      apply();
    });
  });
  var side = document.getElementById("cg-side");
  var add = function (parent, tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) el.textContent = text;
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  };
  var show = function (id) {
    var p = nodes.get(id).panel;
    side.textContent = "";
    add(side, "div", p.kind, "cg-kind");
    add(side, "h2", p.label);
    if (p.text && p.text !== p.label) add(side, "p", p.text);
    if (p.aliases.length) add(side, "p", "also: " + p.aliases.join(", "), "cg-where");
    if (p.quote) {
      add(side, "blockquote", p.quote);
      add(side, "div", "stated in " + p.where, "cg-where");
    }
    if (p.evidence.length) add(side, "h3", "Evidence and links");
    p.evidence.forEach(function (e) {
      var li = add(side, "div", null, e.relation);
      add(li, "strong", (e.out ? e.relation + " → " : "← " + e.relation + " by ") + e.other);
      if (e.quote) add(li, "blockquote", e.quote);
      if (e.document) add(li, "div", e.document, "cg-where");
    });
    if (p.more) add(side, "p", "… and " + p.more + " more", "cg-where");
    if (p.documents.length) add(side, "p", "read in: " + p.documents.join(", "), "cg-where");
  };
  network.on("click", function (params) { if (params.nodes.length) show(params.nodes[0]); });
  window.cgShow = show;
})();
"""


def _legend(items: list[tuple[str, str, str]]) -> str:
    out = []
    for what, name, style in items:
        mark = "cg-swatch" if what == "type" else "cg-line"
        out.append(
            f'<button type="button" class="cg-item" data-what="{what}" data-name="{name}" '
            f'aria-pressed="true" title="click to hide or show"><span class="{mark}" '
            f'style="{style}"></span>{name}</button>'
        )
    return "".join(out)


def page(title, info, data_json, options_json, csp, search_script, vis_dir: Path) -> str:
    """The whole overview page as one string."""
    from claimgraph.graph.display import display_text
    from claimgraph.graph.overview import legend_items

    title = html.escape(display_text(title, one_line=True))
    vis = (vis_dir / "vis-network.min.js").read_text(encoding="utf-8")
    vis_css = (vis_dir / "vis-network.css").read_text(encoding="utf-8")
    summary = (
        f"Overview: {info.nodes:,} of {info.total_nodes:,} nodes, {info.edges:,} edges — the "
        f"{info.contested:,} most contested claims and {info.cited:,} most-cited works with "
        f"their direct evidence; {info.isolated:,} isolated nodes (no edge) left out. "
        "Click a node for its text and evidence, a legend entry to hide or show it. "
        "claimgraph viz --all draws everything; --top N draws more."
    )
    script = search_script.replace("PHYSICS", "false")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{title}</title><style>{vis_css}</style><style>{_CSS}</style>
<script>{vis}</script></head>
<body>
<div id="cg-panel"><h1>{title}</h1><span id="cg-summary">{html.escape(summary)}</span>
<span id="cg-search-box"><input id="cg-search" type="search" placeholder="Find a node…"
 aria-label="find a node" autocomplete="off"><ul id="cg-results"></ul></span>
<span id="cg-found"></span>
<div id="cg-legend">{_legend(legend_items())}</div></div>
<div id="mynetwork"></div>
<aside id="cg-side"><p>Click a node to see its text and evidence here.</p></aside>
<script type="application/json" id="cg-data">{data_json}</script>
<script>
var cgData = JSON.parse(document.getElementById("cg-data").textContent);
var nodes = new vis.DataSet(cgData.nodes);
var edges = new vis.DataSet(cgData.edges);
var network = new vis.Network(document.getElementById("mynetwork"),
  {{nodes: nodes, edges: edges}}, {options_json});
network.fit();
</script>
<script>{_PAGE_SCRIPT}</script>
<script>{script}</script>
</body></html>
"""
