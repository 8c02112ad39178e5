"""`claimgraph serve`, driven by real clients over loopback against the fixture store.

The server runs as a subprocess on a free port (port 0) with a 1-second time limit and a
100-row cap, and is always stopped afterwards.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from xml.dom.minidom import Document

import fixtures_graph as fg
import pytest
from rdflib import Graph, URIRef

from claimgraph.queries.endpoint import negotiate
from claimgraph.queries.sparql_policy import Refused, check

TIMEOUT = 1.0
MAX_ROWS = 100
# the default graph is the merge: a triple that several documents state counts once
TOTAL = len({q[:3] for quads in fg.fixture_graphs().values() for q in quads})
REPEATED = sum(len({q[:3] for q in quads}) for quads in fg.fixture_graphs().values())
DOC_B_TRIPLES = len({q[:3] for q in fg.fixture_graphs()[URIRef(fg.DOC_B)]})
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
RUNAWAY_SORT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def serve_command(*args: str) -> list[str]:
    from claimgraph import cli

    if "serve" in cli.COMMANDS:
        return [sys.executable, "-m", "claimgraph.cli", "serve", *args]
    code = (
        "import argparse, sys\n"
        "from claimgraph.commands import serve\n"
        "p = argparse.ArgumentParser(prog='claimgraph serve'); serve.add_arguments(p)\n"
        "from claimgraph.errors import user_message\n"
        "try:\n"
        "    sys.exit(serve.run(p.parse_args(sys.argv[1:])))\n"
        "except Exception as exc:\n"
        "    print('claimgraph serve: error:', user_message(exc), file=sys.stderr)\n"
        "    sys.exit(2)\n"
    )
    return [sys.executable, "-c", code, *args]


@contextmanager
def running_server(store_path, tmp_path, *extra: str):
    log = open(tmp_path / f"serve-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115  closed below
    proc = subprocess.Popen(
        serve_command("--store", str(store_path), "--port", "0", *extra),
        stdout=subprocess.PIPE,
        stderr=log,
    )
    try:
        url = _read_url(proc, deadline=time.monotonic() + 60)
        _wait_until_answering(url, deadline=time.monotonic() + 60)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
        proc.stdout.close()
        log.close()


def _read_url(proc: subprocess.Popen, deadline: float) -> str:
    buf = b""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"claimgraph serve exited with {proc.returncode}")
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            buf += chunk
            m = re.search(rb"(http://\S+/query)", buf)
            if m:
                return m.group(1).decode()
    raise AssertionError(f"claimgraph serve did not announce its address: {buf!r}")


def _wait_until_answering(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if get(url, "ASK {}")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("claimgraph serve did not answer")


def request(url: str, data: bytes | None = None, headers: dict | None = None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get(url: str, query: str, accept: str | None = None, **params):
    qs = urllib.parse.urlencode({"query": query, **params})
    return request(f"{url}?{qs}", headers={"Accept": accept} if accept else {})


def post_form(url: str, fields: dict, accept: str | None = None):
    data = urllib.parse.urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    return request(url, data, headers)


def media(headers) -> str:
    return headers["Content-Type"].split(";")[0].strip()


def json_rows(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return fg.build_store(tmp_path_factory.mktemp("serve") / "store").path


@pytest.fixture(scope="module")
def url(store_path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("logs")
    with running_server(
        store_path, tmp, "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS)
    ) as address:
        yield address


# -- real clients ---------------------------------------------------------------------------
def test_sparqlwrapper_select_json(url):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(url)
    client.setQuery((Path(__file__).parents[1] / "queries" / "contested-claims.rq").read_text())
    client.setReturnFormat(JSON)
    result = client.query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    rows = result.convert()["results"]["bindings"]
    assert [
        (r["claim"]["value"], r["supports"]["value"], r["disputes"]["value"]) for r in rows
    ] == [(fg.full(fg.PURGE_TOLL), "3", "1")]


def test_sparqlwrapper_select_xml_and_post(url):
    from SPARQLWrapper import POST, XML, SPARQLWrapper

    client = SPARQLWrapper(url)
    client.setQuery(
        "PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT DISTINCT ?p ?name WHERE { ?p a schema:Person ; rdfs:label ?name } ORDER BY ?name"
    )
    client.setReturnFormat(XML)
    doc = client.query().convert()
    assert isinstance(doc, Document)
    names = [
        b.getElementsByTagName("literal")[0].firstChild.data
        for b in doc.getElementsByTagName("binding")
        if b.getAttribute("name") == "name"
    ]
    assert names == ["Grover Furr", "Joseph Stalin", "Nikita Khrushchev", "Robert Conquest"]
    client.setMethod(POST)
    assert len(client.query().convert().getElementsByTagName("result")) == 4


# -- protocol and content negotiation -------------------------------------------------------
@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        (None, "application/sparql-results+json"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_content_types(url, accept, expected):
    assert TOTAL < REPEATED  # the fixture's documents share triples: this checks the merge
    status, headers, body = get(url, COUNT, accept)
    assert status == 200 and media(headers) == expected
    if expected == "application/sparql-results+json":
        assert json_rows(body)[0]["n"]["value"] == str(TOTAL)
    elif expected == "application/sparql-results+xml":
        assert f">{TOTAL}</literal>" in body.decode()
    elif expected == "text/csv":
        assert list(csv.reader(io.StringIO(body.decode()))) == [["n"], [str(TOTAL)]]
    else:
        lines = body.decode().splitlines()
        assert lines[0] == "?n"
        assert lines[1] in (str(TOTAL), f'"{TOTAL}"^^<http://www.w3.org/2001/XMLSchema#integer>')


def test_ask(url):
    status, headers, body = get(url, "ASK { ?c a <https://schema.org/Claim> }")
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize(
    "accept, expected, rdf_format",
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        (None, "text/turtle", "turtle"),
    ],
)
def test_construct_content_types(url, accept, expected, rdf_format):
    query = "CONSTRUCT WHERE { ?p a <https://schema.org/Person> }"
    status, headers, body = get(url, query, accept)
    assert status == 200 and media(headers) == expected
    g = Graph().parse(data=body.decode(), format=rdf_format)
    persons = {fg.CONQUEST, fg.FURR, fg.KHRUSHCHEV, fg.STALIN}
    assert {str(s) for s in g.subjects()} == {fg.full(k) for k in persons}


def test_post_form_and_post_query(url):
    status, headers, body = post_form(url, {"query": COUNT})
    assert status == 200 and json_rows(body)[0]["n"]["value"] == str(TOTAL)
    status, headers, body = request(
        url,
        COUNT.encode(),
        {"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    assert status == 200 and media(headers) == "text/csv"
    assert body.decode().split() == ["n", str(TOTAL)]


def test_unacceptable_and_bad_requests(url):
    status, _, _ = get(url, COUNT, "image/png")
    assert status == 406
    status, _, body = get(url, "SELECT ?s WHERE {\n  ?s ?p ?o ?oops .\n}")
    assert status == 400 and re.search(rb"line 2, column \d+", body)
    status, _, _ = request(url)  # no query
    assert status == 400
    status, _, _ = request(url, b"x", {"Content-Type": "text/plain"})
    assert status == 415


# -- policy -------------------------------------------------------------------------------
def test_updates_are_refused(url):
    insert = "INSERT DATA { <http://e.org/a> <http://e.org/b> <http://e.org/c> }"
    base = url.rsplit("/", 1)[0]
    answers = [
        post_form(url, {"update": insert}),
        request(url, insert.encode(), {"Content-Type": "application/sparql-update"}),
        request(f"{base}/update", insert.encode(), {"Content-Type": "application/sparql-update"}),
        get(url, "x", update=insert),
        post_form(url, {"query": insert}),
        post_form(url, {"query": "PREFIX e: <http://e.org/>\nDROP ALL"}),
    ]
    for status, _, body in answers:
        assert 400 <= status < 500, (status, body)
    assert answers[0][0] == 403 and b"read-only" in answers[0][2]
    assert json_rows(get(url, COUNT)[2])[0]["n"]["value"] == str(TOTAL)  # nothing changed


@pytest.fixture
def listener():
    """A loopback HTTP server that records every request it gets (none are expected)."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_service_is_refused_and_nothing_is_fetched(url, listener):
    remote, hits = listener
    queries = [
        f"SELECT * WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{remote}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z {{ SELECT ?s WHERE {{ SERVICE # hidden\n <{remote}/x> {{ ?s ?p ?o }} }} }} }}",
        f"PREFIX r: <{remote}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        status, _, body = get(url, query)
        assert status == 403 and b"SERVICE" in body, query
        status, _, _ = post_form(url, {"query": query})
        assert status == 403
    time.sleep(0.2)
    assert hits == []


def test_service_as_a_word_in_data_is_fine(url):
    query = (
        'SELECT ?service WHERE { BIND("SERVICE <http://x/>" AS ?service) '
        "FILTER(?service != <http://example.org/SERVICE>) } # SERVICE in a comment"
    )
    status, _, body = get(url, query)
    assert status == 200 and json_rows(body)[0]["service"]["value"] == "SERVICE <http://x/>"


def test_from_may_only_name_graphs_of_the_store(url, listener):
    remote, hits = listener
    for query in (
        f"SELECT * FROM <{remote}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{remote}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{remote}/> SELECT * FROM r:data WHERE {{ ?s ?p ?o }}",
    ):
        status, _, body = get(url, query)
        assert status == 400 and b"not a graph in this store" in body
    status, _, body = get(url, COUNT, **{"default-graph-uri": f"{remote}/x"})
    assert status == 400
    assert hits == []
    status, _, body = get(url, f"SELECT (COUNT(*) AS ?n) FROM <{fg.DOC_B}> WHERE {{ ?s ?p ?o }}")
    assert status == 200 and json_rows(body)[0]["n"]["value"] == str(DOC_B_TRIPLES)
    status, _, body = get(url, COUNT, **{"default-graph-uri": fg.DOC_B})
    assert status == 200 and json_rows(body)[0]["n"]["value"] == str(DOC_B_TRIPLES)


def test_runaway_query_is_stopped_and_the_server_goes_on(url):
    # The streaming count can only run out of time; the sort holds every row, so on a fast
    # machine it may reach the worker's memory cap (default 1 GiB) before the time limit.
    for query, limits in ((RUNAWAY, (b"time limit",)), (RUNAWAY_SORT, (b"time", b"memory"))):
        started = time.monotonic()
        status, _, body = get(url, query)
        elapsed = time.monotonic() - started
        assert status == 503 and any(b"stopped" in body and w in body for w in limits), body
        assert elapsed < TIMEOUT + 5
        status, _, body = get(url, COUNT)
        assert status == 200 and json_rows(body)[0]["n"]["value"] == str(TOTAL)


def test_row_cap(url):
    status, headers, body = get(url, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200 and len(json_rows(body)) == MAX_ROWS
    assert headers["X-Claimgraph-Truncated"] == "true"
    status, headers, body = get(url, "SELECT * WHERE { ?s ?p ?o }", "text/csv")
    assert len(list(csv.reader(io.StringIO(body.decode(), newline="")))) == MAX_ROWS + 1
    status, headers, body = get(url, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert status == 200 and len(body.decode().splitlines()) == MAX_ROWS
    assert headers["X-Claimgraph-Truncated"] == "true"
    status, headers, body = get(url, "SELECT * WHERE { ?s a <https://schema.org/Claim> }")
    assert "X-Claimgraph-Truncated" not in headers


def test_serves_the_live_generation(tmp_path):
    store = fg.build_store(tmp_path / "store")
    with running_server(store.path, tmp_path, "--timeout", "5") as address:
        ask = f"ASK {{ GRAPH <{fg.DOC_A}> {{ ?s ?p ?o }} }}"
        assert json.loads(get(address, ask)[2])["boolean"] is True
        store.replace_graphs({}, remove=[URIRef(fg.DOC_A)])  # a new generation without doc A
        assert json.loads(get(address, ask)[2])["boolean"] is False


def test_refuses_a_missing_store(tmp_path):
    proc = subprocess.run(
        serve_command("--store", str(tmp_path / "none"), "--port", "0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "no claimgraph store" in proc.stderr


# -- units --------------------------------------------------------------------------------
def test_check():
    s = check(
        "PREFIX e: <http://e.org/>\nSELECT * FROM e:g FROM NAMED <http://e.org/h> { ?s ?p ?o }"
    )
    assert s.form == "SELECT"
    assert s.from_graphs == ["http://e.org/g"] and s.from_named == ["http://e.org/h"]
    with pytest.raises(Refused) as refused:
        check("# c\nPREFIX e: <http://e.org/> DELETE WHERE { ?s ?p ?o }")
    assert refused.value.status == 403 and "read-only" in refused.value.message
    with pytest.raises(Refused) as refused:
        check("SELECT * { ?s ?p ?o . FILTER(?o < 3) SERVICE <http://x/> {} }")
    assert refused.value.status == 403 and "SERVICE" in refused.value.message
    assert check(
        "PREFIX e: <http://e/> SELECT * { ?s <http://e.org/service> ?o ; e:service ?service }"
    )
    assert check("CONSTRUCT { ?s ?p ?o } WHERE { { SELECT * { ?s ?p ?o } } }").form == "CONSTRUCT"


def test_negotiate():
    assert negotiate(None, None, graph=False) == "application/sparql-results+json"
    assert negotiate("application/json", None, graph=False) == "application/sparql-results+json"
    assert negotiate("text/*", None, graph=False) == "text/csv"
    assert negotiate("text/csv", "json", graph=False) == "application/sparql-results+json"
    assert negotiate("application/rdf+xml", None, graph=True) == "application/rdf+xml"
    assert negotiate("application/sparql-results+xml", "xml", graph=True) == "application/rdf+xml"
    assert negotiate("image/png", None, graph=True) is None
