"""claimgraph ingest PATH...: read files and folders into the store."""

from __future__ import annotations

import sys

from claimgraph.commands._store import add_store_argument, add_wait_argument, open_store
from claimgraph.errors import UserError

NAME = "ingest"
HELP = "read .txt/.md/.html files and folders into the graph store"


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (recursive)")
    add_store_argument(parser)
    parser.add_argument(
        "--rules",
        metavar="FILE",
        help="your rules/aliases TOML (default: ./claimgraph.toml if present)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes for spaCy (2 uses both cores)"
    )
    parser.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where extraction runs: this machine (--jobs processes) or a Dask cluster",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (tcp://host:8786); default: a local cluster on every core",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=None,
        metavar="N",
        help="documents per commit (default 100); a killed ingest keeps its committed batches",
    )
    parser.add_argument("--force", action="store_true", help="re-read files even if unchanged")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_wait_argument(parser)
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the extraction stages the rules configure, in order, and exit",
    )


def run(args) -> int:
    from claimgraph.ingest.pipeline import DEFAULT_BATCH, ingest
    from claimgraph.ingest.rules import RulesError, load_rules

    if args.explain:
        try:
            return explain(load_rules(args.rules))
        except RulesError as exc:
            raise UserError(str(exc)) from None
    if not args.paths:
        raise UserError("give at least one PATH (a file or folder) to ingest")
    if args.jobs < 1:
        raise UserError("--jobs must be 1 or more")
    if args.batch is not None and args.batch < 1:
        raise UserError("--batch must be 1 or more")
    if args.scheduler and args.engine != "dask":
        raise UserError("--scheduler needs --engine dask")
    engine = None
    if args.engine == "dask":
        from claimgraph.ingest.distributed import DaskEngine

        engine = DaskEngine(args.scheduler, progress=not args.quiet)
    store = open_store(args)
    try:
        summary = ingest(
            args.paths,
            store,
            args.rules,
            jobs=args.jobs,
            progress=not args.quiet,
            force=args.force,
            wait=None if args.wait < 0 else args.wait,
            batch=args.batch or DEFAULT_BATCH,
            engine=engine,
        )
    except RulesError as exc:
        raise UserError(str(exc)) from None
    if summary.documents == 0 and summary.unchanged == 0:
        reasons = "; ".join(summary.problems) or "no readable documents"
        raise UserError(f"{reasons}: nothing ingested, the store is unchanged")
    for problem in summary.problems:
        print(problem if problem.startswith("skipped") else f"skipped {problem}", file=sys.stderr)
    for line in summary.lines():
        print(line)
    print(f"store:     {store.path}")
    return 0


def explain(rules) -> int:
    """Print the configured extraction stages: order, name, what each does, where it is defined."""
    from claimgraph.ingest.stages import get_stage, known_names

    stages = [get_stage(name) for name in rules.stages]
    source = "the bundled rules" if rules.source == "bundled" else f"rules file {rules.source}"
    print(f"extraction stages from {source}, run in this order on each document:")
    width = max((len(s.name) for s in stages), default=0)
    for i, s in enumerate(stages, 1):
        print(f"{i:2}. {s.name:<{width}}  {s.description}")
        print(f"    {'':<{width}}  defined in {s.where}")
    others = [n for n in known_names() if n not in rules.stages]
    if others:
        print(f"other known stages: {', '.join(others)}")
    return 0
