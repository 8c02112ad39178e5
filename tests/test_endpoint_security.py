"""`claimgraph serve` under a hostile-but-fair probe: SSRF, DNS rebinding, cross-origin forms,
memory bombs, many clients at once. Real server over loopback, real worker processes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import fixtures_graph as fg
import pytest
import test_endpoint
from test_endpoint import COUNT, TOTAL, get, json_rows, post_form, request, running_server

listener = test_endpoint.listener  # the loopback listener fixture: records every request

REPRODUCER = (
    "PREFIX ex: <http://e/>\n"
    "SELECT * WHERE {{ BIND(ex:a·\\' AS ?v) SERVICE SILENT <{remote}/x> {{ ?s ?p ?o }} # '\n}}"
)
VARIANTS = [
    REPRODUCER,
    'PREFIX ex: <http://e/>\nSELECT * WHERE {{ BIND(ex:a\\" AS ?v) SERVICE <{remote}/x> {{ ?s ?p ?o }} # "\n}}',
    "SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{remote}/x> {{ ?s ?p ?o }} }} }}",
    "ASK {{ OPTIONAL {{ SeRvIcE sIlEnT <{remote}/x> {{ ?s ?p ?o }} }} }}",
    "PREFIX r: <{remote}/> CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE r:x {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{remote}/x> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return fg.build_store(tmp_path_factory.mktemp("secure") / "store").path


@pytest.fixture(scope="module")
def url(store_path, tmp_path_factory):
    with running_server(store_path, tmp_path_factory.mktemp("logs"), "--timeout", "5") as address:
        yield address


def _netloc(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc


# -- SSRF -----------------------------------------------------------------------------------
def test_ssrf_reproducer_and_variants_are_refused_and_fetch_nothing(url, listener):
    remote, hits = listener
    for template in VARIANTS:
        query = template.format(remote=remote)
        status, _, body = get(url, query)
        assert status == 403 and b"SERVICE" in body, (query, body)
        status, _, body = post_form(url, {"query": query})
        assert status == 403, (query, body)
    time.sleep(0.3)
    assert hits == []


def test_unparseable_text_is_refused_not_guessed(url, listener):
    remote, hits = listener
    status, _, body = get(url, f"SELECT * WHERE {{ SERVICE <{remote}/x> {{ ?s ?p ?o }} ")
    assert status == 400 and b"syntax error" in body
    deep = "SELECT * WHERE " + "{" * 400 + f"SERVICE <{remote}/x> {{ }}" + "}" * 400
    status, _, body = get(url, deep)
    assert status in (400, 403) and len(body.splitlines()) == 1
    assert hits == []


_DIRECT = """
import json, sys
from claimgraph.queries import sandbox
layers = {"all": sandbox.lock_down_network, "netns": sandbox.new_network_namespace,
          "seccomp": sandbox.seccomp_deny_sockets, "none": lambda: None}[sys.argv[2]]()
from claimgraph.queries.query_worker import Evaluator
job = dict(gen=None, query=sys.argv[1], accept=None, format=None, max_rows=10, prefixes={},
           from_graphs=[], from_named=[], default_graphs=[], named_graphs=[])
