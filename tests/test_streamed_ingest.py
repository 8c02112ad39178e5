"""Streamed ingest: batches commit as they go, resolve like one batch, and are released."""

from __future__ import annotations

import gc
import signal
import subprocess
import sys
import time
import weakref
from contextlib import contextmanager
from pathlib import Path

from conftest import ROOT, cli

from claimgraph.graph import catalog
from claimgraph.graph.store import DiskStore
from claimgraph.ingest.pipeline import LocalEngine, ingest

TEXTS = {
    "01-note.md": "Professor Okonkwo wrote *The Salt Ledger*. Dr. Varga later claimed that the "
    "wardens kept no records.\n",
    "02-review.txt": "Adaeze Okonkwo published The Salt Ledger in 1931. In it, Okonkwo claims "
    "that river tolls funded the early guilds.\n\nTomas Varga disagreed and argued that the "
    "guilds predated the tolls by a century.\n",
    "03-essay.txt": "The harbour reforms of 1902 are described in Harbour and Crown by Ilse "
    "Brandt. Brandt argues that the reforms weakened the guilds.\n\nOkonkwo's account of the "
    "tolls supports this reading, according to Brandt.\n",
    "04-letter.md": "Dr. Brandt replied that *Harbour and Crown* never mentioned the tolls. "
    "Professor Varga agreed with her.\n",
}


