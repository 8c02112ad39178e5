"""Training of the argument model's relation part (ingest/argument_decoding.py): a link model
that ranks a unit's candidate targets (fitted on the pairs of units that do support or dispute
something, so its softmax is P(target | source)), a polarity model (disputes against supports,
fitted on the annotated pairs), and the decoding settings chosen by cross-validation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from claimgraph.ingest import argument_features as F
from claimgraph.ingest.argument_decoding import choose_targets, chosen_units, select_edges
from claimgraph.ingest.argument_model import FALLBACKS, fallback_edges
from claimgraph.ingest.argument_pairs import pair_table
from claimgraph.training.listwise import fit_listwise

LINK_C = 0.5
LISTWISE = True  # link model: softmax over each source's candidates (else pairwise logistic)
POLARITY_C = 0.5
SHARES = (0.0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0)
GRID = [0.005, 0.01, 0.02, 0.03, 0.04, *(round(x, 2) for x in np.arange(0.05, 0.96, 0.05))]


@dataclass
class PairData:
    """Every candidate pair of the training documents: features and what the gold says."""

    x: sparse.csr_matrix
    doc: np.ndarray  # document index of each pair
    keys: list[tuple[int, int]]  # (source, target) candidate indices
    label: np.ndarray  # 0 none, 1 supports, 2 disputes
    source: np.ndarray  # 1 when the pair's source candidate is an annotated relation source
    polar: np.ndarray  # True when the pair's corpus annotates disputes (its polarity counts)

    @property
    def source_ids(self) -> np.ndarray:
        """The source candidate index of each pair."""
        return np.array([i for i, _j in self.keys], int)


def pair_data(prep: list, profiles: list[np.ndarray], window: int, matrix) -> PairData:
    """The pairs of `prep` (training.arguments.Prepared) under the unit `profiles`."""
    rows, doc, keys, label, source = [], [], [], [], []
    polar = {p.doc.corpus for p in prep if any(r == "disputes" for _s, r, _t in p.gold)}
    for k, (p, s) in enumerate(zip(prep, profiles, strict=True)):
        table = pair_table(p.cands, s, window)
        rows += table.rows
        keys += table.keys
        doc += [k] * len(table.keys)
        label += [pair_label(p, i, j) for i, j in table.keys]
        source += [int(p.label[i, 2]) for i, _j in table.keys]
    in_polar = np.array([prep[k].doc.corpus in polar for k in doc], bool)
    return PairData(
        matrix(rows, F.PAIR_DIM),
        np.array(doc, int),
        keys,
        np.array(label),
        np.array(source),
        in_polar,
    )


def pair_label(p, i: int, j: int) -> int:
    """0 (no relation), 1 (supports) or 2 (disputes) between candidates i -> j of `p`."""
    u, v = p.unit_of[i], p.unit_of[j]
    if u is None or v is None:
        return 0
    if (u, "supports", v) in p.gold:
        return 1
    return 2 if (u, "disputes", v) in p.gold else 0


def fit_relations(data: PairData, rows: np.ndarray, fit, seed: int, stance=None):
    """(weights (2, PAIR_DIM), biases (2,)) of the link and polarity models fitted on the
    pairs `rows` (a boolean mask): link on the pairs whose source is an annotated source,
    polarity on the annotated pairs of corpora that annotate disputes at all (a scheme with
    supports only, like CDCP's, says nothing about polarity: its pairs would teach that
    disputes are rarer than they are), plus the `stance` rows (training.stance.StanceRows) at
    their weight; none when only one polarity occurs."""
    w = np.zeros((2, F.PAIR_DIM), np.float32)
    b = np.array([0.0, -10.0], np.float32)
    link = rows & (data.source == 1)
    y = (data.label[link] > 0).astype(int)
    if len(np.unique(y)) == 2 and LISTWISE:
        sources = data.doc[link] * (1 + max(i for i, _j in data.keys)) + data.source_ids[link]
        w[0] = fit_listwise(data.x[link], sources, y, LINK_C)
    elif len(np.unique(y)) == 2:
        m = fit(data.x[link], y, LINK_C, seed)
        w[0], b[0] = m.coef_[0], m.intercept_[0]
    polarity = fit_polarity(data, rows, fit, seed, stance)
    if polarity is not None:
        w[1], b[1] = polarity
    return w, b


def fit_polarity(data: PairData, rows: np.ndarray, fit, seed: int, stance=None):
    """(weights, bias) of the polarity model on the annotated pairs among `rows` whose corpus
    annotates disputes, plus the `stance` rows at their weight; None with one polarity only."""
    linked = rows & (data.label > 0) & data.polar
    x, y, weight = data.x[linked], (data.label[linked] == 2).astype(int), None
    if stance is not None and stance.weight > 0 and len(stance.disputes):
        x = sparse.vstack([x, stance.x]).tocsr()
        y = np.concatenate([y, stance.disputes.astype(int)])
        weight = np.concatenate(
            [np.ones(linked.sum()), np.full(len(stance.disputes), stance.weight)]
        )
    if len(np.unique(y)) < 2:
        return None
    m = fit(x, y, POLARITY_C, seed, weight)
    return m.coef_[0], m.intercept_[0]


def rows_matrix(rows: list[tuple[np.ndarray, np.ndarray]], dim: int) -> sparse.csr_matrix:
    """Sparse (indices, values) feature rows as one CSR matrix of width `dim`."""
    indptr = np.cumsum([0] + [len(i) for i, _v in rows])
    idx = np.concatenate([i for i, _v in rows]) if rows else np.zeros(0, np.int64)
    val = np.concatenate([v for _i, v in rows]) if rows else np.zeros(0, np.float32)
    return sparse.csr_matrix((val, idx, indptr), shape=(len(rows), dim))


def logits(data: PairData, rows: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(data.x[rows] @ w.T) + b


def out_of_fold(data: PairData, fold_of_doc: np.ndarray, fit, seed: int, stance=None) -> np.ndarray:
    """Out-of-fold (link, disputes) logits of every pair, folds given per document."""
    out = np.zeros((len(data.label), 2))
    fold = fold_of_doc[data.doc]
    for f in range(int(fold.max()) + 1):
        test = fold == f
        if test.any():
            w, b = fit_relations(data, ~test, fit, seed, stance)
            out[test] = logits(data, test, w, b)
    return out


def choose_stance_weight(data: PairData, fold_of_doc: np.ndarray, fit, seed: int, stance):
    """The weight of the `stance` rows (one of stance.WEIGHTS) that gives the best disputes F1
    on the training corpora's own annotated disputes, out of fold (ties: the smaller weight),
    and the figures of each weight."""
    from claimgraph.training.stance import WEIGHTS, disputes_figures

    linked = (data.label > 0) & data.polar
    fold = fold_of_doc[data.doc]
    figures = {}
    for weight in WEIGHTS:
        z = np.full(len(data.label), -10.0)  # one polarity only in training: never disputes
        for f in range(int(fold.max()) + 1):
            test = linked & (fold == f)
            fitted = fit_polarity(data, fold != f, fit, seed, replace(stance, weight=weight))
            if test.any() and fitted is not None:
                z[test] = np.asarray(data.x[test] @ fitted[0]) + fitted[1]
        figures[weight] = disputes_figures(
            data.label[linked] == 2, 1.0 / (1.0 + np.exp(-z[linked]))
        )
    best = max(WEIGHTS, key=lambda w: (figures[w]["f1"], -w))
    return best, figures


def best_edges_per_doc(profiles, pick: tuple[str, float], data: PairData, z: np.ndarray) -> list:
    """Per document: (chosen units, each chosen source's best edge) under logits `z`; `pick`
    is the claim selection and threshold (argument_decoding.chosen_units)."""
    by_doc: dict[int, list[int]] = {}
    for n, k in enumerate(data.doc):
        by_doc.setdefault(int(k), []).append(n)
    out = []
    for k, s in enumerate(profiles):
        chosen = chosen_units(s[:, 0], *pick)
        keep = set(chosen)
        rows = [n for n in by_doc.get(k, []) if {*data.keys[n]} <= keep]
        keys = [data.keys[n] for n in rows]
        dispute = 1.0 / (1.0 + np.exp(-z[rows, 1])) if rows else np.zeros(0)
        best = choose_targets(keys, z[rows, 0], dispute, s[:, 2]) if rows else {}
        out.append((chosen, best))
    return out


def choose_decoding(prep, profiles, views: list[list], counts, f1) -> tuple[dict, dict]:
    """The (relation_threshold, relation_share, fallback) maximising the mean strict relation
    F1 over training corpora and views (each a best_edges_per_doc result: cross-validated
    within the mixture, then cross-corpus); ties go to the earlier setting. Returns the
    settings and the pooled figures of the first view there. `counts(p, chosen)` gives the
    claim mapping, `f1(pred, gold, hit)` the figures."""
    docs = []
    for v, view in enumerate(views):
        for p, s, (chosen, best) in zip(prep, profiles, view, strict=True):
            fallbacks = {f: fallback_edges(p.cands, s, chosen, f) for f in FALLBACKS}
            docs.append((v, p, chosen, counts(p, chosen), best, fallbacks))
    keys = sorted({(v, p.doc.corpus) for v, p, *_rest in docs})
    best_fig: tuple[float, dict, dict] = (-1.0, {}, {})
    for fallback in FALLBACKS:
        for share in SHARES:
            for t in [*GRID, 1.01]:
                tot = {key: np.zeros(3, int) for key in keys}
                for v, p, chosen, mapping, best, fallbacks in docs:
                    edges = select_edges(best, len(chosen), t, share) or fallbacks[fallback]
                    tot[v, p.doc.corpus] += relation_counts(p, mapping, edges)
                mean = float(np.mean([f1(*c)["f1"] for c in tot.values()]))
                if mean > best_fig[0] + 1e-9:
                    within = sum(c for (v, _c), c in tot.items() if v == 0)
                    settings = {
                        "relation_threshold": t,
                        "relation_share": share,
                        "fallback": fallback,
                    }
                    best_fig = (mean, settings, f1(*within))
    return best_fig[1], best_fig[2]


def relation_counts(p, mapping: dict[int, str], edges) -> tuple[int, int, int]:
    """(predicted, gold, strictly matched) relations of one document."""
    found = {(mapping.get(e.source), e.relation, mapping.get(e.target)) for e in edges}
    hit = len({f for f in found if f in p.gold})
    return len(edges), len(p.gold), hit
