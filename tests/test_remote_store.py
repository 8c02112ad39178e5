"""A store on a real SPARQL server: the Oxigraph server and Virtuoso 7, started on loopback.

Each test runs against both servers (skipped only when a server's binary is absent): the CLI
ingests, re-ingests and removes documents in the remote store, and every saved query answers
exactly as it does on the embedded store.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import fixtures_graph as fg
import httpx
import pandas as pd
import pytest
from conftest import cli
from rdflib import Dataset

from claimgraph import open_store
from claimgraph.graph.remote_store import RemoteStore, replace_graph_update
from claimgraph.graph.store import DiskStore, StoreError
from claimgraph.queries.frames import run_query
from claimgraph.queries.library import list_queries

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
DBA = {"CLAIMGRAPH_STORE_USER": "dba", "CLAIMGRAPH_STORE_PASSWORD": "dba"}

DOCS = {
    "harbour.txt": (
        "Maria Okonjo argued in The Salt Roads (1998) that the coastal trade collapsed after "
        "the drought of 1740. Tomas Verhoeven disputed this in A Harbour Ledger, writing that "
        '"the ledgers show no decline at all". Okonjo replied that the ledgers were incomplete.'
    ),
    "mill.txt": (
        "According to Ines Halvorsen, the river mill closed in 1812 because the owners went "
        "bankrupt. Pavel Dranik supported her account in Water and Stone (2009), citing the "
        "parish records. The historian Lotte Briggs rejected the claim, saying the mill burned."
    ),
}


@dataclass
class Server:
    name: str
    url: str
    env: dict[str, str] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-500:]}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server did not answer at {url}")


def _start_oxigraph(folder: Path) -> tuple[subprocess.Popen, Server]:
    if not Path(OXIGRAPH).exists():
        pytest.skip("oxigraph server not installed (pip install oxigraph)")
    port = _free_port()
    log = folder / "oxigraph.log"
    cmd = [OXIGRAPH, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait_for(url + "/query", proc, log)
    return proc, Server("oxigraph", url)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
{root}ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def _start_virtuoso(folder: Path) -> tuple[subprocess.Popen, Server]:
    if VIRTUOSO is None:
        pytest.skip("Virtuoso not installed (apt-get install -y virtuoso-opensource)")
    http = _free_port()
    root = f"ServerRoot = {VIRTUOSO_VSP}\n" if VIRTUOSO_VSP.is_dir() else ""
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql=_free_port(), http=http, root=root))
    log = folder / "out.log"
    cmd = [VIRTUOSO, "+foreground", "+configfile", str(ini)]
    proc = subprocess.Popen(cmd, cwd=folder, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http}/sparql"
    _wait_for(url, proc, log)
    return proc, Server("virtuoso", url, dict(DBA))


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request, tmp_path_factory):
    """A fresh server of each kind for the module, stopped afterwards."""
    folder = tmp_path_factory.mktemp(request.param)
    start = _start_oxigraph if request.param == "oxigraph" else _start_virtuoso
    proc, srv = start(folder)
    yield srv
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def remote(server, monkeypatch) -> RemoteStore:
    """The server's store, emptied, with its credentials in the environment."""
    for key, value in server.env.items():
        monkeypatch.setenv(key, value)
    store = open_store(server.url)
    assert isinstance(store, RemoteStore)
    store.replace_graphs({}, remove=store.graphs())
    return store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("remote-corpus") / "corpus"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def embedded(corpus, tmp_path_factory) -> Path:
    """The same corpus ingested into an embedded store, once."""
    store = tmp_path_factory.mktemp("embedded") / "store"
    r = cli("ingest", str(corpus), "--store", str(store), "--quiet")
    assert r.returncode == 0, r.stderr
    return store


def _stats(store: str) -> list[str]:
    r = cli("stats", "--store", store, "--documents")
    assert r.returncode == 0, r.stderr
    return [line for line in r.stdout.splitlines() if not line.startswith("store:")]


def _graph_quads(store) -> dict[str, set[str]]:
    db = store.oxigraph()
    return {
        str(g.value): {str(q) for q in db.quads_for_pattern(None, None, None, g)}
        for g in db.named_graphs()
    }


def test_cli_ingest_reingest_remove_export(remote, embedded, corpus, tmp_path):
    url = str(remote.url)
    r = cli("ingest", str(corpus), "--store", url, "--quiet")
    assert r.returncode == 0, r.stderr
    assert _stats(url) == _stats(str(embedded))
    sizes = {g: len(q) for g, q in _graph_quads(remote).items()}
    assert sizes == {g: len(q) for g, q in _graph_quads(DiskStore(embedded)).items()}

    # an edited document replaces its own graph and nothing else
    before = _graph_quads(remote)
    edited = tmp_path / "corpus"
    shutil.copytree(corpus, edited)
    (edited / "mill.txt").write_text("Ines Halvorsen wrote that the mill closed.\n")
    r = cli("ingest", str(edited), "--store", url, "--quiet")
    assert r.returncode == 0, r.stderr
    after = _graph_quads(remote)
    assert after.keys() == before.keys()
    changed = [g for g in after if after[g] != before[g]]
    assert len(changed) == 1 and "mill" in changed[0]
    assert not any("bankrupt" in q for q in after[changed[0]])

    r = cli("remove", "mill.txt", "--store", url)
    assert r.returncode == 0, r.stderr
    assert set(_graph_quads(remote)) == set(after) - set(changed)
    assert "documents: 1" in _stats(url)

    out = tmp_path / "remote.trig"
    r = cli("export", "--store", url, "--format", "trig", "-o", str(out))
    assert r.returncode == 0, r.stderr
    exported = Dataset()
    exported.parse(out, format="trig")
    assert len(exported) == sum(len(q) for q in _graph_quads(remote).values())


