"""Readers' corrections of the extracted graph, stored as PROV-O in their own named graph.

Every document graph a reader sees is the corrected one: recording a correction rewrites
the document graphs it touches and the corrections graph in one `replace_graphs` call,
and ingest applies every correction to each document graph it writes. Each corrected graph
keeps effect records, so the raw extraction stays recoverable (`raw_graphs`) and undo is
exact. Works on DiskStore, RemoteStore (pyoxigraph quads) and MemoryStore (rdflib tuples).
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import URIRef

from claimgraph.graph import curation as cu
from claimgraph.graph.curation import ACTIONS, PAST, STANCES, Correction, corrections_graph
from claimgraph.graph.errors import UserError
from claimgraph.graph.identity import shown
from claimgraph.graph.namespaces import CG, CITO, PREFIXES, SCHEMA, base_iri
from claimgraph.graph.store import to_ox

__all__ = [
    "ACTIONS",
    "CORRECTIONS_GRAPH",
    "Correction",
    "apply_corrections",
    "corrections",
    "expand",
    "load_corrections",
    "orphans",
    "orphan_reasons",
    "raw_catalog",
    "raw_graphs",
    "record",
    "status",
    "undo",
]

CORRECTIONS_GRAPH = URIRef(corrections_graph().value)
_KINDS = [str(SCHEMA[k]) for k in ("Person", "Event", "CreativeWork", "Claim")]


# -- reading any store as pyoxigraph terms ----------------------------------------------------


class _Reader:
    """SELECT queries and whole graphs of a store, as pyoxigraph terms, from one snapshot."""

    def __init__(self, store):
        self.store = store
        self.db = None
        if hasattr(store, "request"):  # RemoteStore: every graph, not only the documents
            from claimgraph.graph.remote_store import RemoteDataset

            self.ds = RemoteDataset(store, [])
        elif getattr(store, "native_quads", False):
            self.db = store.oxigraph()
        else:
            self.ds = store.dataset()

    def select(self, query: str) -> list[tuple]:
        if self.db is not None:
            result = self.db.query(query)
            width = len(result.variables)
            return [tuple(row[i] for i in range(width)) for row in result]
        return [tuple(None if t is None else to_ox(t) for t in row) for row in self.ds.query(query)]

    def triples(self, graph: ox.NamedNode) -> set[tuple]:
        if self.db is not None:
            return {
                (q.subject, q.predicate, q.object)
                for q in self.db.quads_for_pattern(None, None, None, graph)
            }
        rows = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        return set(rows)

    def graphs_with(self, pattern: str) -> list[ox.NamedNode]:
        """Document graphs (not the corrections graph) in which `pattern` matches."""
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {pattern} }} }}")
        skip = corrections_graph()
        return sorted((r[0] for r in rows if r[0] != skip), key=lambda g: g.value)


def _quads(triples: Iterable[tuple], graph: ox.NamedNode, native: bool) -> list:
    if native:
        return [ox.Quad(s, p, o, graph) for s, p, o in triples]
    g = URIRef(graph.value)
    return [(cu.from_ox(s), cu.from_ox(p), cu.from_ox(o), g) for s, p, o in triples]


def _write(store, graphs: dict[ox.NamedNode, set]) -> None:
    native = getattr(store, "native_quads", False)
    store.replace_graphs({URIRef(g.value): _quads(t, g, native) for g, t in graphs.items()})


# -- names -------------------------------------------------------------------------------------


def expand(name: str) -> str:
    """A full IRI from an IRI, `<IRI>`, a CURIE (cito:supports) or a key (claim/1a2b...)."""
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        name = name[1:-1]
    prefix, colon, rest = name.partition(":")
    if name.startswith(("http://", "https://", "urn:")):
        iri = name
    elif colon and prefix in PREFIXES:
        iri = str(PREFIXES[prefix]) + rest
    else:
        iri = base_iri() + name
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise UserError(f"not a node or property name: {shown(name)!r}") from None
    if not name or any(c in name for c in ' <>"{}|^`\\'):
        raise UserError(f"not a node or property name: {shown(name)!r}")
    return iri


def _node_pattern(x: str) -> str:
    n = ox.NamedNode(x)
    return f"{{ {n} ?p ?o }} UNION {{ ?s ?p {n} }}"


# -- the API ---------------------------------------------------------------------------------


def corrections(store) -> list[Correction]:
    """Every recorded correction, oldest first."""
    return cu.read_corrections(_Reader(store).triples(corrections_graph()))


load_corrections = corrections


def record(store, correction: Correction, wait: float | None = 0) -> Correction:
    """Check a correction against the graph, then write it and apply it to every document
    graph it touches, all in one atomic store write. Returns it with its IRI and time."""
    c = _normalised(correction)
    with store.writing(wait):
        reader = _Reader(store)
        c, touched = _checked(reader, c)
        c = cu.stamped(c, f"{base_iri()}correction/{uuid.uuid4().hex}", _now())
        graphs = {}
        every = cu.read_corrections(reader.triples(corrections_graph()))
        for g in touched:
            if c.action == "merge":  # earlier edits of the kept node may apply again
                triples = reader.triples(g)
                changed = cu.apply_all(cu.raw(triples), g, [*every, c])
                changed = None if changed == triples else changed
            else:
                changed = cu.append(c, reader.triples(g), g)
            if changed is not None:
                graphs[g] = changed
        book = corrections_graph()
        graphs[book] = reader.triples(book) | set(cu.correction_triples(c))
        _write(store, graphs)
    return c


def _now() -> str:
    """UTC now in xsd:dateTime's canonical form (as Oxigraph stores it: no trailing zeros)."""
    t = datetime.now(UTC)
    fraction = f"{t.microsecond:06d}".rstrip("0")
    return t.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"


