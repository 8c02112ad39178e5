"""Is the argument model short of capacity or of signal? The shipped linear models beside a
gradient-boosted model over the same information, and the unit model inside one topic
against across topics.

    python benchmarks/model_capacity.py [--corpora ../shared/corpora]

Three measurements, all cross-validated on training corpora only (no test split is read):

1. Units, web-discourse: P(argument unit) from the shipped recipe's logistic regression
   (hashed lemma n-grams, markers, position, POS shares, tok2vec), trained on five topics and
   scored on the sixth; beside it a gradient-boosted model (scikit-learn's
   HistGradientBoostingClassifier) over the regression's out-of-fold logit, the unit's dense
   features (position, lengths, markers, POS shares, tok2vec) and its document context (the
   document's mean and highest logit, the unit's rank, its neighbours' logits). Claim F1 at
   the best threshold (optimistic for both alike) and average precision.
2. The same logistic regression with the folds drawn over documents at random, so that
   every topic is seen in training: how much of the gap to a target is topic shift.
3. Links, CDCP train + web-discourse in three document folds: how often each model puts
   the gold target first among a source's candidates (the listwise link model; a
   gradient-boosted pairwise model over the dense pair and context features; the two
   stacked), and the strict relation F1 the decoding reaches with each score (claims at
   threshold 0.1, the threshold, share and fallback chosen as training chooses them).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from claimgraph.corpora.cdcp import read_cdcp
from claimgraph.corpora.web_discourse import read_web_discourse
from claimgraph.graph.errors import UserError
from claimgraph.ingest import argument_features as F
from claimgraph.ingest.argument_decoding import chosen_units, select_edges
from claimgraph.ingest.argument_model import fallback_edges
from claimgraph.ingest.argument_pairs import hubs, paragraph_ranks, rank_of
from claimgraph.training import arguments as A
from claimgraph.training import relations as R

GRID = np.arange(0.05, 0.96, 0.05)


def _booster(leaves: int = 15):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=300, learning_rate=0.05, max_leaf_nodes=leaves, l2_regularization=1.0,
        random_state=0,
    )  # fmt: skip


def unit_dense(c: F.Candidate) -> np.ndarray:
    """The dense description of a candidate unit: position, lengths, markers, POS, tok2vec."""
    lem = set(c.lemmas)
    return np.concatenate([
        [
            c.index / max(1, c.doc_size), c.par_index / max(1, c.par_size), c.par_size,
            c.doc_size, c.doc_paragraphs, c.paragraph / max(1, c.doc_paragraphs),
            sum(w[:1].isalnum() for w in c.lemmas), c.part, c.par_index == 0,
            c.par_index == c.par_size - 1, c.index == 0, c.index == c.doc_size - 1,
            F.MARKERS.index(c.opener) if c.opener else -1, bool(F.MODALS & lem),
            bool(lem & F.FIRST), bool(lem & F.SECOND), c.negated, "?!.:;".find(c.text[-1:]),
        ],
        c.pos, c.vector,
    ])  # fmt: skip


def document_context(logit: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per unit: its document's mean and highest logit, its rank, its neighbours' logits."""
    out = np.zeros((len(logit), 5), np.float32)
    for k in np.unique(group):
        idx = np.where(group == k)[0]
        z = logit[idx]
        out[idx, 0], out[idx, 1] = z.mean(), z.max()
        out[idx, 2] = rank_of(z) / len(z)
        out[idx, 3], out[idx, 4] = np.r_[-9.0, z[:-1]], np.r_[z[1:], -9.0]
    return out


