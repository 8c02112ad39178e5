"""How far segmentation alone caps claim recall: the share of gold units that some candidate
unit can match at all.

    python benchmarks/unit_ceiling.py [--corpora ../shared/corpora]

For CDCP test and all of web-discourse, each document is parsed by the ingest's spaCy model
and cut into candidate units two ways: whole sentences, and the clauses the argument model
uses (`ingest.argument_features.split_clauses`). A gold unit is reachable if a candidate not
yet taken matches it as `claimgraph eval` matches claims (content-token F1 >= 0.5, one to
one, greedy in gold order). The reachable share is the recall a perfect unit classifier would
get on these candidates; the learned model's recall sits below it.

With --learned, a third way is measured, as an experiment for a learned segmenter: a logistic
regression over hashed token features decides, between each two tokens of a sentence,
whether an annotated unit starts or ends there (trained on CDCP train and web-discourse for
the CDCP test row, on CDCP train alone for the web-discourse row, so that no row is scored
on text it was trained on); a sentence is cut where it says so at a few thresholds.
"""

from __future__ import annotations

import argparse
import zlib
from pathlib import Path

import numpy as np
from scipy import sparse

from claimgraph.corpora.cdcp import read_cdcp
from claimgraph.corpora.documents import CorpusDoc
from claimgraph.corpora.web_discourse import read_web_discourse
from claimgraph.evaluation.matching import token_f1
from claimgraph.ingest.argument_features import split_clauses
from claimgraph.ingest.nlp import load_nlp

DIM = 1 << 18


def sentences(nlp, docs: list[CorpusDoc]) -> list[list[list]]:
    """Each document's sentences as lists of tokens (spaces dropped)."""
    out = []
    for parsed in nlp.pipe([d.text for d in docs], batch_size=32):
        sents = [[t for t in s if not t.is_space] for s in parsed.sents]
        out.append([s for s in sents if s])
    return out


def pieces(doc: CorpusDoc, sents: list[list], split) -> list[str]:
    """The candidate units of a document: each sentence cut by `split`."""
    out = []
    for toks in sents:
        for part in split(toks):
            if part:
                out.append(doc.text[part[0].idx : part[-1].idx + len(part[-1].text)])
    return out


def reachable(docs: list[CorpusDoc], parsed: list, split) -> tuple[int, int, int]:
    """(gold units some candidate matches, gold units, candidates) over `docs`."""
    hit = total = candidates = 0
    for doc, sents in zip(docs, parsed, strict=True):
        cands = pieces(doc, sents, split)
        candidates += len(cands)
        free = set(range(len(cands)))
        for unit in doc.units:
            total += 1
            gold = doc.unit_text(unit)
            score, best = max(((token_f1(cands[i], gold), i) for i in free), default=(0.0, -1))
            if score >= 0.5:
                free.discard(best)
                hit += 1
    return hit, total, candidates


def _features(toks: list, k: int) -> list[int]:
    """Hashed features of the gap before token k of a sentence."""
    t, p = toks[k], toks[k - 1]
    names = [
        f"w={t.lower_}", f"pw={p.lower_}", f"pw|w={p.lower_}|{t.lower_}", f"pos={t.pos_}",
        f"ppos|pos={p.pos_}|{t.pos_}", f"dep={t.dep_}", f"pdep={p.dep_}", f"tag={t.tag_}",
        f"ptag={p.tag_}", f"left={min(k, 8)}", f"right={min(len(toks) - k, 8)}",
        f"w|left={t.lower_}|{min(k, 6)}", f"root_child={t.head.dep_ == 'ROOT'}",
        f"nw={toks[k + 1].lower_ if k + 1 < len(toks) else ''}",
    ]  # fmt: skip
    return [zlib.crc32(n.encode()) % DIM for n in names]


def _matrix(rows: list[list[int]]) -> sparse.csr_matrix:
    indices = np.array([i for r in rows for i in r], dtype=np.int64)
    indptr = np.cumsum([0] + [len(r) for r in rows])
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), DIM))


def _cut(doc: CorpusDoc, toks: list, k: int) -> int:
    """1 if an annotated unit of `doc` starts or ends in the gap before token k."""
    before, after = toks[k - 1], toks[k]
    gap = range(before.idx + 1, after.idx + 1)
    return int(any(u.start in gap or u.end in gap for u in doc.units))


def boundary_model(docs: list[CorpusDoc], parsed: list):
    """A logistic regression: does a unit start or end between these two tokens?"""
    from sklearn.linear_model import LogisticRegression

    rows, labels = [], []
    for doc, sents in zip(docs, parsed, strict=True):
        for toks in sents:
            for k in range(1, len(toks)):
                rows.append(_features(toks, k))
                labels.append(_cut(doc, toks, k))
    return LogisticRegression(C=1.0, max_iter=400).fit(_matrix(rows), np.array(labels))


def learned_split(model, threshold: float):
    """A splitter cutting a sentence where the model's P(boundary) >= threshold, leaving
    pieces of at least three tokens."""

    def split(toks: list) -> list[list]:
        if len(toks) < 6:
            return [toks]
        p = model.predict_proba(_matrix([_features(toks, k) for k in range(1, len(toks))]))[:, 1]
        out: list[list] = [[toks[0]]]
        for k in range(1, len(toks)):
            if p[k - 1] >= threshold and len(out[-1]) >= 3 and len(toks) - k >= 3:
                out.append([])
            out[-1].append(toks[k])
        return out

    return split


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="../shared/corpora", help="the corpora folder")
    parser.add_argument("--learned", action="store_true", help="also a learned segmenter")
    args = parser.parse_args(argv)
    root = Path(args.corpora)
    nlp = load_nlp()
    docs = {
        "cdcp test": read_cdcp(root, "test"),
        "web-discourse": read_web_discourse(root),
        "cdcp train": read_cdcp(root, "train"),
    }
    parsed = {name: sentences(nlp, d) for name, d in docs.items()}
    train_for = {"cdcp test": ["cdcp train", "web-discourse"], "web-discourse": ["cdcp train"]}
    print(f"{'corpus':14s} {'units':22s} {'gold':>5s} {'reachable':>15s} {'candidates':>10s}")
    for name, sources in train_for.items():
        ways = {"sentences": lambda toks: [toks], "clauses": split_clauses}
        if args.learned:
            model = boundary_model(
                [d for s in sources for d in docs[s]], [t for s in sources for t in parsed[s]]
            )
            for threshold in (0.05, 0.1, 0.2):
                ways[f"learned, P >= {threshold}"] = learned_split(model, threshold)
        for kind, split in ways.items():
            hit, total, cands = reachable(docs[name], parsed[name], split)
            print(f"{name:14s} {kind:22s} {total:5d} {hit:7d} ({hit / total:.3f}) {cands:10d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
