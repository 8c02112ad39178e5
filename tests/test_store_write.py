"""The on-disk store's write path: split bulk loads, replacements and removals keep every quad."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from claimgraph.graph import store as store_module
from claimgraph.graph.store import DiskStore

P = ox.NamedNode("http://example.org/p")


def graph_quads(name: str, count: int, tag: str = "") -> list[ox.Quad]:
    """3 x `count` quads in graph `name`, with literals that need escaping in N-Quads."""
    g = ox.NamedNode(f"http://example.org/doc/{name}")
    out = []
    for i in range(count):
        s = ox.NamedNode(f"http://example.org/{name}{tag}/node/{i}")
        texts = (
            ox.Literal(f'a "quoted"\nline {i} \\ back é'),
            ox.Literal(f"mot {i}", language="fr"),
            ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        )
        out.extend(ox.Quad(s, P, o, g) for o in texts)
    return out


def stored(store: DiskStore) -> list[str]:
    """The store's named-graph quads, after checking that its default graph is their merge."""
    db = store.oxigraph()
    named = list(store_module.named_quads(db))
    merge = {str(q.triple) for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert merge == {str(q.triple) for q in named}
    return sorted(str(q) for q in named)


def test_a_write_split_across_threads_stores_exactly_the_quads(tmp_path, monkeypatch):
    graphs = {URIRef(f"http://example.org/doc/d{i}"): graph_quads(f"d{i}", 40) for i in range(9)}
    blank = ox.Quad(
        ox.BlankNode("b1"), P, ox.Literal("x"), ox.NamedNode("http://example.org/doc/d0")
    )
    graphs[URIRef("http://example.org/doc/d0")].append(blank)
    expected = sorted(str(q) for quads in graphs.values() for q in quads)

    one = DiskStore(tmp_path / "one")
    one.replace_graphs(graphs)
    monkeypatch.setattr(store_module, "PARALLEL_QUADS", 10)  # every write split in shares
    monkeypatch.setattr(store_module, "_cores", lambda: 4)
    split = DiskStore(tmp_path / "split")
    split.replace_graphs(graphs)
    assert stored(one) == expected
    assert stored(split) == expected  # the blank node keeps its label too


def test_replacing_and_removing_graphs_in_later_generations(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "PARALLEL_QUADS", 10)
    store = DiskStore(tmp_path / "s")
    a, b, c = (URIRef(f"http://example.org/doc/{n}") for n in "abc")
    store.replace_graphs({a: graph_quads("a", 30), b: graph_quads("b", 30)})
    store.replace_graphs({b: graph_quads("b", 5, tag="-new"), c: []}, remove=[a])
    db = store.oxigraph()
    assert {g.value for g in db.named_graphs()} == {str(b), str(c)}  # empty c is listed
    assert stored(store) == sorted(str(q) for q in graph_quads("b", 5, tag="-new"))
    store.replace_graphs({}, remove=[b, URIRef("http://example.org/doc/never-stored")])
    assert list(store.oxigraph()) == []


def test_rdflib_tuples_and_native_quads_store_the_same(tmp_path):
    g = URIRef("http://example.org/doc/t")
    s, p = URIRef("http://example.org/s"), URIRef("http://example.org/p")
    tuples = [(s, p, Literal("x y", lang="en"), g), (s, p, Literal("3", datatype=p), g)]
    native = [ox.Quad(*(store_module.to_ox(t) for t in q)) for q in tuples]
    a, b = DiskStore(tmp_path / "a"), DiskStore(tmp_path / "b")
    a.replace_graphs({g: tuples})
    b.replace_graphs({g: native})
    assert stored(a) == stored(b)
    assert len(stored(a)) == 2


def count(db: ox.Store, query: str) -> int:
    return int(next(iter(db.query(query, **store_module.default_graph_options(db))))[0].value)


ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_a_triple_stated_by_many_documents_is_counted_once_until_none_states_it(
    tmp_path, monkeypatch
):
    shared = ox.Triple(ox.NamedNode("http://example.org/person/1"), P, ox.Literal("A. Person"))
    docs = [URIRef(f"http://example.org/doc/{n}") for n in "abc"]

    def doc(name: URIRef, own: int, with_shared: bool = True) -> list[ox.Quad]:
        quads = graph_quads(name[-1], own)
        if with_shared:
            quads.append(ox.Quad(*shared, ox.NamedNode(str(name))))
        return quads

    store = DiskStore(tmp_path / "s")
    store.replace_graphs({d: doc(d, 2) for d in docs})
    db = store.oxigraph()
    assert count(db, ALL) == 3 * 6 + 1  # Oxigraph's union alone would count 3 x 7
    assert count(db, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == 21
    # a new version of a without the shared triple: b and c still state it
    store.replace_graphs({docs[0]: doc(docs[0], 2, with_shared=False)})
    assert count(store.oxigraph(), ALL) == 3 * 6 + 1
    monkeypatch.setattr(store_module, "COMPACT_FILES", -1)  # the rewriting path too
    store.replace_graphs({}, remove=[docs[1]])
    assert count(store.oxigraph(), ALL) == 2 * 6 + 1
    monkeypatch.undo()
    store.replace_graphs({}, remove=[docs[2]])  # nobody states it now
    db = store.oxigraph()
    assert count(db, ALL) == 6
    assert ox.Quad(*shared) not in db
    stored(store)


@pytest.mark.parametrize("blank", [False, True])
def test_a_store_written_without_the_merge_is_read_as_the_union_and_gains_it(tmp_path, blank):
    store = DiskStore(tmp_path / "s")
    a, b = URIRef("http://example.org/doc/a"), URIRef("http://example.org/doc/b")
    quads = graph_quads("a", 3)
    if blank:  # blank nodes keep their identity in the merge
        quads[-1] = ox.Quad(ox.BlankNode("b1"), P, ox.Literal("x"), ox.NamedNode(str(a)))
    store.replace_graphs({a: quads})
    legacy = ox.Store(str(store.current()))  # as an earlier claimgraph wrote it
    legacy.remove_graph(ox.DefaultGraph())
    legacy.flush()
    del legacy
    db = store.oxigraph()
    assert not store_module.has_merged_default(db)
    assert count(db, ALL) == 9  # read through Oxigraph's union
    assert len(store.dataset()) == 9
    del db
    store.replace_graphs({b: graph_quads("b", 2)})
    db = store.oxigraph()
    assert store_module.has_merged_default(db)
    assert count(db, ALL) == 15
    stored(store)
