"""The ingest spine through the real CLI: sample corpus, idempotence, edits, bad input, kills."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, cli
from rdflib import Dataset

from claimgraph.graph import catalog
from claimgraph.graph.identity import document_iri
from claimgraph.graph.store import DiskStore


def quad_count(store: Path) -> int:
    return catalog.counts(DiskStore(store).dataset()).quads


def graph_quads(store: Path) -> dict[str, int]:
    ds = DiskStore(store).dataset()
    rows = ds.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {str(g): int(n) for g, n in rows}


def test_sample_ingest_finds_every_kind_of_node_and_edge(sample_store):
    c = catalog.counts(DiskStore(sample_store).dataset())
    assert c.documents == 2
    for kind in ("Person", "Work", "Event", "Claim"):
        assert c.nodes[kind] > 0, kind
    for rel in ("supports", "disputes", "cites"):
        assert c.edges[rel] > 0, rel


def test_stats_prints_counts(sample_store):
    r = cli("stats", "--store", str(sample_store), "--documents")
    assert r.returncode == 0, r.stderr
    assert "documents: 2" in r.stdout
    assert "000_a4e22a4da5962c4b.txt" in r.stdout


@pytest.mark.parametrize(
    "fmt,suffix,rdflib_format",
    [
        ("trig", "trig", "trig"),
        ("nquads", "nq", "nquads"),
        ("turtle", "ttl", "turtle"),
        ("jsonld", "jsonld", "json-ld"),
    ],
)
def test_export_loads_in_rdflib(sample_store, tmp_path, fmt, suffix, rdflib_format):
    out = tmp_path / f"sample.{suffix}"
    r = cli("export", "--store", str(sample_store), "--format", fmt, "-o", str(out))
    assert r.returncode == 0, r.stderr
    ds = Dataset()
    ds.parse(out, format=rdflib_format)
    total = sum(1 for _ in ds.quads((None, None, None, None)))
    if fmt in ("trig", "nquads"):
        assert total == quad_count(sample_store)
        assert len([g for g in ds.graphs() if g.identifier != ds.default_graph.identifier]) >= 2
    else:
        assert total > 0


def test_exported_trig_passes_validate(sample_store, tmp_path):
    out = tmp_path / "sample.trig"
    assert cli("export", "--store", str(sample_store), "-o", str(out)).returncode == 0
    r = cli("validate", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli("validate", "--store", str(sample_store))
    assert r.returncode == 0, r.stdout + r.stderr


def test_reingest_is_a_noop_and_an_edit_replaces_only_its_graph(tmp_path, corpus_copy):
    store = tmp_path / "store"
    assert cli("ingest", str(corpus_copy), "--store", str(store), "--quiet").returncode == 0
    before = graph_quads(store)
    gen_before = DiskStore(store).current()
    r = cli("ingest", str(corpus_copy), "--store", str(store), "--quiet")
    assert r.returncode == 0
    assert "0 ingested, 2 unchanged" in r.stdout
    assert graph_quads(store) == before
    assert DiskStore(store).current() == gen_before  # nothing was written at all

    edited = corpus_copy / "000_a4e22a4da5962c4b.txt"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nA closing remark of no consequence.\n",
        encoding="utf-8",
    )
    r = cli("ingest", str(corpus_copy), "--store", str(store), "--quiet")
    assert "1 ingested, 1 unchanged" in r.stdout, r.stdout
    after = graph_quads(store)
    changed = {g for g in before if before[g] != after.get(g)}
    other = str(document_iri("001_42aa353b999d0a72.txt"))
    assert after[other] == before[other]
    assert changed == {str(document_iri("000_a4e22a4da5962c4b.txt"))}


def test_ingest_twice_into_fresh_stores_gives_identical_quad_counts(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for store in (a, b):
        assert cli("ingest", str(CORPUS), "--store", str(store), "--quiet").returncode == 0
    assert graph_quads(a) == graph_quads(b)


def test_remove_drops_one_document(tmp_path):
    store = tmp_path / "store"
    shutil.copytree(CORPUS, tmp_path / "c")
    assert cli("ingest", str(tmp_path / "c"), "--store", str(store), "--quiet").returncode == 0
    r = cli("remove", "000_a4e22a4da5962c4b.txt", "--store", str(store))
    assert r.returncode == 0, r.stderr
    names = catalog.documents(DiskStore(store).dataset())
    assert list(names) == ["001_42aa353b999d0a72.txt"]
    r = cli("remove", "nope.txt", "--store", str(store))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


def _one_line_error(r) -> str:
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert "Traceback" not in r.stderr
    return lines


def test_bad_input_gets_one_line_each_and_store_unchanged(sample_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    before = graph_quads(store)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    missing = tmp_path / "missing.txt"
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "data.csv").write_text("a,b\n")
    for bad in (empty, binary, missing, nothing):
        r = cli("ingest", str(bad), "--store", str(store), "--quiet")
        lines = _one_line_error(r)
        assert len(lines) == 1 and bad.name in lines[0], (bad, r.stderr)
        assert graph_quads(store) == before


def test_non_utf8_file_is_read_with_its_encoding(tmp_path):
    doc = tmp_path / "latin.txt"
    text = (
        "Émile Durkheim argues that société shapes the individual. "
        "Durkheim writes that crime is normal in every society.\n"
    )
    doc.write_bytes(text.encode("cp1252"))
    store = tmp_path / "store"
    r = cli("ingest", str(doc), "--store", str(store), "--quiet")
    assert r.returncode == 0, r.stderr
    ds = DiskStore(store).dataset()
    labels = {
        str(label)
        for (label,) in ds.query("SELECT ?l WHERE { ?p a schema:Person ; rdfs:label ?l }")
    }
    assert any("Durkheim" in label for label in labels)
    texts = {str(t) for (t,) in ds.query("SELECT ?t WHERE { ?c a schema:Claim ; schema:text ?t }")}
    assert any("société shapes the individual" in t for t in texts), texts


def test_bad_file_in_a_folder_is_skipped_and_the_rest_ingested(tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(CORPUS, folder)
    (folder / "empty.md").write_text("   \n")
    r = cli("ingest", str(folder), "--store", str(tmp_path / "s"), "--quiet")
    assert r.returncode == 0, r.stderr
    assert "empty.md" in r.stderr and "2 ingested" in r.stdout


def test_second_writer_gets_store_busy(sample_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    with DiskStore(store)._lock():
        r = cli("ingest", str(CORPUS), "--store", str(store), "--quiet", "--force")
    lines = _one_line_error(r)
    assert len(lines) == 1 and "busy" in lines[0]


def test_killed_ingest_leaves_previous_graph_intact(sample_store, tmp_path):
    """SIGKILL an ingest at several points, including inside the write; the store survives."""
    big = tmp_path / "big"
    big.mkdir()
    for i in range(5):
        for f in CORPUS.iterdir():
            shutil.copy(f, big / f"{i:02d}_{f.name}")
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    before = graph_quads(store)
    killed_in_write = False
    for attempt in range(6):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "claimgraph.cli",
                "ingest",
                str(big),
                "--store",
                str(store),
                "--quiet",
                "--force",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            if any(store.glob("gen-*.tmp")):
                time.sleep(0.02 * attempt)
                killed_in_write = True
                break
            if attempt == 0 and time.monotonic() > deadline - 295:
                break  # first attempt: kill early, during reading
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert graph_quads(store) == before
        if killed_in_write:
            break
    assert killed_in_write, "never caught the ingest inside its write"
    # The store is still writable afterwards, and leftovers of the killed write are gone.
    r = cli("ingest", str(CORPUS), "--store", str(store), "--quiet", "--force")
    assert r.returncode == 0, r.stderr
    assert not list(store.glob("gen-*.tmp"))
    assert os.path.isdir(DiskStore(store).current())
