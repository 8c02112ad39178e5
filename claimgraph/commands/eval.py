"""`claimgraph eval`: precision, recall and F1 of a graph against gold annotations.

    claimgraph eval --gold gold/ export.trig
    claimgraph eval --gold gold/000.json --store claimgraph-store --json
    claimgraph eval --gold corpus-gold/ export.trig --per-document
    claimgraph eval --gold corpus-gold/ --store after --against before   # which change is real

A folder of gold files is scored micro-averaged (counts summed over documents), overall and
per gold "genre"; more than PER_DOCUMENT_LIMIT documents are summarised unless --per-document.
With MIN_DOCUMENTS or more, 95% bootstrap intervals over documents say how sure each row is.

See docs/evaluation.md for the gold format, the figures and how matching works.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from claimgraph.commands._store import store_at
from claimgraph.errors import UserError
from claimgraph.evaluation import PER_DOCUMENT_LIMIT, evaluate, format_report, load_gold
from claimgraph.evaluation.comparison import compare_reports, format_comparison
from claimgraph.graph.namespaces import bind_prefixes
from claimgraph.graph.store import DEFAULT_STORE, open_dataset

NAME = "eval"
HELP = "Score a graph against gold annotations: precision, recall, F1 per type, relation and rule."

#: File suffix -> pyoxigraph format (fast parser); JSON-LD goes through rdflib.
_OX_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
_JSONLD = (".jsonld", ".json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gold",
        required=True,
        metavar="PATH",
        help="a gold JSON file, or a folder of them (see docs/evaluation.md)",
    )
    parser.add_argument(
        "graph_file",
        nargs="?",
        metavar="GRAPH_FILE",
        help="graph to score: .trig/.nq (named graphs), .ttl/.nt/.jsonld (one document's union); "
        "default: the store",
    )
    parser.add_argument(
        "--store",
        metavar="DIR",
        help=f"score the graph in this store instead of a file (default: {DEFAULT_STORE})",
    )
    parser.add_argument(
        "--document",
        metavar="NAME",
        help="score only the gold document with this file name",
    )
    parser.add_argument(
        "--per-document",
        action="store_true",
        help=f"print every document's tables (by default only up to {PER_DOCUMENT_LIMIT} "
        "documents; more are summarised)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object for scripts: documents, total and genres",
    )
    parser.add_argument(
        "--against",
        metavar="STORE|GRAPH_FILE",
        help="also score this other store or graph file (say, before a settings change) and "
        "print the differences with 95%% paired intervals: which changes are beyond chance",
    )


def load_graph_file(path: str | Path) -> Dataset:
    """Parse an RDF file (format by suffix) into a Dataset whose default graph is the union."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"graph file not found: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix in _OX_FORMATS:
            store = ox.Store()
            store.bulk_load(path=str(path), format=_OX_FORMATS[suffix])
            ds = open_dataset(store)
        elif suffix in _JSONLD:
            ds = Dataset(default_union=True)
            ds.parse(str(path), format="json-ld")
        else:
            known = ", ".join(sorted([*_OX_FORMATS, *_JSONLD]))
            raise UserError(
                f"cannot tell the RDF format of {path} from its suffix; use one of {known}"
            )
    except UserError:
        raise
    except (SyntaxError, ValueError, OSError) as exc:
        first = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
        raise UserError(f"cannot parse {path}: {first}") from None
    bind_prefixes(ds)
    return ds


def _select(golds: list[dict], name: str) -> list[dict]:
    def same(doc: str) -> bool:
        return doc == name or doc.endswith("/" + name) or name.endswith("/" + doc)

    chosen = [g for g in golds if same(g["document"])]
    if not chosen:
        have = ", ".join(sorted(g["document"] for g in golds))
        raise UserError(f"no gold file describes document {name!r}; the gold has: {have}")
    return chosen


def run(args: argparse.Namespace) -> int:
    if args.graph_file and args.store:
        raise UserError("give a graph file or --store, not both")
    golds = load_gold(args.gold)
    if args.document:
        golds = _select(golds, args.document)
    data = load_graph_file(args.graph_file) if args.graph_file else _store_data(args.store)
    report = evaluate(data, golds)
    if args.against:
        from claimgraph.graph.remote_store import is_url

        is_store = Path(args.against).is_dir() or is_url(args.against)
        before = evaluate(
            _store_data(args.against) if is_store else load_graph_file(args.against), golds
        )
        table = compare_reports(report, before)
        if args.json:
            print(json.dumps({**report.to_dict(), "against": table}, indent=2, ensure_ascii=False))
        else:
            print(format_comparison(table), end="")
        return 0
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report, per_document=args.per_document or None), end="")
    return 0


def _store_data(location: str | None) -> Dataset:
    store = store_at(location or DEFAULT_STORE)
    if not store.exists():
        raise UserError(
            f"no claimgraph store at {store.path}; ingest documents first, "
            "or give a graph file to score"
        )
    # a remote store is read into memory: scoring uses more of rdflib than .query()
    return store.local_dataset() if hasattr(store, "local_dataset") else store.dataset()
