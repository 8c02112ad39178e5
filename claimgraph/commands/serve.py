"""`claimgraph serve`: a read-only SPARQL 1.1 Protocol endpoint over the store."""

from __future__ import annotations

import ipaddress
import sys

from claimgraph.errors import UserError
from claimgraph.graph.namespaces import PREFIXES
from claimgraph.graph.remote_store import is_url
from claimgraph.graph.store import DEFAULT_STORE, DiskStore

NAME = "serve"
HELP = (
    "Serve the store as a read-only SPARQL endpoint (SPARQL 1.1 Protocol, localhost by "
    "default), with a per-query time limit and a row cap, and an explorer of its claims, "
    "people, works and documents at / (read-only unless --curate)."
)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--store", default=DEFAULT_STORE, metavar="DIR", help=f"store folder ({DEFAULT_STORE})"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (127.0.0.1; anything else exposes the store to the network)",
    )
    parser.add_argument(
        "--port", type=int, default=7878, help="port to listen on (7878; 0 picks a free one)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="time limit per query; a query still running then is killed (10)",
    )
    parser.add_argument(
        "--max-rows",
        type=int,
        default=10000,
        metavar="N",
        help="at most N result rows (or triples) per answer; more are cut off (10000)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="query worker processes, i.e. queries evaluated at once (2)",
    )
    parser.add_argument(
        "--max-memory",
        default="1G",
        metavar="SIZE",
        help="memory cap of each query worker, e.g. 512M or 2G; a query that needs more is "
        "stopped with 503 (1G; 0 for no cap)",
    )
    parser.add_argument(
        "--curate",
        action="store_true",
        help="let the explorer record corrections (accept, reject, edit, merge, add): loopback "
        "only, each write a same-origin form with a per-session token; /query stays read-only",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also accept requests whose Host header names NAME (the DNS-rebinding guard "
        "accepts only the bound address, and loopback names when bound to loopback)",
    )


def _loopback(host: str) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_UNITS = {"": 1 << 20, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def parse_size(text: str) -> int:
    """Bytes from '512M', '2G', '300000K' or a plain number of MiB; 0 means no cap."""
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = value[-1:] if value[-1:] in "KMG" else ""
    number = value[: len(value) - len(unit)]
    try:
        size = float(number) * _UNITS[unit]
    except ValueError:
        raise UserError(f"--max-memory: not a size: {text!r} (e.g. 512M or 2G)") from None
    if size != 0 and not (64 << 20) <= size <= (1 << 50):
        raise UserError("--max-memory must be 0 (no cap) or between 64M and 1P")
    return int(size)


def run(args) -> int:
    from claimgraph.queries.endpoint import Settings, serve

    if args.timeout <= 0:
        raise UserError("--timeout must be more than 0 seconds")
    if args.max_rows < 1:
        raise UserError("--max-rows must be at least 1")
    if not 1 <= args.workers <= 64:
        raise UserError("--workers must be between 1 and 64")
    if not 0 <= args.port <= 65535:
        raise UserError("--port must be between 0 and 65535")
    if args.curate and not _loopback(args.host):
        raise UserError(f"--curate serves loopback only; {args.host} is not a loopback address")
    max_memory = parse_size(args.max_memory)
    if is_url(args.store):
        raise UserError(
            f"{args.store} is a SPARQL server with its own endpoint: point SPARQL tools at it "
            "(claimgraph serve serves a store folder)"
        )
    store = DiskStore(args.store)
    if not store.exists():
        raise UserError(
            f"no claimgraph store at {args.store} (ingest documents first, or --store DIR)"
        )
    store.current()  # a damaged store fails here, before anything listens
    if not _loopback(args.host):
        print(
            f"claimgraph serve: warning: listening on {args.host}: anyone who can reach this "
            "address can query the store",
            file=sys.stderr,
        )
    settings = Settings(
        store_path=str(store.path),
        timeout=args.timeout,
        max_rows=args.max_rows,
        workers=args.workers,
        prefixes={k: str(v) for k, v in PREFIXES.items()},
        max_memory=max_memory or None,
        allowed_hosts=list(args.allow_host),
        curate=args.curate,
    )

    def warn(text: str) -> None:
        print(f"claimgraph serve: WARNING: {text}", file=sys.stderr, flush=True)

    def announce(url: str) -> None:
        print(
            f"claimgraph serve: SPARQL endpoint at {url} (read-only; store {store.path}; "
            f"time limit {args.timeout:g} s; at most {args.max_rows} rows; "
            f"{args.max_memory if max_memory else 'no'} memory cap per worker)",
            flush=True,
        )
        writes = "corrections on (--curate)" if args.curate else "read-only"
        print(f"claimgraph serve: explorer at {url.removesuffix('query')} ({writes})", flush=True)

    try:
        return serve(settings, args.host, args.port, announce, warn)
    except OSError as exc:
        raise UserError(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from None
