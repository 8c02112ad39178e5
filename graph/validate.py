"""Check a claimgraph graph against graph/shapes.ttl (SHACL, with pyshacl).

The shapes are checked against the *union* of all named graphs: a node, its evidence and
its passages may be written by several documents, and pyshacl on its own would validate
each named graph separately. `validate()` therefore copies every triple of a Dataset into
one plain rdflib Graph first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, SH

from claimgraph.graph.namespaces import PREFIXES, base_iri

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "ontology.ttl"

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, with terms as rdflib nodes."""

    focus: object  # rdflib term: the node that fails
    path: object | None  # the property (or path) checked, if any
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    shape: object | None  # the shape that reported it (a named node shape where possible)
    value: object | None = None  # the offending value, if any

    def describe(self) -> str:
        """`focus path value` in short form, for one line of a report."""
        parts = [short(self.focus)]
        if self.path is not None:
            parts.append(short(self.path))
        if self.value is not None and self.value != self.focus:
            parts.append(short(self.value))
        return " ".join(parts)


@dataclass
class ValidationResult:
    """The outcome of `validate()`: conforms is False iff there is a sh:Violation."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0  # distinct triples in the union that was validated
    graphs: int = 0  # named graphs in the input (0 for a plain Graph)

    @property
    def errors(self) -> list[Violation]:
        """Only the results of severity Violation."""
        return [v for v in self.violations if v.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != "Violation"]

    def summary(self, severity: str | None = None) -> dict[str, int]:
        """How many results each message has, most frequent first."""
        counts = Counter(
            v.message for v in self.violations if severity is None or v.severity == severity
        )
        return dict(counts.most_common())

    def report(self, max_lines: int = 20) -> str:
        """A short human report: results grouped by message, with examples, at most
        `max_lines` lines."""
        if self.conforms and not self.violations:
            return f"valid: {self._size()} conform to claimgraph's shapes"
        lines: list[str] = []
        if self.conforms:
            lines.append(f"valid: {self._size()} conform to claimgraph's shapes")
        else:
            n = len(self.errors)
            lines.append(f"invalid: {n} violation{'s' * (n != 1)} in {self._size()}")
        groups: dict[tuple[str, str], list[Violation]] = {}
        for v in sorted(self.violations, key=lambda v: v.severity != "Violation"):
            groups.setdefault((v.severity, v.message), []).append(v)
        budget = max(2, max_lines - 1)  # keep one line for "... and N more"
        shown_groups = shown = 0
        for (severity, message), items in groups.items():
            if len(lines) + 2 > budget:
                break
            tag = "" if severity == "Violation" else f"[{severity.lower()}] "
            lines.append(f"  {len(items):>5} x {tag}{message}")
            examples = min(len(items), 2, budget - len(lines))
            lines.extend(f"          e.g. {v.describe()}" for v in items[:examples])
            shown_groups += 1
            shown += len(items)
        rest = len(self.violations) - shown
        if rest:
            kinds = len(groups) - shown_groups
            lines.append(
                f"  ... and {rest} more result{'s' * (rest != 1)} of {kinds} other kind"
                f"{'s' * (kinds != 1)}"
            )
        return "\n".join(lines)

    @property
    def text(self) -> str:
        """The short human report (see `report`)."""
        return self.report()

    def _size(self) -> str:
        g = self.graphs
        return f"{self.triples} triples, {g} named graph{'s' * (g != 1)}"


def short(term) -> str:
    """A compact form of an rdflib term: prefixed names, minted IRIs relative to the base."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        base = base_iri()
        if text.startswith(base):
            return f"<{text[len(base) :]}>"
        for prefix, ns in PREFIXES.items():
            if text.startswith(str(ns)) and text != str(ns):
                return f"{prefix}:{text[len(str(ns)) :]}"
        return f"<{text}>"
    if isinstance(term, Literal):
        text = term.n3()
        return text if len(text) <= 60 else text[:57] + "..."
    if isinstance(term, BNode):
        return "[]"
    return str(term)


@cache
def _shapes_text() -> str:
    return resources.files("claimgraph.graph").joinpath(SHAPES_FILE).read_text(encoding="utf-8")


@cache
def _ontology_text() -> str:
    return resources.files("claimgraph.graph").joinpath(ONTOLOGY_FILE).read_text(encoding="utf-8")


def shapes_graph() -> Graph:
    """graph/shapes.ttl as a fresh rdflib Graph."""
    return Graph().parse(data=_shapes_text(), format="turtle")


def ontology_graph() -> Graph:
    """graph/ontology.ttl as a fresh rdflib Graph."""
    return Graph().parse(data=_ontology_text(), format="turtle")


def union_graph(data: Graph) -> tuple[Graph, int]:
    """All triples of `data` (every named graph of a Dataset) in one Graph, and the number
    of non-empty named graphs."""
    union = Graph()
    quads = getattr(data, "quads", None)  # Dataset (and the deprecated ConjunctiveGraph)
    if quads is None:
        for triple in data:
            union.add(triple)
        return union, 0
    names = set()
    for s, p, o, g in quads((None, None, None, None)):
        union.add((s, p, o))
        name = getattr(g, "identifier", g)
        if name is not None and name != DATASET_DEFAULT_GRAPH_ID:
            names.add(name)
    return union, len(names)


def validate(data: Graph) -> ValidationResult:
    """Validate an rdflib Graph or Dataset (the union of its graphs) against the shapes."""
    union, graphs = union_graph(data)
    triples = len(union)
    shapes = shapes_graph()
    conforms, results, _ = shacl_validate(
        union,
        shacl_graph=shapes,
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
        inplace=True,  # `union` is our own copy: let pyshacl mix the ontology into it
    )
    if not isinstance(results, Graph):  # pyshacl's ValidationFailure: the shapes are broken
        raise RuntimeError(f"cannot run claimgraph's shapes: {results}")
    violations = [
        _violation(results, r, shapes) for r in results.subjects(RDF.type, SH.ValidationResult)
    ]
    violations.sort(key=lambda v: (v.severity != "Violation", v.message, str(v.focus)))
    return ValidationResult(bool(conforms), violations, triples, graphs)


def _violation(results: Graph, node, shapes: Graph) -> Violation:
    message = results.value(node, SH.resultMessage)
    shape = results.value(node, SH.sourceShape)
    if isinstance(shape, BNode):
        # a property shape (a blank node): report the node shape that holds it
        parent = shapes.value(predicate=SH.property, object=shape)
        shape = parent if parent is not None else shape
    path = results.value(node, SH.resultPath)
    if isinstance(path, BNode):
        path = _path_text(results, path)
    return Violation(
        focus=results.value(node, SH.focusNode),
        path=path,
        message=str(message) if message is not None else _default_message(results, node),
        severity=_SEVERITY.get(results.value(node, SH.resultSeverity), "Violation"),
        shape=shape,
        value=results.value(node, SH.value),
    )


def _path_text(results: Graph, path: BNode) -> str:
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + short(inverse)
    return "(path)"


def _default_message(results: Graph, node) -> str:
    component = results.value(node, SH.sourceConstraintComponent)
    return f"fails {short(component)}" if component is not None else "fails a shape"
