"""The focused interactive view embedded in each node page: the node and its neighbours,
fetched through the worker pool and drawn by graph/views.py (vis-network, inlined, offline)."""

from __future__ import annotations

from collections import OrderedDict

import networkx as nx
from rdflib import URIRef

from claimgraph.graph.views import render_html
from claimgraph.queries import explorer_sparql as sparql
from claimgraph.queries.explorer_data import Runner, kind_of

#: Nodes drawn at most in an embedded view (live layout up to here; see docs/views.md).
VIEW_MAX_NODES = 150
#: Views kept, keyed by store generation and node (about 800 kB each, vis-network inlined).
RECENT_VIEWS = 16
_RECENT: OrderedDict[tuple[str, str], str] = OrderedDict()


def neighbourhood(r: Runner, iri: str) -> nx.MultiDiGraph:
    """The node, its neighbours and theirs (every edge touching the node or a neighbour)."""
    G = nx.MultiDiGraph()
    for row in r.select("Edges near it", sparql.NEIGHBOURHOOD, focus=URIRef(iri)):
        a, b = row["a"], row["b"]
        for node, label in ((a, row.get("aLabel")), (b, row.get("bLabel"))):
            if node not in G:
                kind = kind_of(node)
                G.add_node(node, label=label or node.rsplit("/", 1)[-1], aliases=[])
                G.nodes[node].update(type=kind if kind != "Node" else "Document")
                G.nodes[node].update(documents=[], subtype=None)
        relation = row["rel"].rsplit("/", 1)[-1]
        if relation == "author":
            a, b = b, a  # drawn from the author, as in graph/network.py
        G.add_edge(a, b, key=relation, relation=relation, confidence=None, quote=None)
    if iri not in G:
        G.add_node(iri, label=iri.rsplit("/", 1)[-1], type=kind_of(iri), aliases=[])
        G.nodes[iri].update(documents=[], subtype=None)
    G.graph.update(focus=iri)
    return G


def focus_page(r: Runner, iri: str) -> str:
    """The whole HTML page of the view (served in a sandboxed iframe)."""
    G = neighbourhood(r, iri)
    title = G.nodes[iri]["label"] if iri in G else iri
    return render_html(G, title=f"{title}: 2 hops", max_nodes=VIEW_MAX_NODES)


def recent_view(gen: str, iri: str) -> str | None:
    """A view page drawn for `iri` in store generation `gen`, if still kept. A write makes a
    new generation, so a kept page is never stale. Called from the event loop only."""
    body = _RECENT.get((gen, iri))
    if body is not None:
        _RECENT.move_to_end((gen, iri))
    return body


def keep_view(gen: str, iri: str, body: str) -> None:
    """Keep a view page drawn from generation `gen` (the oldest kept one goes)."""
    _RECENT[(gen, iri)] = body
    while len(_RECENT) > RECENT_VIEWS:
        _RECENT.popitem(last=False)
