"""Extraction quality on held-out annotated corpora (issue 12): one table, nothing tuned on a test row.

Rows (each a held-out test set; no system ever sees its annotations before it is scored):
  * web-discourse, cross-topic: for each of the 6 topics, train on the other 5 and test on it;
    then the micro total over all 340 documents;
  * cdcp test: the official 150-comment test split; training uses CDCP train only, plus the
    web-discourse documents and PERSPECTRUM train pairs (other corpora, no CDCP test text);
  * each bundled sample (examples/corpus + examples/gold), never trained on; the learned column
    uses the shipped model (claimgraph/ingest/models/arguments).
Columns: claims P / R / F1 (content-token F1 >= 0.5 with the gold span) and relations strict F1
(type and both endpoints) / lenient F1, for
  * baseline: every sentence a claim, each supporting the previous one in its paragraph
    (claimgraph/training/baseline.py);
  * rules: the rule extractor alone: the bundled rules with the learned stages swapped for the
    rule "stance" stage (RULE_STAGES), so no model trained on a test row ever runs;
  * learned: `train_argument_model(train_docs, fold_dir, pairs=..., seed=0, cache_dir=...)` per
    fold, then ingest with a rules file naming that model and the bundled (learned) stage list.
Beside each system's claims and strict F1, the 95% bootstrap interval over the row's documents
(1,000 resamples, seeded: `claimgraph.evaluation.intervals`; rows of 10 documents or more),
and under such rows learned minus baseline with its paired interval (both systems resampled
on the same documents): a change inside these intervals is a handful of documents, not a
result.

    python benchmarks/extraction.py [--corpora ../shared/corpora] [--only web-discourse|cdcp|samples]
                                    [--limit N] [--systems baseline,rules,learned] [--json OUT]
                                    [--cache DIR]

Run from a folder without a ./claimgraph.toml (ingest would read it). --limit N keeps the first
N test and N training documents per fold (a quick check, not a result).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from claimgraph.corpora.cdcp import read_cdcp  # noqa: E402
from claimgraph.corpora.documents import CorpusDoc, StancePair  # noqa: E402
from claimgraph.corpora.gold import write_corpus  # noqa: E402
from claimgraph.corpora.perspectrum import read_perspectrum  # noqa: E402
from claimgraph.corpora.web_discourse import TOPICS, read_web_discourse  # noqa: E402
from claimgraph.evaluation import evaluate, load_gold  # noqa: E402
from claimgraph.evaluation.intervals import (  # noqa: E402
    MIN_DOCUMENTS,
    difference_interval,
    f1_interval,
)
from claimgraph.evaluation.predicted import documents, find_document  # noqa: E402
from claimgraph.evaluation.results import DocumentReport, micro_average  # noqa: E402
from claimgraph.graph.errors import UserError  # noqa: E402
from claimgraph.graph.store import DiskStore  # noqa: E402
from claimgraph.training.baseline import baseline_dataset  # noqa: E402

SYSTEMS = ("baseline", "rules", "learned")
GROUPS = ("web-discourse", "cdcp", "samples")


@dataclass
class Fold:
    """One held-out test set and what may be trained for it."""

    row: str
    group: str
    texts: Path  # folder of the test texts
    gold: Path  # folder (or file) of their gold
    train_key: str  # folds with the same key share one trained model
    reports: dict[str, list[DocumentReport] | None] = field(default_factory=dict)


@dataclass
class TrainSet:
    docs: list[CorpusDoc]
    pairs: list[StancePair]


# --- the learned system: the one place to plug in the trained argument model -----------------

#: Parsed corpora are cached here (or wherever --cache says) so folds never re-parse a text.
SHARED_CACHE: Path | None = None
#: The train key of rows scored with the shipped model instead of one trained for them.
SHIPPED = "shipped"
RULE_STAGES = (
    "works", "posts", "people", "work-nodes", "events", "claims", "claim-nodes", "stance",
    "citations",
)  # fmt: skip


def learned_stages() -> list[str] | None:
    """The `[pipeline] stages` that use the argument model: the bundled default list, which
    already runs "argument-units" and "argument-relations" ("n/a" if it does not)."""
    try:
        from claimgraph.training.arguments import train_argument_model  # noqa: F401
    except ImportError:
        return None
    import tomllib

    rules = tomllib.loads((ROOT / "ingest" / "rules.toml").read_text(encoding="utf-8"))
    stages = list(rules.get("pipeline", {}).get("stages", []))
    return stages if "argument-units" in stages else None


def rule_stages() -> list[str]:
    """The bundled stage list without the learned stages ("argument-relations" -> "stance")."""
    swap = {"argument-units": None, "argument-relations": "stance"}
    stages = [swap.get(s, s) for s in learned_stages() or []]
    return [s for s in stages if s] or list(RULE_STAGES)


def learned_rules(model_dir: Path, stages: list[str], out: Path) -> Path:
    """A rules file that makes ingest run `stages` with the model in `model_dir`."""
    out.write_text(
        f"[model]\narguments = {json.dumps(str(model_dir))}\n\n"
        f"[pipeline]\nstages = {json.dumps(stages)}\n",
        encoding="utf-8",
    )
    return out


def train_learned(train: TrainSet, model_dir: Path) -> Path:
    """Train one argument model on `train` into `model_dir` (seed 0, parse cache shared)."""
    from claimgraph.training.arguments import train_argument_model

    report = train_argument_model(
        train.docs, model_dir, pairs=train.pairs, seed=0, cache_dir=SHARED_CACHE
    )
    choice = report.get("segment_choice", {})
    stance = report.get("stance_weight", "-")
    claims = f"{report.get('claim_selection')} {report.get('selection_choice', {})}"
    print(
        f"  trained {model_dir.name}: units {report['units']} {choice}; claims {claims}; "
        f"stance weight {stance}",
        file=sys.stderr,
    )
    return model_dir


def model_for(key: str, train: dict, work: Path, models: dict) -> Path | None:
    """The model folder for a train key: the shipped model, or one trained (once) on its set."""
    if key == SHIPPED:
        from claimgraph.ingest.argument_model import shipped_model_dir

        return shipped_model_dir()
    if key not in train:
        return None
    if key not in models:
        models[key] = train_learned(train[key], work / f"model-{key}")
    return models[key]


# --- folds ---------------------------------------------------------------------------------


def export(docs: list[CorpusDoc], where: Path) -> tuple[Path, Path]:
    """Write the test documents' texts and gold under `where`."""
    write_corpus(docs, where / "texts", where / "gold")
    return where / "texts", where / "gold"


