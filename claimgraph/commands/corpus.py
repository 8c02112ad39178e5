"""`claimgraph corpus export`: an annotated corpus as texts plus gold files, ready for `claimgraph eval`.

    claimgraph corpus export web-discourse --corpora ../shared/corpora -o wd
    claimgraph corpus export cdcp --split test --corpora ../shared/corpora -o cdcp-test
    claimgraph ingest wd/texts --store wd/store && claimgraph eval --gold wd/gold --store wd/store

Writes DIR/texts/NAME.txt and DIR/gold/NAME.json (with the document's "genre") per document,
and DIR/gold/SOURCE.md naming the corpus and its licence.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from claimgraph.corpora.documents import CorpusDoc
from claimgraph.errors import UserError, user_message

NAME = "corpus"
HELP = "Export an annotated argument corpus (web-discourse, cdcp) as texts and gold files."
CORPORA = ("web-discourse", "cdcp")
DEFAULT_ROOT = "../shared/corpora"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = sub.add_parser(
        "export", help="write DIR/texts/*.txt and DIR/gold/*.json for one corpus"
    )
    export.add_argument("corpus", choices=CORPORA, help="which corpus")
    export.add_argument(
        "--corpora",
        default=DEFAULT_ROOT,
        metavar="PATH",
        help=f"folder holding the corpora (default: {DEFAULT_ROOT})",
    )
    export.add_argument(
        "--split",
        choices=("train", "test", "all"),
        default="all",
        help="cdcp only: the official split to export (default: all)",
    )
    export.add_argument(
        "--topic",
        metavar="T",
        help="web-discourse only: export the documents of one topic (e.g. homeschooling)",
    )
    export.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")


def select_docs(
    root: Path, corpus: str, split: str = "all", topic: str | None = None
) -> list[CorpusDoc]:
    """The documents of `corpus` under `root`, narrowed to a CDCP split or a web-discourse topic."""
    if corpus == "web-discourse":
        from claimgraph.corpora.web_discourse import read_web_discourse

        if split != "all":
            raise UserError("--split applies to cdcp only; web-discourse is split by --topic")
        docs = read_web_discourse(root)
        topics = sorted({d.topic for d in docs if d.topic})
        if topic is not None and topic not in topics:
            raise UserError(f"unknown topic {topic!r}; topics: {', '.join(topics)}")
        return [d for d in docs if topic is None or d.topic == topic]
    if corpus == "cdcp":
        from claimgraph.corpora.cdcp import SPLITS, read_cdcp

        if topic is not None:
            raise UserError("--topic applies to web-discourse only")
        splits = SPLITS if split == "all" else (split,)
        return [doc for name in splits for doc in read_cdcp(root, name)]
    raise UserError(f"unknown corpus {corpus!r}; choose one of {', '.join(CORPORA)}")


def run(args: argparse.Namespace) -> int:
    from claimgraph.corpora.gold import write_corpus

    docs = select_docs(Path(args.corpora), args.corpus, args.split, args.topic)
    if not docs:
        raise UserError("no documents match; nothing written")
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} exists and is not a folder")
    count = write_corpus(docs, out / "texts", out / "gold")
    units = sum(len(d.units) for d in docs)
    relations = sum(len(d.relations) for d in docs)
    print(f"exported {count} documents ({units} units, {relations} relations) to {out}")
    store = out / "store"
    print(
        f"next: claimgraph ingest {out / 'texts'} --store {store} && "
        f"claimgraph eval --gold {out / 'gold'} --store {store}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run this command alone (`python -m claimgraph.commands.corpus export ...`), CLI-style errors."""
    parser = argparse.ArgumentParser(prog="claimgraph corpus", description=HELP)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback, as in claimgraph.cli
        print(f"claimgraph corpus: error: {user_message(exc)}", file=sys.stderr)
        return 2 if isinstance(exc, UserError) else 1


if __name__ == "__main__":
    sys.exit(main())
