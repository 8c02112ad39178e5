"""The endpoint's query policy, decided on the parsed query (rdflib's SPARQL parser + algebra).

`check` refuses updates and `SERVICE` (403) and any text rdflib cannot parse (400: fail
closed, since Oxigraph might read it differently), and reports the query form, its `FROM` /
`FROM NAMED` IRIs and its prefixes. It runs inside the query worker, so the time limit and
the memory limit bound it too. Also here: syntax-error messages shared with `frames.py`.
"""

from __future__ import annotations

import re
import sys
import threading
import warnings
from dataclasses import dataclass, field

UPDATE_REFUSED = "this endpoint is read-only: updates are refused"
SERVICE_REFUSED = "SERVICE is refused: this endpoint never fetches data from elsewhere"


class Refused(Exception):
    """The documented refusal: an HTTP status (400 or 403) and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Checked:
    """What the worker needs from an allowed query."""

    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)


_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


DEEP_STACK = 64 << 20  # bytes of stack for the parser's thread
DEEP_RECURSION = 15000  # Python frames: groups and expressions nest about 400 deep


def check(text: str, prefixes: dict[str, str] | None = None) -> Checked:
    """Parse `text` as a SPARQL query and decide: return what it reads, or raise `Refused`.

    rdflib's parser recurses once per nesting level, so it runs in a thread with a deep stack
    (the recursion limit is raised meanwhile, for the whole process: meant for the worker)."""
    outcome: list = []

    def target() -> None:
        try:
            outcome.append(_check(text, prefixes))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            outcome.append(exc)

    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
    threading.stack_size(DEEP_STACK)
    try:
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION))
        thread = threading.Thread(target=target, name="sparql-policy")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _check(text: str, prefixes: dict[str, str] | None) -> Checked:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    if not isinstance(text, str) or "\x00" in text:
        raise Refused(400, "the query is not text")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = parseQuery(text)
            if _has_service(parsed):
                raise Refused(403, SERVICE_REFUSED)
            query = translateQuery(parsed, initNs=prefixes or {})
    except Refused:
        raise
    except ParseBaseException as exc:
        if _is_update(text):
            raise Refused(403, UPDATE_REFUSED) from None
        raise Refused(400, f"syntax error at {rdflib_syntax_message(exc)}") from None
    except RecursionError:
        raise Refused(400, "the query is nested too deeply to check") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises bare Exception (unknown prefix, ...)
        raise Refused(400, f"query refused: {_one_line(exc)}") from None
    if _has_service(query.algebra):
        raise Refused(403, SERVICE_REFUSED)
    form = _FORMS.get(query.algebra.name)
    if form is None:
        raise Refused(400, "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    out = Checked(form=form, prefixes=dict(prefixes or {}))
    clauses = dict.get(query.algebra, "datasetClause")  # CompValue.get has another default
    for clause in clauses or []:
        if "named" in clause:
            out.from_named.append(str(clause["named"]))
        elif "default" in clause:
            out.from_graphs.append(str(clause["default"]))
        else:
            raise Refused(400, "a FROM clause without an IRI")
    declared = {
        dict.get(d, "prefix") or "" for d in parsed[0] if getattr(d, "name", "") == "PrefixDecl"
    }
    for name, iri in query.prologue.namespace_manager.namespaces():
        if name in declared:
            out.prefixes[name] = str(iri)
    return out


def _has_service(root) -> bool:
    """True if any node under `root` (parse tree or algebra) is a SERVICE pattern.

    Iterative, so depth is never a problem; visits each node once."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name in ("ServiceGraphPattern", "ServiceGraphPatternSub"):
                return True
            stack.extend(v for k, v in node.items() if k != "_vars")
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(node)
    return False


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parseUpdate(text)
    except (Exception, RecursionError):  # noqa: BLE001 - not an update either
        return False
    return True


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


# -- syntax errors ------------------------------------------------------------------------
_RDFLIB_POSITION = re.compile(r"found (.*?)\s+\(at char \d+\), \(line:(\d+), col:(\d+)\)", re.S)
_OX_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_EXPECTED_ITEM = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|\[(?:'[^']*'|[^\]'])*\]|[^,]+)\s*(?:,|$)""")


def rdflib_syntax_message(exc: BaseException) -> str:
    """'line L, column C: unexpected X' from a pyparsing ParseException."""
    r = _RDFLIB_POSITION.search(str(exc))
    if r:
        found = " ".join(r.group(1).split())[:80]
        return f"line {r.group(2)}, column {r.group(3)}: unexpected {found}"
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    if line and col:
        return f"line {line}, column {col}: {_one_line(exc)[:120]}"
    return _one_line(exc)


def tidy_expected(detail: str) -> str:
    """Oxigraph's 'expected one of ...' lists without the long character classes."""
    head, sep, rest = detail.partition("expected one of ")
    if not sep:
        return detail
    items = [m.group(1).strip() for m in _EXPECTED_ITEM.finditer(rest) if m.group(1).strip()]
    if "Prefix not found" in items:
        return head + "undeclared prefix (add a PREFIX line)"
    named = [i for i in items if not i.startswith("[")]
    if len(named) < len(items):
        named.append("…")
    return head + sep + ", ".join(named)


def oxigraph_syntax_message(exc: BaseException, text: str | None = None) -> str | None:
    """'line L, column C: detail' from a pyoxigraph SyntaxError, or None.

    Oxigraph's parser sometimes reports where it gave up (often the end of the query) rather
    than the first bad token; given the query `text`, rdflib's parser is asked too, and the
    earlier of the two positions is reported."""
    m = _OX_POSITION.search(str(exc))
    if not m:
        return None
    line, col = int(m.group(1)), int(m.group(2))
    detail = tidy_expected(" ".join(m.group(3).split()))
    if text is not None:
        try:
            from rdflib.plugins.sparql.parser import parseQuery

            parseQuery(text)
        except Exception as other:  # noqa: BLE001 - pyparsing's ParseException and kin
            r = _RDFLIB_POSITION.search(str(other))
            if r and (int(r.group(2)), int(r.group(3))) < (line, col):
                found = " ".join(r.group(1).split())
                return f"line {r.group(2)}, column {r.group(3)}: unexpected {found}"
    return f"line {line}, column {col}: {detail}"
