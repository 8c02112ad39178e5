"""Corrections from the explorer (`claimgraph serve --curate`), in headless Chromium and over
plain HTTP: a rejection made in the browser survives re-ingest everywhere; cross-site and
cross-session writes are refused and write nothing; document text stays inert in the forms.

An invented corpus is ingested through the real CLI and served on a free loopback port.
"""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import cli
from test_endpoint import running_server, serve_command
from test_explorer import ARTIFACTS, BASE, HOSTILE, Tab, browser  # noqa: F401 - a fixture

from claimgraph.graph.namespaces import CITO

FERRY = """Notes on the ferry dispute

Greta Holm, The Ferry Ledger, 2004.

Councillor Edda Rosk said that the ferry line would pay for itself within a year.
Consider the pilot Kai Lunde, who rushed to condemn Rosk's comments, insisting that \
the ferry line "will lose money for a decade."

It cannot possibly be 9,000 lost crossings (Greta Holm, The Ferry Ledger); these \
estimates count every cancelled crossing of the decade as a storm loss.
"""
CHANGED = FERRY.replace("Notes on the ferry dispute", "Notes on the ferry dispute, revised")
CHANGED += "\nA later note: the winter timetable was printed twice.\n"
PAYLOAD = '<script>window.__pwned=7</script><img src=x onerror="window.__pwned=8"> \u202eok'
COUNT = "SELECT (COUNT(?c) AS ?n) WHERE { GRAPH ?g { ?c a cg:Correction } }"


def _corpus(tmp: Path) -> tuple[Path, Path]:
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    store = tmp / "store"
    result = cli("ingest", str(corpus), "--store", str(store), "--quiet")
    assert result.returncode == 0, result.stderr
    return corpus, store


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("curate")
    corpus, store = _corpus(tmp)
    with running_server(store, tmp, "--curate") as url:
        yield url.removesuffix("/query"), store, corpus


def _select(base: str, query: str) -> list[dict]:
    reply = httpx.get(base + "/query", params={"query": query}, timeout=60)
    assert reply.status_code == 200, reply.text
    return reply.json()["results"]["bindings"]


def _count(base: str) -> int:
    return int(_select(base, COUNT)[0]["n"]["value"])


def _generation(store: Path) -> str:
    return (store / "CURRENT").read_text(encoding="utf-8")


def _disputed(base: str) -> tuple[str, str]:
    """(disputed claim's key, disputing claim's IRI) of the ferry claim that is disputed."""
    rows = _select(
        base,
        "SELECT ?c ?d WHERE { ?d cito:disputes ?c . ?c schema:text ?t "
        'FILTER(CONTAINS(?t, "ferry line would pay")) }',
    )
    assert len(rows) == 1, rows
    return rows[0]["c"]["value"].removeprefix(BASE), rows[0]["d"]["value"]


def _token(page: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]{64})"', page).group(1)