def web_discourse_folds(root: Path, work: Path, limit: int | None) -> tuple[list[Fold], dict]:
    docs = read_web_discourse(root)
    pairs = read_perspectrum(root, "train") if (root / "perspectrum").is_dir() else []
    folds, train = [], {}
    for topic in TOPICS:
        test = [d for d in docs if d.topic == topic][:limit]
        texts, gold = export(test, work / f"wd-{topic}")
        key = f"wd-not-{topic}"
        train[key] = TrainSet([d for d in docs if d.topic != topic][:limit], pairs)
        folds.append(Fold(f"web-discourse {topic}", "web-discourse", texts, gold, key))
    return folds, train


def cdcp_folds(root: Path, work: Path, limit: int | None) -> tuple[list[Fold], dict]:
    test = read_cdcp(root, "test")[:limit]
    texts, gold = export(test, work / "cdcp-test")
    return [Fold("cdcp test", "cdcp", texts, gold, "all-corpora")], {
        "all-corpora": all_corpora_train(root, limit)
    }


def all_corpora_train(root: Path, limit: int | None) -> TrainSet:
    """CDCP train + all web-discourse + PERSPECTRUM train: never a CDCP test or sample text."""
    docs = read_cdcp(root, "train")[:limit]
    if (root / "web-discourse").is_dir():
        docs += read_web_discourse(root)[:limit]
    pairs = read_perspectrum(root, "train") if (root / "perspectrum").is_dir() else []
    return TrainSet(docs, pairs)


def sample_folds(root: Path, work: Path, limit: int | None) -> tuple[list[Fold], dict]:
    """The bundled samples, scored with the shipped model (never trained on them)."""
    folds = []
    for gold_file in sorted((ROOT / "examples" / "gold").glob("*.json")):
        name = load_gold(gold_file)[0]["document"]
        texts = work / f"sample-{gold_file.stem}"
        texts.mkdir(parents=True)
        shutil.copy(ROOT / "examples" / "corpus" / name, texts / name)
        folds.append(Fold(f"sample {name}", "samples", texts, gold_file, SHIPPED))
    return folds, {}


