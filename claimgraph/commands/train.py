"""`claimgraph train`: train the learned extraction models from the open corpora.

    claimgraph train --corpora ../shared/corpora -o my-models --what arguments --seed 0

Arguments: web-discourse (all) + CDCP train ->
DIR/arguments/ (or DIR itself with --what arguments). References: AnyStyle -> DIR/references/.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from claimgraph.errors import UserError

NAME = "train"
HELP = "train the argument (and reference) models from annotated corpora into a model folder"


def add_arguments(parser) -> None:
    parser.add_argument(
        "--corpora",
        required=True,
        metavar="PATH",
        help="the corpora folder (web-discourse/, cdcp/, perspectrum/, anystyle/)",
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="DIR", help="model folder to write"
    )
    parser.add_argument(
        "--what",
        choices=("arguments", "references", "all"),
        default="arguments",
        help="which model to train (default: arguments)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--units",
        choices=("sentences", "clauses"),
        default="clauses",
        help="argument units: clauses split at ';', 'because', ... (default) or whole sentences",
    )
    parser.add_argument(
        "--hold-out-topic",
        action="append",
        default=[],
        metavar="TOPIC",
        help="leave this web-discourse topic out of training (repeatable), to score it honestly",
    )
    parser.add_argument(
        "--cache", metavar="DIR", help="where parsed corpora are cached (default: ~/.cache)"
    )


def run(args) -> int:
    root = Path(args.corpora)
    if not root.is_dir():
        raise UserError(f"corpora folder not found: {root}")
    out = Path(args.output)
    if args.what in ("arguments", "all") and importlib.util.find_spec("sklearn") is None:
        raise UserError(
            "training the argument model needs scikit-learn: pip install 'claimgraph[train]'"
        )
    if args.what in ("arguments", "all"):
        target = out if args.what == "arguments" else out / "arguments"
        cache = Path(args.cache) if args.cache else None
        report = train_arguments(
            root, target, args.seed, cache, args.units == "clauses", args.hold_out_topic
        )
        cv = report["cross_validated"]
        print(f"arguments: {target} ({report['documents']} documents, seed {args.seed})")
        print(
            f"  thresholds: claim {report['claim_threshold']}, relation {report['relation_threshold']}"
        )
        print(f"  claims picked by: {report.get('claim_selection', 'threshold')}")
        if "stance_weight" in report:
            print(f"  stance pairs: {report['stance_rows']} at weight {report['stance_weight']}")
        print(f"  cross-validated: {json.dumps(cv)}")
    if args.what in ("references", "all"):
        train_references(root, out / "references" if args.what == "all" else out, args.seed)
    return 0


def train_arguments(
    root: Path,
    out: Path,
    seed: int,
    cache: Path | None,
    clauses: bool = True,
    hold_out: list[str] = (),
) -> dict:
    """The shipped recipe: web-discourse (less any held-out topics) and the CDCP training split,
    with the PERSPECTRUM training split's stance pairs for polarity when that folder is there."""
    from claimgraph.corpora.cdcp import read_cdcp
    from claimgraph.corpora.perspectrum import read_perspectrum
    from claimgraph.corpora.web_discourse import read_web_discourse
    from claimgraph.training.arguments import train_argument_model

    web = read_web_discourse(root)
    unknown = sorted(set(hold_out) - {d.topic for d in web})
    if unknown:
        topics = ", ".join(sorted({d.topic for d in web if d.topic}))
        raise UserError(f"no web-discourse topic {unknown[0]!r} (topics: {topics})")
    docs = [d for d in web if d.topic not in hold_out] + read_cdcp(root, "train")
    pairs = read_perspectrum(root, "train") if (Path(root) / "perspectrum").is_dir() else []
    return train_argument_model(docs, out, pairs=pairs, seed=seed, cache_dir=cache, clauses=clauses)


def train_references(root: Path, out: Path, seed: int) -> None:
    from claimgraph.training.references import train_reference_model

    report = train_reference_model(root, out, seed)
    print(f"references: {out} {json.dumps(report) if isinstance(report, dict) else ''}".rstrip())
