"""claimgraph viz: an interactive, self-contained HTML view of the graph."""

from __future__ import annotations

import sys

from claimgraph.commands._store import add_store_argument, open_store
from claimgraph.errors import UserError

NAME = "viz"
HELP = "write the graph (or the neighbourhood of one entity) as one interactive HTML file"


def add_arguments(parser) -> None:
    from claimgraph.graph.network import NODE_TYPES, RELATIONS
    from claimgraph.graph.overview import OVERVIEW_NODES
    from claimgraph.graph.views import MAX_NODES

    add_store_argument(parser)
    parser.add_argument("--focus", metavar="NAME", help="centre on this entity (any alias)")
    parser.add_argument(
        "--hops", type=int, default=2, metavar="N", help="with --focus: edges out (default 2)"
    )
    parser.add_argument(
        "--types", nargs="+", metavar="TYPE", help=f"node types to keep: {' '.join(NODE_TYPES)}"
    )
    parser.add_argument(
        "--relations", nargs="+", metavar="REL", help=f"edges to keep: {' '.join(RELATIONS)}"
    )
    parser.add_argument(
        "--documents", nargs="+", metavar="FILE", help="only what was read from these documents"
    )
    parser.add_argument(
        "--min-confidence", type=float, metavar="X", help="drop evidence edges below X (0-1)"
    )
    parser.add_argument(
        "--max-nodes",
        type=int,
        default=MAX_NODES,
        metavar="N",
        help=f"draw at most N nodes, the most important (default {MAX_NODES})",
    )
    parser.add_argument(
        "--top",
        type=int,
        default=OVERVIEW_NODES,
        metavar="N",
        help="without --focus: the overview draws at most N nodes, the most contested claims "
        f"and most-cited works with their evidence (default {OVERVIEW_NODES})",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="without --focus: draw the whole graph (up to --max-nodes) instead of the overview",
    )
    parser.add_argument("--title", help="page title (default: from the focus or the store)")
    parser.add_argument(
        "-o", "--output", default="claimgraph.html", metavar="FILE.html", help="output file"
    )


def run(args) -> int:
    from claimgraph.graph.network import NodeNotFound, build_network, filter_network, neighbourhood
    from claimgraph.graph.views import write_html

    if args.hops < 0:
        raise UserError("--hops must be 0 or more")
    if args.max_nodes < 1:
        raise UserError("--max-nodes must be at least 1")
    if args.top < 1:
        raise UserError("--top must be at least 1")
    if args.min_confidence is not None and not 0 <= args.min_confidence <= 1:
        raise UserError("--min-confidence must be between 0 and 1")
    store = open_store(args)
    if not store.exists():
        raise UserError(f"no claimgraph store at {store.path} (ingest documents first)")
    G = build_network(store)
    if args.documents:
        known = {d for _, data in G.nodes(data=True) for d in data.get("documents", ())}
        missing = [d for d in args.documents if d not in known]
        if missing:
            raise UserError(f"no document called {missing[0]!r} in the store")
    try:
        G = filter_network(G, args.types, args.relations, args.documents, args.min_confidence)
        if args.focus:
            G = neighbourhood(G, args.focus, args.hops)
    except (ValueError, NodeNotFound) as exc:
        raise UserError(str(exc)) from None
    title = args.title
    if title is None and args.focus:
        title = f"{G.nodes[G.graph['focus']]['label']}, {args.hops} hops"
    title = title or f"claimgraph: {store.path.name}"
    if not args.focus and not args.all:
        return _overview(G, args.output, title, args.top)
    info = write_html(G, args.output, title=title, max_nodes=args.max_nodes)
    line = f"wrote {args.output}: {info.nodes:,} nodes, {info.edges:,} edges"
    if info.truncated:
        line += f" (the most important of {info.total_nodes:,} nodes; the page says so)"
    print(line)
    if args.focus:
        centre = G.nodes[G.graph["focus"]]
        print(f"focus: {centre['label']} ({centre['type'].lower()})", file=sys.stdout)
    return 0


def _overview(G, output: str, title: str, top: int) -> int:
    from claimgraph.graph.overview import write_overview

    info = write_overview(G, output, title=title, limit=top)
    print(
        f"wrote {output}: overview of {info.nodes:,} of {info.total_nodes:,} nodes, "
        f"{info.edges:,} edges ({info.contested:,} contested claims, {info.cited:,} cited works "
        f"and their evidence; {info.isolated:,} isolated nodes left out; --all draws everything)"
    )
    return 0
