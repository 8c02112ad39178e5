"""Corrections as data: the Correction record, its PROV-O triples in the corrections graph,
and what it does to one document graph's triples, with the effect records that undo it.

Everything here works on sets of (subject, predicate, object) pyoxigraph terms and knows
nothing of stores; graph/corrections.py reads and writes them.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from claimgraph.graph.identity import digest, slug
from claimgraph.graph.namespaces import CG, CITO, OA, SCHEMA, base_iri

Triple = tuple  # (subject, predicate, object) of pyoxigraph terms

ACTIONS = ("accept", "reject", "edit", "merge", "add")
STANCES = ("supports", "disputes", "cites")
PAST = {"accept": "accepted", "reject": "rejected", "edit": "edited", "merge": "merged"}
PAST["add"] = "added"


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


TYPE, LABEL, COMMENT = _n(RDF.type), _n(RDFS.label), _n(RDFS.comment)
ALT, TEXT, CLAIM = _n(SCHEMA.alternateName), _n(SCHEMA.text), _n(SCHEMA.Claim)
PERSON = _n(SCHEMA.Person)
CITING, CITED = _n(CITO.hasCitingEntity), _n(CITO.hasCitedEntity)
CHARACTER = _n(CITO.hasCitationCharacterization)
CORRECTION, EFFECT = _n(CG.Correction), _n(CG.CorrectionEffect)
ACTION, TARGET, TARGET_EDGE = _n(CG.action), _n(CG.target), _n(CG.targetEdge)
PROPERTY, NEW_VALUE, MERGE_INTO = _n(CG.property), _n(CG.newValue), _n(CG.mergeInto)
KEPT_LABEL, KEPT_TEXT = _n(CG.keptLabel), _n(CG.keptText)
OF_CORRECTION, REMOVED, ADDED, SEQUENCE = (
    _n(CG.ofCorrection),
    _n(CG.removedQuads),
    _n(CG.addedQuads),
    _n(CG.sequence),
)
AGENT, ENDED = _n(PROV.wasAssociatedWith), _n(PROV.endedAtTime)
STATEMENT = _n(RDF.Statement)
RDF_S, RDF_P, RDF_O = _n(RDF.subject), _n(RDF.predicate), _n(RDF.object)
DATETIME, DECIMAL, INTEGER = _n(XSD.dateTime), _n(XSD.decimal), _n(XSD.integer)


def corrections_graph() -> ox.NamedNode:
    """The one named graph that holds every correction (under the configured id base)."""
    return ox.NamedNode(base_iri() + "corrections")


@dataclass(frozen=True)
class Correction:
    """One reader's correction; see /work/scratch/CORRECTIONS_API.md and docs/corrections.md."""

    action: str  # accept | reject | edit | merge | add
    subject: str  # node IRI, or the edge's subject IRI
    predicate: str | None = None  # edge predicate IRI (edges, add); None for nodes
    object: str | None = None  # edge object IRI; None for nodes
    value: str | None = None  # edit: new text; merge: IRI kept; add: the quote
    property: str | None = None  # edit: property IRI (default: the node's wording/label)
    agent: str = ""  # who; "" -> OS user name
    note: str = ""
    iri: str = ""  # set by record()
    time: str = ""  # ISO 8601 UTC, set by record()
    kept_label: str = ""  # merge: the kept node's label when recorded (set by record())
    kept_text: str = ""  # merge of claims: the kept claim's schema:text (set by record())

    @builtins.property  # `property` is a field name here
    def is_edge(self) -> bool:
        return self.predicate is not None

    @builtins.property
    def key(self) -> str:
        """The target: a node IRI, or "s p o" for an edge."""
        return f"{self.subject} {self.predicate} {self.object}" if self.is_edge else self.subject

    def edge(self) -> Triple:
        return (_n(self.subject), _n(self.predicate), _n(self.object))


# -- RDF of the corrections graph ------------------------------------------------------------


