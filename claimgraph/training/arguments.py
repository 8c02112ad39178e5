"""Train the argument model (ingest/argument_model.py) from annotated corpus documents:
which candidate units (clauses by default) are argument units, and which supports or disputes
which.

Candidates are aligned to gold units by the scoring criterion (content-token F1 >= 0.5);
logistic regressions are fitted for the units (three binary heads: unit, relation target,
relation source) and for the relations (training/relations.py: which target, given a source;
supports or disputes), and the thresholds and decoding (relation share, structural fallback)
are chosen by cross-validation inside the training data, each training corpus counting alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from claimgraph.corpora.documents import CorpusDoc, StancePair
from claimgraph.evaluation.matching import CLAIM_THRESHOLD, token_f1
from claimgraph.ingest import argument_features as F
from claimgraph.ingest.argument_decoding import SELECTIONS, chosen_units
from claimgraph.ingest.argument_model import ArgumentModel, Edge
from claimgraph.ingest.argument_segments import LearnedSplit
from claimgraph.training import relations as R
from claimgraph.training.argument_card import write_card
from claimgraph.training.parsed import parse_texts
from claimgraph.training.segments import fit_segmenter
from claimgraph.training.stance import stance_rows

WINDOW = 6
SEG_THRESHOLDS = (0.1, 0.25, 0.5)  # P(boundary) at which the learned segmenter may cut
UNIT_C = 0.1
FOLDS = 3
_GRID = [round(x, 2) for x in np.arange(0.05, 0.96, 0.05)]


@dataclass
class Prepared:
    """One corpus document with its candidate units, their gold alignment and relations."""

    doc: CorpusDoc
    cands: list[F.Candidate]
    f1: np.ndarray  # (candidates, gold units) token F1, zero below the claim threshold
    label: np.ndarray  # (candidates, 3): matches a gold unit, a relation target, a source
    unit_of: list[str | None]  # the gold unit id each candidate stands for
    gold: set[tuple[str, str, str]] = field(default_factory=set)  # (source, type, target)


def prepare(
    docs: list[CorpusDoc], cache_dir: Path | None = None, clauses=False, parsed=None
) -> list[Prepared]:
    """Parse (cached, unless `parsed` is given) and align every document's candidate units
    to its gold units. `clauses`: how sentences are cut (see `F.candidates`), or a list of
    such, one per document."""
    if parsed is None:
        parsed = parse_texts([d.text for d in docs], cache_dir)
    splits = clauses if isinstance(clauses, list) else [clauses] * len(docs)
    out = []
    for doc, pdocs, split in zip(docs, parsed, splits, strict=True):
        cands = F.candidates(pdocs, clauses=split)
        golds = [doc.text[u.start : u.end] for u in doc.units]
        f1 = np.zeros((len(cands), len(golds)))
        for i, c in enumerate(cands):
            for j, g in enumerate(golds):
                if c.start < doc.units[j].end and doc.units[j].start < c.end:
                    f1[i, j] = token_f1(c.text, g)
        f1[f1 < CLAIM_THRESHOLD - 1e-9] = 0.0
        unit_of = [doc.units[int(r.argmax())].id if r.any() else None for r in f1]
        gold = {(r.source, r.type, r.target) for r in doc.relations}
        targets, sources = {t for _s, _r, t in gold}, {s for s, _r, _t in gold}
        label = np.array([[u is not None, u in targets, u in sources] for u in unit_of], int)
        out.append(Prepared(doc, cands, f1, label.reshape(len(cands), 3), unit_of, gold))
    return out


_matrix = R.rows_matrix


@dataclass
class _Linear:
    """A fitted logistic regression with its weights in the full feature space."""

    classes_: np.ndarray
    coef_: np.ndarray  # (classes or 1, dim)
    intercept_: np.ndarray

    def predict_proba(self, x) -> np.ndarray:
        z = np.asarray(x @ self.coef_.T) + self.intercept_
        if self.coef_.shape[0] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.column_stack([1 - p, p])
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def _fit(x, y, c: float, seed: int, weight: np.ndarray | None = None) -> _Linear:
    """Logistic regression over the columns the data uses (L-BFGS time grows with width)."""
    from sklearn.linear_model import LogisticRegression

    used = np.unique(x.indices)
    m = LogisticRegression(C=c, max_iter=400, random_state=seed)
    m.fit(x[:, used], y, sample_weight=weight)
    coef = np.zeros((m.coef_.shape[0], x.shape[1]), np.float32)
    coef[:, used] = m.coef_
    return _Linear(m.classes_, coef, m.intercept_)


def _unit_data(prep: list[Prepared]):
    rows = [F.unit_vector(c) for p in prep for c in p.cands]
    y = np.vstack([p.label for p in prep])
    groups = np.concatenate([[k] * len(p.cands) for k, p in enumerate(prep)])
    return _matrix(rows, F.UNIT_DIM), y, groups


def _folds(n: int, seed: int) -> np.ndarray:
    order = np.random.default_rng(seed).permutation(n)
    fold = np.zeros(n, int)
    fold[order] = np.arange(n) % FOLDS
    return fold


def train_argument_model(
    docs: list[CorpusDoc],
    out_dir: Path,
    *,
    pairs: list[StancePair] = (),
    seed: int = 0,
    cache_dir: Path | None = None,
    window: int = WINDOW,
    clauses: bool = True,
    segment: bool = True,
) -> dict:
    """Train on `docs`, write the model directory `out_dir`, return the training report
    (sizes, the thresholds chosen and the cross-validated figures at those thresholds).
    Units are clauses unless `clauses` is False; with `segment`, a learned segmenter takes
    the clause rule's place if it scores better by cross-validation (`_choose_units`).
    `pairs` (PERSPECTRUM stance pairs) join the polarity model's training at the weight that
    cross-validates best on the corpora's own disputes (0 leaves them out). The result does not depend on the order
    of `docs` (folds are drawn over the documents sorted by corpus and id)."""
    docs = sorted(docs, key=lambda d: (d.corpus, d.id))
    parsed = parse_texts([d.text for d in docs], cache_dir)
    units, splitter, seg, choice = "clauses" if clauses else "sentences", clauses, None, {}
    if clauses and segment:
        units, splitter, seg, choice = _choose_units(docs, parsed, seed)
    prep = [p for p in prepare(docs, cache_dir, splitter, parsed) if p.cands]
    if not prep or not any(p.label[:, 0].any() for p in prep):
        raise ValueError("no training document has a sentence matching an annotated unit")
    xu, yu, gu = _unit_data(prep)
    doc_fold = _folds(len(prep), seed)
    unit_w = np.zeros((3, F.UNIT_DIM), np.float32)
    unit_b = np.full(3, -10.0, np.float32)
    oof = np.zeros(yu.shape)
    for head in range(3):
        if len(np.unique(yu[:, head])) < 2:
            continue
        oof[:, head] = _cross_val(xu, yu[:, head], doc_fold[gu], UNIT_C, seed)[:, -1]
        fitted = _fit(xu, yu[:, head], UNIT_C, seed)
        unit_w[head], unit_b[head] = fitted.coef_[0], fitted.intercept_[0]
    oof_profiles = _split(oof, prep)
    # cross-corpus: scored by a model trained on the other training corpora only, so the
    # thresholds also hold on a genre denser or sparser than the training ones
    names = sorted({p.doc.corpus for p in prep})
    doc_corpus = np.array([names.index(p.doc.corpus) for p in prep])
    far = len(names) > 1
    transfer = _cross_val(xu, yu[:, 0], doc_corpus[gu], UNIT_C, seed)[:, -1] if far else None
    claim_t, unit_cv, transfer_cv, _mean, selection = _best_claim_threshold(
        prep, [s[:, 0] for s in oof_profiles], None if transfer is None else _split(transfer, prep)
    )
    pick = (selection["claim_selection"], claim_t)

    stance = stance_rows(pairs, cache_dir) if pairs else None
    rel_w, rel_b, decoding, rel_cv, data, polarity = _relations(
        prep, oof_profiles, pick, window, doc_fold, doc_corpus if far else None, seed, stance
    )
    used_pairs = bool(polarity.get("stance_weight"))  # their weight may be 0: then unused
    settings = {
        "claim_threshold": claim_t,
        **selection,
        **decoding,
        "window": window,
        "units": units,
        **({"segment_choice": choice} if choice else {}),
        **({} if seg is None else {"segment_threshold": seg[2], "segment_bias": seg[1]}),
        "decoding": "each unit -> at most one target among its candidates, confidence "
        "P(source) x P(target | source) (softmax over the link scores), kept at or above "
        "relation_threshold or among the document's top relation_share of units; polarity "
        "from the disputes model; a document left without edges gets the fallback's edges",
        "seed": seed,
        "trained": dt.date.today().isoformat(),
        "corpora": sorted({d.corpus for d in docs} | ({"perspectrum"} if used_pairs else set())),
        "documents": len(prep),
        "sentences": int(len(yu)),
        "positive_sentences": int(yu[:, 0].sum()),
        "pairs": int(len(data.label)),
        "relations_in_window": int((data.label > 0).sum()),
        "relations_gold": int(sum(len(p.gold) for p in prep)),
        "stance_pairs": len(pairs),
        **polarity,
        "cross_validated": {"units": unit_cv, "relations": rel_cv},
        "cross_corpus": {"units": transfer_cv},
    }
    model = ArgumentModel(unit_w, unit_b, rel_w, rel_b, settings, None if seg is None else seg[0])
    model.save(out_dir)
    write_card(Path(out_dir), settings)
    return settings


def _choose_units(docs: list[CorpusDoc], parsed: list, seed: int):
    """Clauses or the learned segmenter at one of SEG_THRESHOLDS, whichever gives the best
    mean claim F1 over the training corpora by cross-validation (the segmenter cutting each
    document fitted without it): (units, splitter, the segmenter's (weights, bias, threshold),
    the mean F1 of each option). The segmenter, fitted on every document at its best
    threshold, is returned whichever option wins."""
    fold = _folds(len(docs), seed)
    fitted = [
        fit_segmenter(
            [d for d, f in zip(docs, fold, strict=True) if f != k],
            [p for p, f in zip(parsed, fold, strict=True) if f != k],
            seed,
        )
        for k in range(FOLDS)
    ]
    options: dict[str, list] = {"clauses": [True] * len(docs)}
    for t in SEG_THRESHOLDS:
        options[str(t)] = [LearnedSplit(*fitted[f], t) for f in fold]
    scores = {}
    for name, splits in options.items():
        prep = [p for p in prepare(docs, None, splits, parsed) if p.cands]
        xu, yu, gu = _unit_data(prep)
        oof = _cross_val(xu, yu[:, 0], _folds(len(prep), seed)[gu], UNIT_C, seed)[:, -1]
        scores[name] = round(_best_claim_threshold(prep, _split(oof, prep))[3], 4)
    best = max(scores, key=lambda name: (scores[name], name == "clauses"))
    learned = max((k for k in scores if k != "clauses"), key=lambda k: scores[k])
    w, b = fit_segmenter(docs, parsed, seed)  # shipped either way: `[model] units` can pick it
    seg = (w, b, float(learned))
    if best == "clauses":
        return "clauses", True, seg, scores
    return "learned", LearnedSplit(*seg), seg, scores


def _relations(prep, profiles, pick, window, doc_fold, doc_corpus, seed, stance=None):
    """Fit the link and polarity models on every candidate pair and choose the decoding from
    their out-of-fold scores (within the mixture, and cross-corpus when `doc_corpus` is given);
    with `stance` rows (PERSPECTRUM), their weight in the polarity model is chosen first.
    Returns (weights, biases, decoding settings, cross-validated figures, the pair data, the
    polarity settings)."""
    data = R.pair_data(prep, profiles, window, _matrix)
    if not (data.label > 0).any():
        none = {"relation_threshold": 0.5, "relation_share": 0.0, "fallback": "none"}
        w = np.zeros((2, F.PAIR_DIM), np.float32)
        return w, np.array([0.0, -10.0], np.float32), none, {}, data, {}
    polarity = {}
    if stance is not None and ((data.label == 2) & data.polar).any():
        weight, figures = R.choose_stance_weight(data, doc_fold, _fit, seed, stance)
        stance = replace(stance, weight=weight)
        polarity = {
            "stance_weight": weight,
            "stance_rows": int(len(stance.disputes)),
            "polarity_cv": {str(k): v for k, v in figures.items()},
        }
    elif stance is not None:
        stance = None  # no training corpus annotates disputes: nothing to choose a weight on
    views = []
    for fold in (doc_fold, doc_corpus):
        if fold is not None:
            z = R.out_of_fold(data, fold, _fit, seed, stance)
            views.append(R.best_edges_per_doc(profiles, pick, data, z))
    counts = lambda p, chosen: claim_counts(p, chosen)[3]  # noqa: E731
    decoding, cv = R.choose_decoding(prep, profiles, views, counts, _f1)
    w, b = R.fit_relations(data, np.ones(len(data.label), bool), _fit, seed, stance)
    return w, b, decoding, cv, data, polarity


def _cross_val(x, y, fold: np.ndarray, c: float, seed: int) -> np.ndarray:
    """Out-of-fold class probabilities (columns: classes 0..max(y))."""
    k = int(y.max()) + 1
    out = np.zeros((len(y), k))
    for f in range(int(fold.max()) + 1):
        test = fold == f
        if not test.any() or len(np.unique(y[~test])) < 2:
            continue
        m = _fit(x[~test], y[~test], c, seed)
        out[np.ix_(test, m.classes_)] = m.predict_proba(x[test])
    return out


def _split(flat: np.ndarray, prep: list[Prepared]) -> list[np.ndarray]:
    cuts = np.cumsum([len(p.cands) for p in prep])[:-1]
    return np.split(flat, cuts)


def claim_counts(p: Prepared, chosen: list[int]) -> tuple[int, int, int, dict[int, str]]:
    """(predicted, gold, matched, candidate -> gold unit id) under one-to-one matching; extra
    candidates matching an already matched unit map to it too, as `claimgraph eval` does."""
    sub = p.f1[chosen]
    mapping: dict[int, str] = {}
    matched = 0
    if sub.size and sub.any():
        rows, cols = linear_sum_assignment(sub, maximize=True)
        for r, c in zip(rows, cols, strict=True):
            if sub[r, c] > 0:
                matched += 1
                mapping[chosen[r]] = p.doc.units[c].id
        for r, i in enumerate(chosen):
            if i not in mapping and sub[r].any():
                mapping[i] = p.doc.units[int(sub[r].argmax())].id
    return len(chosen), len(p.doc.units), matched, mapping


def _f1(pred: int, gold: int, hit: int) -> dict:
    p = hit / pred if pred else 0.0
    r = hit / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
        "counts": [int(pred), int(gold), int(hit)],
    }


def _best_claim_threshold(prep, scores, transfer=None) -> tuple[float, dict, dict, float, dict]:
    """The threshold maximising the mean claim F1 over training corpora (each counts alike,
    whatever its size), scored both cross-validated within the mixture and, when `transfer`
    scores are given, from a model that never saw the corpus (so the threshold also holds on
    a genre denser or sparser than the training ones); then whether the expected-F1 rule
    (argument_decoding.expected_f1_units, no threshold) scores better still. Returns the
    threshold, the pooled figures of each view for the chosen selection, the mean F1 it
    reached, and the selection settings (`claim_selection` and the best mean F1 of each)."""
    corpora = sorted({p.doc.corpus for p in prep})
    best = {mode: (-1.0, 0.5, {}, {}) for mode in SELECTIONS}
    for t in [*_GRID, None]:
        mode = "threshold" if t is not None else "expected-f1"
        tot = {c: np.zeros(3, int) for c in corpora}
        far = {c: np.zeros(3, int) for c in corpora}
        for k, (p, s) in enumerate(zip(prep, scores, strict=True)):
            tot[p.doc.corpus] += claim_counts(p, chosen_units(s, mode, t or 0.0))[:3]
            if transfer is not None:
                far[p.doc.corpus] += claim_counts(p, chosen_units(transfer[k], mode, t or 0.0))[:3]
        parts = [*tot.values(), *(far.values() if transfer is not None else ())]
        mean = float(np.mean([_f1(*v)["f1"] for v in parts]))
        if mean > best[mode][0]:
            far_fig = _f1(*sum(far.values())) if transfer is not None else {}
            best[mode] = (mean, t, _f1(*sum(tot.values())), far_fig)
    mode = max(SELECTIONS, key=lambda m: (best[m][0], m == "threshold"))
    selection = {
        "claim_selection": mode,
        "selection_choice": {m: round(best[m][0], 4) for m in SELECTIONS},
    }
    mean, _t, unit_cv, transfer_cv = best[mode]
    return best["threshold"][1], unit_cv, transfer_cv, mean, selection


relation_counts = R.relation_counts


def evaluate_argument_model(
    model: ArgumentModel,
    docs: list[CorpusDoc],
    cache_dir: Path | None = None,
    claim_threshold: float | None = None,
    relation_threshold: float | None = None,
) -> dict:
    """Sentence-level held-out figures of `model` on `docs` (scored like `claimgraph eval`:
    claim token F1 >= 0.5, one-to-one; strict relations), beside the trivial baseline (every
    sentence a claim, each supports the previous one in its paragraph)."""
    selection = model.claim_selection if claim_threshold is None else "threshold"
    ct = model.claim_threshold if claim_threshold is None else claim_threshold
    rt = model.relation_threshold if relation_threshold is None else relation_threshold
    tot = {"model": np.zeros(6, int), "baseline": np.zeros(6, int)}
    for p in prepare(docs, cache_dir, model.splitter):
        profiles = model.unit_profiles(p.cands)
        chosen = chosen_units(profiles[:, 0], selection, ct)
        counts = claim_counts(p, chosen)
        edges = model.relations(p.cands, profiles, chosen, rt)
        tot["model"] += [*counts[:3], *relation_counts(p, counts[3], edges)]
        every = list(range(len(p.cands)))
        counts = claim_counts(p, every)
        prev = [
            Edge(i, i - 1, "supports", 1.0)
            for i in every
            if i and p.cands[i].paragraph == p.cands[i - 1].paragraph
        ]
        tot["baseline"] += [*counts[:3], *relation_counts(p, counts[3], prev)]
    return {
        name: {"claims": _f1(*t[:3]), "relations_strict": _f1(*t[3:])} for name, t in tot.items()
    }
