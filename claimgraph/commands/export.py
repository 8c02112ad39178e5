"""claimgraph export: the store as TriG / N-Quads (all graphs) or Turtle / JSON-LD (union).

Readers' corrections are applied (the default, --with-corrections) and their graph is
included; --raw writes the extraction alone, as if no correction had been made.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from claimgraph.commands._store import add_store_argument, open_store
from claimgraph.errors import UserError

NAME = "export"
HELP = "write the graph as TriG, N-Quads, Turtle or JSON-LD"
FORMATS = ("trig", "nquads", "turtle", "jsonld")


def add_arguments(parser) -> None:
    add_store_argument(parser)
    parser.add_argument("--format", choices=FORMATS, default="trig")
    parser.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--with-corrections",
        dest="raw",
        action="store_false",
        default=False,
        help="the graph as corrected by readers, with the corrections graph (default)",
    )
    which.add_argument(
        "--raw",
        action="store_true",
        help="the extraction alone: no corrections graph, every correction undone",
    )


def run(args) -> int:
    from claimgraph.graph.export import export

    store = open_store(args)
    if not store.exists():
        raise UserError(f"no store at {store.path}: run `claimgraph ingest` first")
    if args.output in (None, "-"):
        export(store, args.format, sys.stdout.buffer, raw=args.raw)
        sys.stdout.flush()
        return 0
    out = Path(args.output)
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name")
    fd, tmp = tempfile.mkstemp(dir=out.parent if str(out.parent) else ".", prefix=f".{out.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            export(store, args.format, f, raw=args.raw)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    print(f"wrote {out} ({args.format}, {out.stat().st_size:,} bytes)", file=sys.stderr)
    return 0