def _cli_stdin(args: list[str], text: str) -> str:
    """`claimgraph ARGS` with `text` on standard input; its standard output."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "claimgraph.cli", *args]
    done = subprocess.run(command, input=text, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_rejected_edge_stays_rejected_after_reingest(browser, server, tmp_path):  # noqa: F811
    base, store, corpus = server
    claim, disputer = _disputed(base)
    edge = f"<{disputer}> cito:disputes <{BASE}{claim}>"
    tab = Tab(browser, base)
    try:
        assert tab.open("/" + claim) == 200
        item = tab.page.locator("li.stance-disputes")
        assert item.count() == 1
        with tab.page.expect_navigation():
            item.locator("button.reject").click()
        assert tab.page.url == f"{base}/{claim}"
        assert tab.page.locator("li.stance-disputes").count() == 0
        listed = tab.page.locator("ul.corrections li").first.inner_text().lower()
        assert "reject" in listed and "disputes" in listed and "lose money" in listed
        # the query workers read the new generation at once
        assert _ask(base, edge) is False
        (corpus / "ferry.txt").write_text(CHANGED, encoding="utf-8")
        again = cli("ingest", str(corpus), "--store", str(store), "--quiet")
        assert again.returncode == 0, again.stderr
        sizes = _select(
            base, 'SELECT ?n WHERE { ?d cg:fileName "ferry.txt" ; cg:characterCount ?n }'
        )
        assert [int(row["n"]["value"]) for row in sizes] == [len(CHANGED)]  # the change is read
        assert tab.open("/" + claim) == 200
        assert tab.page.locator("li.stance-disputes").count() == 0
        assert "reject" in tab.page.locator("ul.corrections li").first.inner_text().lower()
        tab.inert()
    finally:
        tab.close()
    assert _ask(base, edge) is False
    ask = _cli_stdin(["query", "-", "--store", str(store), "--format", "json"], f"ASK {{ {edge} }}")
    assert json.loads(ask)["boolean"] is False
    out = tmp_path / "export.nq"
    claim_node, disputes = ox.NamedNode(BASE + claim), ox.NamedNode(str(CITO.disputes))

    def exported(*flags: str) -> list[ox.Quad]:
        done = cli("export", "--store", str(store), "--format", "nquads", "-o", str(out), *flags)
        assert done.returncode == 0, done.stderr
        quads = list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
        assert any(q.subject == claim_node for q in quads)  # the claim itself stays
        return [
            q
            for q in quads
            if (q.subject.value, q.predicate, q.object) == (disputer, disputes, claim_node)
        ]

    assert exported() == []
    assert len(exported("--raw")) == 1  # the re-ingested extraction still reads the edge


def _ask(base: str, pattern: str) -> bool:
    reply = httpx.get(base + "/query", params={"query": f"ASK {{ {pattern} }}"}, timeout=60)
    assert reply.status_code == 200, reply.text
    return reply.json()["boolean"]


@contextmanager
def other_site(body: str):
    """A page served on another loopback port: another origin, the same site."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _any_claim(base: str) -> str:
    rows = _select(base, 'SELECT ?c WHERE { ?c schema:text ?t FILTER(CONTAINS(?t, "ferry")) }')
    return sorted(r["c"]["value"] for r in rows)[0].removeprefix(BASE)


def _state(base: str, store: Path) -> tuple[str, int]:
    return _generation(store), _count(base)


def test_cross_site_form_posts_are_refused_and_write_nothing(browser, server):  # noqa: F811
    base, store, _ = server
    claim = _any_claim(base)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/{claim}")
        token = _token(page.content())  # the strongest attacker: a valid token and cookie
        fields = {"token": token, "action": "reject", "subject": BASE + claim, "back": "/"}
        before = _state(base, store)
        inputs = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in fields.items()
        )
        attack = (
            f'<form id="f" method="post" action="{base}/curate/mark">{inputs}</form>'
            "<script>document.getElementById('f').submit()</script>"
        )
        with other_site(attack) as url:
            with page.expect_response(lambda r: "/curate/mark" in r.url) as answer:
                page.goto(url)
            assert answer.value.status == 403
        assert _state(base, store) == before
        cookies = {c["name"]: c["value"] for c in context.cookies()}
    finally:
        context.close()
    post = f"{base}/curate/mark"
    own = {"Origin": base}
    cases = [
        ({k: v for k, v in fields.items() if k != "token"}, cookies, own),  # no token
        (fields, {}, own),  # no session cookie
        (fields, cookies, {}),  # neither Origin nor Referer
        (fields, cookies, {"Origin": "http://127.0.0.1:9"}),  # another origin
        (fields, cookies, {"Referer": "http://localhost.example/x"}),
        (fields, cookies, {**own, "Sec-Fetch-Site": "cross-site"}),
    ]
    for data, jar, headers in cases:
        reply = httpx.post(post, data=data, cookies=jar, headers=headers, timeout=60)
        assert reply.status_code == 403, (data, jar, headers, reply.text)
    as_json = httpx.post(post, json=fields, cookies=cookies, headers=own, timeout=60)
    assert as_json.status_code in (403, 415)
    assert httpx.get(post, params=fields, cookies=cookies, headers=own).status_code == 405
    assert _state(base, store) == before


