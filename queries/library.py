"""The saved-query library: `.rq` files in this folder, each with a comment header.

A saved query opens with comment lines that describe it::

    # title: Low-confidence edges
    # description: Supports, disputes and cites edges whose confidence is below a
    #   threshold, with the quote they were read from: the edges to review first.
    # param threshold (decimal): 0.5 — list edges with a confidence below this
    # example: claimgraph query low-confidence-edges --param threshold=0.3

A line without a known key continues the field before it. A parameter's default is a value,
`required` (the caller must give one) or `any` (left unbound: the variable matches
everything). Parameters are never pasted into the query text: they are bound as typed RDF
terms (rdflib's `initBindings`, which oxrdflib hands to Oxigraph as `substitutions`), so a
parameter must be a variable the query projects (Oxigraph binds only projected variables).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from claimgraph.graph.errors import UserError
from claimgraph.graph.namespaces import PREFIXES, base_iri

QUERY_DIR = Path(__file__).resolve().parent
PARAM_TYPES = ("iri", "string", "decimal", "integer")
REQUIRED = "required"
ANY = "any"

_KEY = re.compile(r"^(title|description|param|example)\b\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:\((?P<type>[a-z]+)\))?\s*:\s*"
    r"(?P<default>.*?)\s+(?:—|--)\s+(?P<meaning>.+)$"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


#: A saved query or parameter problem the user can fix. An alias: the CLI prints UserError
#: messages as they are, one line, exit status 2.
QueryError = UserError


@dataclass(frozen=True)
class Param:
    """One declared parameter of a saved query."""

    name: str
    type: str  # iri | string | decimal | integer
    default: str  # a value, REQUIRED or ANY
    meaning: str

    @property
    def required(self) -> bool:
        return self.default == REQUIRED

    @property
    def optional(self) -> bool:
        """True if the parameter may stay unbound (default `any`)."""
        return self.default == ANY


@dataclass
class SavedQuery:
    """A query from the library (or a file or text given by the user)."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    path: Path | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def declared(self) -> bool:
        """True if the query declares its parameters in a header (saved queries do)."""
        return bool(self.title or self.params)

    def bindings(self, values: dict[str, object]) -> dict[str, Identifier]:
        """Typed RDF terms for `values` (strings as typed on a command line, or Python values),
        with declared defaults filled in. Raises QueryError for unknown, missing or bad ones."""
        out: dict[str, Identifier] = {}
        if self.declared:
            names = [p.name for p in self.params]
            for key in values:
                if key not in names:
                    takes = ", ".join(names) if names else "no parameters"
                    raise QueryError(
                        f"query {self.name} has no parameter {key!r} (it takes: {takes})"
                    )
            for p in self.params:
                if p.name in values and values[p.name] is not None:
                    out[p.name] = to_term(values[p.name], p.type, p.name)
                elif p.required:
                    raise QueryError(
                        f"query {self.name} needs --param {p.name}=VALUE ({p.type}: {p.meaning})"
                    )
                elif not p.optional:
                    out[p.name] = to_term(p.default, p.type, p.name)
        else:
            for key, value in values.items():
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                    raise QueryError(f"parameter name {key!r} is not a SPARQL variable name")
                out[key] = to_term(value, None, key)
        return out


# -- parameter values -------------------------------------------------------------------
def expand_iri(value: str) -> URIRef:
    """An IRI from user input: `<...>`, an absolute IRI, `prefix:local` with a project prefix,
    or a node key such as `claim/1a2b3c` (resolved against the data base IRI)."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    elif ":" in text and text.split(":", 1)[0] in PREFIXES and not text.startswith("//"):
        prefix, local = text.split(":", 1)
        if not local.startswith("//"):
            text = str(PREFIXES[prefix]) + local
    if not _SCHEME.match(text):
        text = base_iri() + text.lstrip("/")
    if not text or _BAD_IRI_CHARS.search(text):
        raise QueryError(f"not an IRI: {value!r}")
    return URIRef(text)


# Oxigraph's xsd:integer is 64-bit and its xsd:decimal a 128-bit fixed point with 18 decimals:
# a value outside them would make the query silently match nothing.
MAX_INTEGER = 2**63 - 1
MAX_DECIMAL = Decimal("1e20")
DECIMAL_PLACES = Decimal("1e-18")


def _decimal_lexical(number: Decimal, name: str) -> str:
    """A plain xsd:decimal lexical form ('0.25', never '1E+3') within Oxigraph's range."""
    if abs(number) >= MAX_DECIMAL:
        raise QueryError(f"parameter {name} is out of range (its size must be below 1e20)")
    with localcontext() as ctx:
        ctx.prec = 60
        rounded = number.quantize(DECIMAL_PLACES, rounding=ROUND_HALF_EVEN)
        if number and not rounded:
            raise QueryError(f"parameter {name} is out of range (too close to 0: below 1e-18)")
        text = format(rounded.normalize(), "f")
    return text if "." in text else text + ".0"


