"""Score a claimgraph graph against hand-made gold annotations (precision, recall, F1).

A gold file (see ``examples/gold/FORMAT.md`` and ``docs/evaluation.md``) lists, for one source
document, the people, works, events and claims a careful reader would put into the graph and
the supports/disputes/cites relations between them. :func:`evaluate` finds the document's
named graph (the graph whose IRI has ``cg:fileName`` equal to the gold ``document``), matches
predicted nodes to gold entities one-to-one per type (:mod:`.matching`), maps predicted edges
onto gold relations through that matching, and counts (:mod:`.results`).

Edges: *strict* = same relation, same target and same source; *lenient* = same relation and
target. Endpoints map to gold ids through the node matching; the document's own IRI (or one
of its passages) is gold ``doc``; a claim or work authored by person P also stands for P as
a source, and a claim quoted from work W also stands for W.

No spaCy model is loaded: only spaCy's English stop-word list is imported, when claims are
compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
from rdflib import Graph, URIRef

from claimgraph.evaluation.gold import GoldEntity, check_gold, genre_of, gold_entities, load_gold
from claimgraph.evaluation.matching import (
    DIRECT_SOURCE,
    EPS,
    PROXY_SOURCE,
    assign,
    claim_score,
    names_score,
)
from claimgraph.evaluation.predicted import (
    Predicted,
    PredNode,
    document_graph,
    documents,
    find_document,
    named_graphs,
    predicted,
)
from claimgraph.evaluation.results import (
    ALL,
    DOC,
    KINDS,
    RELATIONS,
    DocumentReport,
    EvalReport,
    RuleScore,
    Score,
    TypeScore,
)
from claimgraph.graph.errors import UserError


def _node_scores(kind: str, preds: list[PredNode], golds: list[GoldEntity]) -> np.ndarray:
    scores = np.zeros((len(preds), len(golds)))
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if kind == "Claim":
                scores[i, j] = claim_score(p.texts, g.texts)
            else:
                scores[i, j] = names_score(kind, (p.label, p.names), (g.label, g.names))
    return scores


def _rule(report: DocumentReport, name: str) -> RuleScore:
    return report.rules.setdefault(name, RuleScore(name))


def _score_nodes(
    report: DocumentReport, pred: Predicted, gold: dict[str, list[GoldEntity]]
) -> dict[URIRef, str]:
    """Match nodes per type into `report`; returns predicted IRI -> gold id (duplicates too)."""
    to_gold: dict[URIRef, str] = {}
    for kind in KINDS:
        preds, golds = pred.nodes[kind], gold[kind]
        scores = _node_scores(kind, preds, golds)
        pairs = assign(scores)
        status: dict[URIRef, str] = {}  # "correct" | "duplicate"
        for r, c in pairs:
            to_gold.setdefault(preds[r].iri, golds[c].id)
            status[preds[r].iri] = "correct"
        matched_cols = sorted({c for _, c in pairs})
        paired_rows = {r for r, _ in pairs}
        duplicates = 0
        for r in range(len(preds)):
            if r in paired_rows or not matched_cols:
                continue
            best = max(matched_cols, key=lambda c, r=r: scores[r, c])
            if scores[r, best] > EPS:
                duplicates += 1
                to_gold.setdefault(preds[r].iri, golds[best].id)
                status[preds[r].iri] = "duplicate"
        report.entities[kind] = TypeScore(len(preds), len(golds), len(pairs), duplicates)
        report.entities[ALL].add(report.entities[kind])
        for p in preds:
            for rule in p.rules:
                rs = _rule(report, rule)
                rs.count += 1
                rs.correct += status.get(p.iri) == "correct"
                rs.duplicates += status.get(p.iri) == "duplicate"
                rs.kinds.add(kind)
    return to_gold


def _score_edges(
    report: DocumentReport, pred: Predicted, gold_edges: list[tuple], to_gold: dict
) -> None:
    """Match edges per relation, strictly and leniently, into `report`."""
    strictly_matched: set[int] = set()
    for relation in RELATIONS:
        p_idx = [i for i, e in enumerate(pred.edges) if e.relation == relation]
        g_rel = [e for e in gold_edges if e[1] == relation]
        strict = np.zeros((len(p_idx), len(g_rel)))
        lenient = np.zeros((len(p_idx), len(g_rel)))
        for row, i in enumerate(p_idx):
            e = pred.edges[i]
            target = to_gold.get(e.target)
            if target is None:
                continue
            source = to_gold.get(e.source)
            stand_ins = {to_gold.get(x) for x in pred.proxies.get(e.source, ())} - {None}
            for col, (g_source, _, g_target) in enumerate(g_rel):
                if g_target != target:
                    continue
                lenient[row, col] = 1.0
                if g_source == source:
                    strict[row, col] = DIRECT_SOURCE
                elif g_source in stand_ins:
                    strict[row, col] = PROXY_SOURCE
        strict_pairs = assign(strict)
        strictly_matched.update(p_idx[r] for r, _ in strict_pairs)
        report.strict[relation] = Score(len(p_idx), len(g_rel), len(strict_pairs))
        report.lenient[relation] = Score(len(p_idx), len(g_rel), len(assign(lenient)))
        report.strict[ALL].add(report.strict[relation])
        report.lenient[ALL].add(report.lenient[relation])
    for i, e in enumerate(pred.edges):
        for rule in e.rules:
            rs = _rule(report, rule)
            rs.count += 1
            rs.correct += i in strictly_matched
            rs.kinds.add(e.relation)


def score_document(
    name: str, gold: Mapping, g: Graph, graph_iri: URIRef | None, doc_iris: set[URIRef]
) -> DocumentReport:
    """Score one gold document against the graph `g` extracted from it."""
    report = DocumentReport(
        document=name, graph=str(graph_iri) if graph_iri else None, genre=genre_of(gold)
    )
    pred = predicted(g, doc_iris)
    entities = gold_entities(gold)
    to_gold = {d: DOC for d in doc_iris} | {p: DOC for p in pred.passages}
    to_gold |= _score_nodes(report, pred, entities)

    scored_ids = {DOC} | {e.id for kind in KINDS for e in entities[kind]}
    gold_edges = []
    for r in gold.get("relations", []):
        if r["source"] in scored_ids and r["target"] in scored_ids:
            gold_edges.append((r["source"], r["type"], r["target"]))
        else:
            report.skipped_relations += 1
    _score_edges(report, pred, gold_edges, to_gold)
    return report


def _some(names: Iterable[str], limit: int = 10) -> str:
    """Sorted names for a one-line message: the first `limit`, then how many more."""
    names = sorted(names)
    shown = ", ".join(names[:limit]) or "none"
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def evaluate(data: Graph, gold: list[dict] | str | Path) -> EvalReport:
    """Score a graph against gold annotations.

    `data` is an rdflib Dataset (say ``DiskStore(path).dataset()`` or a parsed TriG file),
    a ConjunctiveGraph, or a plain Graph. `gold` is a list of gold objects or a path to a
    gold file or folder. Each gold document is scored against the named graph whose IRI has
    that ``cg:fileName`` (or one ending with "/" + the name). An input without named graphs
    (a Turtle or JSON-LD union) is scored as a whole, which needs exactly one gold document
    (and, if the union names its documents, that one among them). The report sums the
    documents (micro-average) overall and per gold ``genre``.
    Raises UserError when a gold document is not in the graph.
    """
    golds = load_gold(gold) if isinstance(gold, str | Path) else list(gold)
    for i, g in enumerate(golds):
        check_gold(g, f"gold document {i}")
    if not golds:
        raise UserError("no gold documents to score")
    docs = documents(data)
    named = named_graphs(data)
    if not named and len(golds) > 1:
        raise UserError(
            "the graph has no named graphs (a Turtle or JSON-LD union), so it can be "
            "scored against one gold document only; give one gold file or a TriG/N-Quads "
            "export"
        )
    reports = []
    for gold_doc in golds:
        name = gold_doc["document"]
        doc_iri = find_document(name, docs)
        if named:
            if doc_iri is None or doc_iri not in named:
                have = _some(f for f, d in docs.items() if d in named)
                raise UserError(
                    f"gold document {name!r} is not in the graph; the graph has documents: {have}"
                )
            graph = document_graph(data, doc_iri)
            reports.append(score_document(name, gold_doc, graph, doc_iri, {doc_iri}))
        else:
            if doc_iri is None and docs:
                raise UserError(
                    f"gold document {name!r} is not in the graph; "
                    f"the graph has documents: {_some(docs)}"
                )
            doc_iris = {doc_iri} if doc_iri is not None else set()
            reports.append(score_document(name, gold_doc, data, None, doc_iris))
    return EvalReport.of(reports)
