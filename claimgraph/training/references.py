"""Train and measure the reference-string CRF of `claimgraph.ingest.reference_tagger`.

`train_reference_model` reads AnyStyle's tagged references, holds some out (see `split`),
trains a CRF reproducibly, writes `references.crfsuite` and `MODEL_CARD-references.md`
into `out_dir`, and returns the held-out evaluation.

    python -m claimgraph.training.references [--corpora ../shared/corpora] [--out ingest/models]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from claimgraph.corpora.anystyle import DEFAULT_ROOT, LABEL_MAP, TaggedReference, read_anystyle
from claimgraph.graph.errors import UserError
from claimgraph.ingest.reference_tagger import MAX_CHARS, features

MODEL_NAME = "references.crfsuite"
CARD_NAME = "MODEL_CARD-references.md"
HELD_OUT = {
    "good.xml": "train on all of core.xml; test on all of good.xml (a file never trained on)",
    "good-20": "train on core.xml + the 80% of good.xml whose text hash is >= 20; "
    "test on the other 20% of good.xml",
}
PARAMS = {
    "c1": 0.02,
    "c2": 0.05,
    "max_iterations": 200,
    "feature.minfreq": 2,
    "feature.possible_transitions": True,
}


def split(
    corpora: Path, held_out: str = "good.xml"
) -> tuple[list[TaggedReference], list[TaggedReference]]:
    """(train, test) references for one of the `HELD_OUT` schemes; exact duplicates of a
    test string are dropped from training."""
    if held_out not in HELD_OUT:
        raise UserError(f"unknown held-out scheme {held_out!r} (choose {', '.join(HELD_OUT)})")
    core = read_anystyle(corpora, "core.xml")
    good = read_anystyle(corpora, "good.xml")
    if held_out == "good.xml":
        train, test = core, good
    else:
        train = core + [r for r in good if r.key >= 20]
        test = [r for r in good if r.key < 20]
    seen = {r.text for r in test}
    return [r for r in train if r.text not in seen], test


def train_crf(
    refs: Sequence[TaggedReference], model_path: Path, seed: int = 0, params: dict | None = None
) -> None:
    """Fit a CRF on `refs` (order shuffled by `seed`) and save it to `model_path`."""
    import pycrfsuite

    order = list(range(len(refs)))
    random.Random(seed).shuffle(order)
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for i in order:
        ref = refs[i]
        trainer.append(features([t for t, _, _ in ref.tokens]), ref.labels)
    trainer.set_params({**PARAMS, **(params or {})})
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))


def _runs(labels: Sequence[str]) -> set[tuple[str, int, int]]:
    """Maximal runs of one label as (label, first token, last token + 1)."""
    out: set[tuple[str, int, int]] = set()
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            out.add((labels[start], start, i))
            start = i
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "support": tp + fn}


def score(gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]]) -> dict:
    """Per-label and micro P/R/F1 over tokens and over whole fields (exact token span)."""
    counts = {"tokens": Counter(), "fields": Counter()}
    for g, p in zip(gold, pred, strict=True):
        for a, b in zip(g, p, strict=True):
            if a == b:
                counts["tokens"][(a, "tp")] += 1
            else:
                counts["tokens"][(a, "fn")] += 1
                counts["tokens"][(b, "fp")] += 1
        gs, ps = _runs(g), _runs(p)
        for lab, _, _ in gs & ps:
            counts["fields"][(lab, "tp")] += 1
        for lab, _, _ in gs - ps:
            counts["fields"][(lab, "fn")] += 1
        for lab, _, _ in ps - gs:
            counts["fields"][(lab, "fp")] += 1
    out: dict = {}
    for level, c in counts.items():
        labels = sorted({lab for lab, _ in c})
        per = {lab: _prf(c[(lab, "tp")], c[(lab, "fp")], c[(lab, "fn")]) for lab in labels}
        tot = [sum(c[(lab, k)] for lab in labels) for k in ("tp", "fp", "fn")]
        out[level] = {"per_field": per, "micro": _prf(*tot)}
    return out


def evaluate(model_path: Path, refs: Sequence[TaggedReference]) -> dict:
    """Score the model at `model_path` on `refs`."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    pred = [tagger.tag(features([t for t, _, _ in r.tokens])) for r in refs]
    return score([r.labels for r in refs], pred)