# --- scoring -------------------------------------------------------------------------------


def score(data, gold: Path) -> list[DocumentReport]:
    """Per-document reports; a gold document the system did not read scores as predicting nothing."""
    golds = load_gold(gold)
    have = documents(data)
    read = [g for g in golds if find_document(g["document"], have) is not None]
    reports = evaluate(data, read).documents if read else []
    unread = [unread_report(g) for g in golds if find_document(g["document"], have) is None]
    if unread:
        print(f"  {len(unread)} documents not read, scored as empty", file=sys.stderr)
    return reports + unread


def unread_report(gold: dict) -> DocumentReport:
    """The report of a document with no predictions: every gold item is missed."""
    report = DocumentReport(document=gold["document"], genre=gold.get("genre"))
    for entity in gold.get("entities", []):
        if entity["type"] in report.entities:
            report.entities[entity["type"]].gold += 1
            report.entities["all"].gold += 1
    for relation in gold.get("relations", []):
        for scores in (report.strict, report.lenient):
            scores[relation["type"]].gold += 1
            scores["all"].gold += 1
    return report


def score_baseline(fold: Fold) -> list[DocumentReport]:
    return score(baseline_dataset([fold.texts]), fold.gold)


def score_ingest(fold: Fold, store_dir: Path, rules_file: Path | None) -> list[DocumentReport]:
    from claimgraph.ingest.pipeline import ingest

    store = DiskStore(store_dir)
    summary = ingest([fold.texts], store, rules_file=rules_file, progress=False)
    for problem in summary.problems:
        print(f"  {fold.row}: {problem}", file=sys.stderr)
    return score(store.dataset(), fold.gold)


def run_fold(fold: Fold, systems: list[str], work: Path, models: dict, train: dict) -> None:
    """Score every system on one fold; `models` caches trained model folders by train key."""
    slug = fold.row.replace(" ", "-")
    for system in systems:
        started = time.perf_counter()
        if system == "baseline":
            fold.reports[system] = score_baseline(fold)
        elif system == "rules":
            rules = work / "rules-only.toml"
            rules.write_text(f"[pipeline]\nstages = {json.dumps(rule_stages())}\n", "utf-8")
            fold.reports[system] = score_ingest(fold, work / f"store-rules-{slug}", rules)
        else:
            stages = learned_stages()
            model = model_for(fold.train_key, train, work, models) if stages else None
            if model is None:
                fold.reports[system] = None
                continue
            rules = learned_rules(model, stages, work / f"rules-{fold.train_key}.toml")
            fold.reports[system] = score_ingest(fold, work / f"store-learned-{slug}", rules)
        took = time.perf_counter() - started
        print(f"  {fold.row} / {system}: {took:.0f} s", file=sys.stderr)


# --- the table -----------------------------------------------------------------------------


def counts(reports: list[DocumentReport], part: str) -> dict[str, tuple[int, int, int]]:
    """Per document: (predicted, gold, matched) claims ("claims") or strict relations."""
    return {r.document: r.counts("claims" if part == "claims" else "relations") for r in reports}


def figures(reports: list[DocumentReport] | None) -> dict | None:
    """Micro-averaged figures of one system on one row, with 95% bootstrap intervals of the
    claims and strict relation F1 over its documents."""
    if reports is None:
        return None
    total = micro_average(reports, "rows")
    claims = total.entities["Claim"]
    return {
        "documents": total.document_count,
        "claims": claims.to_dict(),
        "strict": total.strict["all"].to_dict(),
        "lenient": total.lenient["all"].to_dict(),
        "intervals": {
            part: [round(x, 4) for x in f1_interval(list(counts(reports, part).values()))]
            for part in ("claims", "strict")
        }
        if len(reports) >= MIN_DOCUMENTS
        else None,
    }


def against_baseline(learned: list[DocumentReport], baseline: list[DocumentReport]) -> dict:
    """learned minus baseline F1 on the same documents, with its 95% paired bootstrap interval."""
    out = {}
    for part in ("claims", "strict"):
        a, b = counts(learned, part), counts(baseline, part)
        docs = sorted(set(a) & set(b))
        d, lo, hi = difference_interval([a[k] for k in docs], [b[k] for k in docs])
        out[part] = [round(d, 4), round(lo, 4), round(hi, 4)]
    return out