def test_a_token_works_only_in_its_own_session(browser, server):  # noqa: F811
    base, store, _ = server
    claim = _any_claim(base)
    first, second = browser.new_context(), browser.new_context()
    try:
        page_a, page_b = first.new_page(), second.new_page()
        page_a.goto(f"{base}/{claim}")
        page_b.goto(f"{base}/{claim}")
        token_a, token_b = _token(page_a.content()), _token(page_b.content())
        assert token_a != token_b
        before = _state(base, store)
        accept = page_b.locator("div.review-line form:has(button.accept)")
        accept.locator("input[name=token]").evaluate("(el, t) => { el.value = t }", token_a)
        with page_b.expect_navigation() as refused:
            accept.locator("button").click()
        assert refused.value.status == 403
        assert _state(base, store) == before
        page_b.goto(f"{base}/{claim}")  # its own token does write
        with page_b.expect_navigation() as accepted:
            page_b.locator("div.review-line button.accept").click()
        assert accepted.value.status == 200 and page_b.url == f"{base}/{claim}"
        assert page_b.locator("div.review-line .review-accepted").inner_text().lower() == "reviewed"
        assert _count(base) == before[1] + 1
    finally:
        first.close()
        second.close()


def test_document_text_stays_inert_in_forms_and_badges(browser, server):  # noqa: F811
    base, _, _ = server
    rows = _select(base, 'SELECT ?n WHERE { ?n schema:text ?t FILTER(CONTAINS(?t, "onerror")) }')
    key = rows[0]["n"]["value"].removeprefix(BASE)
    tab = Tab(browser, base)
    try:
        assert tab.open("/" + key) == 200
        edit = tab.page.locator("form[action='/curate/edit']")
        assert "onerror=" in edit.locator("textarea").input_value()
        tab.inert()
        tab.page.locator("details.curate-form summary").first.click()
        edit.locator("textarea").fill(PAYLOAD)
        with tab.page.expect_navigation():
            edit.locator("button").click()
        assert tab.page.url.endswith("/" + key)
        assert 'onerror="window.__pwned=8"' in tab.page.inner_text("main")
        assert tab.page.locator(".review-edited").count() >= 1
        tab.inert()
        for path in ("/list/corrections", "/search?q=pwned"):
            assert tab.open(path) == 200
            assert "window.__pwned=7" in tab.page.inner_text("main")
            tab.inert()
        people = _select(base, 'SELECT ?n WHERE { ?n a schema:Person ; rdfs:label "Ivo Brandt" }')
        assert tab.open("/" + people[0]["n"]["value"].removeprefix(BASE)) == 200
        assert tab.page.locator("form[action='/curate/merge']").count() == 1
        tab.inert()
    finally:
        tab.close()


def _key_of(base: str, query: str) -> str:
    rows = _select(base, query)
    assert len(rows) == 1, rows
    return rows[0]["n"]["value"].removeprefix(BASE)


