"""Stance pairs (PERSPECTRUM: a perspective supports or undermines a claim) as extra training
rows for the polarity model, and how much they count, chosen by cross-validation on the
training corpora's own annotated disputes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from claimgraph.corpora.documents import StancePair
from claimgraph.ingest import argument_features as F
from claimgraph.ingest.argument_pairs import pair_table
from claimgraph.training.parsed import parse_texts
from claimgraph.training.relations import rows_matrix

#: How much one stance pair counts against one annotated relation; 0 leaves them out.
WEIGHTS = (0.0, 0.1, 1.0)
_PROFILES = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]])  # the claim a target, the other a source


@dataclass
class StanceRows:
    """Pair features (perspective -> claim) in the link model's space and disputes (bool)."""

    x: sparse.csr_matrix
    disputes: np.ndarray
    weight: float = 1.0


def stance_rows(pairs: list[StancePair], cache_dir: Path | None = None) -> StanceRows:
    """Each pair as a two-paragraph document, the claim then the perspective, described as the
    perspective's link to the claim; pairs whose claim or perspective is not one sentence are
    left out."""
    texts = sorted({x.claim for x in pairs} | {x.perspective for x in pairs})
    parsed = dict(zip(texts, parse_texts(texts, cache_dir), strict=True))
    rows, disputes = [], []
    for x in pairs:
        claim, persp = parsed[x.claim], parsed[x.perspective]
        if len(claim) != 1 or len(persp) != 1:
            continue
        cands = F.candidates([(0, claim[0][1]), (len(x.claim) + 2, persp[0][1])])
        if len(cands) != 2:
            continue
        table = pair_table(cands, _PROFILES, 1, units=[0, 1])
        rows += [r for key, r in zip(table.keys, table.rows, strict=True) if key == (1, 0)]
        disputes.append(x.stance == "disputes")
    return StanceRows(rows_matrix(rows, F.PAIR_DIM), np.array(disputes, bool))


def disputes_figures(disputes: np.ndarray, p: np.ndarray) -> dict:
    """Disputes precision / recall / F1 at P(disputes) > 0.5 (as ingest decides), and AUC."""
    from sklearn.metrics import roc_auc_score

    pred = p > 0.5
    tp = int((pred & disputes).sum())
    fp, fn = int((pred & ~disputes).sum()), int((~pred & disputes).sum())
    both = 0 < disputes.sum() < len(disputes)
    return {
        "precision": round(tp / max(1, tp + fp), 3),
        "recall": round(tp / max(1, tp + fn), 3),
        "f1": round(2 * tp / max(1, 2 * tp + fp + fn), 3),
        "auc": round(float(roc_auc_score(disputes, p)), 3) if both else None,
        "pairs": int(len(disputes)),
    }
