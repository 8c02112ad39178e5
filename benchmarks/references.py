"""Reference-string tagger on AnyStyle's held-out references, beside the regex parser.

Prints, for the shipped CRF (`claimgraph.ingest.reference_tagger`) on the held-out split the
model card names: per-field precision / recall / F1 over tokens and whole fields, micro F1;
then title / year / author accuracy of the CRF and of the regex parser
(`claimgraph.ingest.references.parse_reference`) on the same strings; then throughput of
both over 10,000 references on one core (CPU time of this process, and wall time).

A title is right when it equals the gold title field after case folding and trimming quotes
and edge punctuation; a year when it is the first year in the gold date; authors when the set
of name words (two letters or more, not initials) equals the gold author field's.

    python benchmarks/references.py [--corpora ../shared/corpora] [--held-out good-20] [-n 10000]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from itertools import cycle, islice
from pathlib import Path

from claimgraph.corpora.anystyle import DEFAULT_ROOT, TaggedReference
from claimgraph.graph.errors import UserError
from claimgraph.ingest import references as regex_parser
from claimgraph.ingest.reference_tagger import MODEL_PATH, parse_reference
from claimgraph.training.references import HELD_OUT, evaluate, field_table, split

_EDGE = " \t,.;:()[]“”\"'‘’«»„"
_NAME_WORD = re.compile(r"[^\W\d_]{2,}(?:[-'’][^\W\d_]+)*")
_NOT_NAME = {
    "and",
    "et",
    "al",
    "eds",
    "ed",
    "in",
    "by",
    "edited",
    "und",
    "hrsg",
    "editor",
    "editors",
    "others",
    "trans",
}


def fold(s: str | None) -> str:
    return " ".join((s or "").casefold().strip(_EDGE).split())


def name_words(s: str) -> frozenset[str]:
    words = (w.casefold() for w in _NAME_WORD.findall(s))
    return frozenset(w for w in words if w not in _NOT_NAME and not (w.isupper() and len(w) <= 3))


def gold_fields(ref: TaggedReference) -> dict[str, str]:
    """Text of the first field of each label."""
    out: dict[str, str] = {}
    start = 0
    for i in range(1, len(ref.tokens) + 1):
        if i == len(ref.tokens) or ref.labels[i] != ref.labels[start]:
            out.setdefault(ref.labels[start], ref.text[ref.tokens[start][1] : ref.tokens[i - 1][2]])
            start = i
    return out


def accuracy(refs: list[TaggedReference], parse) -> dict[str, float]:
    """Share of references whose title / year / authors come out right, and how many parsed."""
    hits = {"parsed": 0, "title": 0, "year": 0, "authors": 0}
    for ref in refs:
        gold = gold_fields(ref)
        got = parse(ref.text)
        if got is None:
            continue
        hits["parsed"] += 1
        hits["title"] += bool(got.title) and fold(got.title) == fold(gold.get("title"))
        year = re.search(r"1[5-9]\d\d|20\d\d", gold.get("date", ""))
        hits["year"] += (got.year or None) == (year.group() if year else None)
        names = name_words(" ".join(got.authors))
        hits["authors"] += names == name_words(gold.get("author", ""))
    return {k: v / len(refs) for k, v in hits.items()}


def throughput(texts: list[str], parse, n: int) -> tuple[float, float]:
    """(references per CPU second, per wall second) parsing `n` strings."""
    batch = list(islice(cycle(texts), n))
    cpu, wall = time.process_time(), time.perf_counter()
    for s in batch:
        parse(s)
    return n / (time.process_time() - cpu), n / (time.perf_counter() - wall)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_ROOT)
    ap.add_argument("--held-out", default="good-20", choices=sorted(HELD_OUT))
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("-n", type=int, default=10_000)
    args = ap.parse_args(argv)
    try:
        if not args.model.is_file():
            raise UserError(f"model not found: {args.model}")
        _, test = split(args.corpora, args.held_out)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"held out: {args.held_out} ({HELD_OUT[args.held_out]}), {len(test)} references\n")
    print(field_table(evaluate(args.model, test)))

    def crf(s: str):
        return parse_reference(s, args.model)

    print("\nsame strings, share of all held-out references right:")
    print("| parser | parsed | title | year | authors |\n|---|---:|---:|---:|---:|")
    for name, parse in (("CRF tagger", crf), ("regex parser", regex_parser.parse_reference)):
        a = accuracy(test, parse)
        row = " | ".join(f"{a[k]:.3f}" for k in ("parsed", "title", "year", "authors"))
        print(f"| {name} | {row} |")

    texts = [r.text for r in test]
    print(f"\nthroughput, {args.n:,} references, one process:")
    for name, parse in (("CRF tagger", crf), ("regex parser", regex_parser.parse_reference)):
        per_cpu, per_wall = throughput(texts, parse, args.n)
        print(f"  {name:13s} {per_cpu:8,.0f} refs/CPU-second  {per_wall:8,.0f} refs/wall-second")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
