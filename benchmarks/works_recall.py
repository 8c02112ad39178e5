"""Works finder against gold: precision / recall of Work entities per file, misses, false hits.

Runs `ingest.works.find_works` on every corpus file that has a gold file (spaCy over the
non-empty lines as passages, footnote markers masked as the pipeline does), compares the
distinct display titles with the gold `Work` entities, and prints per file: precision,
recall, the misses, the false positives, per-rule precision, and the finder's time as a
share of spaCy's.

A predicted title matches a gold work when, case-insensitively and with typographic quotes
folded, it equals the label or an alias, or the part before a colon of one equals the other.
Each gold work is matched at most once.

    python benchmarks/works_recall.py [--corpus DIR] [--gold DIR] [-v]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from claimgraph.graph.model import Document  # noqa: E402
from claimgraph.ingest.markers import mask_footnote_markers  # noqa: E402
from claimgraph.ingest.nlp import load_nlp  # noqa: E402
from claimgraph.ingest.works import find_works  # noqa: E402


def fold(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(s.casefold().strip(" \"'.,;:").split())


def pre_colon(s: str) -> str:
    return s.split(":", 1)[0].strip()


def forms_of(entity: dict) -> set[str]:
    return {fold(x) for x in [entity["label"], *entity.get("aliases", [])]}


def match(pred: list[tuple[str, list[str]]], gold: list[dict]):
    """Greedy one-to-one matching: exact forms first, then pre-colon parts."""
    gold_forms = [forms_of(g) for g in gold]
    used: set[int] = set()
    hits: dict[str, str] = {}
    for strict in (True, False):
        for title, aliases in pred:
            if title in hits:
                continue
            mine = {fold(title), *(fold(a) for a in aliases)}
            for gi, gf in enumerate(gold_forms):
                if gi in used:
                    continue
                ok = bool(mine & gf)
                if not ok and not strict:
                    ok = bool({pre_colon(x) for x in mine} & gf) or bool(
                        mine & {pre_colon(x) for x in gf}
                    )
                if ok:
                    used.add(gi)
                    hits[title] = gold[gi]["label"]
                    break
    return hits, used


def passages_of(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="/work/shared/corpus")
    ap.add_argument("--gold", default="/work/shared/gold")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every mention")
    args = ap.parse_args()
    corpus, gold_dir = Path(args.corpus), Path(args.gold)
    if not corpus.is_dir():
        corpus, gold_dir = ROOT / "examples" / "corpus", ROOT / "examples" / "gold"
    nlp = load_nlp()
    rule_hits: Counter = Counter()
    rule_total: Counter = Counter()
    t_spacy = t_find = 0.0
    summary = []
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        src = corpus / gold["document"]
        if not src.is_file():
            continue
        text = src.read_text(encoding="utf-8")
        doc = Document(str(src), src.name, text, hashlib.sha256(text.encode()).hexdigest())
        doc.plain = mask_footnote_markers(text)
        doc.passages = passages_of(text)
        t0 = time.perf_counter()
        docs = list(nlp.pipe([doc.plain[s:e] for s, e in doc.passages]))
        t1 = time.perf_counter()
        mentions = find_works(doc, list(zip([s for s, _ in doc.passages], docs, strict=True)))
        t2 = time.perf_counter()
        t_spacy += t1 - t0
        t_find += t2 - t1
        works = [g for g in gold["entities"] if g["type"] == "Work"]
        by_title: dict[str, list] = {}
        for m in mentions:
            by_title.setdefault(m.title, []).append(m)
        pred = [(t, ms[0].aliases) for t, ms in by_title.items()]
        hits, used = match(pred, works)
        # authors and year of matched works, against the gold (surnames; first year)
        people = {g["id"]: g["label"] for g in gold["entities"] if g["type"] == "Person"}
        gold_by_label = {g["label"]: g for g in works}
        a_ok = a_n = y_ok = y_n = 0
        for t, label in hits.items():
            g = gold_by_label[label]
            want = {
                fold(people.get(a, a)).split()[-1] for a in g.get("authors", []) if people.get(a, a)
            }
            if want:
                a_n += 1
                got = {fold(a).split()[-1] for a in by_title[t][0].authors if a.split()}
                a_ok += bool(want & got)
            if g.get("year"):
                y_n += 1
                y_ok += str(g["year"]) == (by_title[t][0].year or "")
        p = len(hits) / len(pred) if pred else 0.0
        r = len(used) / len(works) if works else 0.0
        summary.append((src.name, p, r, len(pred), len(works)))
        print(
            f"\n== {src.name}: precision {p:.2f} ({len(hits)}/{len(pred)})  "
            f"recall {r:.2f} ({len(used)}/{len(works)})  "
            f"authors {a_ok}/{a_n}, year {y_ok}/{y_n} (of matched works)"
        )
        for t, ms in by_title.items():
            rules = sorted({m.rule for m in ms})
            first = min(ms, key=lambda m: (-m.confidence, m.start))
            rule_total[first.rule] += 1
            if t in hits:
                rule_hits[first.rule] += 1
            if args.verbose or t not in hits:
                tag = "ok " if t in hits else "FP "
                print(
                    f"  {tag} {t!r}  rules={rules} authors={ms[0].authors} year={ms[0].year} "
                    f"subtype={ms[0].subtype} subject={ms[0].is_subject} n={len(ms)}"
                )
        for gi, g in enumerate(works):
            if gi not in used:
                print(f"  MISS {g['label']!r} aliases={g.get('aliases', [])}")
    print("\n== per rule (rule of each work's most confident mention): precision")
    for rule in sorted(rule_total, key=lambda r: -rule_total[r]):
        print(
            f"  {rule:24s} {rule_hits[rule]}/{rule_total[rule]} = {rule_hits[rule] / rule_total[rule]:.2f}"
        )
    print("\n== summary")
    for name, p, r, n_pred, n_gold in summary:
        print(f"  {name}: P={p:.2f} R={r:.2f} (predicted {n_pred}, gold {n_gold})")
    share = t_find / t_spacy if t_spacy else 0.0
    print(
        f"  time: spaCy {t_spacy:.2f} s, find_works {t_find * 1000:.0f} ms ({share:.1%} of spaCy)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