PARAMS = {
    "evidence-trail": [{"claim": fg.PURGE_TOLL}],
    "claims-about": [{"name": "stalin"}, {"name": "great purge"}],
    "co-cited-works": [{}, {"min_documents": 2}],
    "low-confidence-edges": [{}, {"threshold": "0.4"}],
    "indirect-disputes": [{}, {"claim": fg.PURGE_TOLL}],
    "person-claims": [{}, {"person": fg.FURR}],
}


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype(str).sort_values(list(df.columns)).reset_index(drop=True)


def test_saved_queries_answer_as_on_the_embedded_store(remote, tmp_path):
    disk = fg.build_store(tmp_path / "store")
    remote.replace_graphs(fg.fixture_graphs())
    for q in list_queries():
        for params in PARAMS.get(q.name, [{}]):
            a = run_query(disk, q.name, **params)
            b = run_query(remote, q.name, **params)
            assert not a.empty, (q.name, params)
            assert list(b.columns) == list(a.columns)
            pd.testing.assert_frame_equal(_sorted(a), _sorted(b), obj=f"{q.name} {params}")


COUNTS = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://schema.org/Person> }",
)


def _counts(store) -> list[int]:
    return [int(next(iter(store.dataset().query(q)))[0]) for q in COUNTS]


def test_default_graph_counts_each_triple_once_on_oxigraph_as_embedded(remote, tmp_path):
    """Both fixture documents name the same people: the merge counts them once, also
    after one document is dropped (its shared triples stay, its own go)."""
    if not remote.endpoints.oxigraph:
        pytest.skip("Virtuoso merges the default graphs its own way: a triple once per graph")
    graphs = fg.fixture_graphs()
    disk = DiskStore(tmp_path / "store")
    for store in (disk, remote):
        store.replace_graphs(graphs)
    repeated = sum(len({q[:3] for q in quads}) for quads in graphs.values())
    assert _counts(remote) == _counts(disk) and _counts(disk)[0] < repeated
    first = sorted(graphs)[0]
    for store in (disk, remote):
        store.replace_graphs({}, remove=[first])
    assert _counts(remote) == _counts(disk)
    assert _counts(disk)[0] == len(
        {q[:3] for g, quads in graphs.items() if g != first for q in quads}
    )


def test_an_oxigraph_server_written_before_the_merge_is_read_as_union_and_gains_it(remote):
    if not remote.endpoints.oxigraph:
        pytest.skip("only an Oxigraph server keeps the merge")
    graphs = fg.fixture_graphs()
    for name, quads in graphs.items():  # as claimgraph wrote before it kept the merge
        remote.update(replace_graph_update(name, quads))
    legacy = RemoteStore(remote.url)
    assert legacy.dataset_parameters() == [("union-default-graph", "")]
    first = sorted(graphs)[0]
    legacy.replace_graphs({}, remove=[first])
    store = RemoteStore(remote.url)
    assert store.dataset_parameters() == []
    rest = {q[:3] for g, quads in graphs.items() if g != first for q in quads}
    assert _counts(store)[0] == len(rest)


def test_url_with_credentials_is_refused_in_one_line(server):
    url = server.url.replace("://", "://dba:secret@")
    r = cli("stats", "--store", url)
    assert r.returncode != 0
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert "secret" not in r.stderr and "CLAIMGRAPH_STORE_USER" in r.stderr


def test_credentials_from_env_and_netrc(server, monkeypatch, tmp_path):
    graphs = fg.fixture_graphs()
    if server.name == "oxigraph":  # no authentication: credentials are sent only if asked
        for key, value in DBA.items():
            monkeypatch.setenv(key, value)
        store = RemoteStore(server.url)
        store.replace_graphs(graphs)
        assert len(store.graphs()) == len(graphs)
        return
    monkeypatch.delenv("CLAIMGRAPH_STORE_USER", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "absent"))
    with pytest.raises(StoreError):  # anonymous updates are refused by Virtuoso
        RemoteStore(server.url).replace_graphs(graphs)
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login dba password dba\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    RemoteStore(server.url).replace_graphs(graphs)
    monkeypatch.setenv("NETRC", str(tmp_path / "absent"))
    for key, value in DBA.items():
        monkeypatch.setenv(key, value)
    store = RemoteStore(server.url)
    store.replace_graphs({}, remove=store.graphs())
    assert not store.exists()
