"""Reference lists and in-text citations in the graph, scored against gold, side by side.

Ingests the corpus three times into in-memory stores and scores each with
`claimgraph.evaluation.evaluate`:

* regex     - reference lines read by the regex parser only (CLAIMGRAPH_REFERENCE_TAGGER=0),
              without the "citations" stage;
* tagger    - the regexes decide what is an entry, the CRF tagger reads its fields and
              accepts section lines the regexes miss ("reference-tagged"); no "citations";
* default   - tagger plus the "citations" stage, as `claimgraph ingest` runs (in-text
              citations: work `supports` claim, or a disputing claim `cites` the work).

Prints Work entity, `cites` and `supports` precision / recall / F1 (strict, micro-averaged
over the documents) for each, works and cites F1 per document, and what the new rules produced.

    python benchmarks/references_graph.py [--corpus examples/corpus] [--gold examples/gold]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from claimgraph import open_store
from claimgraph.evaluation import evaluate
from claimgraph.evaluation.results import EvalReport, Score
from claimgraph.ingest.pipeline import ingest
from claimgraph.ingest.reference_adapter import ENV_SWITCH
from claimgraph.ingest.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
CITATION_STAGE_NAME = "citations"
NEW_RULES = ("reference-tagged", "in-text-citation", "citation-support", "cited-sentence")


def _rules_without_citations(folder: Path) -> Path:
    stages = [s for s in load_rules().stages if s != CITATION_STAGE_NAME]
    path = folder / "no-citations.toml"
    quoted = ", ".join(f'"{s}"' for s in stages)
    path.write_text(f"[pipeline]\nstages = [{quoted}]\n", encoding="utf-8")
    return path


def run(corpus: Path, gold: Path, tagger: bool, rules: Path | None) -> EvalReport:
    """Ingest `corpus` into a fresh in-memory store and score it against `gold`."""
    old = os.environ.get(ENV_SWITCH)
    os.environ[ENV_SWITCH] = "1" if tagger else "0"
    try:
        store = open_store(None)
        summary = ingest([corpus], store, rules, progress=False)
        if summary.problems:
            raise SystemExit("; ".join(summary.problems))
        return evaluate(store.dataset(), gold)
    finally:
        if old is None:
            os.environ.pop(ENV_SWITCH, None)
        else:
            os.environ[ENV_SWITCH] = old


def _prf(s: Score) -> str:
    def f(v: float | None) -> str:
        return "  -  " if v is None else f"{v:.3f}"

    return f"{s.predicted:>4} {s.gold:>4} {s.matched:>4}  {f(s.precision)} {f(s.recall)} {f(s.f1)}"


def print_table(reports: dict[str, EvalReport]) -> None:
    names = list(reports)
    print(f"{'':18}" + "".join(f"{n:^36}" for n in names))
    head = " pred gold  hit      P     R    F1"
    print(f"{'':18}" + "".join(f"{head:<36}" for _ in names))
    rows = (
        ("Work", lambda r: r.total.entities["Work"]),
        ("cites (strict)", lambda r: r.total.strict["cites"]),
        ("supports (strict)", lambda r: r.total.strict["supports"]),
        ("relations, all", lambda r: r.total.strict["all"]),
    )
    for label, get in rows:
        print(f"{label:18}" + "".join(f"{_prf(get(r)):<36}" for r in reports.values()))
    print()
    print("works F1 / cites F1 per document")
    docs = [d.document for d in next(iter(reports.values())).documents]
    for i, doc in enumerate(docs):
        cells = "".join(
            f"{reports[n].documents[i].entities['Work'].f1 or 0:.3f} / "
            f"{reports[n].documents[i].strict['cites'].f1 or 0:.3f}".center(36)
            for n in names
        )
        print(f"  {doc[:16]:16}" + cells)
    print()
    print("new rules: count / correct")
    for rule in NEW_RULES:
        cells = []
        for r in reports.values():
            rs = r.total.rules.get(rule)
            cells.append(f"{rs.count} / {rs.correct}" if rs else "0 / 0")
        print(f"  {rule:16}" + "".join(f"{c:^36}" for c in cells))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "examples" / "corpus")
    ap.add_argument("--gold", type=Path, default=ROOT / "examples" / "gold")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        without = _rules_without_citations(Path(tmp))
        reports = {
            "regex": run(args.corpus, args.gold, False, without),
            "tagger": run(args.corpus, args.gold, True, without),
            "default": run(args.corpus, args.gold, True, None),
        }
    print_table(reports)


if __name__ == "__main__":
    main()