def write_corpus(folder: Path, count: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        for name, text in TEXTS.items():
            (folder / f"{i:02d}-{name}").write_text(text, encoding="utf-8")
    return folder


def nquads(store: DiskStore) -> list[str]:
    """The store's quads as sorted N-Quads lines, without the run's wall-clock times."""
    return sorted(str(q) for q in store.oxigraph() if "AtTime" not in str(q.predicate))


def test_batches_of_one_give_the_graph_of_one_batch(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    one = DiskStore(tmp_path / "one")
    each = DiskStore(tmp_path / "each")
    ingest([corpus], one, progress=False, batch=1000)
    summary = ingest([corpus], each, progress=False, batch=1)
    assert summary.documents == len(TEXTS)
    assert nquads(each) == nquads(one)
    # the bare surname of the first document landed on the full name found later
    people = {str(s) for s in catalog.people(each.dataset())}
    assert any(p.endswith("/person/adaeze-okonkwo") for p in people)
    assert not any(p.endswith("/person/okonkwo") for p in people)


def test_killed_ingest_keeps_committed_batches_and_the_next_run_skips_them(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", count=3)
    total = len(list(corpus.iterdir()))
    store = tmp_path / "store"
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimgraph.cli", "ingest", str(corpus), "--store", str(store)]
        + ["--quiet", "--batch", "1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if (store / "CURRENT").exists():
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    committed = catalog.counts(DiskStore(store).dataset()).documents
    assert 1 <= committed < total
    r = cli("ingest", str(corpus), "--store", str(store), "--quiet")
    assert r.returncode == 0, r.stderr
    assert f"{total - committed} ingested, {committed} unchanged" in r.stdout
    assert catalog.counts(DiskStore(store).dataset()).documents == total


class WatchingEngine(LocalEngine):
    """The local engine, counting how many of the previous batch's objects are still alive
    each time the ingest asks for the next batch (after it committed the previous one)."""

    def __init__(self):
        super().__init__(jobs=1, progress=False)
        self.alive: list[int] = []
        self.sizes: list[int] = []

    @contextmanager
    def open(self, rules, summary):
        with super().open(rules, summary) as batches:

            def watched(chunks, skip):
                refs: list[weakref.ref] = []
                for results in batches(chunks, skip):
                    gc.collect()
                    self.alive.append(sum(r() is not None for r in refs))
                    refs = [weakref.ref(x) for pair in results for x in pair]
                    self.sizes.append(len(results))
                    yield results
                gc.collect()
                self.alive.append(sum(r() is not None for r in refs))

            yield watched


def test_each_batch_is_released_once_committed(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", count=2)
    engine = WatchingEngine()
    summary = ingest([corpus], DiskStore(tmp_path / "store"), batch=3, engine=engine)
    assert summary.documents == 2 * len(TEXTS)
    assert engine.sizes == [3, 3, 2]
    assert engine.alive == [0, 0, 0, 0]


def test_a_generation_with_many_table_files_is_rewritten_compacted(tmp_path, monkeypatch):
    from claimgraph.graph import store as store_module

    corpus = write_corpus(tmp_path / "corpus")
    plain = DiskStore(tmp_path / "plain")
    ingest([corpus], plain, progress=False, batch=1)
    monkeypatch.setattr(store_module, "COMPACT_FILES", 0)  # every write rewrites
    rewritten = DiskStore(tmp_path / "rewritten")
    ingest([corpus], rewritten, progress=False, batch=1)
    assert nquads(rewritten) == nquads(plain)
    tables = len(list(rewritten.current().glob("*.sst")))
    assert tables < len(list(plain.current().glob("*.sst")))


def reference_resolution(people: dict, labels: dict, extractions: list) -> tuple[dict, dict]:
    """Renames and labels as a one-batch ingest makes them: ingest.resolve over copies of
    every document's nodes (what the streamed resolver must reproduce batch after batch)."""
    from claimgraph.graph.model import Extraction, Node
    from claimgraph.graph.namespaces import base_iri
    from claimgraph.ingest.resolve import resolve_people

    copies, pairs = [], []
    for x in extractions:
        ex = Extraction()
        for n in x.nodes.values():
            copy = Node(n.kind, n.key, n.label, mentions=list(n.mentions), text=n.text)
            ex.nodes[copy.key] = copy
            if n.kind == "Person":
                pairs.append((n.key, copy))
        copies.append(ex)
    resolve_people(copies, people)
    renames = {k: (n.key, n.label) for k, n in pairs if n.key != k}
    chosen = {k.removeprefix(base_iri()): v for k, v in labels.items()}
    for ex in copies:
        for n in ex.nodes.values():
            chosen.setdefault(n.key, (n.label, n.text))
    return renames, chosen


def invented_extraction(rng) -> object:
    """A document's nodes: people named in full, by initial or by bare surname, and nodes
    spelled differently (same key, another label)."""
    from claimgraph.graph.identity import node_key
    from claimgraph.graph.model import Extraction, Mention, Node

    given = {"Oyelaran": ["Adaeze", "A.", "Bola"], "Thorvik": ["Ilse", "Ivar", "I."]}
    given |= {"Mbeki-Ross": ["Tomas"], "Quill": ["Hana", "H.", "Hugo"], "Esterhazy": ["Petra"]}
    ex = Extraction()
    for _ in range(rng.randint(1, 4)):
        last = rng.choice(sorted(given))
        first = rng.choice([*given[last], None, None])
        label = f"{first} {last}" if first else last
        label = label.upper() if rng.random() < 0.2 else label  # same key, another spelling
        mentions = [Mention(i, i + 3) for i in range(rng.randint(1, 6))]
        ex.add_node(Node("Person", node_key("Person", label), label, mentions=mentions))
    for _ in range(rng.randint(0, 2)):
        title = rng.choice(["The Salt Road", "the salt road", "Harbour Law", "HARBOUR LAW"])
        ex.add_node(Node("Work", node_key("Work", title), title))
    return ex


def test_the_streamed_resolver_matches_one_batch_resolution_after_every_batch():
    import random

    from claimgraph.graph.identity import node_key
    from claimgraph.graph.namespaces import base_iri
    from claimgraph.ingest.stream_resolve import Resolver

    for seed in range(40):
        rng = random.Random(seed)
        people = {f"iri{i}": (label, []) for i, label in enumerate(["Ivar Thorvik", "Quill"])}
        labels = {base_iri() + node_key("Person", "Quill"): ("Quill", None)}
        resolver, seen = Resolver(people, labels), []
        for _batch in range(rng.randint(1, 6)):
            for _ in range(rng.randint(1, 4)):
                ex = invented_extraction(rng)
                seen.append(ex)
                resolver.add(ex)
            got = resolver.resolve()
            assert (got.renames, got.chosen) == reference_resolution(people, labels, seen), seed
