"""The on-disk store's write path: split bulk loads, replacements and removals keep every quad."""

from __future__ import annotations

import pyoxigraph as ox
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
    return sorted(str(q) for q in store.oxigraph())


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
    assert sorted(str(q) for q in db) == sorted(str(q) for q in graph_quads("b", 5, tag="-new"))
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
