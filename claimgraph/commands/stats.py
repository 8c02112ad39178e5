"""claimgraph stats: what the store holds."""

from __future__ import annotations

from claimgraph.commands._store import add_store_argument, open_store

NAME = "stats"
HELP = "count documents, nodes by type and edges by relation in the store"


def add_arguments(parser) -> None:
    add_store_argument(parser)
    parser.add_argument("--documents", action="store_true", help="also list the documents")


def run(args) -> int:
    from claimgraph.graph import catalog

    store = open_store(args)
    ds = store.dataset()
    c = catalog.counts(ds)
    print(f"store:     {store.path}")
    print(f"documents: {c.documents}")
    print(f"quads:     {c.quads}")
    print(f"passages:  {c.passages}")
    print("nodes:     " + ", ".join(f"{v} {k.lower()}s" for k, v in c.nodes.items()))
    print("edges:     " + ", ".join(f"{v} {k}" for k, v in c.edges.items()))
    if args.documents:
        for name, info in sorted(catalog.documents(ds).items()):
            print(f"  {name}  sha256:{info.sha256[:12]}")
    return 0
