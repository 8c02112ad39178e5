"""Small constructed graphs and gold files shared by the evaluation tests: one document about
a harbour strike, its nodes and edges as quads, and a gold annotation that matches them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import Dataset

from claimgraph.evaluation import EvalReport
from claimgraph.graph.identity import claim_key, node_key
from claimgraph.graph.model import DOC, Document, Edge, Extraction, Mention, Node
from claimgraph.graph.rdf import Run, document_quads

ROOT = Path(__file__).resolve().parents[1]
NAME = "notes/harbour.txt"
TEXT = (
    "In The Glass Harbour: A History of the Docks (1998), Marta Kowalska argued that the "
    "harbour strike was organised by the dock workers themselves. Piet Brandt disagrees: the "
    "union leadership planned the harbour strike in advance. Kowalska cites the Port Ledger."
)

# Predicted keys (the identity the extractor would mint).
KOWALSKA = node_key("Person", "Marta Kowalska")
BRANDT = node_key("Person", "Piet Brandt")
HARBOUR = node_key("Work", "The Glass Harbour: A History of the Docks")
LEDGER = node_key("Work", "Port Ledger")
STRIKE = node_key("Event", "Harbour strike")
SELF_TEXT = "The harbour strike was organised by the dock workers themselves"
PLANNED_TEXT = "The union leadership planned the harbour strike in advance"
SELF = claim_key(SELF_TEXT)
PLANNED = claim_key(PLANNED_TEXT)


# --------------------------------------------------------------------------- builders
def node(kind, key, label, *, aliases=(), rule="test-node", **kw) -> Node:
    return Node(kind, key, label, aliases=set(aliases), mentions=[Mention(0, 10)], rule=rule, **kw)


def claim(key, text, *, rule="test-claim", **kw) -> Node:
    start = max(0, TEXT.find(text[4:30]))
    return Node(
        "Claim", key, text, text=text, mentions=[Mention(start, start + 40)], rule=rule, **kw
    )


def edge(source, relation, target, rule="test-edge") -> Edge:
    return Edge(source, relation, target, 0, 40, 0.8, rule)


def base_nodes() -> list[Node]:
    return [
        node("Person", KOWALSKA, "Marta Kowalska", aliases={"Kowalska"}),
        node("Person", BRANDT, "Piet Brandt"),
        node("Work", HARBOUR, "The Glass Harbour: A History of the Docks", authors=[KOWALSKA]),
        node("Work", LEDGER, "Port Ledger"),
        node("Event", STRIKE, "Harbour strike"),
        claim(SELF, SELF_TEXT, authors=[KOWALSKA], work=HARBOUR),
        claim(PLANNED, PLANNED_TEXT, authors=[BRANDT]),
    ]


def base_edges() -> list[Edge]:
    return [
        edge(HARBOUR, "supports", SELF),
        edge(PLANNED, "disputes", SELF),
        edge(DOC, "cites", LEDGER),
    ]


def quads(nodes, edges, name=NAME, text=TEXT) -> list[tuple]:
    ex = Extraction()
    for n in nodes:
        ex.add_node(n)
    for e in edges:
        ex.add_edge(e)
    sha = hashlib.sha256(text.encode()).hexdigest()
    doc = Document(path=name, name=name, text=text, sha256=sha, passages=[(0, len(text))])
    return document_quads(doc, ex, Run.now("test"))


def dataset(*quad_lists) -> Dataset:
    ds = Dataset(default_union=True)
    for q in quad_lists:
        ds.addN(q)
    return ds


def gold_entity(id, type, label=None, aliases=(), **kw) -> dict:
    d = {"id": id, "type": type, **kw}
    if label is not None:
        d["label"] = label
    if aliases:
        d["aliases"] = list(aliases)
    return d


def base_gold(document=NAME) -> dict:
    return {
        "document": document,
        "entities": [
            gold_entity("p_kow", "Person", "Marta Kowalska", ["Kowalska", "M. Kowalska"]),
            gold_entity("p_brandt", "Person", "Piet Brandt", ["Brandt"]),
            gold_entity("w_harbour", "Work", "The Glass Harbour", authors=["p_kow"], year=1998),
            gold_entity("w_ledger", "Work", "the Port Ledger"),
            gold_entity("e_strike", "Event", "the harbour strike", ["strike"]),
            gold_entity(
                "c_self",
                "Claim",
                text="Dock workers themselves organised the harbour strike.",
                quote="the harbour strike was organised by the dock workers themselves",
                claimed_by=["p_kow"],
            ),
            gold_entity(
                "c_planned",
                "Claim",
                text="The union leadership planned the strike in advance.",
                quote="the union leadership planned the harbour strike in advance",
                claimed_by=["p_brandt"],
            ),
        ],
        "relations": [
            {"source": "w_harbour", "type": "supports", "target": "c_self", "quote": "x"},
            {"source": "c_planned", "type": "disputes", "target": "c_self", "quote": "x"},
            {"source": "doc", "type": "cites", "target": "w_ledger", "quote": "x"},
        ],
    }


def doc_report(report: EvalReport):
    assert len(report.documents) == 1
    return report.documents[0]
