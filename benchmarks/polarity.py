"""Which data the polarity model (supports or disputes, given a link) should learn from,
measured held-out.

    python benchmarks/polarity.py [--corpora ../shared/corpora]

Every annotated web-discourse relation whose two units are candidates becomes one test pair
(supports or disputes, the link taken as given). Each topic is scored by a polarity model
fitted without it (cross-topic, as benchmarks/extraction.py rotates), on the pair features the
shipped model uses (`ingest.argument_pairs`), trained on:

  * web-discourse: the other five topics (what `claimgraph train` now does: only corpora that
    annotate disputes at all teach polarity);
  * + CDCP train: the other topics plus every CDCP train link, all supports because CDCP's
    scheme has no attack label (what training did before);
  * + PERSPECTRUM train: the other topics plus the PERSPECTRUM train pairs (a perspective
    supports or undermines a claim), each pair a two-unit document
    (`training.stance.stance_rows`), at weights 0.1 and 1 (`claimgraph train` chooses among
    0, 0.1 and 1 by cross-validation inside its own training data).

Printed: the pairs, the share of disputes, ROC AUC, and disputes P / R / F1 at P(disputes)
> 0.5 (as ingest decides), beside the trivial baseline that never says disputes. The
PERSPECTRUM rows also print accuracy on the PERSPECTRUM test split.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy import sparse

from claimgraph.corpora.cdcp import read_cdcp
from claimgraph.corpora.perspectrum import read_perspectrum
from claimgraph.corpora.web_discourse import read_web_discourse
from claimgraph.graph.errors import UserError
from claimgraph.training import arguments as A
from claimgraph.training import relations as R
from claimgraph.training.parsed import parse_texts
from claimgraph.training.stance import disputes_figures, stance_rows

ROOT = Path(__file__).resolve().parent.parent


def linked_pairs(docs) -> tuple[sparse.csr_matrix, np.ndarray, list[str]]:
    """Features, disputes (bool) and topic of every annotated relation between candidates
    (gold units as unit profiles, so the pairs are those the link model would be given)."""
    docs = sorted(docs, key=lambda d: d.id)
    prep = [p for p in A.prepare(docs, None, True, parse_texts([d.text for d in docs])) if p.cands]
    data = R.pair_data(prep, [p.label.astype(float) for p in prep], A.WINDOW, A._matrix)
    linked = data.label > 0
    topics = [prep[k].doc.topic or "" for k in data.doc[linked]]
    return data.x[linked], data.label[linked] == 2, topics


def fit(x, y, weight=None):
    """P(disputes) of the polarity model fitted as `claimgraph train` fits it."""
    m = A._fit(x, y.astype(int), R.POLARITY_C, 0, weight)
    return lambda z: m.predict_proba(z)[:, 1]


def figures(y: np.ndarray, p: np.ndarray) -> str:
    f = disputes_figures(y, p)
    auc = "n/a" if f["auc"] is None else f"{f['auc']:.3f}"
    return (
        f"AUC {auc}  disputes P / R / F1 {f['precision']:.3f} / {f['recall']:.3f} / {f['f1']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args(argv)
    try:
        x, y, topics = linked_pairs(read_web_discourse(args.corpora))
        cx, cy, _ = linked_pairs(read_cdcp(args.corpora, "train"))
        train, test = (stance_rows(read_perspectrum(args.corpora, k)) for k in ("train", "test"))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    topic = np.array(topics)
    px, py, tx, ty = train.x, train.disputes, test.x, test.disputes
    print(f"web-discourse linked pairs: {len(y)}, disputes {y.mean():.3f}")
    print(f"CDCP train links: {len(cy)} (disputes {int(cy.sum())})")
    print(f"PERSPECTRUM pairs: train {len(py)}, test {len(ty)} (disputes {ty.mean():.3f})")
    print(f"{'never disputes':<34} {figures(y, np.zeros(len(y)))}")
    recipes = {
        "web-discourse": (None, None, None),
        "+ CDCP train": (cx, cy, 1.0),
        "+ PERSPECTRUM train, weight 0.1": (px, py, 0.1),
        "+ PERSPECTRUM train, weight 1": (px, py, 1.0),
    }
    for name, (ex, ey, w) in recipes.items():
        p = np.zeros(len(y))
        for held in sorted(set(topics)):
            train = topic != held
            xx, yy, ww = x[train], y[train], np.ones(train.sum())
            if ex is not None:
                xx = sparse.vstack([xx, ex]).tocsr()
                yy = np.concatenate([yy, ey])
                ww = np.concatenate([ww, np.full(len(ey), w)])
            p[~train] = fit(xx, yy, ww)(x[~train])
        line = f"{name:<34} {figures(y, p)}"
        if ex is px:
            whole = fit(sparse.vstack([x, px]).tocsr(), np.concatenate([y, py]),
                        np.concatenate([np.ones(len(y)), np.full(len(py), w)]))  # fmt: skip
            line += f"  | PERSPECTRUM test accuracy {((whole(tx) > 0.5) == ty).mean():.3f}"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