def to_term(value: object, type_: str | None, name: str = "value") -> Identifier:
    """`value` as an RDF term of the declared type (`None`: infer from the value)."""
    if isinstance(value, Identifier):
        return value
    if type_ is None:
        if isinstance(value, bool):
            return Literal(value)
        if isinstance(value, int):
            type_ = "integer"
        elif isinstance(value, float | Decimal):
            type_ = "decimal"
        elif isinstance(value, str):
            s = value.strip()
            if s.startswith("<") and s.endswith(">"):
                type_ = "iri"
            elif _INTEGER.match(s):
                type_ = "integer"
            elif _DECIMAL.match(s):
                type_ = "decimal"
            else:
                type_ = "string"
        else:
            raise QueryError(f"parameter {name}: cannot bind a {type(value).__name__}")
    if type_ == "iri":
        return expand_iri(str(value))
    if type_ == "string":
        return Literal(str(value))
    if type_ == "integer":
        try:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            number = int(str(value).strip()) if not isinstance(value, int | float) else int(value)
        except (ValueError, OverflowError):
            raise QueryError(f"parameter {name} must be an integer, not {value!r}") from None
        if not -MAX_INTEGER <= number <= MAX_INTEGER:
            raise QueryError(f"parameter {name} is out of range (at most ±{MAX_INTEGER})")
        return Literal(number, datatype=XSD.integer)
    if type_ == "decimal":
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise QueryError(f"parameter {name} must be a decimal number, not {value!r}")
        return Literal(_decimal_lexical(number, name), datatype=XSD.decimal)
    raise QueryError(f"parameter {name}: unknown type {type_!r} (use one of {PARAM_TYPES})")


def parse_param_args(items: list[str] | None) -> dict[str, str]:
    """`["k=v", ...]` from the command line as a dict."""
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param takes NAME=VALUE, not {item!r}")
        out[key.strip()] = value
    return out


# -- headers ----------------------------------------------------------------------------
def parse_header(text: str, name: str, path: Path | None = None) -> SavedQuery:
    """A SavedQuery from query text, reading the leading comment block as its header."""
    query = SavedQuery(name=name, text=text, path=path)
    last: str | None = None
    where = path.name if path else name
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            last = None
            continue
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        m = _KEY.match(body)
        if m and (m.group(2).startswith(":") or m.group(1) == "param"):
            key, rest = m.group(1), m.group(2)
            if key == "param":
                pm = _PARAM.match(rest.strip())
                if not pm:
                    raise QueryError(
                        f"{where}: bad parameter line {line!r} "
                        "(write: # param NAME (iri|string|decimal|integer): DEFAULT — MEANING)"
                    )
                ptype = pm.group("type") or "string"
                if ptype not in PARAM_TYPES:
                    raise QueryError(
                        f"{where}: parameter {pm.group('name')}: unknown type {ptype!r}"
                    )
                query.params.append(
                    Param(pm.group("name"), ptype, pm.group("default").strip(), pm.group("meaning"))
                )
            else:
                value = rest[1:].strip()
                if key == "example":
                    query.examples.append(value)
                else:
                    setattr(query, key, value)
            last = key
        elif last in ("title", "description") and body:
            setattr(query, last, f"{getattr(query, last)} {body}".strip())
        elif last == "param" and body and query.params:
            p = query.params[-1]
            query.params[-1] = Param(p.name, p.type, p.default, f"{p.meaning} {body}")
        else:
            last = None
    return query


# -- the library ------------------------------------------------------------------------
def list_queries(folder: Path | None = None) -> list[SavedQuery]:
    """Every saved query of the library, sorted by name."""
    folder = folder or QUERY_DIR
    return [
        parse_header(p.read_text(encoding="utf-8"), p.stem, p) for p in sorted(folder.glob("*.rq"))
    ]


def query_names(folder: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (folder or QUERY_DIR).glob("*.rq"))


def load_query(name: str, folder: Path | None = None) -> SavedQuery:
    """A saved query by name (`contested-claims`); raises QueryError naming close matches."""
    folder = folder or QUERY_DIR
    stem = name[:-3] if name.endswith(".rq") else name
    path = folder / f"{stem}.rq"
    if "/" in stem or not path.is_file():
        names = query_names(folder)
        close = difflib.get_close_matches(stem, names, n=3, cutoff=0.5)
        close += [n for n in names if stem and stem in n and n not in close][:3]
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise QueryError(
            f"no saved query named {name!r}; {hint}(claimgraph query --list shows all "
            f"{len(names)}; a FILE path or - for standard input also works)"
        )
    return parse_header(path.read_text(encoding="utf-8"), stem, path)


def resolve(name_or_text: str, folder: Path | None = None) -> SavedQuery:
    """A saved query by name, a `.rq` file path, or query text itself."""
    folder = folder or QUERY_DIR
    text = name_or_text
    if "{" in text or "\n" in text:
        return parse_header(text, "query")
    stem = text[:-3] if text.endswith(".rq") else text
    if (folder / f"{stem}.rq").is_file() and "/" not in stem:
        return load_query(stem, folder)
    path = Path(text)
    if path.is_file():
        try:
            return parse_header(path.read_text(encoding="utf-8"), path.stem, path)
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read query file {path}: {exc}") from None
    return load_query(text, folder)
