"""Where the argument model's relations go wrong on CDCP test: every gold relation sorted into
one cause, and how well each part of the decoding separates right from wrong.

    python benchmarks/relation_errors.py [--corpora ../shared/corpora] [--model DIR]

The model (default: the shipped one, trained on CDCP train, web-discourse and PERSPECTRUM
train, never on CDCP test) decodes each test comment as ingest does, scored sentence-level as
`training.arguments.evaluate_argument_model` scores (claims one-to-one at content-token
F1 >= 0.5, relations strict). Each gold relation is then:

  * endpoint unmatched: its source or target is not among the chosen claims;
  * no edge: both are, but the source's unit got no edge (confidence below the threshold);
  * wrong target/type: the source's edge goes elsewhere, or says disputes (CDCP has none);
  * right: the edge is the gold one.

Printed beside it: P(relation source) for chosen units that are gold sources and for those
that are not, and its ROC AUC (how well "does this unit support anything?" is told apart),
the rank of the gold target among the source's candidates under the link model (how often
the softmax puts it first), the share of gold relations that go to the unit just before (what the "previous"
baseline reaches), and the strict F1 the decoding would reach if it knew which units are
sources (the target choice unchanged) -- the ceiling of a better source decision alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from claimgraph.corpora.cdcp import read_cdcp
from claimgraph.evaluation.intervals import micro_f1
from claimgraph.graph.errors import UserError
from claimgraph.ingest.argument_model import ArgumentModel, ModelError, shipped_model_dir
from claimgraph.training.arguments import claim_counts, prepare

CAUSES = ("endpoint unmatched", "no edge", "wrong target/type", "right")


def analyse(model: ArgumentModel, prep: list) -> dict:
    """Counts of CAUSES, P(source) of chosen gold sources and non-sources, gold target ranks,
    previous-unit share, and the (predicted, right) edges with an oracle source decision."""
    causes = dict.fromkeys(CAUSES, 0)
    p_source: dict[bool, list[float]] = {True: [], False: []}
    ranks: list[int] = []
    previous = predicted = oracle_right = oracle_pred = 0
    for p in prep:
        profiles = model.unit_profiles(p.cands)
        chosen = model.claims(profiles[:, 0])
        mapping = claim_counts(p, chosen)[3]
        edges = model.relations(p.cands, profiles, chosen, model.relation_threshold)
        best = model.best_edges(p.cands, profiles, chosen)
        predicted += len(edges)
        by_source = {e.source: e for e in edges}
        sources = {s for s, _r, _t in p.gold}
        for i in chosen:
            p_source[mapping.get(i) in sources].append(float(profiles[i, 2]))
        firsts: dict[str, int] = {}
        for i in chosen:
            if i in mapping:
                firsts.setdefault(mapping[i], i)
        for i, e in best.items():  # oracle: exactly the gold sources keep their best edge
            if mapping.get(i) in sources and firsts.get(mapping[i]) == i:
                oracle_pred += 1
                oracle_right += (mapping[i], e.relation, mapping.get(e.target)) in p.gold
        order = _target_order(model, p, profiles, chosen)
        for s, r, t in p.gold:
            if s not in firsts or t not in firsts:
                causes["endpoint unmatched"] += 1
                continue
            i, j = firsts[s], firsts[t]
            previous += j == i - 1
            ranked = order.get(i, [])
            ranks.append(ranked.index(j) if j in ranked else 99)
            e = by_source.get(i)
            if e is None:
                causes["no edge"] += 1
            elif mapping.get(e.target) == t and e.relation == r:
                causes["right"] += 1
            else:
                causes["wrong target/type"] += 1
    return {
        "causes": causes,
        "gold": sum(causes.values()),
        "predicted": predicted,
        "p_source": p_source,
        "ranks": np.array(ranks),
        "previous": previous,
        "oracle": (oracle_pred, oracle_right),
    }


def _target_order(model: ArgumentModel, p, profiles, chosen: list[int]) -> dict[int, list[int]]:
    """Each chosen source's candidate targets, likeliest first under the link model."""
    from claimgraph.ingest.argument_pairs import pair_table

    table = pair_table(p.cands, profiles, model.window, chosen)
    if not table.keys:
        return {}
    z = model.pair_logits(table)[:, 0]
    out: dict[int, list[int]] = {}
    for n in np.argsort(-z, kind="stable"):
        i, j = table.keys[n]
        out.setdefault(i, []).append(j)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--model", type=Path, default=None, help="a model folder")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "claimgraph")
    args = parser.parse_args(argv)
    try:
        model = ArgumentModel.load(args.model or shipped_model_dir())
        docs = read_cdcp(args.corpora, "test")
    except (UserError, ModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = analyse(model, prepare(docs, args.cache, model.splitter))
    gold, right = out["gold"], out["causes"]["right"]
    print(f"CDCP test: {len(docs)} comments, {gold} gold relations, {out['predicted']} predicted")
    for cause, n in out["causes"].items():
        print(f"  {cause:<20} {n:4d}  ({n / gold:.3f})")
    print(f"  strict F1 {micro_f1([(out['predicted'], gold, right)]):.3f}")
    from sklearn.metrics import roc_auc_score

    yes, no = out["p_source"][True], out["p_source"][False]
    auc = roc_auc_score([1] * len(yes) + [0] * len(no), yes + no)
    print(
        f"P(source) of chosen units: gold sources {np.mean(yes):.3f} (n {len(yes)}), "
        f"others {np.mean(no):.3f} (n {len(no)}), AUC {auc:.3f}"
    )
    r = out["ranks"]
    print(
        f"gold target's rank among its source's candidates (n {len(r)}): first {np.mean(r == 0):.3f}, "
        f"top 2 {np.mean(r < 2):.3f}, top 3 {np.mean(r < 3):.3f}, not a candidate {np.mean(r == 99):.3f}"
    )
    print(f"gold target is the unit just before: {out['previous'] / max(1, len(r)):.3f}")
    pred, hit = out["oracle"]
    print(
        f"with the gold sources known (targets as chosen): strict F1 {micro_f1([(pred, gold, hit)]):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