def undo(store, iri: str, wait: float | None = 0) -> Correction:
    """Remove a correction and recompute the document graphs it changed from their raw
    extraction with the other corrections. Returns the correction removed."""
    with store.writing(wait):
        reader = _Reader(store)
        every = cu.read_corrections(reader.triples(corrections_graph()))
        gone = _find(every, iri)
        rest = [c for c in every if c.iri != gone.iri]
        graphs = {corrections_graph(): {t for c in rest for t in cu.correction_triples(c)}}
        for g in reader.graphs_with(f"?e {cu.OF_CORRECTION} {ox.NamedNode(gone.iri)}"):
            graphs[g] = cu.apply_all(cu.raw(reader.triples(g)), g, rest)
        _write(store, graphs)
    return gone


def _find(every: list[Correction], iri: str) -> Correction:
    text = iri.strip().strip("<>")
    for c in every:
        if text in (c.iri, c.iri.rsplit("/", 1)[-1]) or c.iri.endswith("/" + text):
            return c
    hits = [c for c in every if text and c.iri.rsplit("/", 1)[-1].startswith(text)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UserError(f"{shown(text)!r} names {len(hits)} corrections; give more of its id")
    raise UserError(f"no correction {shown(text)!r} (see `claimgraph review list --corrections`)")


def orphan_reasons(store) -> list[tuple[Correction, str]]:
    """Corrections whose target is in no document graph now, each with why."""
    reader = _Reader(store)
    every = cu.read_corrections(reader.triples(corrections_graph()))
    applied = {
        r[0].value
        for r in reader.select(
            f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?e {cu.OF_CORRECTION} ?c }} }}"
        )
    }
    out = []
    for c in every:
        if c.action != "add":
            if c.iri not in applied:
                what = "edge" if c.is_edge else "node"
                out.append((c, f"its {what} {_short(c.key)} is in no document now"))
            continue
        for end in (c.subject, c.object):
            if not reader.graphs_with(_node_pattern(end)):
                out.append((c, f"the added edge's end {_short(end)} is in no document now"))
                break
    return out


def orphans(store) -> list[Correction]:
    """Corrections whose target is in no document graph now (kept, and re-applied when it
    comes back)."""
    return [c for c, _why in orphan_reasons(store)]


def status(store, iris: list[str] | None = None) -> dict[str, str]:
    """The latest correction's outcome ("accepted", "rejected", "edited", "merged",
    "added") per node IRI or "s p o" edge key; targets never corrected are left out."""
    out: dict[str, str] = {}
    for c in corrections(store):
        out[c.key] = PAST[c.action]
    if iris is None:
        return out
    return {k: out[k] for k in iris if k in out}