def table_rows(folds: list[Fold], systems: list[str]) -> list[dict]:
    """One row per fold, plus a micro total for each group with more than one fold."""
    rows = []
    for group in GROUPS:
        members = [f for f in folds if f.group == group]
        for fold in members:
            reports = {s: fold.reports.get(s) for s in systems}
            rows.append({"row": fold.row, **_row(reports)})
        if len(members) > 1:
            pooled = {}
            for s in systems:
                parts = [f.reports.get(s) for f in members]
                pooled[s] = None if None in parts else [r for p in parts for r in p]
            rows.append({"row": f"{group} (micro total)", **_row(pooled)})
    return rows


def _row(reports: dict[str, list[DocumentReport] | None]) -> dict:
    row = {s: figures(r) for s, r in reports.items()}
    learned = reports.get("learned") or []
    if len(learned) >= MIN_DOCUMENTS and reports.get("baseline"):
        row["learned_vs_baseline"] = against_baseline(reports["learned"], reports["baseline"])
    return row


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _interval(pair: list[float] | None) -> str:
    return "-" if pair is None else f"[{pair[0]:.2f}, {pair[1]:.2f}]"


def format_table(rows: list[dict], systems: list[str]) -> str:
    head = (
        f"{'row':<40} {'docs':>4}  {'system':<8}  {'claims P / R / F1':<17}  strict  lenient"
        f"  {'claims F1 95%':<12}  {'strict 95%':<12}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        docs = next((row[s]["documents"] for s in systems if row[s]), "")
        for i, system in enumerate(systems):
            label = f"{row['row']:<40} {docs:>4}" if i == 0 else " " * 45
            f = row[system]
            if f is None:
                lines.append(f"{label}  {system:<8}  {'n/a':<17}  {'n/a':>6}  {'n/a':>7}")
                continue
            c = f["claims"]
            claims = f"{_num(c['precision'])} / {_num(c['recall'])} / {_num(c['f1'])}"
            strict, lenient = _num(f["strict"]["f1"]), _num(f["lenient"]["f1"])
            spans = f["intervals"] or {"claims": None, "strict": None}
            ci = f"{_interval(spans['claims']):<12}  {_interval(spans['strict'])}"
            lines.append(f"{label}  {system:<8}  {claims:<17}  {strict:>6}  {lenient:>7}  {ci}")
        if "learned_vs_baseline" in row:
            d = row["learned_vs_baseline"]
            c, r = d["claims"], d["strict"]
            lines.append(
                f"{'':45}  learned - baseline: claims {c[0]:+.2f} {_interval(c[1:])}, "
                f"strict {r[0]:+.2f} {_interval(r[1:])}"
            )
    return "\n".join(lines) + "\n"


# --- main ----------------------------------------------------------------------------------


def build_folds(root: Path, work: Path, only: str | None, limit: int | None):
    builders = {
        "web-discourse": web_discourse_folds,
        "cdcp": cdcp_folds,
        "samples": sample_folds,
    }
    folds, train = [], {}
    for group, build in builders.items():
        if only in (None, group):
            more, sets = build(root, work, limit)
            folds += more
            train.update(sets)
    return folds, train


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--only", choices=GROUPS)
    parser.add_argument("--limit", type=int, metavar="N", help="documents per fold (quick runs)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the rows as JSON")
    parser.add_argument("--cache", type=Path, metavar="DIR", help="parse cache (default ~/.cache)")
    args = parser.parse_args(argv)
    global SHARED_CACHE
    SHARED_CACHE = args.cache
    systems = [s for s in args.systems.split(",") if s]
    if unknown := set(systems) - set(SYSTEMS):
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    if args.only != "samples" and not args.corpora.is_dir():
        print(f"error: corpora folder not found: {args.corpora} (pass --corpora)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="cg-extraction-") as tmp:
        try:
            folds, train = build_folds(args.corpora, Path(tmp), args.only, args.limit)
            models: dict[str, Path] = {}
            for fold in folds:
                run_fold(fold, systems, Path(tmp), models, train)
        except UserError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    rows = table_rows(folds, systems)
    if args.limit:
        print(f"(--limit {args.limit}: a quick check on a subset, not a result)")
    print(format_table(rows, systems), end="")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
