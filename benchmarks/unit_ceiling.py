"""How far segmentation alone caps claim recall: the share of gold units that some candidate
unit can match at all.

    python benchmarks/unit_ceiling.py [--corpora ../shared/corpora]

For CDCP test and all of web-discourse, each document is parsed by the ingest's spaCy model
and cut into candidate units two ways: whole sentences, and the clauses the argument model
uses (`ingest.argument_features.split_clauses`). A gold unit is reachable if a candidate not
yet taken matches it as `claimgraph eval` matches claims (content-token F1 >= 0.5, one to
one, greedy in gold order). The reachable share is the recall a perfect unit classifier would
get on these candidates; the learned model's recall sits below it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from claimgraph.corpora.cdcp import read_cdcp
from claimgraph.corpora.documents import CorpusDoc
from claimgraph.corpora.web_discourse import read_web_discourse
from claimgraph.evaluation.matching import token_f1
from claimgraph.ingest.argument_features import split_clauses
from claimgraph.ingest.nlp import load_nlp


def pieces(nlp, text: str, clauses: bool) -> list[str]:
    """The candidate units of `text`: its sentences, or their clauses."""
    doc = nlp(text)
    out = []
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        for part in split_clauses(toks) if clauses and toks else [toks]:
            if part:
                out.append(doc.text[part[0].idx : part[-1].idx + len(part[-1].text)])
    return out


def reachable(nlp, docs: list[CorpusDoc], clauses: bool) -> tuple[int, int, int]:
    """(gold units some candidate matches, gold units, candidates) over `docs`."""
    hit = total = candidates = 0
    for doc in docs:
        cands = pieces(nlp, doc.text, clauses)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="../shared/corpora", help="the corpora folder")
    args = parser.parse_args(argv)
    root = Path(args.corpora)
    nlp = load_nlp()
    sets = {"cdcp test": read_cdcp(root, "test"), "web-discourse": read_web_discourse(root)}
    print(f"{'corpus':14s} {'units':9s} {'gold':>5s} {'reachable':>15s} {'candidates':>10s}")
    for name, docs in sets.items():
        for clauses in (False, True):
            hit, total, cands = reachable(nlp, docs, clauses)
            kind = "clauses" if clauses else "sentences"
            print(f"{name:14s} {kind:9s} {total:5d} {hit:7d} ({hit / total:.3f}) {cands:10d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
