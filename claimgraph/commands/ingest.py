"""claimgraph ingest PATH...: read files and folders into the store."""

from __future__ import annotations

import sys

from claimgraph.commands._store import add_store_argument, open_store
from claimgraph.errors import UserError

NAME = "ingest"
HELP = "read .txt/.md/.html files and folders into the graph store"


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursive)")
    add_store_argument(parser)
    parser.add_argument(
        "--rules",
        metavar="FILE",
        help="your rules/aliases TOML (default: ./claimgraph.toml if present)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes for spaCy (2 uses both cores)"
    )
    parser.add_argument("--force", action="store_true", help="re-read files even if unchanged")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    from claimgraph.ingest.pipeline import ingest
    from claimgraph.ingest.rules import RulesError

    if args.jobs < 1:
        raise UserError("--jobs must be 1 or more")
    store = open_store(args)
    try:
        summary = ingest(
            args.paths, store, args.rules, jobs=args.jobs, progress=not args.quiet, force=args.force
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
