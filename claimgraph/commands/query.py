"""`claimgraph query`: run a saved query, a query file or a query from standard input."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from itertools import islice

from rdflib import BNode, Literal, URIRef

from claimgraph.commands._store import store_at
from claimgraph.errors import UserError
from claimgraph.graph.display import display_text
from claimgraph.graph.namespaces import PREFIXES, base_iri
from claimgraph.graph.store import DEFAULT_STORE
from claimgraph.queries.frames import result_columns
from claimgraph.queries.frames import run as run_sparql
from claimgraph.queries.library import list_queries, parse_header, parse_param_args, resolve

NAME = "query"
HELP = "Run a saved SPARQL query (see --list), a .rq file, or a query on standard input."
FORMATS = ("table", "csv", "tsv", "json", "markdown")
MAX_CELL = 60  # characters of a table cell before it is cut with an ellipsis


def add_arguments(parser) -> None:
    parser.add_argument(
        "query",
        nargs="?",
        metavar="NAME|FILE|-",
        help="a saved query name (claimgraph query --list), a .rq file, or - to read stdin",
    )
    parser.add_argument("--list", action="store_true", help="list the saved queries and exit")
    parser.add_argument(
        "--store",
        default=DEFAULT_STORE,
        metavar="DIR|URL",
        help=f"store folder or SPARQL server URL ({DEFAULT_STORE})",
    )
    parser.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a query parameter (repeatable); IRIs may be node keys like claim/1a2b3c",
    )
    parser.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default="table",
        help="output: an aligned table (default), CSV, TSV, SPARQL JSON results, or Markdown",
    )
    parser.add_argument("--limit", type=int, metavar="N", help="print at most N rows")


# -- IRIs and cells ---------------------------------------------------------------------
def shorten(iri: str) -> str:
    """A project IRI for reading: data nodes as their key, vocabulary as prefix:local."""
    base = base_iri()
    if iri.startswith(base) and len(iri) > len(base):
        return iri[len(base) :]
    for prefix, ns in PREFIXES.items():
        ns = str(ns)
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns) :]
            if all(c.isalnum() or c in "_-." for c in local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def cell(term, short: bool) -> str:
    """A term as plain text: IRIs (shortened when `short`), literal values, `_:id`."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term)) if short else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _numeric(term) -> bool:
    if not isinstance(term, Literal) or term.datatype is None:
        return False
    return str(term.datatype).rsplit("#", 1)[-1] in {
        "integer", "int", "long", "short", "byte", "decimal", "double", "float",
        "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
        "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    }  # fmt: skip


def _one_line(text: str) -> str:
    """Text for one table cell: bidi controls removed, line breaks as spaces."""
    return display_text(text, one_line=True)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def format_table(columns: list[str], rows: list[tuple]) -> str:
    width = MAX_CELL
    if sys.stdout.isatty():
        term = shutil.get_terminal_size((120, 20)).columns
        width = max(16, min(MAX_CELL, term // max(1, min(len(columns), 4))))
    cells = [[_cut(_one_line(cell(t, True)), width) for t in row] for row in rows]
    right = [
        any(_numeric(row[i]) for row in rows)
        and all(row[i] is None or _numeric(row[i]) for row in rows)
        for i in range(len(columns))
    ]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    n = len(rows)
    out.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(out) + "\n"


def format_markdown(columns: list[str], rows: list[tuple]) -> str:
    def esc(text: str) -> str:
        return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")

    out = ["| " + " | ".join(esc(c) for c in columns) + " |"]
    out.append(
        "| "
        + " | ".join("---:" if _col_numeric(rows, i) else "---" for i in range(len(columns)))
        + " |"
    )
    for row in rows:
        out.append("| " + " | ".join(esc(cell(t, True)) for t in row) + " |")
    return "\n".join(out) + "\n"


def _col_numeric(rows: list[tuple], i: int) -> bool:
    return any(_numeric(r[i]) for r in rows) and all(r[i] is None or _numeric(r[i]) for r in rows)


def format_delimited(columns: list[str], rows: list[tuple], delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        values = [cell(t, False) for t in row]
        if delimiter == "\t":
            values = [v.replace("\t", " ").replace("\r", " ").replace("\n", " ") for v in values]
        writer.writerow(values)
    return buf.getvalue()


def json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif (
        term.datatype is not None
        and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string"
    ):
        out["datatype"] = str(term.datatype)
    return out


def format_json(columns: list[str], rows: list[tuple], ask: bool | None) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if ask is not None:
        return json.dumps({"head": {}, "boolean": ask}) + "\n"
    bindings = [
        {c: json_term(t) for c, t in zip(columns, row, strict=True) if t is not None}
        for row in rows
    ]
    doc = {"head": {"vars": columns}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


# -- the command ------------------------------------------------------------------------
def list_text() -> str:
    out = []
    for q in list_queries():
        out.append(f"{q.name}: {q.title}")
        out.append(f"    {q.description}")
        for p in q.params:
            out.append(f"    --param {p.name}=… ({p.type}, default {p.default}): {p.meaning}")
        for ex in q.examples[:1]:
            out.append(f"    e.g. {ex}")
        out.append("")
    return "\n".join(out)


def load(arg: str):
    if arg == "-":
        text = sys.stdin.read()
        if not text.strip():
            raise UserError("no query on standard input")
        return parse_header(text, "query")
    return resolve(arg)


def run_command(args) -> int:
    if args.list:
        sys.stdout.write(list_text())
        return 0
    if not args.query:
        raise UserError("give a query NAME, FILE or - (claimgraph query --list shows the library)")
    if args.limit is not None and args.limit < 0:
        raise UserError("--limit must be 0 or more")
    query = load(args.query)
    params = parse_param_args(args.param)
    store = store_at(args.store)
    if not store.exists():
        raise UserError(
            f"no claimgraph store at {args.store} (ingest documents first, or --store DIR)"
        )
    result = run_sparql(store, query, params)
    columns, rows = result_columns(result)
    rows = list(islice(rows, args.limit) if args.limit is not None else rows)
    ask = bool(result.askAnswer) if result.type == "ASK" else None
    fmt = args.format
    if fmt == "table":
        text = format_table(columns, rows)
    elif fmt == "markdown":
        text = format_markdown(columns, rows)
    elif fmt == "csv":
        text = format_delimited(columns, rows, ",")
    elif fmt == "tsv":
        text = format_delimited(columns, rows, "\t")
    else:
        text = format_json(columns, rows, ask)
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def run(args) -> int:
    return run_command(args)