reply = Evaluator().evaluate(job)  # no policy check: straight to Oxigraph
print(json.dumps({"layers": layers, "status": reply["status"]}))
"""


def _evaluate_directly(query: str, layers: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _DIRECT, query, layers], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_worker_cannot_reach_the_network_even_past_the_policy(listener):
    remote, hits = listener
    query = f"SELECT * WHERE {{ SERVICE <{remote}/x> {{ ?s ?p ?o }} }}"
    _evaluate_directly(query, "none")  # control: unlocked, Oxigraph does fetch
    time.sleep(0.3)
    assert len(hits) == 1, "the control should reach the listener"
    for layers in ("all", "netns", "seccomp"):
        reply = _evaluate_directly(query, layers)
        assert reply["layers"], f"{layers}: lockdown unavailable here"
        assert reply["status"] == 400
    time.sleep(0.3)
    assert len(hits) == 1


def test_real_workers_are_locked_down():
    from claimgraph.queries.worker_pool import WorkerPool

    pool = WorkerPool(1)
    try:
        assert pool.network_lockdown  # network namespace and/or seccomp
    finally:
        pool.close()


# -- DNS rebinding and cross-origin requests ------------------------------------------------
def test_host_must_be_this_server(url):
    port = urllib.parse.urlsplit(url).port
    qs = "?" + urllib.parse.urlencode({"query": COUNT})
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}"):
        status, _, body = request(url + qs, headers={"Host": host})
        assert status == 403 and b"Host" in body, host
    for host in (f"localhost:{port}", f"127.0.0.1:{port}"):
        status, _, body = request(url + qs, headers={"Host": host})
        assert status == 200 and json_rows(body)[0]["n"]["value"] == str(TOTAL)


def test_cross_origin_form_posts_are_refused(url, listener):
    remote, hits = listener
    data = urllib.parse.urlencode({"query": REPRODUCER.format(remote=remote)}).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for extra in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": f"http://localhost:{urllib.parse.urlsplit(url).port + 1}"},
        {"Referer": "http://evil.example/page.html"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        status, _, body = request(url, data, {**form, **extra})
        assert status == 403 and b"cross-origin" in body, extra
    same = {"Origin": f"http://{_netloc(url)}"}
    ok = urllib.parse.urlencode({"query": COUNT}).encode()
    assert request(url, ok, {**form, **same})[0] == 200
    assert get(url, COUNT)[0] == 200  # no Origin at all: a script or SPARQL tool
    assert hits == []


# -- memory ---------------------------------------------------------------------------------
DOUBLING = (
    'SELECT (STRLEN(?s40) AS ?n) WHERE { BIND("0123456789abcdef" AS ?s0)'
    + "".join(f" BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(40))
    + " }"
)


def test_memory_bomb_is_stopped_and_the_next_query_answered(store_path, tmp_path):
    extra = ("--timeout", "60", "--max-memory", "256M", "--workers", "1")
    with running_server(store_path, tmp_path, *extra) as address:
        status, _, body = get(address, DOUBLING)
        assert status == 503 and b"memory limit of 256 MiB" in body
        assert len(body.decode().strip().splitlines()) == 1
        status, _, body = get(address, COUNT)
        assert status == 200 and json_rows(body)[0]["n"]["value"] == str(TOTAL)


def test_max_memory_must_be_a_size(store_path):
    from test_endpoint import serve_command

    for bad in ("lots", "-5G", "1k", "nan"):
        proc = subprocess.run(
            serve_command("--store", str(store_path), "--port", "0", f"--max-memory={bad}"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2 and "--max-memory" in proc.stderr
        assert "size" in proc.stderr or "between" in proc.stderr
        assert "Traceback" not in proc.stderr


# -- many clients ---------------------------------------------------------------------------
def _raw_ask(host: str, port: int, start: threading.Event, out: list) -> None:
    query = urllib.parse.quote("ASK {}")
    start.wait()
    try:
        with socket.create_connection((host, port), timeout=60) as sock:
            sock.sendall(
                f"GET /query?query={query} HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n".encode()
            )
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        out.append(data.split(b" ", 2)[1] if data.startswith(b"HTTP/") else b"no answer")
    except OSError as exc:
        out.append(type(exc).__name__.encode())


def test_a_burst_of_connections_is_queued_not_reset(url):
    parts = urllib.parse.urlsplit(url)
    start, out = threading.Event(), []
    threads = [
        threading.Thread(target=_raw_ask, args=(parts.hostname, parts.port, start, out))
        for _ in range(200)
    ]
    for t in threads:
        t.start()
    start.set()
    for t in threads:
        t.join(timeout=120)
    assert len(out) == 200
    assert set(out) <= {b"200", b"503"}, sorted(set(out))
