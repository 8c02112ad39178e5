"""Resolve people across documents: one node per person for the whole corpus.

Within a document, "Lindqvist" already became "Otto Lindqvist" when the full name occurs.
Across documents, a document that only says "Lindqvist" must land on the node another
document (in this batch or already in the store) calls "Otto Lindqvist". Works and events share keys by
their resolved titles and names already; people need surname-and-initial matching.
"""

from __future__ import annotations

from claimgraph.graph.identity import node_key
from claimgraph.graph.model import Extraction
from claimgraph.graph.namespaces import base_iri
from claimgraph.ingest.people import _richness, compatible

KNOWN_WEIGHT = 5  # mentions assumed for a person already in the store


def resolve_people(batch: list[Extraction], known: dict[str, tuple[str, list[str]]]) -> None:
    """Rename person keys in `batch` (in place) to the richest compatible name known."""
    names: dict[str, str] = {}  # key -> label
    weight: dict[str, int] = {}  # how much the corpus talks about each: mentions
    for _iri, (label, _aliases) in known.items():
        names[node_key("Person", label)] = label
        weight[node_key("Person", label)] = KNOWN_WEIGHT
    for ex in batch:
        for node in ex.nodes.values():
            if node.kind == "Person":
                names.setdefault(node.key, node.label)
                weight[node.key] = weight.get(node.key, 0) + len(node.mentions)
    target = person_targets(names, weight)
    renames = {k: v for k, v in target.items() if v[0] != k}
    if not renames:
        return
    for ex in batch:
        _apply(ex, renames)


def person_targets(names: dict[str, str], weight: dict[str, int]) -> dict[str, tuple[str, str]]:
    """Each person key's resolved (key, label): the richest compatible name, in rank order so
    the choice is deterministic; `names` maps key -> label, `weight` key -> mentions."""
    ranked = sorted(names.items(), key=lambda kv: (_richness(kv[1]), len(kv[1])), reverse=True)
    target: dict[str, tuple[str, str]] = {}
    canon: list[tuple[str, str]] = []
    for key, label in ranked:
        target[key] = next((t for t in canon if compatible(label, t[1])), (key, label))
        if target[key][0] == key:
            canon.append((key, label))
    # Several distinct full names sharing a surname: a bare surname goes to the one the
    # corpus is plainly about (twice the mentions of any other), else stays on its own.
    for key, label in names.items():
        if len(label.split()) == 1:
            options = sorted(
                (t for t in canon if t[0] != key and compatible(label, t[1])),
                key=lambda t: weight.get(t[0], 0),
                reverse=True,
            )
            if len(options) > 1:
                first, second = (weight.get(t[0], 0) for t in options[:2])
                target[key] = options[0] if first >= 2 * max(1, second) else (key, label)
    return target


def _apply(ex: Extraction, renames: dict[str, tuple[str, str]]) -> None:
    old_nodes = list(ex.nodes.values())
    ex.nodes = {}
    for node in old_nodes:
        if node.key in renames:
            new_key, new_label = renames[node.key]
            node.aliases.add(node.label)
            node.key, node.label = new_key, new_label
            node.aliases.discard(new_label)
        node.authors = [renames.get(a, (a,))[0] for a in node.authors]
        node.about = sorted({renames.get(a, (a,))[0] for a in node.about})
        ex.add_node(node)
    for edge in ex.edges:
        edge.source = renames.get(edge.source, (edge.source,))[0]
        edge.target = renames.get(edge.target, (edge.target,))[0]


def unify_labels(batch: list[Extraction], known: dict[str, tuple[str, str | None]]) -> None:
    """One label (and one claim text) per node across the corpus: the store's, else the first.

    A node's key comes from a normalised form, so two documents may spell the same node
    differently; the other spellings become alternate names.
    """
    chosen = {k.removeprefix(base_iri()): v for k, v in known.items()}
    for ex in batch:
        for node in ex.nodes.values():
            label, text = chosen.setdefault(node.key, (node.label, node.text))
            if node.label != label:
                node.aliases.add(node.label)
                node.label = label
            node.aliases.discard(label)
            if node.kind == "Claim" and text is not None:
                node.text = text