def apply_corrections(graphs: dict, cs: list[Correction]) -> dict:
    """Document graphs (name -> quads, pyoxigraph or rdflib) with the corrections applied,
    in the same form; graphs no correction targets are returned untouched."""
    cs = [c for c in cs if c.action != "add"]
    if not cs:
        return graphs
    wanted = {c.subject for c in cs}
    out = {}
    for name, quads in graphs.items():
        native = bool(quads) and isinstance(quads[0], ox.Quad)
        ends = ((q.subject.value, q.object.value) if native else map(str, q[::2]) for q in quads)
        if not any(s in wanted or o in wanted for s, o in ends):
            out[name] = quads
            continue
        triples = (
            {(q.subject, q.predicate, q.object) for q in quads}
            if native
            else {(to_ox(s), to_ox(p), to_ox(o)) for s, p, o, _g in quads}
        )
        g = ox.NamedNode(str(name))
        out[name] = _quads(cu.apply_all(triples, g, cs), g, native)
    return out


def raw_catalog(store, people: dict, labels: dict) -> tuple[dict, dict]:
    """The catalogs ingest resolves names against (graph.catalog.people, .labels, read from
    the corrected store) as the raw extraction had them: labels and people that corrections
    removed or renamed are restored, so re-ingest reproduces the raw IRIs and labels."""
    rows = _Reader(store).select(
        f"SELECT ?n ?r ?a WHERE {{ GRAPH ?g {{ ?e {cu.SEQUENCE} ?n ; {cu.REMOVED} ?r ; "
        f"{cu.ADDED} ?a }} }}"
    )
    return cu.restore_catalog(rows, people, labels)


def raw_graphs(store) -> Iterator[ox.Quad]:
    """Every document graph's quads as extracted, without corrections or effect records;
    the corrections graph is left out."""
    reader = _Reader(store)
    skip = corrections_graph()
    if reader.db is not None:
        names = [g for g in reader.db.named_graphs() if g != skip]
    elif hasattr(store, "graphs"):
        names = [ox.NamedNode(str(g)) for g in store.graphs()]
    else:
        rows = reader.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        names = [r[0] for r in rows if r[0] != skip]
    for g in sorted(names, key=lambda n: n.value):
        for s, p, o in cu.raw(reader.triples(g)):
            yield ox.Quad(s, p, o, g)


# -- checking a correction before it is written -----------------------------------------------


def _normalised(c: Correction) -> Correction:
    if c.action not in ACTIONS:
        raise UserError(f"unknown action {shown(c.action)!r}: use one of {', '.join(ACTIONS)}")
    if not c.subject:
        raise UserError(f"{c.action}: no target given")
    if (c.predicate is None) != (c.object is None):
        raise UserError(f"{c.action}: an edge needs a subject, a predicate and an object")
    fields = dict(
        subject=expand(c.subject),
        predicate=expand(_stance(c.predicate)) if c.predicate else None,
        object=expand(c.object) if c.object else None,
        property=expand(c.property) if c.property else None,
        agent=" ".join((c.agent or _user()).split()),
        note=c.note.strip(),
    )
    if c.action == "merge":
        fields["value"] = expand(c.value or "")
    elif c.action in ("edit", "add"):
        fields["value"] = " ".join((c.value or "").split())
        if not fields["value"]:
            need = "new text (--text)" if c.action == "edit" else "a quote (--quote)"
            raise UserError(f"{c.action}: needs {need}")
    return replace(c, **fields)


def _stance(p: str) -> str:
    return f"cito:{p}" if p in STANCES else p


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "anonymous"


def _short(iri: str) -> str:
    base = base_iri()
    parts = [p[len(base) :] if p.startswith(base) else p for p in iri.split(" ")]
    for i, p in enumerate(parts):
        for prefix, ns in PREFIXES.items():
            if p.startswith(str(ns)):
                parts[i] = f"{prefix}:{p[len(str(ns)) :]}"
    return " ".join(shown(p) for p in parts)


def _types(reader: _Reader, x: str) -> set[str]:
    rows = reader.select(f"SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ {ox.NamedNode(x)} a ?t }} }}")
    return {r[0].value for r in rows}


