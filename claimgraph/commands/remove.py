"""claimgraph remove FILE...: drop documents (their named graphs) from the store."""

from __future__ import annotations

from claimgraph.commands._store import add_store_argument, add_wait_argument, open_store
from claimgraph.errors import UserError

NAME = "remove"
HELP = "remove documents, and everything read from them, from the store"


def add_arguments(parser) -> None:
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="document name or path as ingested"
    )
    add_store_argument(parser)
    add_wait_argument(parser)


def run(args) -> int:
    from claimgraph.graph.identity import shown
    from claimgraph.ingest.pipeline import UnknownDocument, remove

    store = open_store(args)
    if not store.exists():
        raise UserError(f"no store at {store.path}")
    try:
        removed = remove(args.files, store, wait=None if args.wait < 0 else args.wait)
    except UnknownDocument as exc:
        raise UserError(str(exc)) from None
    for name in removed:
        print(f"removed: {shown(name)}")
    return 0
