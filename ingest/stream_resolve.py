"""Cross-document resolution while an ingest streams its batches to the store.

Each committed document keeps only a light `Stub`; after every batch the `Resolver` gives the
documents so far exactly what a one-batch ingest of them would (ingest.resolve), and the
signature of that `Resolution` tells which committed documents a later batch changed.
Names can only be compatible within one surname, so a batch re-resolves just the surnames it
names and its cost does not grow with the batches before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimgraph.graph.identity import fold, node_key
from claimgraph.graph.model import Extraction, Node
from claimgraph.graph.namespaces import base_iri
from claimgraph.ingest.people import surname
from claimgraph.ingest.resolve import KNOWN_WEIGHT, person_targets, unify_labels
from claimgraph.ingest.resolve import _apply as _apply_renames


@dataclass
class Stub:
    """What cross-document resolution needs of one document: light copies of its nodes."""

    nodes: list[Node]
    refs: frozenset[str]  # every key the document's nodes and edges name


def stub_of(ex: Extraction) -> Stub:
    nodes = [
        Node(n.kind, n.key, n.label, mentions=list(n.mentions) if n.kind == "Person" else [])
        for n in ex.nodes.values()
    ]
    for light, n in zip(nodes, ex.nodes.values(), strict=True):
        light.text = n.text
    refs = set(ex.nodes)
    for n in ex.nodes.values():
        refs.update(n.authors, n.about)
    for e in ex.edges:
        refs.update((e.source, e.target))
    return Stub(nodes, frozenset(refs))


@dataclass
class Resolution:
    """People renames and one label per node for a set of documents (see ingest.resolve)."""

    renames: dict[str, tuple[str, str]]
    chosen: dict[str, tuple[str, str | None]]

    def apply(self, ex: Extraction) -> None:
        """Resolve one document's extraction in place, as a one-batch ingest would."""
        if self.renames:
            _apply_renames(ex, self.renames)
        unify_labels([ex], {base_iri() + k: self.chosen[k] for k in ex.nodes})

    def signature(self, stub: Stub) -> tuple:
        """What this resolution does to a document: equal signatures, equal quads."""
        renamed = tuple((k, self.renames[k]) for k in sorted(stub.refs) if k in self.renames)
        final = sorted({self.renames.get(n.key, (n.key,))[0] for n in stub.nodes})
        return bool(self.renames), renamed, tuple((k, self.chosen.get(k)) for k in final)


class Resolver:
    """Cross-document resolution over every document of an ingest, batch after batch.

    Gives the documents committed so far exactly what a one-batch ingest of them would
    (`BatchWriter.settle` rewrites the few that later documents change). Names can only be
    compatible within one surname (see ingest.resolve), so each batch re-resolves just the
    surnames it names: its cost does not grow with the batches before it.
    """

    def __init__(self, people: dict, labels: dict):
        self.stored = {k.removeprefix(base_iri()): v for k, v in labels.items()}
        self.chosen = dict(self.stored)  # node key -> (label, text): the store's, else first
        self.renames: dict[str, tuple[str, str]] = {}
        self.names: dict[str, str] = {}  # person key -> label: the store's, else first seen
        self.weight: dict[str, int] = {}
        for _iri, (label, _aliases) in people.items():
            self.names[node_key("Person", label)] = label
            self.weight[node_key("Person", label)] = KNOWN_WEIGHT
        self.surnames: dict[str, list[str]] = {}  # folded surname -> its keys, in names order
        for key, label in self.names.items():
            self.surnames.setdefault(_surname(label), []).append(key)
        self.first: dict[str, tuple[int, str, str | None]] = {}  # key -> its first node
        self.touched: set[str] = set()

    def add(self, ex: Extraction) -> Stub:
        stub = stub_of(ex)
        for n in stub.nodes:
            if n.kind != "Person":
                self.chosen.setdefault(n.key, (n.label, n.text))
                continue
            if n.key not in self.names:
                self.names[n.key] = n.label
                self.surnames.setdefault(_surname(n.label), []).append(n.key)
            self.weight[n.key] = self.weight.get(n.key, 0) + len(n.mentions)
            self.first.setdefault(n.key, (len(self.first), n.label, n.text))
            self.touched.add(_surname(self.names[n.key]))
        return stub

    def resolve(self) -> Resolution:
        """The resolution of every document added so far (live: later calls update it)."""
        for name in self.touched:
            self._resolve_surname(self.surnames[name])
        self.touched.clear()
        return Resolution(self.renames, self.chosen)

    def _resolve_surname(self, keys: list[str]) -> None:
        """ingest.resolve.resolve_people for the people of one surname, and their labels."""
        target = person_targets({k: self.names[k] for k in keys}, self.weight)
        first: dict[str, tuple[int, str, str | None]] = {}  # final key -> its first node
        for key in keys:
            if key not in self.first:  # only in the store
                continue
            order, label, text = self.first[key]
            final, final_label = target[key]
            if final != key:
                self.renames[key] = target[key]
                label = final_label
            else:
                self.renames.pop(key, None)
            if final not in first or order < first[final][0]:
                first[final] = (order, label, text)
        for key in keys:
            if key in self.stored:
                continue
            if key in first:
                self.chosen[key] = first[key][1:]
            else:
                self.chosen.pop(key, None)


def _surname(label: str) -> str:
    return fold(surname(label)) if label.split() else ""