def _checked(reader: _Reader, c: Correction) -> tuple[Correction, list[ox.NamedNode]]:
    """The correction completed (merge snapshot) and the document graphs it touches; a
    UserError if its target is not in the graph."""
    if c.action == "add":
        _check_add(reader, c)
        return c, []
    if c.is_edge:
        s, p, o = c.edge()
        touched = reader.graphs_with(f"{s} {p} {o}")
        if not touched:
            added = [x for x in _adds(reader) if x.key == c.key]
            hint = f"; it was added by {added[0].iri}: undo that instead" if added else ""
            raise UserError(f"no edge {_short(c.key)} in any document{hint}")
        return c, touched
    touched = reader.graphs_with(_node_pattern(c.subject))
    if not touched:
        raise UserError(f"no node {_short(c.subject)} in any document")
    if c.action == "edit":
        _check_edit(reader, c)
    if c.action == "merge":
        c = _check_merge(reader, c)
    return c, touched


def _adds(reader: _Reader) -> list[Correction]:
    every = cu.read_corrections(reader.triples(corrections_graph()))
    return [c for c in every if c.action == "add"]


def _check_edit(reader: _Reader, c: Correction) -> None:
    x = ox.NamedNode(c.subject)
    if c.property:
        props = [ox.NamedNode(c.property)]
    else:
        props = (
            [cu.TEXT, cu.LABEL] if str(SCHEMA.Claim) in _types(reader, c.subject) else [cu.LABEL]
        )
    values = " ".join(f"{{ {x} {p} ?v }}" for p in props).replace("} {", "} UNION {")
    rows = reader.select(f"SELECT ?v WHERE {{ GRAPH ?g {{ {values} }} }}")
    if not rows:
        raise UserError(f"edit: {_short(c.subject)} has no {_short(props[0].value)} to edit")
    if any(not isinstance(r[0], ox.Literal) for r in rows):
        raise UserError(f"edit: {_short(props[0].value)} of {_short(c.subject)} is not text")


def _check_merge(reader: _Reader, c: Correction) -> Correction:
    if c.value == c.subject:
        raise UserError("merge: a node cannot be merged into itself")
    if not reader.graphs_with(_node_pattern(c.value)):
        raise UserError(f"merge: no node {_short(c.value)} in any document")
    dup = {t for t in _types(reader, c.subject) if t in _KINDS}
    kept = {t for t in _types(reader, c.value) if t in _KINDS}
    if not dup & kept:
        raise UserError(
            f"merge: {_short(c.subject)} and {_short(c.value)} are not the same kind of node"
        )
    # The kept node's label and text as extracted: edits to it are corrections of their own,
    # applied after the merge wherever the merge brings the kept node (curation.apply_all).
    kept_node = ox.NamedNode(c.value)
    labels, texts = [], []
    for g in reader.graphs_with(_node_pattern(c.value)):
        extracted = cu.raw(reader.triples(g))
        labels += [t[2].value for t in extracted if t[0] == kept_node and t[1] == cu.LABEL]
        texts += [t[2].value for t in extracted if t[0] == kept_node and t[1] == cu.TEXT]
    return replace(c, kept_label=min(labels, default=""), kept_text=min(texts, default=""))


def _check_add(reader: _Reader, c: Correction) -> None:
    stance = c.predicate.removeprefix(str(CITO))
    if not c.predicate.startswith(str(CITO)) or stance not in STANCES:
        raise UserError("add: the relation must be supports, disputes or cites")
    if c.subject == c.object:
        raise UserError("add: an edge needs two different nodes")
    s_types, o_types = _types(reader, c.subject), _types(reader, c.object)
    for end, types in ((c.subject, s_types), (c.object, o_types)):
        if not types:
            raise UserError(f"add: no node {_short(end)} in any document")
    wanted = str(SCHEMA.CreativeWork if stance == "cites" else SCHEMA.Claim)
    if wanted not in o_types:
        kind = "a work" if stance == "cites" else "a claim"
        raise UserError(f"add: the object of {stance} must be {kind}")
    allowed = {str(SCHEMA.CreativeWork), str(SCHEMA.Claim), str(CG.SourceDocument)}
    if not s_types & allowed:
        raise UserError(f"add: the subject of {stance} must be a work, a claim or a document")
    s, p, o = c.edge()
    if reader.graphs_with(f"{s} {p} {o}") or any(x.key == c.key for x in _adds(reader)):
        raise UserError(f"add: the edge {_short(c.key)} is already in the graph")
