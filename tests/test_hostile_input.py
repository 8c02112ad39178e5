"""Hostile input through the real CLI and the ingest pieces: each bad file is one line,
every good file is stored, and nothing one file does stops or hangs the others (issue 11)."""

from __future__ import annotations

import base64
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, cli

from claimgraph.graph import catalog
from claimgraph.graph.identity import document_iri, shown
from claimgraph.graph.store import DiskStore, StoreBusy
from claimgraph.ingest.discover import discover
from claimgraph.ingest.passages import MAX_WORD, split_passages
from claimgraph.ingest.pipeline import DocumentTimeout, time_budget

GOOD = (
    "Marta Lindqvist argues that the harbour tax ruined the fishing town. "
    "Ivo Brandt disputes this claim in his essay on the coast.\n"
)
COLLIDING = ["日本.txt", "中国.txt", "Report.txt", "report.txt", "a b.txt", "a-b.txt"]
REFERENCE = (
    "Abelard, A., Brookmayer, V., Carter, B., Dunnigan, J., Eboue, C., Fakambe, F., "
    "Mbanza, D., Kalue, L., Ndoro, N., Gärtner, L., Devane, S., Brenan, C.A., 2014. "
    "Evidence of Putative XYZ-2 Type Q in Gabon. J. Virol. 85, 1403–1407. "
    "doi:10.1128/JVI.02005-10"
)


def hostile_folder(root: Path) -> tuple[list[str], dict[str, str]]:
    """A folder of good and hostile files: (good document names, bad name -> its problem)."""
    root.mkdir()
    good = list(COLLIDING) + ["notes.md", "page.html"]
    for i, name in enumerate(COLLIDING):
        (root / name).write_text(f"{GOOD}This is file number {i}.\n", encoding="utf-8")
    (root / "notes.md").write_text(f"# Notes\n\n{GOOD}", encoding="utf-8")
    (root / "page.html").write_text(f"<html><body><p>{GOOD}</p></body></html>", "utf-8")
    blob = base64.b64encode(random.Random(1).randbytes(1_650_000)).decode()
    (root / "blob.txt").write_text(f"Intro line.\n\n{blob}\n\n{GOOD}", encoding="utf-8")
    (root / "refs.txt").write_text("References\n\n" + "\n".join([REFERENCE] * 16) + "\n")
    (root / "new\nline.txt").write_text(GOOD, encoding="utf-8")
    good += ["blob.txt", "refs.txt", "new\nline.txt"]
    (root / "loop.txt").symlink_to("loop.txt")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    bad = {"loop.txt": "symlink loop", "empty.txt": "empty", "binary.txt": "binary"}
    return good, bad


def test_hostile_folder_through_the_cli(tmp_path):
    good, bad = hostile_folder(tmp_path / "in")
    store = tmp_path / "store"
    r = cli("ingest", str(tmp_path / "in"), "--store", str(store), "--quiet", timeout=900)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    problems = r.stderr.strip().splitlines()
    for name, why in bad.items():
        lines = [line for line in problems if line.startswith(f"skipped {name}:")]
        assert len(lines) == 1 and why in lines[0], (name, problems)
    assert len(problems) == len(bad), problems
    assert f"{len(good)} ingested" in r.stdout, r.stdout

    listing = cli("stats", "--store", str(store), "--documents")
    assert listing.returncode == 0, listing.stderr
    assert f"documents: {len(good)}" in listing.stdout
    rows = [line.strip() for line in listing.stdout.splitlines() if "sha256:" in line]
    assert sorted(row.split("  sha256:")[0] for row in rows) == sorted(shown(n) for n in good)
    stored = catalog.documents(DiskStore(store).dataset())
    assert sorted(stored) == sorted(good)
    assert len({info.iri for info in stored.values()}) == len(good)


def test_colliding_names_get_distinct_readable_iris():
    names = COLLIDING + ["sub/a b.txt", "sub/a-b.txt", "ÅSA.txt", "åsa.txt", "x.txt", "x.TXT"]
    iris = [str(document_iri(n)) for n in names]
    assert len(set(iris)) == len(names)
    assert "/doc/日本-txt-" in iris[0] and "/doc/sub/a-b-txt-" in iris[6]
    assert all(not re.search(r"\s", i) for i in iris)