def _logit(model, x) -> np.ndarray:
    p = np.clip(model.predict_proba(x)[:, 1], 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def claim_f1(prep, scores: np.ndarray) -> tuple[float, float]:
    """(best claim F1 over the threshold grid, that threshold)."""
    best = (0.0, 0.0)
    for t in GRID:
        tot = np.zeros(3)
        for p, s in zip(prep, A._split(scores, prep), strict=True):
            tot += A.claim_counts(p, chosen_units(s, "threshold", float(t)))[:3]
        pr, r = tot[2] / max(1, tot[0]), tot[2] / max(1, tot[1])
        best = max(best, (2 * pr * r / (pr + r) if pr + r else 0.0, round(float(t), 2)))
    return best


def units(wd: list) -> None:
    """Measurements 1 and 2."""
    from sklearn.metrics import average_precision_score

    prep = [p for p in A.prepare(wd, clauses=True) if p.cands]
    x, y, g = A._unit_data(prep)
    y = y[:, 0]
    topics = sorted({p.doc.topic for p in prep})
    topic = np.array([topics.index(p.doc.topic) for p in prep])[g]
    dense = np.array([unit_dense(c) for p in prep for c in p.cands], np.float32)
    linear, boosted = np.zeros(len(y)), np.zeros(len(y))
    for t in range(len(topics)):
        test, train = topic == t, topic != t
        linear[test] = _logit(A._fit(x[train], y[train], A.UNIT_C, 0), x[test])
        inner = np.zeros(train.sum())  # out-of-fold logits of the training topics
        for u in np.unique(topic[train]):
            rest = train & (topic != u)
            inner[topic[train] == u] = _logit(A._fit(x[rest], y[rest], A.UNIT_C, 0), x[topic == u])
        model = _booster()
        model.fit(
            np.column_stack([inner, document_context(inner, g[train]), dense[train]]), y[train]
        )
        rows = np.column_stack([linear[test], document_context(linear[test], g[test]), dense[test]])
        boosted[test] = model.predict_proba(rows)[:, 1]
    print(f"1. units, web-discourse cross-topic ({len(prep)} documents, {len(y)} candidates)")
    for name, s in (("logistic (shipped recipe)", 1 / (1 + np.exp(-linear))), ("boosted", boosted)):
        f1, t = claim_f1(prep, s)
        ap = average_precision_score(y, s)
        print(f"   {name:<27} claims F1 {f1:.3f} (threshold {t:.2f})  average precision {ap:.3f}")
    folds = np.random.default_rng(0).permutation(len(prep)) % len(topics)
    mixed = np.zeros(len(y))
    for f in range(len(topics)):
        test = folds[g] == f
        mixed[test] = A._fit(x[~test], y[~test], A.UNIT_C, 0).predict_proba(x[test])[:, 1]
    f1, t = claim_f1(prep, mixed)
    print(
        f"2. the logistic model, documents in random folds (every topic seen): claims F1 {f1:.3f}"
    )


def pair_dense(data: R.PairData, prep, profiles) -> np.ndarray:
    """Dense and context features of every candidate pair (distance, positions, ranks,
    overlap, markers, the profiles and tok2vec similarity the link model also reads)."""
    ctx = [
        (
            rank_of(s[:, 1]),
            rank_of(s[:, 0]),
            paragraph_ranks(p.cands, s[:, 1]),
            hubs(p.cands, s[:, 1]),
        )
        for p, s in zip(prep, profiles, strict=True)
    ]
    rows = []
    for k, (i, j) in zip(data.doc, data.keys, strict=True):
        s, t = prep[k].cands[i], prep[k].cands[j]
        ranks, unit_ranks, par_ranks, hub = ctx[k]
        n = max(1, s.doc_size)
        rows.append([
            j - i, abs(j - i), s.paragraph == t.paragraph, t.paragraph - s.paragraph,
            s.par_index, t.par_index, s.par_size, s.doc_size, s.index / n, t.index / n,
            ranks[j], unit_ranks[j], par_ranks[j], par_ranks[i], hub[i] == j,
            len(s.content & t.content), F.MARKERS.index(s.opener) if s.opener else -1,
            F.MARKERS.index(t.opener) if t.opener else -1, s.part, t.part, t.index == 0,
            t.par_index == 0, s.par_index == 0, t.text.endswith("?"), s.negated, t.negated,
        ])  # fmt: skip
    head = data.x[:, F.HASH_SIZE : F.HASH_SIZE + 9].toarray()  # profiles, products, cosine
    return np.column_stack([np.array(rows, np.float32), head])


def links(docs: list) -> None:
    """Measurement 3."""
    docs = sorted(docs, key=lambda d: (d.corpus, d.id))
    prep = [p for p in A.prepare(docs, clauses=True) if p.cands]
    xu, yu, gu = A._unit_data(prep)
    fold = A._folds(len(prep), 0)
    oof = np.column_stack(
        [A._cross_val(xu, yu[:, h], fold[gu], A.UNIT_C, 0)[:, -1] for h in range(3)]
    )
    profiles = A._split(oof, prep)
    data = R.pair_data(prep, profiles, A.WINDOW, A._matrix)
    listwise = R.out_of_fold(data, fold, A._fit, 0)
    dense = pair_dense(data, prep, profiles)
    pair_fold = fold[data.doc]
    linked = data.source == 1
    y = (data.label > 0).astype(int)
    boosted, stacked = np.zeros(len(y)), np.zeros(len(y))
    for f in range(A.FOLDS):
        train, test = linked & (pair_fold != f), pair_fold == f
        model = _booster()
        model.fit(dense[train], y[train])
        boosted[test] = model.decision_function(dense[test])
        inner = np.zeros(len(y))  # the listwise logit of the training folds, out of fold
        half = np.zeros(len(prep), int)
        half[np.where(fold != f)[0]] = np.arange((fold != f).sum()) % 2
        for h in range(2):
            w, b = R.fit_relations(data, (pair_fold != f) & (half[data.doc] != h), A._fit, 0)
            rows = (pair_fold != f) & (half[data.doc] == h)
            inner[rows] = R.logits(data, rows, w, b)[:, 0]
        w, b = R.fit_relations(data, pair_fold != f, A._fit, 0)
        inner[test] = R.logits(data, test, w, b)[:, 0]
        model = _booster()
        model.fit(np.column_stack([dense[train], inner[train]]), y[train])
        stacked[test] = model.decision_function(np.column_stack([dense[test], inner[test]]))
    source = data.doc * (1 + max(i for i, _j in data.keys)) + data.source_ids
    corpora = np.array([prep[k].doc.corpus for k in data.doc])
    print(f"3. links, CDCP train + web-discourse, {A.FOLDS} document folds")
    counts = lambda p, chosen: A.claim_counts(p, chosen)[3]  # noqa: E731
    for name, score in (
        ("listwise (shipped)", listwise[:, 0]),
        ("boosted", boosted),
        ("stacked", stacked),
    ):
        firsts = []
        for corpus in ("cdcp", "web-discourse"):
            keys = np.unique(source[linked & (y == 1) & (corpora == corpus)])
            hit = [y[m][np.argmax(score[m])] == 1 for m in (linked & (source == k) for k in keys)]
            firsts.append(f"{corpus} {np.mean(hit):.3f} (n {len(hit)})")
        z = listwise.copy()
        z[:, 0] = score
        view = R.best_edges_per_doc(profiles, ("threshold", 0.1), data, z)
        dec, _cv = R.choose_decoding(prep, profiles, [view], counts, A._f1)
        tot: dict[str, np.ndarray] = {}
        for p, s, (chosen, best) in zip(prep, profiles, view, strict=True):
            edges = select_edges(
                best, len(chosen), dec["relation_threshold"], dec["relation_share"]
            )
            edges = edges or fallback_edges(p.cands, s, chosen, dec["fallback"])
            tot.setdefault(p.doc.corpus, np.zeros(3, int))
            tot[p.doc.corpus] += R.relation_counts(p, counts(p, chosen), edges)
        strict = ", ".join(f"{c} {A._f1(*v)['f1']:.3f}" for c, v in sorted(tot.items()))
        print(f"   {name:<19} gold target first: {'; '.join(firsts)}; strict F1 {strict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"))
    args = parser.parse_args(argv)
    try:
        wd = read_web_discourse(args.corpora)
        cdcp = read_cdcp(args.corpora, "train")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    units(wd)
    links(cdcp + wd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
