"""Analyses of the claim network (graph.network) as plain functions returning DataFrames.

Every function takes the MultiDiGraph built by :func:`graph.network.build_network` and reads
edges by their ``relation`` attribute. A small argument to try them on:

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> for n, t in [("book", "Work"), ("essay", "Work"), ("c1", "Claim"), ("c2", "Claim")]:
...     G.add_node(n, label=n.title(), type=t, documents=["a.txt"])
>>> _ = G.add_edge("book", "c1", relation="supports", quote="q1", document="a.txt")
>>> _ = G.add_edge("essay", "c1", relation="disputes", quote="q2", document="a.txt")
>>> _ = G.add_edge("c2", "c1", relation="supports", quote="q3", document="a.txt")
>>> contested_claims(G)[["label", "supports", "disputes"]].to_dict("records")
[{'label': 'C1', 'supports': 2, 'disputes': 1}]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx
import pandas as pd

from claimgraph.graph.network import EVIDENCE_RELATIONS, find_node


def _label(G: nx.MultiDiGraph, node: str) -> str:
    return G.nodes[node].get("label", str(node))


def _sources(G: nx.MultiDiGraph, node: str, relation: str) -> dict[str, list[dict]]:
    """Distinct nodes with a `relation` edge into `node`, each with its edges' data."""
    out: dict[str, list[dict]] = defaultdict(list)
    for u, _, d in G.in_edges(node, data=True):
        if d.get("relation") == relation:
            out[u].append(d)
    return out


