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
    from claimgraph.graph.identity import document_iri, shown

    store = open_store(args)
    ds = store.dataset()
    c = catalog.counts(ds)
    print(f"store:     {store.path}")
    print(f"documents: {c.documents}")
    print(f"quads:     {c.quads}")
    print(f"passages:  {c.passages}")
    print("nodes:     " + ", ".join(f"{v} {k.lower()}s" for k, v in c.nodes.items()))
    print("edges:     " + ", ".join(f"{v} {k}" for k, v in c.edges.items()))
    documents = catalog.documents(ds)
    if args.documents:
        for name, info in sorted(documents.items()):
            print(f"  {shown(name)}  sha256:{info.sha256[:12]}")
    old = sum(1 for name, info in documents.items() if str(info.iri) != str(document_iri(name)))
    if old:
        print(
            f"note:      {old} documents are stored under the old naming scheme;"
            " ingest their files again to re-key them"
        )
    return 0