def test_merge_add_and_undo_from_the_forms(browser, server):  # noqa: F811
    base, _, _ = server
    kept = _key_of(base, 'SELECT ?n WHERE { ?n a schema:Person ; rdfs:label "Greta Holm" }')
    gone = _key_of(base, 'SELECT ?n WHERE { ?n a schema:Person ; rdfs:label "Helena Varga" }')
    tab = Tab(browser, base)
    try:
        assert tab.open("/" + kept) == 200
        merge = tab.page.locator("form[action='/curate/merge']")
        tab.page.locator("details.curate-form summary", has_text="Merge").click()
        merge.locator("input[name=other]").fill("helena varga")
        with tab.page.expect_navigation():
            merge.locator("button").click()
        assert tab.page.url == f"{base}/{kept}"
        assert "merge" in tab.page.locator("ul.corrections").inner_text().lower()
        assert tab.open("/" + gone) == 404  # and the page says why
        assert "Greta Holm" in tab.page.locator("ul.corrections").inner_text()
        uses = f"GRAPH ?g {{ {{ <{BASE}{gone}> ?p ?o }} UNION {{ ?s ?p <{BASE}{gone}> }} }}"
        assert not _ask(base, f"{uses} FILTER(?g != <{BASE}corrections>)")  # in no document

        claim = _key_of(
            base, 'SELECT ?n WHERE { ?n schema:text ?t FILTER(STRSTARTS(?t, "these")) }'
        )
        assert tab.open("/" + claim) == 200
        tab.page.locator("details.curate-form summary", has_text="Add").click()
        add = tab.page.locator("form[action='/curate/add']")
        add.locator("select[name=relation]").select_option("disputes")
        add.locator("input[name=other]").fill("ferry")  # names several claims
        add.locator("textarea[name=quote]").fill("as the pilot <b>wrote</b>")
        with tab.page.expect_navigation():
            add.locator("button").click()
        assert "Which one" in tab.page.inner_text("h1")
        tab.inert()
        choice = tab.page.locator("ul.hits li").first
        other = BASE + choice.locator("a").get_attribute("href").lstrip("/")
        with tab.page.expect_navigation():
            choice.locator("button").click()
        assert tab.page.url == f"{base}/{claim}"
        edge = f"<{other}> cito:disputes <{BASE}{claim}>"
        assert _ask(base, edge)
        added = tab.page.locator("ul.corrections li", has_text="as the pilot <b>wrote</b>")
        assert added.count() == 1
        # the claim's evidence lists the added edge with the reader's quote
        shown = tab.page.locator("ul.evidence li.stance-disputes", has_text="as the pilot")
        assert shown.count() == 1 and "added by a reader" in shown.inner_text()
        tab.inert()
        with tab.page.expect_navigation():
            added.locator("button", has_text="Undo").click()
        assert not _ask(base, edge)
        assert tab.page.locator("ul.corrections li", has_text="as the pilot").count() == 0
        assert tab.page.locator("ul.evidence li", has_text="as the pilot").count() == 0
    finally:
        tab.close()


def test_screenshot_of_a_claim_page_with_curation_controls(browser, server):  # noqa: F811
    base, _, _ = server
    rows = _select(base, "SELECT ?c WHERE { ?c schema:text ?t ; ^cito:supports ?s }")
    tab = Tab(browser, base)
    try:
        assert tab.open("/" + rows[0]["c"]["value"].removeprefix(BASE)) == 200
        for summary in tab.page.locator("details.curate-form summary").all():
            summary.click()
        assert tab.page.locator("button.reject").count() >= 2
        tab.inert()  # also waits for the embedded view to be drawn
        ARTIFACTS.mkdir(exist_ok=True)
        tab.page.screenshot(path=str(ARTIFACTS / "explorer-claim-curate.png"), full_page=True)
    finally:
        tab.close()


# -- the refusals, without a browser ----------------------------------------------------------
@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """(store, app(curate)): the server's Starlette app in-process, over a private store."""
    from claimgraph.graph.namespaces import PREFIXES
    from claimgraph.queries.endpoint import Settings, make_app
    from claimgraph.queries.worker_pool import WorkerPool

    _, store = _corpus(tmp_path_factory.mktemp("curate-apps"))
    pool = WorkerPool(1, None)
    prefixes = {k: str(v) for k, v in PREFIXES.items()}

    def app(curate: bool):
        settings = Settings(str(store), prefixes=prefixes, allowed_hosts=["testserver"])
        settings.curate = curate
        return make_app(settings, "127.0.0.1", 80, pool)

    try:
        yield store, app
    finally:
        pool.close()


