"""The --store option every command shares: a store folder or a SPARQL server's URL."""

from __future__ import annotations

import argparse

from claimgraph.graph.store import DEFAULT_STORE, DiskStore


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        default=DEFAULT_STORE,
        metavar="DIR|URL",
        help=f"store folder, or a SPARQL server's http(s) URL (default: ./{DEFAULT_STORE})",
    )


def add_wait_argument(parser: argparse.ArgumentParser) -> None:
    """--wait [SECONDS]: wait for another writer instead of failing at once (-1: no limit)."""
    parser.add_argument(
        "--wait",
        nargs="?",
        type=float,
        const=-1.0,
        default=0.0,
        metavar="SECONDS",
        help="if another process is writing to the store, wait for it (for up to SECONDS)",
    )


def store_at(location: str):
    """A DiskStore for a folder, a RemoteStore for an http(s):// URL (credentials from
    CLAIMGRAPH_STORE_USER/CLAIMGRAPH_STORE_PASSWORD or ~/.netrc, never the URL)."""
    from claimgraph.graph.remote_store import RemoteStore, is_url

    return RemoteStore(location) if is_url(location) else DiskStore(location)


def open_store(args: argparse.Namespace):
    """The store the command's --store names."""
    return store_at(args.store)
