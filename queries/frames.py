"""Run saved or ad-hoc SPARQL queries and get pandas DataFrames.

    from claimgraph.queries.frames import run_query
    df = run_query(DiskStore("claimgraph-store"), "low-confidence-edges", threshold=0.3)

Queries on a DiskStore (or any rdflib graph over oxrdflib's store) are evaluated by Oxigraph;
on a MemoryStore or a plain rdflib Dataset by rdflib's engine. Parameters are bound as typed
RDF terms through `initBindings` (for Oxigraph: `substitutions`), never pasted into the text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import XSD
from rdflib.query import Result

from claimgraph.graph.errors import UserError
from claimgraph.graph.remote_store import RemoteStore, is_url
from claimgraph.graph.store import DiskStore, MemoryStore, StoreError, open_dataset
from claimgraph.queries.endpoint import oxigraph_syntax_message
from claimgraph.queries.library import QueryError, SavedQuery, list_queries, load_query, resolve

__all__ = ["run_query", "run", "to_frame", "list_queries", "load_query", "QueryError"]

INTEGER_TYPES = {
    str(XSD[t])
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
FLOAT_TYPES = {str(XSD.decimal), str(XSD.double), str(XSD.float)}
BOOLEAN_TYPES = {str(XSD.boolean)}
DATETIME_TYPES = {str(XSD.dateTime), str(XSD.dateTimeStamp)}

_RDFLIB_POSITION = re.compile(r"\(line:(\d+), col:(\d+)\)")


#: The query text does not parse; the message gives line and column.
QuerySyntaxError = QueryError


def open_target(target) -> Graph:
    """An rdflib Graph/Dataset to query, from a store, a dataset, a pyoxigraph Store or a path."""
    if isinstance(target, Graph):
        return target
    if isinstance(target, DiskStore | MemoryStore):
        if isinstance(target, DiskStore) and not target.exists():
            raise UserError(f"no claimgraph store at {target.path} (ingest documents first)")
        return target.dataset()
    if isinstance(target, RemoteStore):
        return target.dataset()
    if isinstance(target, ox.Store):
        return open_dataset(target)
    if isinstance(target, str) and is_url(target):
        return open_target(RemoteStore(target))
    if isinstance(target, str | os.PathLike):
        return open_target(DiskStore(Path(target)))
    raise TypeError(f"cannot query a {type(target).__name__}")


def syntax_message(exc: BaseException, query: SavedQuery) -> str:
    """One line: where the query fails to parse, from Oxigraph's or rdflib's parser."""
    text = " ".join(str(exc).split())
    where = f"query {query.name}" if query.path or query.name != "query" else "query"
    position = oxigraph_syntax_message(exc, query.text)
    if position:
        return f"syntax error in {where} at {position}"
    m = _RDFLIB_POSITION.search(text)
    if m:
        detail = text[: m.start()].strip().rstrip(",")
        return f"syntax error in {where} at line {m.group(1)}, column {m.group(2)}: {detail}"
    return f"syntax error in {where}: {text}"


def run(target, name_or_text: str | SavedQuery, params: dict[str, object] | None = None) -> Result:
    """Evaluate a saved query (by name), a query file or query text; an rdflib Result."""
    query = name_or_text if isinstance(name_or_text, SavedQuery) else resolve(name_or_text)
    bindings = query.bindings(params or {})
    graph = open_target(target)
    try:
        return graph.query(query.text, initBindings=bindings)
    except SyntaxError as exc:  # pyoxigraph's parser
        raise QuerySyntaxError(syntax_message(exc, query)) from None
    except StoreError:
        raise
    except Exception as exc:
        if exc.__class__.__name__ == "ParseException":  # rdflib's parser (pyparsing)
            raise QuerySyntaxError(syntax_message(exc, query)) from None
        message = " ".join(str(exc).split())
        if message.startswith("Unknown namespace prefix"):  # rdflib's engine
            prefix = message.rsplit(":", 1)[-1].strip()
            raise QuerySyntaxError(
                f"syntax error in query {query.name}: undeclared prefix {prefix}: "
                "(add a PREFIX line)"
            ) from None
        if "SELECT projection" in message:
            names = ", ".join(sorted(bindings))
            raise QueryError(
                f"parameters ({names}) must be variables the query selects: Oxigraph binds "
                f"only projected variables ({message})"
            ) from None
        if isinstance(exc, OSError | RuntimeError | ValueError):
            raise QueryError(f"query {query.name} failed: {message}") from None
        raise


def result_columns(result: Result) -> tuple[list[str], Iterator[tuple]]:
    """Column names and rows of rdflib terms (None for unbound) for any query form."""
    if result.type == "ASK":
        return ["ask"], iter([(Literal(bool(result.askAnswer)),)])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return ["subject", "predicate", "object"], iter(result.graph)
    names = [str(v) for v in result.vars]
    return names, (tuple(row) for row in result)


def _column_dtype(values: list) -> str:
    kinds = set()
    for v in values:
        if v is None:
            continue
        if isinstance(v, Literal) and v.datatype is not None:
            dt = str(v.datatype)
            if dt in INTEGER_TYPES:
                kinds.add("int")
                continue
            if dt in FLOAT_TYPES:
                kinds.add("float")
                continue
            if dt in BOOLEAN_TYPES:
                kinds.add("bool")
                continue
            if dt in DATETIME_TYPES:
                kinds.add("datetime")
                continue
        kinds.add("str")
        if len(kinds) > 1:
            break
    if kinds == {"int"}:
        return "Int64"
    if kinds and kinds <= {"int", "float"}:
        return "Float64"
    if kinds == {"bool"}:
        return "boolean"
    if kinds == {"datetime"}:
        return "datetime"
    return "string"


def _plain(term) -> object:
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _number(term) -> object:
    if term is None:
        return None
    try:
        return float(str(term))
    except ValueError:
        return None


def _integer(term) -> object:
    if term is None:
        return None
    try:
        return int(str(term))
    except ValueError:
        return None


def _boolean(term) -> object:
    if term is None:
        return None
    return str(term).strip().lower() in ("true", "1")


def _datetime(term) -> object:
    if term is None:
        return None
    try:
        return datetime.fromisoformat(str(term).replace("Z", "+00:00"))
    except ValueError:
        return None


def to_frame(columns: list[str], rows) -> pd.DataFrame:
    """A DataFrame from rows of rdflib terms: IRIs, blank nodes (as `_:id`) and text as pandas
    strings, integers as Int64, decimals/doubles as Float64, booleans as boolean, xsd:dateTime
    as UTC datetimes; unbound values are <NA>."""
    rows = list(rows)
    data = {}
    for i, name in enumerate(columns):
        values = [row[i] if i < len(row) else None for row in rows]
        dtype = _column_dtype(values)
        if dtype == "Int64":
            data[name] = pd.array([_integer(v) for v in values], dtype="Int64")
        elif dtype == "Float64":
            data[name] = pd.array([_number(v) for v in values], dtype="Float64")
        elif dtype == "boolean":
            data[name] = pd.array([_boolean(v) for v in values], dtype="boolean")
        elif dtype == "datetime":
            data[name] = pd.to_datetime([_datetime(v) for v in values], utc=True)
        else:
            data[name] = pd.array([_plain(v) for v in values], dtype="string")
    return pd.DataFrame(data, columns=columns)


def run_query(store_or_dataset, name_or_text: str, **params) -> pd.DataFrame:
    """Run a saved query (by name), a query file or query text; the result as a DataFrame.

    `store_or_dataset`: a DiskStore, MemoryStore, rdflib Graph/Dataset, pyoxigraph Store or a
    store folder path. `params` bind the query's declared parameters: strings are read as the
    declared type (`claim="claim/1a2b"`, `threshold="0.3"`), and Python values (int, float,
    Decimal, rdflib terms) are converted. ASK gives one column `ask`; CONSTRUCT and DESCRIBE
    give `subject`, `predicate`, `object`.
    """
    result = run(store_or_dataset, name_or_text, params)
    columns, rows = result_columns(result)
    return to_frame(columns, rows)
