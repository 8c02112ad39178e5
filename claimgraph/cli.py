"""The `claimgraph` command: one subcommand per module in claimgraph/commands/.

Every command module defines `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`.
Errors a user can act on are raised as `UserError` (or a known library error) and printed
as one line on stderr with exit status 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from claimgraph.errors import UserError, user_message

COMMANDS = [
    "ingest",
    "stats",
    "export",
    "validate",
    "remove",
    "review",
    "eval",
    "query",
    "serve",
    "viz",
    "corpus",
    "train",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimgraph",
        description="Passages in, a claim-and-evidence knowledge graph out.",
    )
    from claimgraph import __version__

    parser.add_argument("--version", action="version", version=f"claimgraph {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"claimgraph.commands.{name}")
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("claimgraph: interrupted; the store is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the CLI's contract is one line, never a traceback
        message = user_message(exc)
        print(f"claimgraph {args.command}: error: {message}", file=sys.stderr)
        return 2 if isinstance(exc, UserError) or message else 1


if __name__ == "__main__":
    sys.exit(main())
