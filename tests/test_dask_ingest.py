"""Distributed ingest on a two-worker Dask LocalCluster gives the single-process graph."""

from __future__ import annotations

import pytest
from conftest import cli
from test_streamed_ingest import nquads, write_corpus

from claimgraph.graph.store import DiskStore

distributed = pytest.importorskip("distributed")


@pytest.fixture
def scheduler():
    """A two-worker, one-thread-each cluster of processes on loopback, closed after the test."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):
        yield cluster.scheduler_address


def test_dask_ingest_gives_the_same_nquads_as_one_process(tmp_path, scheduler):
    corpus = write_corpus(tmp_path / "corpus", count=2)
    (corpus / "empty.txt").write_text("  \n", encoding="utf-8")  # skipped by both, one line
    local, dask = tmp_path / "local", tmp_path / "dask"
    r = cli("ingest", str(corpus), "--store", str(local), "--quiet", "--jobs", "1")
    assert r.returncode == 0, r.stderr
    args = ("--quiet", "--engine", "dask", "--scheduler", scheduler, "--batch", "3")
    r = cli("ingest", str(corpus), "--store", str(dask), *args)
    assert r.returncode == 0, r.stderr
    assert "8 ingested, 0 unchanged, 1 skipped" in r.stdout
    assert "empty.txt" in r.stderr
    assert nquads(DiskStore(dask)) == nquads(DiskStore(local))
    again = cli("ingest", str(corpus), "--store", str(dask), *args)
    assert "0 ingested, 8 unchanged" in again.stdout, again.stderr


def test_unreachable_scheduler_is_one_line(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    r = cli(
        "ingest",
        str(corpus),
        "--store",
        str(tmp_path / "s"),
        "--engine",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:9",
    )
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_a_task_of_several_files_keeps_each_files_outcome_and_extraction(tmp_path):
    """Files parsed together in one task extract as they do alone, in order, each failure
    its own; an unchanged file is only read."""
    from claimgraph.ingest.distributed import process_files
    from claimgraph.ingest.pipeline import read_one
    from claimgraph.ingest.rules import load_rules

    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "00-00-blank.txt").write_text(" \n", encoding="utf-8")
    paths = sorted(corpus.iterdir())
    same = paths[2]  # stored before with this content: skipped as unchanged
    files = [(str(p), p.name, read_one(p, p.name).sha256 if p == same else None) for p in paths]
    rules = load_rules(None)
    together = process_files(files, rules)
    alone = [process_files([f], rules)[0] for f in files]
    assert [o[0] for o in together] == ["failed", "ok", "unchanged", "ok", "ok"]
    assert "00-00-blank.txt" in together[0][1]
    for a, b in zip(together, alone, strict=True):
        assert a[0] == b[0]
        if a[0] == "ok":
            assert (a[1].name, a[2].nodes, a[2].edges) == (b[1].name, b[2].nodes, b[2].edges)
