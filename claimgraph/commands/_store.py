"""The --store option every command shares."""

from __future__ import annotations

import argparse

from claimgraph.graph.store import DEFAULT_STORE, DiskStore


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        default=DEFAULT_STORE,
        metavar="DIR",
        help=f"store folder (default: ./{DEFAULT_STORE})",
    )


def open_store(args: argparse.Namespace) -> DiskStore:
    return DiskStore(args.store)