def contested_claims(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Claims both supported and disputed, the most evenly fought first.

    Ranked by the strength of the weaker side (distinct disputers or supporters, whichever
    is fewer), then by ``balance`` (1.0 when both sides are equal, towards 0 when one side
    dominates), then by the number of sources in all.
    """
    rows = []
    for node, data in G.nodes(data=True):
        if data.get("type") != "Claim":
            continue
        pro, con = _sources(G, node, "supports"), _sources(G, node, "disputes")
        if not pro or not con:
            continue
        s, d = len(pro), len(con)
        docs = {e.get("document") for es in [*pro.values(), *con.values()] for e in es}
        rows.append(
            {
                "claim": node,
                "label": data.get("label"),
                "supports": s,
                "disputes": d,
                "balance": 1 - abs(s - d) / (s + d),
                "supporters": sorted(_label(G, u) for u in pro),
                "disputers": sorted(_label(G, u) for u in con),
                "documents": len(docs - {None}),
            }
        )
    columns = ["claim", "label", "supports", "disputes", "balance", "supporters", "disputers"]
    df = pd.DataFrame(rows, columns=[*columns, "documents"])
    if df.empty:
        return df
    df["_weaker"] = df[["supports", "disputes"]].min(axis=1)
    df["_total"] = df["supports"] + df["disputes"]
    df = df.sort_values(
        ["_weaker", "balance", "_total", "label"], ascending=[False, False, False, True]
    )
    return df.drop(columns=["_weaker", "_total"]).reset_index(drop=True)


def influential_sources(G: nx.MultiDiGraph, top: int | None = None) -> pd.DataFrame:
    """Works, claims and documents ranked by PageRank over supports, disputes and cites.

    Credit flows to what an argument rests on: ``X cites W`` gives W credit from X, and
    ``X supports C`` or ``X disputes C`` gives X credit from C (C's standing depends on X).
    A source backing well-backed claims, or cited by well-cited sources, ranks high.
    """
    R = nx.DiGraph()
    R.add_nodes_from(n for n, d in G.nodes(data=True) if d.get("type") != "Person")
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for u, v, d in G.edges(data=True):
        rel = d.get("relation")
        if rel not in EVIDENCE_RELATIONS:
            continue
        counts[u][rel] += 1
        if rel == "cites":
            counts[v]["cited_by"] += 1
        a, b = (u, v) if rel == "cites" else (v, u)
        w = R[a][b]["weight"] + 1 if R.has_edge(a, b) else 1
        R.add_edge(a, b, weight=w)
    if R.number_of_edges() == 0:
        return pd.DataFrame(
            columns=["node", "label", "type", "pagerank", "supports", "disputes", "cited_by"]
        )
    rank = nx.pagerank(R, weight="weight")
    rows = [
        {
            "node": n,
            "label": _label(G, n),
            "type": G.nodes[n].get("subtype") or G.nodes[n].get("type"),
            "pagerank": rank[n],
            "supports": counts[n]["supports"],
            "disputes": counts[n]["disputes"],
            "cited_by": counts[n]["cited_by"],
        }
        for n in R
        if R.degree(n) > 0
    ]
    df = pd.DataFrame(rows).sort_values(["pagerank", "label"], ascending=[False, True])
    df = df.reset_index(drop=True)
    return df.head(top) if top is not None else df


def single_source_claims(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Claims supported by exactly one distinct source, with that source and its quote."""
    rows = []
    for node, data in G.nodes(data=True):
        if data.get("type") != "Claim":
            continue
        pro = _sources(G, node, "supports")
        if len(pro) != 1:
            continue
        ((source, edges),) = pro.items()
        best = max(edges, key=lambda e: e.get("confidence") or 0)
        rows.append(
            {
                "claim": node,
                "label": data.get("label"),
                "source": source,
                "source_label": _label(G, source),
                "source_type": G.nodes[source].get("type"),
                "quote": best.get("quote"),
                "document": best.get("document"),
                "disputes": len(_sources(G, node, "disputes")),
            }
        )
    columns = ["claim", "label", "source", "source_label", "source_type", "quote", "document"]
    df = pd.DataFrame(rows, columns=[*columns, "disputes"])
    return df.sort_values(["disputes", "label"], ascending=[False, True]).reset_index(drop=True)


def argument_clusters(G: nx.MultiDiGraph, seed: int = 0) -> pd.DataFrame:
    """Groups of mutually supporting claims and works, and who disputes each group.

    Communities (Louvain, reproducible with `seed`) of the undirected ``supports`` graph
    among claims and works; groups of one are left out. For each group: its members, its
    opponents (nodes outside it that dispute a member) and the groups those opponents are in.
    """
    S = nx.Graph()
    for u, v, d in G.edges(data=True):
        if d.get("relation") == "supports" and G.nodes[u].get("type") in ("Claim", "Work"):
            S.add_edge(u, v)
    groups = [c for c in nx.community.louvain_communities(S, seed=seed) if len(c) > 1]
    groups.sort(key=lambda c: (-len(c), min(_label(G, n) for n in c)))
    member_of = {n: i for i, c in enumerate(groups) for n in c}
    rows = []
    for i, members in enumerate(groups):
        opponents, disputes = set(), 0
        for n in members:
            for u, _, d in G.in_edges(n, data=True):
                if d.get("relation") == "disputes" and u not in members:
                    opponents.add(u)
                    disputes += 1
        by_support = sorted(members, key=lambda n: (-S.degree(n), _label(G, n)))
        rows.append(
            {
                "cluster": i,
                "size": len(members),
                "claims": sum(G.nodes[n].get("type") == "Claim" for n in members),
                "hub": _label(G, by_support[0]),
                "members": [_label(G, n) for n in by_support],
                "disputes_against": disputes,
                "opponents": sorted(_label(G, n) for n in opponents),
                "opposing_clusters": sorted({member_of[n] for n in opponents if n in member_of}),
            }
        )
    columns = ["cluster", "size", "claims", "hub", "members", "disputes_against", "opponents"]
    return pd.DataFrame(rows, columns=[*columns, "opposing_clusters"])


def evidence_path(
    G: nx.MultiDiGraph,
    start: str,
    end: str,
    relations: Iterable[str] = (*EVIDENCE_RELATIONS, "author"),
) -> pd.DataFrame:
    """The shortest chain of edges (either direction) between two entities named by any alias.

    One row per step: the two ends, the relation, whether the edge runs along the path
    (``forward``) or against it, and the strongest edge's quote, document and confidence.
    Raises ``networkx.NetworkXNoPath`` when they are not connected through `relations`.
    """
    relations = set(relations)
    a, b = find_node(G, start), find_node(G, end)
    U = nx.Graph()
    U.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        if d.get("relation") in relations:
            U.add_edge(u, v)
    path = nx.shortest_path(U, a, b)
    rows = []
    for step, (u, v) in enumerate(zip(path, path[1:], strict=False), start=1):
        edges = [(True, d) for d in G.get_edge_data(u, v, default={}).values()]
        edges += [(False, d) for d in G.get_edge_data(v, u, default={}).values()]
        edges = [(f, d) for f, d in edges if d.get("relation") in relations]
        forward, best = max(edges, key=lambda e: (e[1].get("confidence") or 0, e[0]))
        rows.append(
            {
                "step": step,
                "from": _label(G, u),
                "relation": best.get("relation"),
                "forward": forward,
                "to": _label(G, v),
                "quote": best.get("quote"),
                "document": best.get("document"),
                "confidence": best.get("confidence"),
                "from_node": u,
                "to_node": v,
            }
        )
    return pd.DataFrame(rows)


def most_cited_works(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Works ranked by the distinct documents citing them, then by distinct citing nodes."""
    rows = []
    for node, data in G.nodes(data=True):
        if data.get("type") != "Work":
            continue
        cites = [(u, d) for u, _, d in G.in_edges(node, data=True) if d.get("relation") == "cites"]
        if not cites:
            continue
        docs = {d.get("document") for _, d in cites} - {None}
        rows.append(
            {
                "work": node,
                "label": data.get("label"),
                "documents": len(docs),
                "citers": len({u for u, _ in cites}),
            }
        )
    df = pd.DataFrame(rows, columns=["work", "label", "documents", "citers"])
    order = ["documents", "citers", "label"]
    return df.sort_values(order, ascending=[False, False, True]).reset_index(drop=True)
