"""`claimgraph validate`: check a store or an RDF file against claimgraph's SHACL shapes."""

from __future__ import annotations

import argparse
from pathlib import Path

from claimgraph.errors import UserError

NAME = "validate"
HELP = "Check a store or an RDF file against claimgraph's SHACL shapes (graph/shapes.ttl)."

#: File suffix -> rdflib parser name.
FORMATS = {
    ".trig": "trig",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".n3": "n3",
}

MAX_LINES = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="an RDF file to check instead of the store: TriG or N-Quads (all graphs), "
        "Turtle, N-Triples, JSON-LD or RDF/XML, chosen by suffix",
    )
    parser.add_argument(
        "--store",
        metavar="DIR",
        default=None,
        help="the store folder to check (default: claimgraph-store)",
    )


def run(args: argparse.Namespace) -> int:
    from claimgraph.graph.validate import validate

    if args.file and args.store:
        raise UserError("give either --store DIR or FILE, not both")
    data = _read_file(Path(args.file)) if args.file else _open_store(args.store)
    result = validate(data)
    # report(): "valid: N triples, M named graphs conform to claimgraph's shapes" (and any
    # warnings), or "invalid: ..." with the violations grouped by message
    print(result.report(MAX_LINES))
    return 0 if result.conforms else 1


def _open_store(path: str | None):
    from claimgraph.graph.remote_store import RemoteStore, is_url
    from claimgraph.graph.store import DEFAULT_STORE, DiskStore

    if path and is_url(path):
        remote = RemoteStore(path)
        if not remote.exists():
            raise UserError(f"no claimgraph documents at {remote.path}")
        return remote.local_dataset()  # SHACL needs the whole graph in memory
    store = DiskStore(path or DEFAULT_STORE)
    if not store.path.exists():
        hint = "" if path else " (run `claimgraph ingest` first, or give --store DIR or FILE)"
        raise UserError(f"no store at {store.path}{hint}")
    if not store.path.is_dir():
        raise UserError(f"{store.path} is not a folder; to check an RDF file, give it as FILE")
    if not store.exists():
        raise UserError(f"{store.path} is not a claimgraph store")
    return store.dataset()


def _read_file(path: Path):
    from rdflib import Dataset

    if not path.exists():
        raise UserError(f"no such file: {path}")
    if path.is_dir():
        raise UserError(f"{path} is a folder; to check a store, use --store {path}")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise UserError(f"cannot tell the RDF format of {path.name} from its suffix (use {known})")
    ds = Dataset(default_union=True)
    try:
        with open(path, "rb") as f:
            ds.parse(f, format=fmt, publicID=path.resolve().as_uri())
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - rdflib's parsers raise many kinds of errors
        detail = " ".join(str(exc).split())[:200] or exc.__class__.__name__
        raise UserError(f"cannot parse {path} as {fmt}: {detail}") from None
    return ds