def _client(app):
    from starlette.testclient import TestClient

    return TestClient(app, base_url="http://testserver")


def _claim_path(client) -> str:
    query = 'SELECT ?c WHERE { ?c schema:text ?t FILTER(CONTAINS(?t, "ferry")) }'
    rows = client.get("/query", params={"query": query}).json()["results"]["bindings"]
    return "/" + sorted(r["c"]["value"] for r in rows)[0].removeprefix(BASE)


def test_without_curate_there_are_no_forms_and_writes_are_refused(apps):
    store, app = apps
    client = _client(app(False))
    path = _claim_path(client)
    page = client.get(path)
    assert page.status_code == 200 and 'method="post"' not in page.text
    assert "set-cookie" not in page.headers
    before = _generation(store)
    form = {"action": "reject", "subject": BASE + path[1:], "token": "0" * 64}
    reply = client.post("/curate/mark", data=form, headers={"Origin": "http://testserver"})
    assert reply.status_code == 403 and "--curate" in reply.text
    assert client.get("/curate/mark", params=form).status_code == 405
    assert _generation(store) == before


def test_curate_refuses_writes_without_the_session_token_or_origin(apps):
    store, app = apps
    curate = app(True)
    client, stranger = _client(curate), _client(curate)
    path = _claim_path(client)
    first = client.get(path)
    token = _token(first.text)
    cookie = first.headers["set-cookie"]
    assert cookie.startswith("cg_session_80=") and "; HttpOnly; SameSite=Strict" in cookie
    stranger.get(path)  # a session of its own
    fields = {"token": token, "action": "accept", "subject": BASE + path[1:], "back": path}
    own = {"Origin": "http://testserver"}
    before = _generation(store)
    refusals = [
        (client, {**fields, "token": ""}, own, 403),
        (client, {**fields, "token": token[:-1] + "x"}, own, 403),
        (client, fields, {}, 403),
        (client, fields, {"Origin": "http://127.0.0.1:1"}, 403),
        (client, fields, {"Origin": "null"}, 403),
        (client, fields, {"Referer": "http://elsewhere.example/"}, 403),
        (stranger, fields, own, 403),  # this token, another session
    ]
    for who, data, headers, status in refusals:
        reply = who.post("/curate/mark", data=data, headers=headers, follow_redirects=False)
        assert reply.status_code == status, (data, headers, reply.text)
    body = urllib.parse.urlencode(fields)
    typed = {**own, "Content-Type": "text/plain"}
    reply = client.post("/curate/mark", content=body, headers=typed, follow_redirects=False)
    assert reply.status_code == 415
    assert _generation(store) == before
    # a same-origin Referer is enough; the redirect never leaves the server
    offsite = {**fields, "back": "//elsewhere.example/x"}
    referer = {"Referer": f"http://testserver{path}"}
    reply = client.post("/curate/mark", data=offsite, headers=referer, follow_redirects=False)
    assert reply.status_code == 303, reply.text
    assert reply.headers["location"].startswith("/") and not reply.headers["location"].startswith(
        "//"
    )
    assert _generation(store) != before


def test_query_stays_read_only_with_curate(apps):
    _, app = apps
    client = _client(app(True))
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    own = {"Origin": "http://testserver"}
    assert client.post("/query", data={"update": update}, headers=own).status_code == 403
    typed = {**own, "Content-Type": "application/sparql-update"}
    assert client.post("/query", content=update, headers=typed).status_code == 403
    assert client.post("/update", data={"update": update}, headers=own).status_code == 403
    ask = client.get("/query", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"})
    assert ask.json()["boolean"] is False


def test_curate_on_a_network_address_is_one_line_and_exit_2(apps, tmp_path):
    store, _ = apps
    command = serve_command("--store", str(store), "--curate", "--host", "0.0.0.0", "--port", "0")
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "loopback" in lines[0], done.stderr