def test_a_huge_run_without_spaces_gives_bounded_passages():
    text = "Intro.\n\n" + "A" * 2_200_000 + "\n\nLast line here."
    passages = split_passages(text)
    assert max(e - s for s, e in passages) <= MAX_WORD
    assert "".join(text[s:e] for s, e in passages).replace("\n", "") == text.replace("\n", "")


def test_the_reference_line_is_parsed_without_backtracking():
    """Run in a child with a timeout: before the fix this line took minutes."""
    code = (
        "from claimgraph.ingest.references import parse_reference\n"
        f"for n in range(1, 40): parse_reference({REFERENCE!r}.replace('Abelard', 'Ab' * n))\n"
        "print('done')\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert r.stdout.strip() == "done", r.stderr


def test_time_budget_stops_a_runaway_regex():
    started = time.monotonic()
    with pytest.raises(DocumentTimeout), time_budget(0.3):
        re.match(r"(a+)+b", "a" * 40)
    assert time.monotonic() - started < 30


def test_every_document_over_its_budget_is_one_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(GOOD * 40)
    env = dict(os.environ, CLAIMGRAPH_DOC_SECONDS="0.000001")
    r = subprocess.run(
        [sys.executable, "-m", "claimgraph.cli", "ingest", str(folder), "--store",
         str(tmp_path / "s"), "--quiet"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=600,
    )  # fmt: skip
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].count("budget") == 3, lines


def test_symlink_loop_and_newline_names_are_reported_on_one_line(tmp_path):
    loop = tmp_path / "self.txt"
    loop.symlink_to("self.txt")
    odd = tmp_path / "odd\nname\x1b[31m.csv"
    odd.write_text("x")
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "in\nside.csv").write_text("x")
    _files, problems = discover([loop, tmp_path / "missing.txt", folder])
    assert problems[0] == f"{loop}: symlink loop"
    assert problems[1].endswith("missing.txt: no such file or directory")
    assert any("in\\nside.csv" in p for p in problems)
    assert all("\n" not in p and "\x1b" not in p for p in problems)
    assert shown("a\nb\u202ec\x1b") == "a\\nb\\u202ec\\x1b"


def test_busy_store_is_reported_before_any_reading(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("")  # would fail reading, if reading came first
    store = DiskStore(tmp_path / "s")
    with store.writing():
        r = cli("ingest", str(folder), "--store", str(store.path), "--quiet")
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "busy" in lines[0], lines
    assert not store.path.exists()  # nothing written, no empty store left behind


def test_writer_can_wait_for_the_lock(tmp_path):
    first, second = DiskStore(tmp_path / "s"), DiskStore(tmp_path / "s")
    holding = threading.Event()

    def hold():
        with first.writing():
            holding.set()
            time.sleep(0.5)

    t = threading.Thread(target=hold)
    t.start()
    holding.wait()
    with pytest.raises(StoreBusy), second.writing(wait=0):
        pass
    with second.writing(wait=30):
        assert first.busy()  # from the first one's side: the second holds it now
    t.join()
    assert not first.busy()


def test_old_scheme_document_is_rekeyed_on_ingest(tmp_path):
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF

    from claimgraph.graph.namespaces import CG, base_iri
    from claimgraph.ingest.readers import read_document

    doc = tmp_path / "Essay One.txt"
    doc.write_text(GOOD)
    sha = read_document(doc, doc.name).sha256
    old = URIRef(base_iri() + "doc/essay-one-txt")
    store = DiskStore(tmp_path / "s")
    store.replace_graphs(
        {
            old: [
                (old, RDF.type, CG.SourceDocument, old),
                (old, CG.fileName, Literal(doc.name), old),
                (old, CG.sha256, Literal(sha), old),
            ]
        }
    )
    assert catalog.documents(store.dataset())[doc.name].iri == old
    stats = cli("stats", "--store", str(store.path))
    assert "old naming scheme" in stats.stdout
    r = cli("ingest", str(doc), "--store", str(store.path), "--quiet")
    assert r.returncode == 0 and "1 ingested" in r.stdout, r.stderr
    stored = catalog.documents(store.dataset())
    assert list(stored) == [doc.name] and stored[doc.name].iri == document_iri(doc.name)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_killed_parallel_ingest_leaves_no_workers(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(60):
        (folder / f"d{i:02d}.txt").write_text(GOOD * 30)
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimgraph.cli", "ingest", str(folder), "--store",
         str(tmp_path / "s"), "--quiet", "--jobs", "2"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the ingest finished before its workers could be seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