def agent_node(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{base_iri()}agent/reader/{slug(name)}")


def correction_triples(c: Correction) -> list[Triple]:
    """The PROV-O description of one recorded correction (and an added edge with evidence)."""
    me, who = ox.NamedNode(c.iri), agent_node(c.agent)
    out = [
        (me, TYPE, CORRECTION),
        (me, TYPE, _n(PROV.Activity)),
        (me, ACTION, ox.Literal(c.action)),
        (me, AGENT, who),
        (who, TYPE, _n(PROV.Agent)),
        (who, LABEL, ox.Literal(c.agent)),
        (me, ENDED, ox.Literal(c.time, datatype=DATETIME)),
    ]
    if c.note:
        out.append((me, COMMENT, ox.Literal(c.note)))
    if c.is_edge:
        st = ox.NamedNode(c.iri + "/edge")
        s, p, o = c.edge()
        out += [(me, TARGET_EDGE, st), (st, TYPE, STATEMENT)]
        out += [(st, RDF_S, s), (st, RDF_P, p), (st, RDF_O, o)]
    else:
        out.append((me, TARGET, _n(c.subject)))
    if c.action == "edit":
        out.append((me, NEW_VALUE, ox.Literal(c.value or "")))
        if c.property:
            out.append((me, PROPERTY, _n(c.property)))
    elif c.action == "merge":
        out.append((me, MERGE_INTO, _n(c.value)))
        out += [(me, KEPT_LABEL, ox.Literal(c.kept_label))] if c.kept_label else []
        out += [(me, KEPT_TEXT, ox.Literal(c.kept_text))] if c.kept_text else []
    elif c.action == "add":
        out += _added_edge(c, me, who)
    return out


def _added_edge(c: Correction, me: ox.NamedNode, who: ox.NamedNode) -> list[Triple]:
    """An added edge: the plain triple and a cito:Citation evidence node quoting the reader."""
    s, p, o = c.edge()
    ev, quote = ox.NamedNode(c.iri + "/evidence"), ox.NamedNode(c.iri + "/quote")
    selector = ox.NamedNode(c.iri + "/quote#quote")
    return [
        (s, p, o),
        (ev, TYPE, _n(CITO.Citation)),
        (ev, CITING, s),
        (ev, CITED, o),
        (ev, CHARACTER, p),
        (ev, _n(PROV.wasDerivedFrom), quote),
        (ev, _n(CG.confidence), ox.Literal("1.000", datatype=DECIMAL)),
        (ev, _n(PROV.wasGeneratedBy), me),
        (ev, _n(PROV.wasAttributedTo), who),
        (quote, TYPE, _n(CG.ReaderQuote)),
        (quote, _n(OA.hasSelector), selector),
        (selector, TYPE, _n(OA.TextQuoteSelector)),
        (selector, _n(OA.exact), ox.Literal(c.value or "")),
    ]


def read_corrections(triples: Iterable[Triple]) -> list[Correction]:
    """Every correction described in the corrections graph's triples, oldest first."""
    about: dict = {}
    for s, p, o in triples:
        about.setdefault(s, {}).setdefault(p, []).append(o)

    def one(node, p) -> str | None:
        values = about.get(node, {}).get(p)
        return values[0].value if values else None

    out = []
    for node, props in about.items():
        if CORRECTION not in props.get(TYPE, []):
            continue
        agent = props.get(AGENT, [None])[0]
        fields = dict(
            action=one(node, ACTION) or "",
            subject=one(node, TARGET) or "",
            agent=(one(agent, LABEL) if agent is not None else None) or "",
            note=one(node, COMMENT) or "",
            iri=node.value,
            time=one(node, ENDED) or "",
            property=one(node, PROPERTY),
        )
        statement = props.get(TARGET_EDGE, [None])[0]
        if statement is not None:
            fields.update(
                subject=one(statement, RDF_S) or "",
                predicate=one(statement, RDF_P),
                object=one(statement, RDF_O),
            )
        action = fields["action"]
        if action == "edit":
            fields["value"] = one(node, NEW_VALUE)
        elif action == "merge":
            fields["value"] = one(node, MERGE_INTO)
            fields["kept_label"] = one(node, KEPT_LABEL) or ""
            fields["kept_text"] = one(node, KEPT_TEXT) or ""
        elif action == "add":
            fields["value"] = one(ox.NamedNode(node.value + "/quote#quote"), _n(OA.exact))
        out.append(Correction(**fields))
    return sorted(out, key=lambda c: (c.time, c.iri))


# -- applying to one document graph ----------------------------------------------------------


def change(c: Correction, triples: set[Triple]) -> tuple[set, set] | None:
    """(triples to remove, triples to add) for `c` on one graph; None if its target is not
    in this graph. An accept changes nothing but still counts as applied."""
    if c.action == "add":
        return None
    if c.is_edge:
        edge = c.edge()
        if edge not in triples:
            return None
        if c.action == "accept":
            return set(), set()
        return {edge} | _evidence(triples, *edge), set()
    x = _n(c.subject)
    mentions = {t for t in triples if t[0] == x or t[2] == x}
    if not mentions:
        return None
    if c.action == "accept":
        return set(), set()
    if c.action == "reject":
        evidence = {t[0] for t in mentions if t[1] in (CITING, CITED)}
        return mentions | {t for t in triples if t[0] in evidence}, set()
    if c.action == "edit":
        props = [_n(c.property)] if c.property else _wording(x, triples)
        old = {t for t in mentions if t[0] == x and t[1] in props and isinstance(t[2], ox.Literal)}
        return old, {(x, p, ox.Literal(c.value or "")) for p in {t[1] for t in old}}
    return _merge(c, x, mentions)


def _wording(x, triples: set[Triple]) -> list:
    """What an edit without a property changes: a claim's text and label, else the label."""
    return [TEXT, LABEL] if (x, TYPE, CLAIM) in triples else [LABEL]


def _evidence(triples: set[Triple], s, p, o) -> set[Triple]:
    """Every triple of the evidence nodes of the edge s p o in this graph."""
    nodes = {t[0] for t in triples if t[1] == CITING and t[2] == s}
    nodes = {e for e in nodes if (e, CITED, o) in triples and (e, CHARACTER, p) in triples}
    return {t for t in triples if t[0] in nodes}


def _merge(c: Correction, dup, mentions: set[Triple]) -> tuple[set, set]:
    """Rewrite `dup` to the kept node; its label becomes an alias of the kept one."""
    kept = _n(c.value)
    added = set()
    for s, p, o in mentions:
        s2, o2 = (kept if s == dup else s), (kept if o == dup else o)
        if s == dup and p == LABEL:
            p = ALT
            if c.kept_label:
                added.add((kept, LABEL, ox.Literal(c.kept_label)))
        elif s == dup and p == TEXT and c.kept_text:
            added.add((kept, TEXT, ox.Literal(c.kept_text)))
            continue
        if not (p == ALT and c.kept_label and o2.value == c.kept_label):
            added.add((s2, p, o2))
    return mentions, added


def apply_all(triples: set[Triple], graph: ox.NamedNode, cs: list[Correction]) -> set[Triple]:
    """A raw graph's triples with corrections `cs` (oldest first) applied, plus one effect
    record per correction that found its target here."""
    current, effects, n = set(triples), [], 0
    for i, c in enumerate(cs):
        # A merge brings the kept node into this graph with its raw label: the edits made to
        # it before the merge apply here again, so that it has one label everywhere.
        again = [e for e in cs[:i] if c.action == "merge" and e.action == "edit"]
        for x in [c, *(e for e in again if e.subject == c.value)]:
            found = change(x, current)
            if found is None:
                continue
            removed, added = found
            removed, added = (removed & current) - added, added - current
            current = (current - removed) | added
            effects += effect_triples(x.iri, graph, n, removed, added)
            n += 1
    return current | set(effects)


def append(c: Correction, triples: set[Triple], graph: ox.NamedNode) -> set[Triple] | None:
    """A corrected graph with one more (newest) correction applied; None if not its target."""
    plain, effects = split_effects(triples)
    found = change(c, plain)
    if found is None:
        return None
    removed, added = found
    removed, added = (removed & plain) - added, added - plain
    n = 1 + max((e[0] for e in effects), default=-1)
    kept = triples - plain
    return ((plain - removed) | added) | kept | set(effect_triples(c.iri, graph, n, removed, added))


def effect_iri(correction: str, graph: ox.NamedNode, n: int) -> ox.NamedNode:
    """The n-th effect record of a graph (one correction may act twice on a graph)."""
    return ox.NamedNode(f"{correction}/effect/{digest(graph.value, size=16)}/{n}")


def effect_triples(correction: str, graph, n: int, removed: set, added: set) -> list[Triple]:
    """The record, kept in the document graph, of what one correction changed there."""
    e = effect_iri(correction, graph, n)
    return [
        (e, TYPE, EFFECT),
        (e, OF_CORRECTION, ox.NamedNode(correction)),
        (e, SEQUENCE, ox.Literal(str(n), datatype=INTEGER)),
        (e, REMOVED, ox.Literal(to_ntriples(removed))),
        (e, ADDED, ox.Literal(to_ntriples(added))),
    ]


def split_effects(triples: set[Triple]) -> tuple[set[Triple], list[tuple]]:
    """(the graph without effect records, its effects as (n, correction, removed, added))."""
    nodes = {t[0] for t in triples if t[1] == TYPE and t[2] == EFFECT}
    if not nodes:
        return triples, []
    fields: dict = {e: {} for e in nodes}
    plain = set()
    for t in triples:
        if t[0] in nodes:
            fields[t[0]][t[1]] = t[2]
        else:
            plain.add(t)
    effects = [
        (
            int(f[SEQUENCE].value) if SEQUENCE in f else 0,
            f[OF_CORRECTION].value,
            from_ntriples(f[REMOVED].value if REMOVED in f else ""),
            from_ntriples(f[ADDED].value if ADDED in f else ""),
        )
        for f in fields.values()
        if OF_CORRECTION in f
    ]
    return plain, sorted(effects, key=lambda e: e[0])


def raw(triples: set[Triple]) -> set[Triple]:
    """The extraction a corrected graph was made from: effects undone, newest first."""
    plain, effects = split_effects(triples)
    for _seq, _c, removed, added in reversed(effects):
        plain = (plain - added) | removed
    return plain


def applied_corrections(triples: set[Triple]) -> set[str]:
    """IRIs of the corrections that have an effect record in these triples."""
    return {t[2].value for t in triples if t[1] == OF_CORRECTION}


def to_ntriples(triples: set[Triple]) -> str:
    if not triples:
        return ""
    data = ox.serialize([ox.Triple(*t) for t in triples], format=ox.RdfFormat.N_TRIPLES)
    return "".join(sorted(data.decode("utf-8").splitlines(keepends=True)))


def from_ntriples(text: str) -> set[Triple]:
    if not text:
        return set()
    parsed = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return {(q.subject, q.predicate, q.object) for q in parsed}


def stamped(c: Correction, iri: str, time: str) -> Correction:
    return replace(c, iri=iri, time=time)


def from_ox(term):
    """A pyoxigraph term as an rdflib term (for MemoryStore, which takes rdflib tuples)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def restore_catalog(rows: list[tuple], people: dict, labels: dict) -> tuple[dict, dict]:
    """People and labels catalogs with what effect records (sequence, removed, added) say
    corrections changed put back as extracted; see corrections.raw_catalog."""
    if not rows:
        return people, labels
    people = {k: (label, list(alts)) for k, (label, alts) in people.items()}
    labels = dict(labels)
    # newest effect first, so that what the earliest one removed (the raw value) wins
    for _n, removed, added in sorted(rows, key=lambda r: -int(r[0].value)):
        for s, p, o in from_ntriples(added.value):
            if p == ALT and s.value in people and o.value in people[s.value][1]:
                people[s.value][1].remove(o.value)
        gone = from_ntriples(removed.value)
        for s, p, o in gone:
            x = s.value
            if p == LABEL:
                labels[x] = (o.value, labels.get(x, (None, None))[1])
                if (s, TYPE, PERSON) in gone or x in people:
                    people[x] = (o.value, people.get(x, ("", []))[1])
            elif p == TEXT and x in labels:
                labels[x] = (labels[x][0], o.value)
    return people, labels