def field_table(result: dict) -> str:
    """A markdown table: per field, token and whole-field P/R/F1, then the micro row."""
    rows = [
        "| field | support (fields) | token P | token R | token F1 | field P | field R | field F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    fields = result["fields"]["per_field"]
    tokens = result["tokens"]["per_field"]
    empty = {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 0}
    for lab in sorted(fields, key=lambda k: -fields[k]["support"]):
        t, f = tokens.get(lab, empty), fields[lab]
        rows.append(
            f"| {lab} | {f['support']} | {t['p']:.3f} | {t['r']:.3f} | {t['f1']:.3f} | "
            f"{f['p']:.3f} | {f['r']:.3f} | {f['f1']:.3f} |"
        )
    t, f = result["tokens"]["micro"], result["fields"]["micro"]
    rows.append(
        f"| **micro** | {f['support']} | {t['p']:.3f} | {t['r']:.3f} | {t['f1']:.3f} | "
        f"{f['p']:.3f} | {f['r']:.3f} | {f['f1']:.3f} |"
    )
    return "\n".join(rows)


def _cross_section(info: dict) -> str:
    if "cross_file" not in info:
        return ""
    micro = info["cross_file"]
    return f"""
## Cross-file check (styles not seen in training)

good.xml carries no style labels, so the split above is by reference string: its held-out
20% shares citation styles with the 80% trained on. As a harder check, the same recipe
trained on core.xml alone was scored on all of good.xml (micro F1 tokens
{micro["tokens"]["micro"]["f1"]:.3f}, whole fields {micro["fields"]["micro"]["f1"]:.3f}):

{field_table(micro)}
"""


def write_card(out_dir: Path, info: dict) -> Path:
    """MODEL_CARD-references.md beside the model: data, licence, training, held-out figures."""
    fold = ", ".join(f"{a} → {b}" for a, b in LABEL_MAP.items())
    text = f"""# Reference-string tagger (`{MODEL_NAME}`)

A linear-chain CRF (python-crfsuite) that labels each token of one bibliography entry or
footnote citation with its field (author, date, title, journal, container-title, editor,
volume, pages, publisher, location, note, url, doi, ...). Runtime: `claimgraph.ingest.reference_tagger`.

- **Data**: AnyStyle parser training data (`core.xml`, `good.xml`) from the repository
  `inukshuk/anystyle` at c6f5fb2, hand-tagged reference strings in many styles and languages.
  Licence **BSD-2-Clause**, Copyright 2011-2023 Sylvester Keil (the notice is kept in the
  corpus folder's `LICENSE`; this model is a binary derived from that data).
- **Trained**: {info["date"]}, by `claimgraph.training.references.train_reference_model`
  (seed {info["seed"]}), {info["train_refs"]} references, {info["train_tokens"]} tokens.
  L-BFGS, parameters {info["params"]}. Rare tags are folded: {fold}. Reproduce with
  `python -m claimgraph.training.references --corpora ../shared/corpora --out ingest/models`
  (same data, seed and parameters give the same model bytes).
- **Held out** (`{info["held_out"]}`): {HELD_OUT[info["held_out"]]};
  {info["test_refs"]} references, never trained on. Exact duplicates of a held-out string are
  removed from training. Why: core.xml alone (1,310 references) misses many of good.xml's
  styles (see the cross-file check below), so the shipped model also learns from most of
  good.xml; the split by a hash of the text is fixed, reproducible and independent of order.
- **Size**: {info["model_bytes"] // 1024} KiB.
- **Tokens**: URLs and DOIs whole, letter/digit runs (with inner - – . ' ’), every other mark
  alone. Features: the word, its shape, prefixes and suffixes, capitalisation, year / number /
  page range / initial, a small dictionary (months, pp., vol., no., ed(s)., edition, doi, http,
  in, and, et al., publisher and journal words), position bucket, periods and commas so far,
  inside parentheses / brackets / quotes, the preceding mark, neighbours within ±2 (word,
  shape, capitalisation), shape pairs with each neighbour, and what follows a year.
- **Limits**: strings are cut at {MAX_CHARS} characters; everything is linear in length.
  Fields are token runs, so two adjacent fields of one kind merge.

## Held-out evaluation

Token columns score each token's label; field columns score whole fields (a field counts only
when its label and exact token span match).

{field_table(info["evaluation"])}
{_cross_section(info)}"""
    path = out_dir / CARD_NAME
    path.write_text(text, encoding="utf-8")
    return path


def train_reference_model(
    corpora: Path = DEFAULT_ROOT,
    out_dir: Path = Path("ingest/models"),
    seed: int = 0,
    held_out: str = "good-20",
    cross_file: bool = True,
) -> dict:
    """Train on the training side of `held_out`, write model + card to `out_dir`, return the
    held-out evaluation; `cross_file` also scores a core.xml-only model on all of good.xml."""
    train, test = split(corpora, held_out)
    model_path = Path(out_dir) / MODEL_NAME
    train_crf(train, model_path, seed)
    info = {
        "date": dt.date.today().isoformat(),
        "seed": seed,
        "held_out": held_out,
        "params": PARAMS,
        "train_refs": len(train),
        "train_tokens": sum(len(r.tokens) for r in train),
        "test_refs": len(test),
        "evaluation": evaluate(model_path, test),
        "model_bytes": model_path.stat().st_size,
    }
    if cross_file and held_out != "good.xml":
        core, good = split(corpora, "good.xml")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / MODEL_NAME
            train_crf(core, path, seed)
            info["cross_file"] = evaluate(path, good)
    write_card(Path(out_dir), info)
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_ROOT)
    ap.add_argument("--out", type=Path, default=Path("ingest/models"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--held-out", default="good-20", choices=sorted(HELD_OUT))
    ap.add_argument("--no-cross-file", action="store_true")
    args = ap.parse_args(argv)
    try:
        info = train_reference_model(
            args.corpora, args.out, args.seed, args.held_out, not args.no_cross_file
        )
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(field_table(info["evaluation"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
